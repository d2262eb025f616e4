/*
 * Only the Mantine stylesheets of the components in use (about a third of the full 295 kB sheet): the first
 * visit on a weak connection waits for this file. Order matters: base layers first, then building blocks
 * (UnstyledButton, Input, Popover) before the components made of them. A component added to the app needs its
 * sheet here, or it renders unstyled.
 */
import "@mantine/core/styles/baseline.css";
import "@mantine/core/styles/default-css-variables.css";
import "@mantine/core/styles/global.css";
import "@mantine/core/styles/UnstyledButton.css";
import "@mantine/core/styles/VisuallyHidden.css";
import "@mantine/core/styles/Paper.css";
import "@mantine/core/styles/Popover.css";
import "@mantine/core/styles/CloseButton.css";
import "@mantine/core/styles/Group.css";
import "@mantine/core/styles/Stack.css";
import "@mantine/core/styles/Center.css";
import "@mantine/core/styles/Container.css";
import "@mantine/core/styles/Grid.css";
import "@mantine/core/styles/Loader.css";
import "@mantine/core/styles/Text.css";
import "@mantine/core/styles/Title.css";
import "@mantine/core/styles/Anchor.css";
import "@mantine/core/styles/Button.css";
import "@mantine/core/styles/Burger.css";
import "@mantine/core/styles/Input.css";
import "@mantine/core/styles/Badge.css";
import "@mantine/core/styles/Alert.css";
import "@mantine/core/styles/Breadcrumbs.css";
import "@mantine/core/styles/NavLink.css";
import "@mantine/core/styles/Table.css";
import "@mantine/core/styles/ScrollArea.css";
import "@mantine/core/styles/Spoiler.css";
import "@mantine/core/styles/Timeline.css";
import "@mantine/core/styles/ActionIcon.css";
import "@mantine/core/styles/CheckboxIndicator.css";
import "@mantine/core/styles/Checkbox.css";
import "@mantine/core/styles/Avatar.css";
import "@mantine/core/styles/Divider.css";
import "@mantine/core/styles/Menu.css";
import "@mantine/core/styles/Overlay.css";
import "@mantine/core/styles/ModalBase.css";
import "@mantine/core/styles/Modal.css";
import "@mantine/core/styles/Combobox.css";
import "@mantine/core/styles/PasswordInput.css";
import "@mantine/core/styles/NumberInput.css";
import "@mantine/core/styles/Code.css";
import "@mantine/core/styles/Indicator.css";
import "@mantine/core/styles/List.css";
import "@mantine/core/styles/InlineInput.css";
import "./focus.css";
