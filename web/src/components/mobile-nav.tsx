import { NavLink, Stack } from "@mantine/core";
import { createLink } from "@tanstack/react-router";
import type { ComponentPropsWithRef } from "react";

// NavLink's onChange is about its own collapsible children, not an input event: left out of the anchor props.
const NavLinkBase = (
  props: Omit<ComponentPropsWithRef<"a">, "onChange"> & { label: string; active?: boolean },
) => <NavLink component="a" {...props} />;
const RouterNavLink = createLink(NavLinkBase);

export interface MobileNavItem {
  to: string;
  label: string;
  active: boolean;
}

/**
 * The links of the phone menu (under the burger). NavLink brings its collapse machinery (~2 KB gzipped) that no
 * desktop and no first view needs: the layout loads this file when the menu is first opened.
 */
export function MobileNav({ items, onNavigate }: { items: MobileNavItem[]; onNavigate: () => void }) {
  return (
    <Stack gap={4}>
      {items.map((item) => (
        <RouterNavLink
          key={item.to}
          to={item.to}
          label={item.label}
          active={item.active}
          onClick={onNavigate}
        />
      ))}
    </Stack>
  );
}
