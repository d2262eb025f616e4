import { Breadcrumbs, Grid, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import type { EChartsCoreOption } from "echarts/core";
import { useEffect, useMemo } from "react";
import { meQuery } from "../../api/auth.ts";
import { unitHistoryQuery } from "../../api/units.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { formatDay, todayInVietnam } from "../../lib/dates.ts";
import { catalogueQuery, type Indicator } from "../catalogue/api.ts";
import { TargetsSection } from "../standards/targets.tsx";
import classes from "./analytics.module.css";
import "./mantine-styles.ts";
import { firstYear, type PivotResult, pivotQuery, yearCodes } from "./api.ts";
import { Chart } from "./chart.tsx";
import {
  byKeyOrder,
  CoverageNote,
  IllustrativeNote,
  IncompleteBadge,
  IndicatorSelect,
  LiveLine,
  useIndicatorFormat,
  useLiveFigures,
} from "./parts.tsx";
import { useAnalyticsText } from "./use-analytics-text.ts";

export const Route = createLazyRoute("/dashboard/units/$code")({ component: UnitProfilePage });

const routeApi = getRouteApi("/dashboard/units/$code");

const cellOf = (result: PivotResult | undefined, data: string, period: string, unit: string) =>
  result?.rows.find((r) => r.data === data && r.period === period && r.unit === unit);

/** /dashboard/units/$code: a unit's indicators over the years, against those of the unit above it (its province). */
function UnitProfilePage() {
  const { t } = useAnalyticsText();
  const { code } = routeApi.useParams();
  const catalogue = useQuery(catalogueQuery());

  useEffect(() => {
    document.title = `${t("profile.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Breadcrumbs separator="›" separatorMargin={6}>
          <AnchorLink to="/dashboard" size="sm">
            {t("profile.back")}
          </AnchorLink>
        </Breadcrumbs>
        <Title order={1}>{t("profile.title")}</Title>
        <IllustrativeNote />
      </Stack>
      {catalogue.isPending && <LoadingState />}
      {catalogue.isError && <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />}
      {catalogue.data && <Profile code={code} indicators={byKeyOrder(catalogue.data.indicators)} />}
    </Stack>
  );
}

function Profile({ code, indicators }: { code: string; indicators: Indicator[] }) {
  const { t, name, number } = useAnalyticsText();
  const format = useIndicatorFormat();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const years = useMemo(() => yearCodes(firstYear, thisYear), [thisYear]);
  const dx = indicators.map((i) => i.code);
  const { poll } = useLiveFigures();
  const own = useQuery(pivotQuery({ dx, pe: years, ou: [code], includeNumDen: true }, { live: true, poll }));
  const parentCode = own.data?.metadata.units[0]?.parentCode ?? null;
  // The unit above lies outside the reader's scope when the scope is this unit itself (a commune officer on their
  // own commune): then the unit is shown alone, without asking for figures the server would refuse.
  const scopeCode = useQuery(meQuery()).data?.user?.scope?.code ?? null;
  const parent = useQuery({
    ...pivotQuery({ dx, pe: years, ou: [parentCode ?? ""] }, { live: true, poll }),
    enabled: parentCode !== null && scopeCode !== code,
  });
  const history = useQuery(unitHistoryQuery(code, undefined));
  if (own.isPending) return <LoadingState />;
  if (own.isError) return <ErrorState error={own.error} onRetry={() => own.refetch()} />;
  const unit = own.data.metadata.units[0];
  const unitName = unit?.name ?? code;
  const parentName = parent.data?.metadata.units[0]?.name;
  const rows = own.data.rows.filter((r) => r.value !== null);
  const yearsWithData = [...new Set(rows.map((r) => r.period))].sort();
  const latest = yearsWithData.at(-1);
  if (!latest) return <Text>{t("profile.noData", { name: unitName, from: firstYear })}</Text>;
  const end = Number(search.year && years.includes(search.year) ? search.year : latest);
  const span = yearCodes(Math.max(firstYear, end - 4), end);
  const indicator =
    indicators.find((i) => i.code === search.indicator) ??
    indicators.find((i) => rows.some((r) => r.data === i.code)) ??
    (indicators[0] as Indicator);
  const series = [
    {
      type: "line",
      name: unitName,
      data: span.map((y) => cellOf(own.data, indicator.code, y, code)?.value ?? null),
      symbolSize: 10,
      showSymbol: true,
    },
  ];
  if (parentName && parentCode)
    series.push({
      type: "line",
      name: parentName,
      data: span.map((y) => cellOf(parent.data, indicator.code, y, parentCode)?.value ?? null),
      symbolSize: 8,
      showSymbol: true,
    });
  const option: EChartsCoreOption = {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: span },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => number(v) } },
    series,
  };
  // Years before the unit was formed from several old units: their figures are those units' values added up.
  const formed = history.data?.selected;
  const formedOn = formed?.validFrom ?? null;
  const summedYears =
    formed && formedOn && formed.predecessors.length > 1
      ? yearsWithData.filter((y) => `${y}-12-31` < formedOn)
      : [];
  const table = indicators.flatMap((i) =>
    yearsWithData
      .map((y) => ({ indicator: i, year: y, cell: cellOf(own.data, i.code, y, code) }))
      .filter((x) => x.cell?.value != null),
  );

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2}>{unitName}</Title>
        <Text>
          {parentName
            ? t("profile.intro", { name: unitName, parent: parentName })
            : t("profile.introAlone", { name: unitName })}
        </Text>
        <LiveLine updatedAt={own.dataUpdatedAt} isFetching={own.isFetching} />
        {formed && formedOn && summedYears.length > 0 && (
          <Text size="sm" role="note">
            {t("profile.summedFrom", {
              years: summedYears.join(", "),
              count: formed.predecessors.length,
              name: unitName,
              date: formatDay(formedOn),
              names: formed.predecessors
                .map((p) => (p.kind === "partial" ? t("profile.partOf", { name: p.unit.name }) : p.unit.name))
                .join(", "),
            })}
          </Text>
        )}
      </Stack>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 8, md: 6 }}>
          <IndicatorSelect
            indicators={indicators}
            value={indicator.code}
            onChange={(c) => navigate({ search: (prev) => ({ ...prev, indicator: c }), replace: true })}
          />
        </Grid.Col>
      </Grid>
      <Paper withBorder p="sm" radius="md">
        <Chart
          option={option}
          height={280}
          label={
            parentName
              ? t("profile.chartLabel", { indicator: name(indicator), name: unitName, parent: parentName })
              : t("profile.chartLabelAlone", { indicator: name(indicator), name: unitName })
          }
        />
      </Paper>
      <Table.ScrollContainer minWidth={340}>
        <Table className={common.table} striped>
          <caption className={common.visuallyHidden}>{t("profile.tableCaption", { name: unitName })}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("profile.colIndicator")}</Table.Th>
              <Table.Th scope="col">{t("overview.colYear")}</Table.Th>
              <Table.Th scope="col" ta="right">
                {unitName}
              </Table.Th>
              {parentName && (
                <Table.Th scope="col" ta="right">
                  {parentName}
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.map(({ indicator: i, year, cell }) => (
              <Table.Tr key={`${i.code}/${year}`}>
                <Table.Th scope="row" fw={i.code === indicator.code ? 700 : 400}>
                  {name(i)}
                </Table.Th>
                <Table.Td>{year}</Table.Td>
                <Table.Td ta="right" className={classes.figure}>
                  {format(i, cell?.value)} {cell?.incomplete && <IncompleteBadge />}
                  {cell?.numerator != null && cell.denominator != null && (
                    <Text size="xs" c="dimmed">
                      {t("numDen", {
                        numerator: number(cell.numerator),
                        denominator: number(cell.denominator),
                      })}
                    </Text>
                  )}
                </Table.Td>
                {parentName && parentCode && (
                  <Table.Td ta="right" className={classes.figure}>
                    {format(i, cellOf(parent.data, i.code, year, parentCode)?.value)}
                    {(() => {
                      const above = cellOf(parent.data, i.code, year, parentCode);
                      return above ? (
                        <CoverageNote
                          cell={above}
                          threshold={parent.data?.metadata.coverage?.thresholds[i.code]}
                        />
                      ) : null;
                    })()}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <TargetsSection
        unit={code}
        indicators={indicators}
        latest={(dataCode) => {
          const last = rows
            .filter((r) => r.data === dataCode && r.unit === code)
            .sort((a, b) => b.period.localeCompare(a.period))[0];
          return last && last.value !== null ? { year: last.period, value: last.value } : null;
        }}
        format={(dataCode, value) =>
          format(
            indicators.find((i) => i.code === dataCode),
            value,
          )
        }
      />
      <AnchorLink to="/analytics" w="fit-content">
        {t("profile.pivotLink")}
      </AnchorLink>
    </Stack>
  );
}
