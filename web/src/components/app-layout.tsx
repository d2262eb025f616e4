import { Box, Burger, Container, Group, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { createLink, Outlet, useMatches, useRouter, useRouterState } from "@tanstack/react-router";
import { type ComponentPropsWithRef, lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { meQuery } from "../api/auth.ts";
import { RescopeBanner } from "../features/session/rescope-banner.tsx";
import { sendToSignIn } from "../features/session/session.ts";
import classes from "./app-layout.module.css";
import { LanguageSwitch } from "./language-switch.tsx";

/** The account menu (a Mantine Menu with its floating layer) comes after the first paint: 30 KB off a weak link. */
/** The bell's panel is a Popover (floating-ui, ~28 KB): like the account menu, it comes after the first paint. */
const NotificationBell = lazy(() =>
  import("../features/notifications/bell.tsx").then((m) => ({ default: m.NotificationBell })),
);
const AccountMenu = lazy(() =>
  import("../features/session/account-menu.tsx").then((m) => ({ default: m.AccountMenu })),
);
/** The phone menu's links (Mantine NavLink and its collapse): loaded when the burger is first opened. */
const MobileNav = lazy(() => import("./mobile-nav.tsx").then((m) => ({ default: m.MobileNav })));

import { AnchorLink } from "./links.tsx";

const BrandBase = (props: ComponentPropsWithRef<"a">) => <UnstyledButton component="a" {...props} />;
const BrandLink = createLink(BrandBase);

type NavTarget =
  | "/dashboard"
  | "/analytics"
  | "/units"
  | "/reports"
  | "/catalogue"
  | "/standards"
  | "/sessions"
  | "/households";

/** Header with the product name, navigation, the language switch and who is signed in; the page below. */
export function AppLayout() {
  const { t } = useTranslation();
  const [isNavOpen, nav] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  useSignInWhenSessionEnds(me.data?.user === null, me.data?.isExpired === true);

  const items: Array<{ to: NavTarget; label: string }> = [];
  if (user) items.push({ to: "/dashboard", label: t("navOverview", { ns: "analytics" }) });
  items.push({ to: "/units", label: t("nav.units") });
  if (user) items.push({ to: "/reports", label: t("nav", { ns: "reporting" }) });
  if (user) items.push({ to: "/catalogue", label: t("nav", { ns: "catalogue" }) });
  if (user) items.push({ to: "/analytics", label: t("navPivot", { ns: "analytics" }) });
  if (user) items.push({ to: "/standards", label: t("nav", { ns: "standards" }) });
  if (user) items.push({ to: "/sessions", label: t("nav", { ns: "sessions" }) });
  if (user) items.push({ to: "/households", label: t("nav", { ns: "households" }) });
  // Accounts and the activity log are administration, not daily work: they live in the account menu, which keeps the
  // header on one line at 1366 px for a province administrator too.
  const isActive = (to: NavTarget) => pathname.startsWith(to);

  // A fixed header, the phone menu under it and the page: plain elements styled in app-layout.module.css, not
  // Mantine's AppShell, whose resizable sections and the modals' scroll lock it imports cost ~10 KB gzipped of every
  // page's first load (issue 10's budget).
  return (
    <>
      <a href="#main" className={classes.skipLink}>
        {t("app.skipToContent")}
      </a>
      {/* right-scroll-bar-position: a modal's scroll lock keeps the fixed header from shifting (as AppShell did). */}
      <Box component="header" className={`${classes.header} right-scroll-bar-position`}>
        <Group h="100%" px={{ base: "xs", sm: "md" }} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Burger
              opened={isNavOpen}
              onClick={nav.toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={isNavOpen ? t("app.closeMenu") : t("app.openMenu")}
              aria-expanded={isNavOpen}
              aria-controls="main-nav"
            />
            <BrandLink to="/" aria-label={t("app.home")} className={classes.brand}>
              <Text component="span" fw={800} fz="lg" c="teal.9" lh={1.1} display="block">
                {t("app.name")}
              </Text>
              <Text component="span" fz="xs" c="dimmed" lh={1.2} display="block" truncate visibleFrom="xs">
                {t("app.subtitle")}
              </Text>
            </BrandLink>
            <Box component="nav" aria-label={t("app.navLabel")} visibleFrom="md" ml="md">
              <Group gap="sm" wrap="nowrap">
                {items.map((item) => (
                  <AnchorLink
                    key={item.to}
                    to={item.to}
                    fw={600}
                    underline="hover"
                    aria-current={isActive(item.to) ? "page" : undefined}
                    className={classes.topLink}
                  >
                    {item.label}
                  </AnchorLink>
                ))}
              </Group>
            </Box>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {user && (
              <Suspense fallback={null}>
                <NotificationBell />
              </Suspense>
            )}
            <LanguageSwitch className={classes.headerButton} />
            <Suspense fallback={null}>
              <AccountMenu buttonClassName={classes.headerButton} />
            </Suspense>
          </Group>
        </Group>
      </Box>
      {/* Rendered only while open: a collapsed navbar is merely moved off-screen and would still take focus. */}
      {isNavOpen && (
        <Box component="nav" p="sm" id="main-nav" aria-label={t("app.navLabel")} className={classes.navbar}>
          <Suspense fallback={null}>
            <MobileNav
              items={items.map((item) => ({ ...item, active: isActive(item.to) }))}
              onNavigate={nav.close}
            />
          </Suspense>
        </Box>
      )}
      <Box component="main" className={classes.shellMain}>
        <Container size="lg" px={0} id="main" tabIndex={-1} className={classes.main}>
          <RescopeBanner />
          <Outlet />
        </Container>
      </Box>
    </>
  );
}

/**
 * A page that needs a session, open when the who-am-I check finds it gone (re-checked when the person comes back
 * to the tab): on to the sign-in page, and back here afterwards.
 */
function useSignInWhenSessionEnds(isSignedOut: boolean, isExpired: boolean) {
  const router = useRouter();
  const needsSignIn = useMatches({ select: (matches) => matches.some((m) => m.staticData.requiresSignIn) });
  useEffect(() => {
    if (!isSignedOut || !needsSignIn) return;
    sendToSignIn(router, isExpired);
  }, [isSignedOut, isExpired, needsSignIn, router]);
}
