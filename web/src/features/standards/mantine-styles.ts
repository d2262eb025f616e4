/*
 * Mantine stylesheets of the components only the standards pages use, loaded with their chunks rather than on
 * every first visit (see web/src/styles.ts for the shared ones and why the list is kept short).
 */
import "@mantine/core/styles/SimpleGrid.css";
import "@mantine/core/styles/Progress.css";
