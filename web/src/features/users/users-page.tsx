import { Alert, Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import { userKeys, usersQuery } from "../../api/users.ts";
import { AccessDenied } from "../../components/route-states.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { canManageUsers } from "../../lib/access.ts";
import { formatNumber } from "../../lib/format.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import { CreateUserDialog } from "./create-user-dialog.tsx";
import { EditUserDialog } from "./edit-user-dialog.tsx";
import { UserTable } from "./user-table.tsx";
import classes from "./users.module.css";

export const Route = createLazyRoute("/users")({ component: UsersPage });

const routeApi = getRouteApi("/users");

/** /users?q=: the accounts an administrator looks after, with create and edit. */
function UsersPage() {
  const { t, roleLabel } = useAccountText();
  const me = useQuery(meQuery());

  useEffect(() => {
    document.title = `${t("users.title")} — Grassroots`;
  }, [t]);

  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data.user) return <LoadingState />;
  if (!canManageUsers(me.data.user)) return <AccessDenied roleLabel={roleLabel(me.data.user.role)} />;
  return <Accounts me={me.data.user} />;
}

function Accounts({ me }: { me: User }) {
  const { t, scopeName } = useAccountText();
  const { q } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const queryClient = useQueryClient();
  const users = useQuery({ ...usersQuery(q ?? ""), placeholderData: keepPreviousData });
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [saved, setSaved] = useState<User | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: userKeys.all });

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("users.title")}</Title>
        <Text c="dimmed">
          {me.scope ? t("users.intro", { scope: scopeName(me.scope) }) : t("users.introAll")}
        </Text>
      </div>
      <Group justify="space-between" align="flex-end" gap="sm">
        <UserSearch q={q} onSearch={(next) => navigate({ search: { q: next }, replace: true })} />
        <Button onClick={() => setCreating(true)}>{t("users.create")}</Button>
      </Group>
      <div role="status" aria-live="polite">
        {saved && (
          <Alert
            color="green"
            variant="light"
            withCloseButton
            onClose={() => setSaved(null)}
            closeButtonLabel={t("common.close")}
          >
            {t("users.saved", { username: saved.username })}
          </Alert>
        )}
      </div>
      {users.isPending && <LoadingState />}
      {users.isError && <ErrorState error={users.error} onRetry={() => users.refetch()} />}
      {users.data &&
        (users.data.items.length === 0 ? (
          <Text>{q ? t("users.noMatch", { q }) : t("users.empty")}</Text>
        ) : (
          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {t("users.count", {
                count: users.data.items.length,
                formatted: formatNumber(users.data.items.length),
              })}
            </Text>
            <UserTable users={users.data.items} meId={me.id} onEdit={setEditing} />
          </Stack>
        ))}
      <CreateUserDialog
        me={me}
        opened={isCreating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setSaved(null);
          void refresh();
        }}
      />
      <EditUserDialog
        me={me}
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={(user) => {
          setEditing(null);
          setSaved(user);
          void refresh();
          // The administrator's own name or password changed: the header and the account page show it.
          if (user.id === me.id) void queryClient.invalidateQueries({ queryKey: ["auth"] });
        }}
      />
    </Stack>
  );
}

/** Search by sign-in or display name, after a pause in typing; kept in the address. */
function UserSearch({ q, onSearch }: { q: string | undefined; onSearch: (q: string | undefined) => void }) {
  const { t } = useAccountText();
  const [value, setValue] = useState(q ?? "");
  const [debounced] = useDebouncedValue(value.trim(), 300);
  const sent = useRef(q ?? "");
  useEffect(() => {
    if (debounced === sent.current) return;
    sent.current = debounced;
    onSearch(debounced || undefined);
  }, [debounced, onSearch]);
  return (
    <search className={classes.search}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          sent.current = value.trim();
          onSearch(value.trim() || undefined);
        }}
      >
        <TextInput
          type="search"
          label={t("users.searchLabel")}
          placeholder={t("users.searchPlaceholder")}
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
        />
      </form>
    </search>
  );
}
