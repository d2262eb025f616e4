import { AppShell, Box, Burger, Container, Group, NavLink, Stack, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { createLink, Outlet, useRouterState } from "@tanstack/react-router";
import type { ComponentPropsWithRef } from "react";
import { useTranslation } from "react-i18next";
import classes from "./app-layout.module.css";
import { LanguageSwitch } from "./language-switch.tsx";
import { AnchorLink } from "./links.tsx";

// NavLink's onChange is about its own collapsible children, not an input event: left out of the anchor props.
const NavLinkBase = (
  props: Omit<ComponentPropsWithRef<"a">, "onChange"> & { label: string; active?: boolean },
) => <NavLink component="a" {...props} />;
const RouterNavLink = createLink(NavLinkBase);

const BrandBase = (props: ComponentPropsWithRef<"a">) => <UnstyledButton component="a" {...props} />;
const BrandLink = createLink(BrandBase);

/** Header with the product name, navigation and the language switch; the page below. */
export function AppLayout() {
  const { t } = useTranslation();
  const [isNavOpen, nav] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const isUnits = pathname.startsWith("/units");

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !isNavOpen, desktop: true } }}
      padding={{ base: "sm", sm: "md" }}
    >
      <a href="#main" className={classes.skipLink}>
        {t("app.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: "sm", sm: "md" }} justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger
              opened={isNavOpen}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={isNavOpen ? t("app.closeMenu") : t("app.openMenu")}
              aria-expanded={isNavOpen}
              aria-controls="main-nav"
            />
            <BrandLink to="/units" aria-label={t("app.home")} className={classes.brand}>
              <Text component="span" fw={800} fz="lg" c="teal.9" lh={1.1} display="block">
                {t("app.name")}
              </Text>
              <Text component="span" fz="xs" c="dimmed" lh={1.2} display="block" truncate>
                {t("app.subtitle")}
              </Text>
            </BrandLink>
            <Box component="nav" aria-label={t("app.navLabel")} visibleFrom="sm" ml="lg">
              <AnchorLink
                to="/units"
                fw={600}
                underline="hover"
                aria-current={isUnits ? "page" : undefined}
                className={classes.topLink}
              >
                {t("nav.units")}
              </AnchorLink>
            </Box>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      {/* Rendered only while open: a collapsed navbar is merely moved off-screen and would still take focus. */}
      {isNavOpen && (
        <AppShell.Navbar p="sm" id="main-nav" aria-label={t("app.navLabel")}>
          <Stack gap={4}>
            <RouterNavLink to="/units" label={t("nav.units")} active={isUnits} onClick={nav.close} />
          </Stack>
        </AppShell.Navbar>
      )}
      <AppShell.Main>
        <Container size="lg" px={0} id="main" tabIndex={-1} className={classes.main}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
