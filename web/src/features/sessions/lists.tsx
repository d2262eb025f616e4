import { Box, Stack, Table, Text } from "@mantine/core";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import type { Direction, Proposal } from "./api.ts";
import { ProgressBar, ProposalStatusBadge, StatusBadge } from "./parts.tsx";
import classes from "./sessions.module.css";
import { useSessionsText } from "./use-sessions-text.ts";

/** Directions with their lead unit, due date, progress and computed status; on a phone the unit goes under the text. */
export function DirectionTable({ items, caption }: { items: Direction[]; caption: string }) {
  const { t, day } = useSessionsText();
  if (items.length === 0) return <Text>{t("directions.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped className={common.table} verticalSpacing="xs">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("directions.colContent")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("directions.colLead")}</Table.Th>
            <Table.Th>{t("directions.colDue")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("directions.colProgress")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((d) => (
            <Table.Tr key={d.id} data-status={d.status}>
              <Table.Td className={classes.content}>
                <Stack gap={4}>
                  <AnchorLink to="/sessions/directions/$id" params={{ id: String(d.id) }} fw={600}>
                    {d.content}
                  </AnchorLink>
                  <Text size="xs" c="dimmed" hiddenFrom="sm">
                    {d.leadUnit.name} · {t("directions.colProgress")}: {d.progress}
                    {"\u00a0%"}
                  </Text>
                  {d.subTaskCount > 0 && (
                    <Text size="xs" c="dimmed">
                      {t("directions.subTasks", { count: d.subTaskCount })}
                    </Text>
                  )}
                  <StatusBadge status={d.status} />
                </Stack>
              </Table.Td>
              <Table.Td visibleFrom="sm">{d.leadUnit.name}</Table.Td>
              <Table.Td className={classes.nowrap}>{day(d.effectiveDue)}</Table.Td>
              <Table.Td visibleFrom="sm">
                <ProgressBar value={d.progress} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ProposalTable({ items, caption }: { items: Proposal[]; caption: string }) {
  const { t, day } = useSessionsText();
  if (items.length === 0) return <Text>{t("proposals.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped className={common.table} verticalSpacing="xs">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("proposals.colContent")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("proposals.colUnit")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("proposals.colStatus")}</Table.Th>
            <Table.Th visibleFrom="sm">{t("proposals.colDue")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td className={classes.content}>
                <Stack gap={2}>
                  <AnchorLink to="/sessions/proposals/$id" params={{ id: String(p.id) }} fw={600}>
                    {p.content}
                  </AnchorLink>
                  <Text size="xs" c="dimmed">
                    {t(`category.${p.category}`)}
                    <Text span hiddenFrom="sm" size="xs">
                      {" · "}
                      {p.unit.name}
                    </Text>
                  </Text>
                  <Box hiddenFrom="sm">
                    <ProposalStatusBadge status={p.status} isOverdue={p.isOverdue} />
                  </Box>
                </Stack>
              </Table.Td>
              <Table.Td visibleFrom="sm">{p.unit.name}</Table.Td>
              <Table.Td visibleFrom="sm">
                <ProposalStatusBadge status={p.status} isOverdue={p.isOverdue} />
              </Table.Td>
              <Table.Td visibleFrom="sm" className={classes.nowrap}>
                {day(p.answerDue)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
