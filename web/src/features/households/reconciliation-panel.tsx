import { Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { CycleReconciliation } from "./support-api.ts";
import { useSupportText } from "./use-support-text.ts";

/**
 * A cycle's reconciliation: listed, received, not delivered (and why), no outcome yet, per village with the totals;
 * amounts when the benefit is cash. Counts only, so a viewer sees it too. The outcome line says how many households
 * have an outcome, so "received" is never read as final while some are still to be visited.
 */
export function ReconciliationPanel({ r }: { r: CycleReconciliation }) {
  const { t, number, money } = useSupportText();
  const isCash = r.cycle.programme.benefitKind === "cash";
  const done = r.delivered + r.notDelivered;
  return (
    <Stack gap="xs" data-testid="reconciliation">
      <Title order={2} size="h3">
        {t("reconcile.title")}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
        <Count label={t("reconcile.planned")} value={number(r.planned)} testId="count-planned" />
        <Count label={t("reconcile.delivered")} value={number(r.delivered)} testId="count-delivered" />
        <Count
          label={t("reconcile.notDelivered")}
          value={number(r.notDelivered)}
          testId="count-not-delivered"
        />
        <Count label={t("reconcile.pending")} value={number(r.pending)} testId="count-pending" />
      </SimpleGrid>
      <Text size="sm">
        {t("reconcile.coverage", { done: number(done), total: number(r.planned) })}
        {r.approved > 0 ? ` · ${t("reconcile.approved")}: ${number(r.approved)}` : ""}
        {r.removed > 0 ? ` · ${t("reconcile.removed")}: ${number(r.removed)}` : ""}
        {r.delivered > 0
          ? ` · ${t("reconcile.withEvidence", { withEvidence: number(r.deliveredWithEvidence), delivered: number(r.delivered) })}`
          : ""}
      </Text>
      {isCash ? (
        <Text size="sm">
          {t("reconcile.plannedAmount", { amount: money(r.plannedAmount) })} ·{" "}
          {t("reconcile.deliveredAmount", { amount: money(r.deliveredAmount) })}
        </Text>
      ) : (
        <Text size="sm">
          {t("reconcile.quantities", {
            delivered: number(r.deliveredQuantity),
            planned: number(r.plannedQuantity),
          })}
        </Text>
      )}
      {r.notDeliveredReasons.length > 0 && (
        <Text size="sm">
          {t("reconcile.why")}:{" "}
          {r.notDeliveredReasons
            .map(
              (x) =>
                `${t(`reasons.${x.reason}` as "reasons.absent", { defaultValue: x.reason })} ${number(x.households)}`,
            )
            .join(" · ")}
        </Text>
      )}
      {r.villages.length > 0 && (
        <Table.ScrollContainer minWidth={320}>
          <Table striped fz="sm" aria-label={t("reconcile.perVillage")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reconcile.village")}</Table.Th>
                <Table.Th ta="right">{t("reconcile.planned")}</Table.Th>
                <Table.Th ta="right">{t("reconcile.delivered")}</Table.Th>
                <Table.Th ta="right">{t("reconcile.notDelivered")}</Table.Th>
                <Table.Th ta="right">{t("reconcile.pending")}</Table.Th>
                {isCash && <Table.Th ta="right">{t("reconcile.amount")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.villages.map((v) => (
                <Table.Tr key={v.villageCode}>
                  <Table.Td>{v.villageName ?? v.villageCode}</Table.Td>
                  <Table.Td ta="right">{number(v.listed)}</Table.Td>
                  <Table.Td ta="right">{number(v.delivered)}</Table.Td>
                  <Table.Td ta="right">{number(v.notDelivered)}</Table.Td>
                  <Table.Td ta="right">{number(v.pending)}</Table.Td>
                  {isCash && <Table.Td ta="right">{money(v.deliveredAmount)}</Table.Td>}
                </Table.Tr>
              ))}
              <Table.Tr fw={700}>
                <Table.Td>{t("reconcile.total")}</Table.Td>
                <Table.Td ta="right">{number(r.planned)}</Table.Td>
                <Table.Td ta="right">{number(r.delivered)}</Table.Td>
                <Table.Td ta="right">{number(r.notDelivered)}</Table.Td>
                <Table.Td ta="right">{number(r.pending)}</Table.Td>
                {isCash && <Table.Td ta="right">{money(r.deliveredAmount)}</Table.Td>}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function Count({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz={20} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}
