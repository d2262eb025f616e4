import "../security/texts.ts";
import { Group, Stack, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { auditPageSize, auditQuery } from "../../api/audit.ts";
import { meQuery } from "../../api/auth.ts";
import type { AuditEvent, User } from "../../api/types.ts";
import { usersQuery } from "../../api/users.ts";
import { AnchorLink } from "../../components/links.tsx";
import { Pager } from "../../components/pager.tsx";
import { AccessDenied } from "../../components/route-states.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { canManageUsers, canReadAudit } from "../../lib/access.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import { AuditFilters } from "./audit-filters.tsx";
import { AuditTable, useActorLabel } from "./audit-table.tsx";

export const Route = createLazyRoute("/audit")({ component: AuditPage });

const routeApi = getRouteApi("/audit");

/** /audit?user=&unit=&kind=&from=&to=&page=: who changed what in the signed-in person's scope. */
function AuditPage() {
  const { t, roleLabel } = useAccountText();
  const me = useQuery(meQuery());

  useEffect(() => {
    document.title = `${t("audit.title")} — Grassroots`;
  }, [t]);

  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data.user) return <LoadingState />;
  if (!canReadAudit(me.data.user)) return <AccessDenied roleLabel={roleLabel(me.data.user.role)} />;
  return <AuditLog me={me.data.user} />;
}

function AuditLog({ me }: { me: User }) {
  const { t } = useAccountText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const page = search.page ?? 1;
  const events = useQuery({ ...auditQuery(search), placeholderData: keepPreviousData });
  // Administrators pick a person from their accounts; an officer, who may not list accounts, from who appears here.
  const accounts = useQuery({ ...usersQuery(""), enabled: canManageUsers(me) });
  const people = usePeople(accounts.data?.items, events.data?.items);
  const hasFilters = Boolean(search.user || search.unit || search.kind || search.from || search.to);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" gap="sm">
        <div>
          <Title order={1}>{t("audit.title")}</Title>
          <Text c="dimmed">{t("audit.intro")}</Text>
        </div>
        {canManageUsers(me) && <SecurityLogLink />}
      </Group>
      <AuditFilters
        // Back and forward change the address: the form starts again from it.
        key={JSON.stringify({ ...search, page: undefined })}
        value={search}
        people={people}
        onApply={(filters) => navigate({ search: filters })}
      />
      {events.isPending && <LoadingState />}
      {events.isError && <ErrorState error={events.error} onRetry={() => events.refetch()} />}
      {events.data &&
        (events.data.items.length === 0 ? (
          <Text>{hasFilters || page > 1 ? t("audit.empty") : t("audit.emptyAll")}</Text>
        ) : (
          <Stack gap="sm" aria-busy={events.isPlaceholderData}>
            <AuditTable events={events.data.items} />
            <Pager
              page={page}
              total={events.data.total}
              pageSize={auditPageSize}
              shown={events.data.items.length}
              text={{
                label: t("audit.pagination"),
                shown: (range) => t("audit.shown", range),
                page: (at) => t("audit.page", at),
                previous: t("audit.previous"),
                next: t("audit.next"),
              }}
              onPage={(next) =>
                navigate({ search: (prev) => ({ ...prev, page: next > 1 ? next : undefined }) })
              }
            />
          </Stack>
        ))}
    </Stack>
  );
}

/** Administrators also read the security log: refused sign-ins and requests, which change nothing to audit. */
function SecurityLogLink() {
  const { t } = useTranslation("security");
  return (
    <AnchorLink to="/security" search={{}}>
      {t("link")}
    </AnchorLink>
  );
}

function usePeople(accounts: User[] | undefined, events: AuditEvent[] | undefined) {
  const actorLabel = useActorLabel();
  return useMemo(() => {
    const people = new Map<string, string>();
    for (const user of accounts ?? []) people.set(String(user.id), `${user.displayName} (${user.username})`);
    for (const event of events ?? []) {
      if (event.actor.kind !== "system" && !people.has(event.actor.id))
        people.set(event.actor.id, actorLabel({ ...event.actor, kind: "user" }));
    }
    return [...people].map(([value, label]) => ({ value, label }));
  }, [accounts, events, actorLabel]);
}
