/*
 * Mantine stylesheets of the components only the working-sessions screens use, loaded with their chunks (see
 * web/src/styles.ts for the shared ones).
 */
import "@mantine/core/styles/SimpleGrid.css";
import "@mantine/core/styles/Progress.css";
import "@mantine/core/styles/Fieldset.css";
