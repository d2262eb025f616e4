/* Mantine stylesheets of components only the households screens use, loaded with their chunks (see web/src/styles.ts). */
import "@mantine/core/styles/List.css";
import "@mantine/core/styles/SimpleGrid.css";
import "@mantine/core/styles/Tabs.css";
