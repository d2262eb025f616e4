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
 * Light-variant text (badges, alerts) dark enough for 4.5:1 on its tinted background: shade 9, and darker still
 * for yellow and orange, whose shade 9 is below 4:1.
 */
const strongLightText = {
  ...Object.fromEntries(
    ["blue", "red", "teal", "gray", "green", "violet"].map((color) => [
      `--mantine-color-${color}-light-color`,
      `var(--mantine-color-${color}-9)`,
    ]),
  ),
  "--mantine-color-yellow-light-color": "#6b4200",
  "--mantine-color-orange-light-color": "#8f2d0b",
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)", ...strongLightText },
  dark: {},
});
