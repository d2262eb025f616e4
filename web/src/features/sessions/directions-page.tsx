import { Group, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import {
  canManageSessions,
  type DirectionStatus,
  directionStatuses,
  directionsQuery,
  extensionsQuery,
  type StatusCounts,
  summaryQuery,
} from "./api.ts";
import { DirectionTable } from "./lists.tsx";
import { SessionsTabs } from "./parts.tsx";
import classes from "./sessions.module.css";
import { statusColors, useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/directions")({ component: DirectionsPage });
const routeApi = getRouteApi("/sessions/directions");

/**
 * /sessions/directions?status&unit&issuer: counts by computed status per lead unit and per issuing body (each count
 * opens its list), then the list itself; ?status=overdue is the overdue list.
 */
function DirectionsPage() {
  const { t, day } = useSessionsText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const me = useQuery(meQuery());
  const filter = { unit: search.unit, status: search.status };
  const summary = useQuery(summaryQuery({}));
  const list = useQuery(directionsQuery(filter));
  const extensions = useQuery({ ...extensionsQuery(), enabled: canManageSessions(me.data?.user?.role) });
  useEffect(() => {
    document.title = `${t("directions.title")} — Grassroots`;
  }, [t]);
  return (
    <Stack gap="md">
      <Title order={1}>{t("directions.title")}</Title>
      <SessionsTabs />
      {summary.isPending && <LoadingState />}
      {summary.isError && <ErrorState error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.data && (
        <>
          <Text c="dimmed">{t("directions.asOf", { date: day(summary.data.today) })}</Text>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <CountsTable
              heading={t("directions.byUnit")}
              label={t("directions.colUnit")}
              rows={summary.data.byUnit.map((u) => ({
                key: u.code,
                name: u.name,
                unit: u.code,
                counts: u.counts,
              }))}
            />
            <CountsTable
              heading={t("directions.byIssuer")}
              label={t("directions.colBody")}
              rows={summary.data.byIssuer.map((i) => ({ key: i.body, name: i.body, counts: i.counts }))}
            />
          </SimpleGrid>
        </>
      )}
      {extensions.data && extensions.data.items.length > 0 && (
        <Stack gap="xs" component="section">
          <Title order={2} size="h3">
            {t("directions.pendingExtensions")}
          </Title>
          <Stack gap={4} component="ul" pl="md" m={0}>
            {extensions.data.items.map((e) => (
              <Text component="li" key={e.id}>
                <AnchorLink to="/sessions/directions/$id" params={{ id: String(e.direction.id) }}>
                  {e.direction.content}
                </AnchorLink>{" "}
                — {e.direction.leadUnit}:{" "}
                {t("direction.extensionLine", {
                  date: day(e.requestedDue),
                  on: day(e.requestedOn),
                  reason: e.reason,
                })}
              </Text>
            ))}
          </Stack>
        </Stack>
      )}
      <Stack gap="xs" component="section" aria-labelledby="direction-list">
        <Group justify="space-between" align="end" wrap="wrap">
          <Title order={2} size="h3" id="direction-list">
            {t("directions.list")}
            {search.unit
              ? ` — ${summary.data?.byUnit.find((u) => u.code === search.unit)?.name ?? search.unit}`
              : ""}
          </Title>
          <Select
            label={t("directions.filterStatus")}
            data={[
              { value: "", label: t("directions.allStatuses") },
              ...directionStatuses.map((s) => ({ value: s, label: t(`status.${s}`) })),
            ]}
            value={search.status ?? ""}
            onChange={(v) =>
              navigate({
                search: (prev) => ({ ...prev, status: (v || undefined) as DirectionStatus | undefined }),
                replace: true,
              })
            }
            allowDeselect={false}
            w={260}
          />
        </Group>
        {list.isPending && <LoadingState />}
        {list.isError && <ErrorState error={list.error} onRetry={() => list.refetch()} />}
        {list.data && (
          <DirectionTable
            items={list.data.items}
            caption={t("directions.caption", { date: day(list.data.today) })}
          />
        )}
      </Stack>
    </Stack>
  );
}

function CountsTable({
  heading,
  label,
  rows,
}: {
  heading: string;
  label: string;
  rows: Array<{ key: string; name: string; unit?: string; counts: StatusCounts }>;
}) {
  const { t } = useSessionsText();
  const link = (row: { unit?: string }, status: DirectionStatus | undefined, value: number) =>
    value === 0 ? (
      <Text span c="dimmed">
        0
      </Text>
    ) : (
      <AnchorLink
        to="/sessions/directions"
        search={{ ...(row.unit ? { unit: row.unit } : {}), status }}
        fw={700}
      >
        {value}
      </AnchorLink>
    );
  return (
    <Stack gap={4} component="section">
      <Title order={2} size="h4">
        {heading}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table className={common.table} verticalSpacing={4} withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{label}</Table.Th>
              {directionStatuses.map((s) => (
                <Table.Th key={s} ta="right" c={`${statusColors[s]}.9`} title={t(`status.${s}`)}>
                  {t(`statusShort.${s}`)}
                </Table.Th>
              ))}
              <Table.Th ta="right">{t("directions.total")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Td className={classes.content}>{row.name}</Table.Td>
                {directionStatuses.map((s) => (
                  <Table.Td key={s} ta="right">
                    {link(row, s, row.counts[s])}
                  </Table.Td>
                ))}
                <Table.Td ta="right">{link(row, undefined, row.counts.total)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
