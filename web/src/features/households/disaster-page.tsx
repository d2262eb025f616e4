import { Alert, Badge, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { useEffect } from "react";
import { meQuery } from "../../api/auth.ts";
import type { User } from "../../api/types.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { CommuneDamage } from "./commune-damage.tsx";
import "./mantine-styles.ts";
import { type CommuneDamage as CommuneRow, type DisasterView, disasterQuery } from "./support-api.ts";
import { SupportLinks } from "./support-links.tsx";
import { distributes, manages } from "./support-roles.ts";
import { useSupportText } from "./use-support-text.ts";

export const Route = createLazyRoute("/households/disasters/$id")({ component: DisasterPage });
const routeApi = getRouteApi("/households/disasters/$id");

/**
 * /households/disasters/:id — the province's live view of an event: damage and relief per commune with how many
 * communes have reported in full; for a commune's officers, their own households' damage too.
 */
function DisasterPage() {
  const id = Number(routeApi.useParams().id);
  const event = useQuery(disasterQuery(id));
  const me = useQuery(meQuery());
  useEffect(() => {
    if (event.data) document.title = `${event.data.name} — Grassroots`;
  }, [event.data]);
  if (event.isPending) return <LoadingState />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => event.refetch()} />;
  return <Disaster d={event.data} user={me.data?.user ?? null} />;
}

function Disaster({ d, user }: { d: DisasterView; user: User | null }) {
  const { t, day } = useSupportText();
  const unit = user?.scope?.code ?? d.provinceCode;
  const ownCommune =
    user?.scope?.level === "commune" && d.communes.some((c) => c.communeCode === user.scope?.code)
      ? user.scope.code
      : undefined;
  const missing = d.coverage.expected - d.coverage.reported;
  return (
    <Stack gap="md">
      <SupportLinks here="disasters" unit={unit} />
      <div>
        <AnchorLink to="/households/disasters" search={{ unit }}>
          {t("backDisasters")}
        </AnchorLink>
        <Title order={1} size="h2">
          {d.name}
        </Title>
        <Group gap="xs">
          <Badge variant="light" color="orange">
            {t(`kindsDisaster.${d.kind}`)}
          </Badge>
          <Text size="sm">
            {d.endedOn
              ? t("disasters.dates", { from: day(d.startedOn), to: day(d.endedOn) })
              : t("disasters.from", { from: day(d.startedOn) })}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t("disaster.live")}
        </Text>
      </div>
      <Alert color={missing > 0 ? "orange" : "green"} data-testid="disaster-coverage">
        <Text size="sm" fw={600}>
          {t("disaster.coverage", d.coverage)}
        </Text>
        <Text size="sm">
          {missing > 0 ? t("disaster.partial", { count: missing }) : t("disaster.complete")}
        </Text>
      </Alert>
      <DamageTable d={d} />
      <Programmes d={d} user={user} unit={ownCommune ?? d.provinceCode} />
      {ownCommune && distributes(user?.role) && (
        <CommuneDamage
          disasterId={d.id}
          commune={ownCommune}
          communeName={d.communes.find((c) => c.communeCode === ownCommune)?.communeName ?? ownCommune}
          isReported={d.communes.find((c) => c.communeCode === ownCommune)?.reported ?? false}
        />
      )}
    </Stack>
  );
}

