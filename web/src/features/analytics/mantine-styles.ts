/*
 * Mantine stylesheets of the components only the dashboards use, loaded with their chunks rather than on every
 * first visit (see web/src/styles.ts for the shared ones and why the list is kept short).
 */
import "@mantine/core/styles/Tooltip.css";
import "@mantine/core/styles/Pill.css";
import "@mantine/core/styles/PillsInput.css";
import "@mantine/core/styles/SegmentedControl.css";
