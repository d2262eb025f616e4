import { Button, Grid, Group, Paper, Select, Stack, Table, Text, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import type { EChartsCoreOption } from "echarts/core";
import { useEffect, useId, useMemo, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { unitChildrenQuery } from "../../api/units.ts";
import common from "../../components/common.module.css";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import { catalogueQuery, type Indicator } from "../catalogue/api.ts";
import { TargetNote } from "../standards/targets.tsx";
import classes from "./analytics.module.css";
import "./mantine-styles.ts";
import { firstYear, type PivotResult, type PivotRow, pivotQuery, yearCodes } from "./api.ts";
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

export const Route = createLazyRoute("/dashboard")({ component: OverviewPage });

const routeApi = getRouteApi("/dashboard");

/** /dashboard: the province overview — key indicators, their trend, the communes ranked and those furthest behind. */
function OverviewPage() {
  const { t } = useAnalyticsText();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? null;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const catalogue = useQuery(catalogueQuery());
  const isSystemAdmin = user?.role === "system_admin";
  const root = isSystemAdmin ? search.unit : user?.scope?.code;
  const { poll } = useLiveFigures();

  useEffect(() => {
    document.title = `${t("overview.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t("overview.title")}</Title>
        <Text c="dimmed">{t("overview.intro")}</Text>
        <IllustrativeNote />
      </Stack>
      {isSystemAdmin && (
        <ProvinceSelect
          value={search.unit ?? null}
          onChange={(unit) =>
            navigate({ search: { unit: unit ?? undefined, year: undefined, indicator: undefined } })
          }
        />
      )}
      {catalogue.isPending && <LoadingState />}
      {catalogue.isError && <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />}
      {catalogue.data &&
        user &&
        (root ? (
          <Overview root={root} indicators={byKeyOrder(catalogue.data.indicators)} poll={poll} />
        ) : (
          <Text>{isSystemAdmin ? t("overview.pickProvince") : t("overview.noScope")}</Text>
        ))}
    </Stack>
  );
}

function ProvinceSelect({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (code: string | null) => void;
}) {
  const { t } = useAnalyticsText();
  const provinces = useQuery(unitChildrenQuery(undefined, todayInVietnam()));
  return (
    <Select
      label={t("province")}
      placeholder={t("provincePlaceholder")}
      data={(provinces.data?.items ?? []).map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }))}
      value={value}
      onChange={onChange}
      searchable
      maw={420}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

const cellOf = (result: PivotResult | undefined, data: string, period: string, unit: string) =>
  result?.rows.find((r) => r.data === data && r.period === period && r.unit === unit);

function Overview({ root, indicators, poll }: { root: string; indicators: Indicator[]; poll: boolean }) {
  const { t } = useAnalyticsText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const years = useMemo(() => yearCodes(firstYear, thisYear), [thisYear]);
  const series = useQuery(
    pivotQuery(
      { dx: indicators.map((i) => i.code), pe: years, ou: [root], includeNumDen: true },
      { live: true, poll },
    ),
  );
  if (series.isPending) return <LoadingState />;
  if (series.isError) return <ErrorState error={series.error} onRetry={() => series.refetch()} />;
  const result = series.data;
  const unit = result.metadata.units[0];
  const unitName = unit?.name ?? root;
  const yearsWithData = [...new Set(result.rows.filter((r) => r.value !== null).map((r) => r.period))].sort();
  const latest = yearsWithData.at(-1);
  if (!latest) return <Text>{t("overview.noData", { name: unitName, from: firstYear })}</Text>;
  const year = search.year && years.includes(search.year) ? search.year : latest;
  const yearOptions = [...new Set([...yearsWithData, year])].sort().reverse();
  const withValue = indicators.filter((i) => cellOf(result, i.code, year, root)?.value != null);
  const indicator =
    indicators.find((i) => i.code === search.indicator) ?? withValue[0] ?? (indicators[0] as Indicator);
  const change = (next: { year?: string; indicator?: string }) =>
    navigate({ search: (prev) => ({ ...prev, ...next }), replace: true });

  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>{t("overview.heading", { name: unitName })}</Title>
        <LiveLine updatedAt={series.dataUpdatedAt} isFetching={series.isFetching} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 4, md: 3 }}>
            <Select
              label={t("year")}
              data={yearOptions}
              value={year}
              onChange={(y) => y && change({ year: y })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 8, md: 6 }}>
            <IndicatorSelect
              indicators={indicators}
              value={indicator.code}
              onChange={(code) => change({ indicator: code })}
            />
          </Grid.Col>
        </Grid>
      </Stack>
      <KeyIndicators result={result} root={root} year={year} indicators={indicators} />
      <Trend result={result} root={root} unitName={unitName} year={year} indicator={indicator} />
      {unit?.level === "province" ? (
        <Ranking root={root} year={year} indicator={indicator} poll={poll} />
      ) : (
        <Text c="dimmed">{t("overview.rankingSubUnits")}</Text>
      )}
    </Stack>
  );
}

function KeyIndicators({
  result,
  root,
  year,
  indicators,
}: {
  result: PivotResult;
  root: string;
  year: string;
  indicators: Indicator[];
}) {
  const { t, name } = useAnalyticsText();
  const headingId = useId();
  const format = useIndicatorFormat();
  const shown = indicators
    .map((i) => ({ indicator: i, cell: cellOf(result, i.code, year, root) }))
    .filter((x): x is { indicator: Indicator; cell: PivotRow } => x.cell !== undefined);
  const missing = indicators.filter((i) => !shown.some((s) => s.indicator.code === i.code));
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("overview.keyIndicators", { year })}
      </Title>
      {shown.length === 0 && <Text>{t("overview.keyIndicatorsNone", { year })}</Text>}
      <div className={classes.cards}>
        {shown.map(({ indicator, cell }) => (
          <IndicatorCard
            key={indicator.code}
            indicator={indicator}
            cell={cell}
            format={format}
            unit={root}
            threshold={result.metadata.coverage?.thresholds[indicator.code]}
          />
        ))}
      </div>
      {missing.length > 0 && (
        <Text size="sm" c="dimmed">
          {t("overview.missing", { count: missing.length, year, names: missing.map(name).join("; ") })}
        </Text>
      )}
    </Stack>
  );
}

function IndicatorCard({
  indicator,
  cell,
  format,
  unit,
  threshold,
}: {
  indicator: Indicator;
  cell: PivotRow;
  format: ReturnType<typeof useIndicatorFormat>;
  unit: string;
  threshold: number | undefined;
}) {
  const { t, name, number } = useAnalyticsText();
  const titleId = useId();
  return (
    <Paper
      component="article"
      withBorder
      p="md"
      radius="md"
      aria-labelledby={titleId}
      className={classes.card}
    >
      <Stack gap={4}>
        <Text id={titleId} size="sm" fw={600} lh={1.3}>
          {name(indicator)}
        </Text>
        <Text fz={28} fw={700} c={cell.partial ? "orange.9" : "teal.9"} lh={1.2} className={classes.figure}>
          {format(indicator, cell.value)}
        </Text>
        <CoverageNote cell={cell} threshold={threshold} />
        {cell.numerator != null && cell.denominator != null && (
          <Text size="sm" c="dimmed" className={classes.figure}>
            <span className={common.visuallyHidden}>{t("numDenLabel")}: </span>
            {t("numDen", { numerator: number(cell.numerator), denominator: number(cell.denominator) })}
          </Text>
        )}
        <TargetNote unit={unit} dataCode={indicator.code} format={(v) => format(indicator, v)} />
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            {indicator.higherIsBetter ? t("higherIsBetter") : t("lowerIsBetter")}
          </Text>
          {cell.incomplete && <IncompleteBadge />}
        </Group>
      </Stack>
    </Paper>
  );
}

function Trend({
  result,
  root,
  unitName,
  year,
  indicator,
}: {
  result: PivotResult;
  root: string;
  unitName: string;
  year: string;
  indicator: Indicator;
}) {
  const { t, name, number } = useAnalyticsText();
  const format = useIndicatorFormat();
  const headingId = useId();
  const end = Number(year);
  const span = yearCodes(Math.max(firstYear, end - 4), end);
  const cells = span.map((y) => ({ year: y, cell: cellOf(result, indicator.code, y, root) }));
  const withData = cells.filter((c) => c.cell?.value != null);
  const option: EChartsCoreOption = {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => format(indicator, v as number) },
    xAxis: { type: "category", data: span },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => number(v) } },
    series: [
      {
        type: "line",
        name: name(indicator),
        data: cells.map((c) => c.cell?.value ?? null),
        symbolSize: 10,
        showSymbol: true,
        connectNulls: false,
      },
    ],
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={3} id={headingId}>
        {t("overview.trend", { indicator: name(indicator) })}
      </Title>
      {withData.length < 2 && (
        <Text size="sm" c="dimmed">
          {t("overview.trendNone", { years: withData.map((c) => c.year).join(", ") || "—" })}
        </Text>
      )}
      <Paper withBorder p="sm" radius="md">
        <Chart
          option={option}
          height={240}
          label={t("overview.trendCaption", { indicator: name(indicator), unit: unitName })}
        />
      </Paper>
      <Table.ScrollContainer minWidth={300}>
        <Table className={common.table} striped>
          <caption className={common.visuallyHidden}>
            {t("overview.trendCaption", { indicator: name(indicator), unit: unitName })}
          </caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("overview.colYear")}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t("overview.colValue")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("numDenLabel")}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cells.map(({ year: y, cell }) => (
              <Table.Tr key={y}>
                <Table.Th scope="row" fw={400}>
                  {y}
                </Table.Th>
                <Table.Td ta="right" className={classes.figure}>
                  {format(indicator, cell?.value)}
                </Table.Td>
                <Table.Td ta="right" className={classes.figure}>
                  {cell?.numerator != null && cell.denominator != null
                    ? t("numDen", {
                        numerator: number(cell.numerator),
                        denominator: number(cell.denominator),
                      })
                    : t("noValue")}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

interface Ranked {
  code: string;
  name: string;
  cell: PivotRow;
  rank: number;
}

function Ranking({
  root,
  year,
  indicator,
  poll,
}: {
  root: string;
  year: string;
  indicator: Indicator;
  poll: boolean;
}) {
  const { t, name, number } = useAnalyticsText();
  const format = useIndicatorFormat();
  const headingId = useId();
  const behindId = useId();
  const [isAll, setAll] = useState(false);
  const query = useQuery({
    ...pivotQuery(
      { dx: [indicator.code], pe: [year], ou: [`${root}:level:commune`], includeNumDen: true },
      { live: true, poll },
    ),
    // The previous ranking stays while another indicator's comes, rather than a loading line.
    placeholderData: keepPreviousData,
  });
  const units = query.data?.metadata.units ?? [];
  const ranked: Ranked[] = useMemo(() => {
    const rows = (query.data?.rows ?? []).filter((r) => r.value !== null);
    const named = rows.map((cell) => ({
      code: cell.unit,
      name: units.find((u) => u.code === cell.unit)?.name ?? cell.unit,
      cell,
    }));
    const sign = indicator.higherIsBetter ? -1 : 1;
    named.sort(
      (a, b) => sign * ((a.cell.value ?? 0) - (b.cell.value ?? 0)) || a.name.localeCompare(b.name, "vi"),
    );
    // Equal values share a rank (1, 2, 2, 4), so that a tie does not look like a difference.
    return named.map((r) => ({
      ...r,
      rank: named.findIndex((x) => x.cell.value === r.cell.value) + 1,
    }));
  }, [query.data, units, indicator.higherIsBetter]);
  const behind = ranked.slice(-5).reverse();
  const option: EChartsCoreOption = {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", axisLabel: { formatter: (v: number) => number(v) } },
    yAxis: {
      type: "category",
      inverse: true,
      data: ranked.map((r) => r.name),
      axisLabel: { width: 120, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        name: name(indicator),
        data: ranked.map((r) => r.cell.value),
        label: {
          show: true,
          position: "right",
          formatter: (p: { value: number }) => number(p.value, indicator.decimals),
        },
        barMaxWidth: 22,
      },
    ],
  };
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const without = units.length - ranked.length;
  const tableRows = isAll ? ranked : ranked.slice(0, 15);
  const direction = indicator.higherIsBetter ? t("higherIsBetter") : t("lowerIsBetter");

  return (
    <>
      <Stack gap="sm" component="section" aria-labelledby={headingId}>
        <Title order={3} id={headingId}>
          {t("overview.ranking", { year })}
        </Title>
        <Text size="sm">{t("overview.rankingIntro", { indicator: name(indicator), direction })}</Text>
        {ranked.length === 0 ? (
          <Text>{t("overview.rankingNone", { year })}</Text>
        ) : (
          <>
            <Paper withBorder p="sm" radius="md">
              <Chart
                option={option}
                height={Math.max(200, ranked.length * 30 + 40)}
                label={t("overview.rankingChart", { indicator: name(indicator), count: ranked.length, year })}
              />
            </Paper>
            <RankTable
              rows={tableRows}
              caption={t("overview.rankingCaption", { indicator: name(indicator), year })}
              indicator={indicator}
              year={year}
              format={format}
            />
            {ranked.length > 15 && (
              <Button variant="subtle" onClick={() => setAll(!isAll)} w="fit-content">
                {isAll ? t("overview.showFewer") : t("overview.showAll", { count: ranked.length })}
              </Button>
            )}
          </>
        )}
        {without > 0 && (
          <Text size="sm" c="dimmed">
            {t("overview.withoutData", { count: without, year })}
          </Text>
        )}
      </Stack>
      {ranked.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby={behindId}>
          <Title order={3} id={behindId}>
            {t("overview.behind")}
          </Title>
          <Text size="sm">{t("overview.behindIntro", { indicator: name(indicator), year })}</Text>
          <Paper withBorder p="xs" radius="md" className={classes.behind}>
            <RankTable
              rows={behind}
              caption={t("overview.behind")}
              indicator={indicator}
              year={year}
              format={format}
            />
          </Paper>
        </Stack>
      )}
    </>
  );
}

function RankTable({
  rows,
  caption,
  indicator,
  year,
  format,
}: {
  rows: Ranked[];
  caption: string;
  indicator: Indicator;
  year: string;
  format: ReturnType<typeof useIndicatorFormat>;
}) {
  const { t, number } = useAnalyticsText();
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table className={common.table} striped highlightOnHover>
        <caption className={common.visuallyHidden}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={56}>
              {t("overview.colRank")}
            </Table.Th>
            <Table.Th scope="col">{t("overview.colCommune")}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t("overview.colValue")}
            </Table.Th>
            <Table.Th scope="col" ta="right" visibleFrom="xs">
              {t("numDenLabel")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.code}>
              <Table.Td className={classes.figure}>{r.rank}</Table.Td>
              <Table.Th scope="row" fw={400}>
                <AnchorLink
                  to="/dashboard/units/$code"
                  params={{ code: r.code }}
                  search={{ year, indicator: indicator.code }}
                  aria-label={t("overview.openProfile", { name: r.name })}
                >
                  {r.name}
                </AnchorLink>
                {r.cell.incomplete && <IncompleteBadge />}
              </Table.Th>
              <Table.Td ta="right" className={classes.figure}>
                {format(indicator, r.cell.value)}
              </Table.Td>
              <Table.Td ta="right" className={classes.figure} visibleFrom="xs">
                {r.cell.numerator != null && r.cell.denominator != null
                  ? t("numDen", {
                      numerator: number(r.cell.numerator),
                      denominator: number(r.cell.denominator),
                    })
                  : t("noValue")}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
