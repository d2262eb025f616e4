import { Badge, type CSSVariablesResolver, createTheme } from "@mantine/core";

/**
 * Mantine's defaults with contrast raised to WCAG AA: shade 8 of the primary colour behind white text, and a darker
 * "dimmed" grey (the default gray.6 is 3.3:1 on white, too faint on an old phone in daylight).
 */
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: "sm",
  focusRing: "auto",
  cursorType: "pointer",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif',
  headings: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, "Liberation Sans", sans-serif',
    // Long Vietnamese names ("Thành phố trực thuộc trung ương…") must fit a 360 px phone.
    sizes: { h1: { fontSize: "clamp(1.625rem, 1.2rem + 2vw, 2.125rem)", lineHeight: "1.25" } },
  },
  components: {
    // Upper-case Vietnamese stacks diacritics on capitals and reads poorly at badge size.
    Badge: Badge.extend({ defaultProps: { tt: "none" } }),
  },
});

/**
 * Text of light and outline badges and alerts dark enough for 4.5:1 on their tinted (or white) background, checked
 * with the WCAG formula: shade 9 where it passes, darker still where it does not (green 9 is 4.0:1 on its tint,
 * teal 9 4.6:1, orange and yellow 9 below 4:1). Mantine's outline colour is shade 8, 3.3:1 for green.
 */
const strongText: Record<string, string> = {
  blue: "var(--mantine-color-blue-9)",
  red: "var(--mantine-color-red-9)",
  gray: "var(--mantine-color-gray-9)",
  violet: "var(--mantine-color-violet-9)",
  green: "#1e6b2f",
  teal: "#0b6b50",
  yellow: "#6b4200",
  orange: "#8f2d0b",
};
const strongLightText = Object.fromEntries(
  Object.entries(strongText).flatMap(([color, value]) => [
    [`--mantine-color-${color}-light-color`, value],
    [`--mantine-color-${color}-outline`, value],
  ]),
);

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)", ...strongLightText },
  dark: {},
});