/** One row per commune struck; the total says which communes it sums. */
function DamageTable({ d }: { d: DisasterView }) {
  const { t, number, money } = useSupportText();
  const cells = (r: Omit<CommuneRow, "communeCode" | "communeName" | "reported">) => (
    <>
      <Table.Td ta="right">{number(r.households)}</Table.Td>
      <Table.Td ta="right">{number(r.peopleHurt)}</Table.Td>
      <Table.Td ta="right">{number(r.housesDestroyed)}</Table.Td>
      <Table.Td ta="right">{number(r.housesDamaged)}</Table.Td>
      <Table.Td ta="right">{number(r.cropsHa, 2)}</Table.Td>
      <Table.Td ta="right">{number(r.livestockLost)}</Table.Td>
      <Table.Td ta="right">{number(r.reliefListed)}</Table.Td>
      <Table.Td ta="right">{number(r.reliefDelivered)}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {money(r.reliefPlannedAmount)}
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
        {money(r.reliefDeliveredAmount)}
      </Table.Td>
    </>
  );
  // Plain coloured words, not badges: a badge's label is cut short in a narrow table column.
  const state = (c: CommuneRow) =>
    c.reported ? (
      <Text span size="sm" fw={600} c="green.8">
        {t("disaster.reported")}
      </Text>
    ) : c.households > 0 ? (
      <Text span size="sm" fw={600} c="yellow.9">
        {t("disaster.inProgress")}
      </Text>
    ) : (
      <Text span size="sm" fw={600} c="red.8">
        {t("disaster.notReported")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={1080}>
      <Table striped withTableBorder fz="sm" data-testid="disaster-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th colSpan={2} />
            <Table.Th
              colSpan={6}
              ta="center"
              style={{ borderBottom: "1px solid var(--mantine-color-gray-4)" }}
            >
              {t("disaster.damage")}
            </Table.Th>
            <Table.Th
              colSpan={4}
              ta="center"
              style={{ borderBottom: "1px solid var(--mantine-color-gray-4)" }}
            >
              {t("disaster.relief")}
            </Table.Th>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("disaster.commune")}</Table.Th>
            <Table.Th>{t("disaster.reportState")}</Table.Th>
            <Table.Th ta="right">{t("disaster.households")}</Table.Th>
            <Table.Th ta="right">{t("disaster.peopleHurt")}</Table.Th>
            <Table.Th ta="right">{t("disaster.destroyed")}</Table.Th>
            <Table.Th ta="right">{t("disaster.damaged")}</Table.Th>
            <Table.Th ta="right">{t("disaster.crops")}</Table.Th>
            <Table.Th ta="right">{t("disaster.livestock")}</Table.Th>
            <Table.Th ta="right">{t("disaster.reliefListed")}</Table.Th>
            <Table.Th ta="right">{t("disaster.reliefDelivered")}</Table.Th>
            <Table.Th ta="right">{t("disaster.reliefPlanned")}</Table.Th>
            <Table.Th ta="right">{t("disaster.reliefPaid")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.communes.map((c) => (
            <Table.Tr key={c.communeCode} data-testid={`commune-${c.communeCode}`}>
              <Table.Td>
                {c.communeName ?? c.communeCode}
                <Text span size="xs" c="dimmed">
                  {" "}
                  ({c.communeCode})
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>{state(c)}</Table.Td>
              {cells(c)}
            </Table.Tr>
          ))}
          {d.communes.length > 1 && (
            <Table.Tr fw={700}>
              <Table.Td colSpan={2}>
                {t("disaster.total")}
                <Text size="xs" fw={400} c="dimmed">
                  {t("disaster.coverage", d.coverage)}
                </Text>
              </Table.Td>
              {cells(d.totals)}
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Programmes({ d, user, unit }: { d: DisasterView; user: User | null; unit: string }) {
  const { t, money } = useSupportText();
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t("disaster.programmes")}
        </Title>
        {d.programmes.length === 0 && <Text c="dimmed">{t("disaster.noProgrammes")}</Text>}
        {d.programmes.map((p) => (
          <Group key={p.id} gap="xs" wrap="wrap">
            <AnchorLink to="/households/support/$id" params={{ id: String(p.id) }} fw={600}>
              {p.name}
            </AnchorLink>
            <Text size="sm" c="dimmed">
              {p.funder} · {t(`kinds.${p.benefitKind}`)}
              {p.benefitKind === "cash" ? ` ${money(p.benefitAmount)}` : ""}
            </Text>
          </Group>
        ))}
        {manages(user?.role) && (
          <Group>
            <ButtonLink variant="light" size="sm" to="/households/support" search={{ unit, disaster: d.id }}>
              {t("disaster.linkProgramme")}
            </ButtonLink>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
