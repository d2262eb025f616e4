// Mantine's full stylesheet for now; narrowed to the components in use once the pages settle.
import "@mantine/core/styles.css";
