import { Alert, Badge, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { householdQuery } from "./api.ts";
import "./mantine-styles.ts";
import { useHouseholdsText } from "./use-households-text.ts";

export const Route = createLazyRoute("/households/$id")({ component: HouseholdPage });
const routeApi = getRouteApi("/households/$id");

/** /households/:id — a household's file: members over time (personal data masked by role), its years, its support. */
function HouseholdPage() {
  const { t, day } = useHouseholdsText();
  const id = Number(routeApi.useParams().id);
  const file = useQuery(householdQuery(id));
  useEffect(() => {
    if (file.data) document.title = `${file.data.headName} — Grassroots`;
  }, [file.data]);
  if (file.isPending) return <LoadingState />;
  if (file.isError) return <ErrorState error={file.error} onRetry={() => file.refetch()} />;
  const h = file.data;
  const masked = h.members.some((m) => m.masked);
  return (
    <Stack gap="lg">
      <AnchorLink to="/households" search={{ commune: h.communeCode }}>
        {t("back")}
      </AnchorLink>
      <div>
        <Title order={1}>{h.headName}</Title>
        <Text c="dimmed">
          {h.code} · {h.villageCode}
        </Text>
      </div>
      {h.deleted && <Alert color="gray">{t("file.deleted", { reason: h.deleted.reason })}</Alert>}
      {masked && <Alert>{t("file.masked")}</Alert>}
      <Title order={2} size="h4">
        {t("file.members")}
      </Title>
      <Table.ScrollContainer minWidth={320}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("file.name")}</Table.Th>
              <Table.Th>{t("file.born")}</Table.Th>
              <Table.Th>{t("file.citizenId")}</Table.Th>
              <Table.Th>{t("file.membership")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {h.members.map((m) => (
              <Table.Tr key={m.id} c={m.isCurrent ? undefined : "dimmed"}>
                <Table.Td>
                  {m.fullName}
                  <Text size="xs" c="dimmed">
                    {t(`relations.${m.relation}` as "relations.head")}
                  </Text>
                </Table.Td>
                <Table.Td>{m.birthDate ? day(m.birthDate) : m.birthYear}</Table.Td>
                <Table.Td style={{ fontFamily: "monospace" }}>{m.citizenId ?? "—"}</Table.Td>
                <Table.Td>
                  {m.isCurrent
                    ? t("file.since", { date: day(m.joinedOn) })
                    : t("file.left", { date: day(m.leftOn) })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {h.years.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            {t("file.years")}
          </Title>
          <Stack gap={4}>
            {h.years.map((y) => (
              <Text key={y.year}>
                {y.year}:{" "}
                <Badge variant="light">{y.result ? t(`classes.${y.result}` as "classes.poor") : "—"}</Badge>{" "}
                <Text span size="sm" c="dimmed">
                  {y.communeName} · {t(`status.${y.reviewStatus}` as "status.approved")}
                </Text>
              </Text>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
