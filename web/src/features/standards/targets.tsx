import { Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import common from "../../components/common.module.css";
import { targetsQuery } from "./api.ts";
import { useStandardsText } from "./use-standards-text.ts";

type Format = (value: number | null | undefined) => string;

/**
 * The targets of one indicator for a unit, under its figure on a dashboard card: "Mục tiêu 2027: 60 %". Nothing when
 * there is none. One request per unit serves every card.
 */
export function TargetNote({ unit, dataCode, format }: { unit: string; dataCode: string; format: Format }) {
  const { t } = useStandardsText();
  const targets = useQuery(targetsQuery(unit));
  const mine = (targets.data?.items ?? []).filter((x) => x.dataCode === dataCode);
  if (mine.length === 0) return null;
  return (
    <>
      {mine.map((x) => (
        <Text key={x.id} size="sm" c="blue.9" fw={600}>
          {t("targets.line", { period: x.period, value: format(x.value) })}
        </Text>
      ))}
    </>
  );
}

interface IndicatorLike {
  code: string;
  nameVi: string;
  nameEn: string;
}

/**
 * A unit's targets against the latest actual value of each indicator (from the figures the page already has), for
 * the unit profile.
 */
export function TargetsSection({
  unit,
  indicators,
  latest,
  format,
}: {
  unit: string;
  indicators: IndicatorLike[];
  latest: (dataCode: string) => { year: string; value: number } | null;
  format: (dataCode: string, value: number | null | undefined) => string;
}) {
  const { t, name } = useStandardsText();
  const headingId = useId();
  const targets = useQuery(targetsQuery(unit));
  const items = targets.data?.items ?? [];
  if (!targets.data) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("targets.title")}
      </Title>
      {items.length === 0 ? (
        <Text c="dimmed">{t("targets.none")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table className={common.table} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("targets.colIndicator")}</Table.Th>
                <Table.Th scope="col">{t("targets.colPeriod")}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("targets.colTarget")}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t("targets.colLatest")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => {
                const indicator = indicators.find((i) => i.code === x.dataCode);
                const actual = latest(x.dataCode);
                return (
                  <Table.Tr key={x.id}>
                    <Table.Th scope="row" fw={400}>
                      {indicator ? name(indicator) : x.dataCode}
                      {x.note && (
                        <Text size="xs" c="dimmed">
                          {x.note}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>{x.period}</Table.Td>
                    <Table.Td ta="right">{format(x.dataCode, x.value)}</Table.Td>
                    <Table.Td ta="right">
                      {actual
                        ? t("targets.latest", { value: format(x.dataCode, actual.value), year: actual.year })
                        : "—"}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
