import "./texts.ts";
import { Badge, NativeSelect, Stack, Table, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { meQuery } from "../../api/auth.ts";
import {
  type SecurityEvent,
  type SecurityEventKind,
  securityEventKinds,
  securityPageSize,
  securityQuery,
} from "../../api/security.ts";
import common from "../../components/common.module.css";
import { Pager } from "../../components/pager.tsx";
import { AccessDenied } from "../../components/route-states.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { canManageUsers } from "../../lib/access.ts";
import { formatDateTime } from "../../lib/dates.ts";
import { useAccountText } from "../../lib/use-account-text.ts";
import classes from "./security.module.css";

export const Route = createLazyRoute("/security")({ component: SecurityPage });

const routeApi = getRouteApi("/security");

/** /security?kind=&page=: failed sign-ins and refused requests in the administrator's scope. */
function SecurityPage() {
  const { t } = useTranslation("security");
  const { roleLabel } = useAccountText();
  const me = useQuery(meQuery());

  useEffect(() => {
    document.title = `${t("title")} — Grassroots`;
  }, [t]);

  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => me.refetch()} />;
  if (!me.data.user) return <LoadingState />;
  if (!canManageUsers(me.data.user)) return <AccessDenied roleLabel={roleLabel(me.data.user.role)} />;
  return <SecurityLog />;
}

/** Who the event is about: the name tried at sign-in, else the account (or its token), else nobody signed in. */
function useWho() {
  const { t } = useTranslation("security");
  return (event: SecurityEvent) => {
    if (event.username) return t("tried", { name: event.username });
    const name = event.actor.username ?? event.actor.id;
    if (event.actor.kind === "token") return t("viaToken", { name });
    if (event.actor.kind === "user") return t("account", { name });
    return t("anonymous");
  };
}

const kindColor: Record<SecurityEventKind, string> = {
  sign_in_failed: "orange",
  sign_in_throttled: "red",
  invalid_token: "grape",
  csrf_failed: "grape",
  forbidden: "blue",
  out_of_scope: "cyan",
};

function reasonOf(detail: unknown): "unknown_name" | "wrong_password" | "disabled" | undefined {
  const reason = (detail as { reason?: unknown } | null)?.reason;
  return reason === "unknown_name" || reason === "wrong_password" || reason === "disabled"
    ? reason
    : undefined;
}

function SecurityLog() {
  const { t } = useTranslation("security");
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const page = search.page ?? 1;
  const events = useQuery({ ...securityQuery(search), placeholderData: keepPreviousData });
  const who = useWho();

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t("title")}</Title>
        <Text c="dimmed">{t("intro")}</Text>
      </div>
      <NativeSelect
        label={t("filterKind")}
        maw={360}
        value={search.kind ?? ""}
        onChange={(e) => {
          const kind = e.currentTarget.value as SecurityEventKind | "";
          navigate({ search: { kind: kind || undefined } });
        }}
        data={[
          { value: "", label: t("allKinds") },
          ...securityEventKinds.map((kind) => ({ value: kind, label: t(`kind.${kind}`) })),
        ]}
      />
      {events.isPending && <LoadingState />}
      {events.isError && <ErrorState error={events.error} onRetry={() => events.refetch()} />}
      {events.data &&
        (events.data.items.length === 0 ? (
          <Text>{t("empty")}</Text>
        ) : (
          <Stack gap="sm" aria-busy={events.isPlaceholderData}>
            <Table verticalSpacing="xs" className={common.table}>
              <Table.Caption className={common.visuallyHidden}>{t("caption")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("colTime")}</Table.Th>
                  <Table.Th scope="col">{t("colKind")}</Table.Th>
                  <Table.Th scope="col" visibleFrom="sm">
                    {t("colAddress")}
                  </Table.Th>
                  <Table.Th scope="col" visibleFrom="md">
                    {t("colRequest")}
                  </Table.Th>
                  <Table.Th scope="col" visibleFrom="md">
                    {t("colUnit")}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.data.items.map((event) => {
                  const reason = reasonOf(event.detail);
                  return (
                    <Table.Tr key={event.id}>
                      <Table.Td className={classes.nowrap}>{formatDateTime(event.at)}</Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          <Badge color={kindColor[event.kind]} variant="light" className={classes.badge}>
                            {t(`kind.${event.kind}`)}
                          </Badge>
                          <Text size="sm" className={classes.wrap}>
                            {who(event)}
                            {reason ? ` — ${t(`reason.${reason}`)}` : ""}
                          </Text>
                          <Text size="xs" c="dimmed" hiddenFrom="sm" className={classes.wrap}>
                            {[event.address, event.unitCode].filter(Boolean).join(" · ")}
                          </Text>
                        </Stack>
                      </Table.Td>
                      <Table.Td visibleFrom="sm" className={classes.mono}>
                        {event.address ?? "—"}
                      </Table.Td>
                      <Table.Td visibleFrom="md" className={classes.mono}>
                        {event.method} {event.path}
                      </Table.Td>
                      <Table.Td visibleFrom="md">{event.unitCode ?? event.scopeCode ?? "—"}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Pager
              page={page}
              total={events.data.total}
              pageSize={securityPageSize}
              shown={events.data.items.length}
              text={{
                label: t("pagination"),
                shown: (range) => t("shown", range),
                page: (at) => t("page", at),
                previous: t("previous"),
                next: t("next"),
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
