import { Badge, Grid, Paper, Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { dayBefore, formatDay, todayInVietnam } from "../../lib/dates.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import { EmailSettingsSection } from "../notifications/email-settings.tsx";
import classes from "./account.module.css";
import { PasswordForm } from "./password-form.tsx";
import { TokensSection } from "./tokens-section.tsx";

export const Route = createLazyRoute("/account")({ component: AccountPage });

/** /account: who I am, my password, my API tokens. */
function AccountPage() {
  const { t } = useAccountText();
  const me = useQuery(meQuery());

  useEffect(() => {
    document.title = `${t("account.title")} — Grassroots`;
  }, [t]);

  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  // No one signed in: the layout is already on its way to the sign-in page.
  if (!me.data.user) return <LoadingState />;
  const user = me.data.user;

  return (
    <Stack gap="xl">
      <Title order={1}>{t("account.title")}</Title>
      <Grid gap="lg" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Profile user={user} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <PasswordForm />
        </Grid.Col>
      </Grid>
      <EmailSettingsSection />
      <TokensSection />
    </Stack>
  );
}

function Profile({ user }: { user: User }) {
  const { t, roleLabel, scopeName } = useAccountText();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="profile-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="profile-heading">
          {t("account.profileHeading")}
        </Title>
        <dl className={common.definitions}>
          <dt>{t("account.displayName")}</dt>
          <dd>{user.displayName}</dd>
          <dt>{t("account.username")}</dt>
          <dd className={classes.mono}>{user.username}</dd>
          <dt>{t("account.role")}</dt>
          <dd>{roleLabel(user.role)}</dd>
          <dt>{t("account.scope")}</dt>
          <dd>
            {user.scope ? (
              <AnchorLink
                to="/units/$code"
                params={{ code: user.scope.code }}
                search={user.scope.validTo ? { at: dayBefore(user.scope.validTo) } : {}}
              >
                {user.scope.name}
              </AnchorLink>
            ) : (
              scopeName(null)
            )}
            {user.needsRescope && (
              <Badge color="orange" variant="light" ml="xs">
                {t("users.needsRescope")}
              </Badge>
            )}
          </dd>
          <dt>{t("account.createdAt")}</dt>
          <dd>{formatDay(todayInVietnam(new Date(user.createdAt)))}</dd>
        </dl>
      </Stack>
    </Paper>
  );
}
