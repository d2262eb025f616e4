import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLink, useRouterState } from "@tanstack/react-router";
import type { ComponentPropsWithRef } from "react";
import { useTranslation } from "react-i18next";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import { ButtonLink } from "../../components/links.tsx";
import { canManageUsers, canReadAudit } from "../../lib/access.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import classes from "./session.module.css";
import { useSignOut } from "./session.ts";

const MenuItemBase = (props: ComponentPropsWithRef<"a">) => <Menu.Item component="a" {...props} />;
const MenuItemLink = createLink(MenuItemBase);

/** "NV" for "Nguyễn Văn A": the first letters of the first two words. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  return words
    .slice(0, 2)
    .map((w) => w.charAt(0).toUpperCase())
    .join("");
}

/** The header's account corner: who is signed in (name, role, unit) with a menu, or a sign-in button. */
export function AccountMenu({ buttonClassName }: { buttonClassName?: string }) {
  const { t } = useAccountText();
  const me = useQuery(meQuery());
  const location = useRouterState({ select: (s) => s.location });
  if (me.isPending) return null;
  if (!me.data?.user) {
    // The sign-in page is its own button.
    if (location.pathname === "/sign-in") return null;
    return (
      <ButtonLink
        to="/sign-in"
        search={{ next: location.href }}
        size="sm"
        variant="filled"
        className={buttonClassName}
      >
        {t("auth.signIn")}
      </ButtonLink>
    );
  }
  return <SignedInMenu user={me.data.user} />;
}

function SignedInMenu({ user }: { user: User }) {
  const { t, roleLabel, scopeName } = useAccountText();
  const { t: nav } = useTranslation();
  const signOut = useSignOut();
  const roleAndUnit = `${roleLabel(user.role)} · ${scopeName(user.scope)}`;
  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton
          className={classes.accountButton}
          aria-label={t("auth.menuLabel", { name: user.displayName })}
        >
          <Group gap="xs" wrap="nowrap">
            <Avatar color="teal" radius="xl" size={32} aria-hidden>
              {initials(user.displayName)}
            </Avatar>
            <Stack gap={0} visibleFrom="md" miw={0} maw={170}>
              <Text size="sm" fw={600} truncate lh={1.3}>
                {user.displayName}
              </Text>
              <Text size="xs" c="dimmed" truncate lh={1.3}>
                {roleAndUnit}
              </Text>
            </Stack>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <div className={classes.menuWho}>
          <Text size="sm" fw={600}>
            {user.displayName}
          </Text>
          <Text size="xs" c="dimmed">
            {t("auth.signedInAs", { username: user.username })}
          </Text>
          <Text size="xs">{roleAndUnit}</Text>
        </div>
        <Menu.Divider />
        <MenuItemLink to="/account">{t("auth.myAccount")}</MenuItemLink>
        {(canManageUsers(user) || canReadAudit(user)) && <Menu.Divider />}
        {canManageUsers(user) && <MenuItemLink to="/users">{nav("nav.users")}</MenuItemLink>}
        {canReadAudit(user) && <MenuItemLink to="/audit">{nav("nav.audit")}</MenuItemLink>}
        <Menu.Item onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {t("auth.signOut")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
