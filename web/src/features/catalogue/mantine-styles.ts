/*
 * Mantine stylesheets of the components only the catalogue screens use, loaded with their chunk rather than on
 * every first visit (see web/src/styles.ts for the shared ones and why the list is kept short).
 */
import "@mantine/core/styles/Tabs.css";
import "@mantine/core/styles/Tooltip.css";
import "@mantine/core/styles/RadioIndicator.css";
import "@mantine/core/styles/Radio.css";
import "@mantine/core/styles/SimpleGrid.css";
