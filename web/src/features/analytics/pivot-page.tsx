import {
  Alert,
  Button,
  type ComboboxParsedItem,
  Grid,
  Group,
  Modal,
  MultiSelect,
  type OptionsFilter,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import type { EChartsCoreOption } from "echarts/core";
import { type FormEvent, useEffect, useId, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { ApiError } from "../../api/client.ts";
import type { User } from "../../api/types.ts";
import common from "../../components/common.module.css";
import { DayInput } from "../../components/day-input.tsx";
import { ErrorState, LoadingState } from "../../components/status.tsx";
import { type PickedUnit, UnitPicker } from "../../components/unit-picker.tsx";
import { formatDay, todayInVietnam } from "../../lib/dates.ts";
import { type Catalogue, catalogueQuery, type Indicator } from "../catalogue/api.ts";
import classes from "./analytics.module.css";
import "./mantine-styles.ts";
import {
  analyticsKeys,
  type ChartKind,
  createView,
  type Dimension,
  deleteView,
  dimensions,
  downloadPivot,
  firstYear,
  pivotQuery,
  relativePeriods,
  type SavedView,
  updateView,
  type ViewQuery,
  viewsQuery,
} from "./api.ts";
import { Chart } from "./chart.tsx";
import {
  CoverageNote,
  IllustrativeNote,
  IncompleteBadge,
  useIndicatorFormat,
  useLiveFigures,
} from "./parts.tsx";
import { foldText, type PivotTable, pivot } from "./pivot.ts";
import { useAnalyticsText } from "./use-analytics-text.ts";

export const Route = createLazyRoute("/analytics")({ component: PivotPage });

const routeApi = getRouteApi("/analytics");

type UnitMode = "self" | "children" | "commune" | "village" | "provinces";

interface Builder {
  dx: string[];
  pe: string[];
  unit: PickedUnit | null;
  mode: UnitMode;
  hierarchyDate: string | null;
  rowDim: Dimension;
  colDim: Dimension;
  chart: ChartKind;
}

function unitSpec(b: Builder): string | null {
  if (b.mode === "provinces") return "level:province";
  if (!b.unit) return null;
  switch (b.mode) {
    case "self":
      return b.unit.code;
    case "children":
      return `${b.unit.code}:children`;
    case "commune":
      return `${b.unit.code}:level:commune`;
    case "village":
      return `${b.unit.code}:level:village`;
  }
}

/** The layout the API and a saved view take: the third dimension goes to the rows when it has several items. */
function layoutOf(b: Builder): { rows: Dimension[]; columns: Dimension[]; filter: Dimension[] } {
  const third = dimensions.find((d) => d !== b.rowDim && d !== b.colDim) ?? "pe";
  // A filter must hold one item as the server counts them: LAST_5_YEARS is five periods, a unit's children many.
  const onePeriod = b.pe.length === 1 && !/^LAST_\d/.test(b.pe[0] ?? "");
  const count =
    third === "dx" ? b.dx.length : third === "pe" ? (onePeriod ? 1 : 2) : b.mode === "self" ? 1 : 2;
  return count > 1
    ? { rows: [b.rowDim, third], columns: [b.colDim], filter: [] }
    : { rows: [b.rowDim], columns: [b.colDim], filter: [third] };
}

function toViewQuery(b: Builder): ViewQuery | null {
  const ou = unitSpec(b);
  if (!ou || b.dx.length === 0 || b.pe.length === 0) return null;
  return {
    dx: b.dx,
    pe: b.pe,
    ou: [ou],
    ...(b.hierarchyDate ? { hierarchyDate: b.hierarchyDate } : {}),
    ...layoutOf(b),
    chart: b.chart,
  };
}

function fromView(view: SavedView): Builder {
  const q = view.query;
  const spec = q.ou[0] ?? "";
  const [code = "", kind, level] = spec.split(":");
  const mode: UnitMode =
    spec === "level:province"
      ? "provinces"
      : kind === "children"
        ? "children"
        : kind === "level"
          ? level === "village"
            ? "village"
            : "commune"
          : "self";
  const unitCode = view.unitCode ?? code;
  return {
    dx: q.dx,
    pe: q.pe,
    unit:
      mode === "provinces"
        ? null
        : { code: unitCode, name: view.unitName ?? unitCode, level: "province", ancestors: [] },
    mode,
    hierarchyDate: q.hierarchyDate ?? null,
    rowDim: q.rows[0] ?? "ou",
    colDim: q.columns[0] ?? "dx",
    chart: q.chart,
  };
}

function initialBuilder(user: User | null): Builder {
  const scope = user?.scope;
  return {
    dx: [],
    pe: [String(Number(todayInVietnam().slice(0, 4)) - 1)],
    unit: scope ? { code: scope.code, name: scope.name, level: scope.level, ancestors: [] } : null,
    mode: scope?.level === "province" ? "commune" : "self",
    hierarchyDate: null,
    rowDim: "ou",
    colDim: "dx",
    chart: "table",
  };
}

/** /analytics: the pivot builder — data, periods and units; rows and columns; a table or chart; export; saved views. */
function PivotPage() {
  const { t } = useAnalyticsText();
  const me = useQuery(meQuery());
  const catalogue = useQuery(catalogueQuery());

  useEffect(() => {
    document.title = `${t("pivot.title")} — Grassroots`;
  }, [t]);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t("pivot.title")}</Title>
        <Text c="dimmed">{t("pivot.intro")}</Text>
        <IllustrativeNote />
      </Stack>
      {catalogue.isPending && <LoadingState />}
      {catalogue.isError && <ErrorState error={catalogue.error} onRetry={() => catalogue.refetch()} />}
      {catalogue.data && me.data?.user && <PivotBuilder catalogue={catalogue.data} user={me.data.user} />}
    </Stack>
  );
}

function PivotBuilder({ catalogue, user }: { catalogue: Catalogue; user: User }) {
  const { t, language } = useAnalyticsText();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [builder, setBuilder] = useState<Builder>(() => initialBuilder(user));
  const [openedView, setOpenedView] = useState<SavedView | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [isExporting, setExporting] = useState<"csv" | "xlsx" | null>(null);
  const [isSaving, setSaving] = useState(false);
  const views = useQuery(viewsQuery());
  const { poll } = useLiveFigures();
  const queryClient = useQueryClient();
  // The opened view of one's own, changed to what is on screen now (409 when someone changed it meanwhile).
  const update = useMutation({
    mutationFn: () => {
      const q = toViewQuery(builder);
      if (!openedView || !q) throw new Error(t("pivot.needAll"));
      return updateView(openedView.id, { version: openedView.version, query: q });
    },
    onSuccess: (view) => {
      setOpenedView(view);
      return queryClient.invalidateQueries({ queryKey: analyticsKeys.views });
    },
  });
  const set = (next: Partial<Builder>) => setBuilder((b) => ({ ...b, ...next }));
  const query = toViewQuery(builder);
  const result = useQuery({
    ...pivotQuery(
      {
        dx: query?.dx ?? [],
        pe: query?.pe ?? [],
        ou: query?.ou ?? [],
        hierarchyDate: query?.hierarchyDate,
      },
      { live: true, poll },
    ),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });

  // A view named in the address (?view=12) opens once the list has come.
  const viewItems = views.data;
  useEffect(() => {
    if (!search.view || !viewItems) return;
    const view = viewItems.find((v) => v.id === search.view);
    if (view && openedView?.id !== view.id) {
      setBuilder(fromView(view));
      setOpenedView(view);
    }
  }, [search.view, viewItems, openedView]);

  const open = (view: SavedView) => {
    setBuilder(fromView(view));
    setOpenedView(view);
    navigate({ search: { view: view.id }, replace: true });
  };

  const exportAs = async (format: "csv" | "xlsx") => {
    if (!query) return;
    setExportError(null);
    setExporting(format);
    try {
      await downloadPivot(query, format, language);
    } catch (err: unknown) {
      setExportError(err);
    } finally {
      setExporting(null);
    }
  };

  return (
    <Stack gap="lg">
      <BuilderForm builder={builder} set={set} catalogue={catalogue} user={user} />
      {openedView && (
        <Text size="sm" role="status">
          {t("views.opened", { name: openedView.name })}
        </Text>
      )}
      {!query && <Text>{t("pivot.needAll")}</Text>}
      {query && (
        <Stack gap="sm">
          <Group gap="xs">
            <Button variant="default" onClick={() => exportAs("csv")} loading={isExporting === "csv"}>
              {t("pivot.exportCsv")}
            </Button>
            <Button variant="default" onClick={() => exportAs("xlsx")} loading={isExporting === "xlsx"}>
              {t("pivot.exportXlsx")}
            </Button>
            {viewItems !== null && <Button onClick={() => setSaving(true)}>{t("views.save")}</Button>}
            {openedView?.isMine && (
              <Button variant="light" onClick={() => update.mutate()} loading={update.isPending}>
                {t("views.update", { name: openedView.name })}
              </Button>
            )}
          </Group>
          {update.isError && (
            <Alert color="red" variant="light" role="alert">
              {t("views.failed", { message: update.error.message })}
            </Alert>
          )}
          {update.isSuccess && (
            <Text size="sm" role="status">
              {t("views.updated", { name: update.data.name })}
            </Text>
          )}
          {exportError !== null && (
            <Alert color="red" variant="light" role="alert">
              {t("pivot.exportFailed", {
                message: exportError instanceof Error ? exportError.message : String(exportError),
              })}
            </Alert>
          )}
          {result.isPending && result.fetchStatus !== "idle" && <LoadingState />}
          {result.isError &&
            (result.error instanceof ApiError &&
            (result.error.status === 400 || result.error.status === 413) ? (
              <Alert color="red" variant="light" role="alert" title={t("pivot.refused", { message: "" })}>
                {result.error.message}
              </Alert>
            ) : (
              <ErrorState error={result.error} onRetry={() => result.refetch()} />
            ))}
          {result.data && !result.isError && (
            <Results
              builder={builder}
              result={result.data}
              catalogue={catalogue}
              updatedAt={result.dataUpdatedAt}
            />
          )}
        </Stack>
      )}
      <SavedViews views={views.data} isPending={views.isPending} error={views.error} onOpen={open} />
      {isSaving && query && (
        <SaveDialog
          query={query}
          unitCode={builder.unit?.code}
          onClose={() => setSaving(false)}
          onSaved={(view) => {
            setSaving(false);
            setOpenedView(view);
          }}
        />
      )}
    </Stack>
  );
}

/** Filters options by the typed text without Vietnamese marks, on the label and the code. */
const foldedFilter: OptionsFilter = ({ options, search }) => {
  const needle = foldText(search.trim());
  if (!needle) return options;
  const matches = (o: { label: string; value: string }) => foldText(`${o.label} ${o.value}`).includes(needle);
  const out: ComboboxParsedItem[] = [];
  for (const o of options) {
    if ("group" in o) {
      const items = o.items.filter(matches);
      if (items.length) out.push({ ...o, items });
    } else if (matches(o)) out.push(o);
  }
  return out;
};

function BuilderForm({
  builder,
  set,
  catalogue,
  user,
}: {
  builder: Builder;
  set: (next: Partial<Builder>) => void;
  catalogue: Catalogue;
  user: User;
}) {
  const { t, name, periodLabel } = useAnalyticsText();
  const isNarrow = useMediaQuery("(max-width: 30em)") ?? false;
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const years: string[] = [];
  for (let y = thisYear; y >= firstYear; y--) years.push(String(y));
  const quarters = [thisYear, thisYear - 1].flatMap((y) => [4, 3, 2, 1].map((q) => `${y}Q${q}`));
  const dataOptions = [
    {
      group: t("pivot.groupIndicators"),
      items: catalogue.indicators.map((i) => ({ value: i.code, label: name(i) })),
    },
    {
      group: t("pivot.groupElements"),
      items: catalogue.dataElements
        .filter((e) => e.valueType !== "text" && e.valueType !== "boolean")
        .map((e) => ({ value: e.code, label: name(e) })),
    },
  ];
  const periodOptions = [
    {
      group: t("pivot.groupRelative"),
      items: relativePeriods.map((p) => ({ value: p, label: periodLabel(p) })),
    },
    { group: t("pivot.groupYears"), items: years.map((y) => ({ value: y, label: y })) },
    { group: t("pivot.groupQuarters"), items: quarters.map((q) => ({ value: q, label: periodLabel(q) })) },
  ];
  const modes: Array<{ value: UnitMode; label: string }> = [
    { value: "self", label: t("pivot.modeSelf") },
    { value: "children", label: t("pivot.modeChildren") },
    { value: "commune", label: t("pivot.modeCommune") },
    { value: "village", label: t("pivot.modeVillage") },
  ];
  if (user.role === "system_admin") modes.push({ value: "provinces", label: t("pivot.modeProvinces") });
  const dimOptions = dimensions.map((d) => ({ value: d, label: t(`pivot.dim.${d}`) }));

  return (
    <Paper withBorder p={{ base: "sm", sm: "md" }} radius="md">
      <Stack gap="md">
        <MultiSelect
          label={t("pivot.data")}
          description={t("pivot.dataHint")}
          placeholder={t("pivot.dataPlaceholder")}
          data={dataOptions}
          value={builder.dx}
          onChange={(dx) => set({ dx })}
          searchable
          filter={foldedFilter}
          clearable
          clearButtonProps={{ "aria-label": t("pivot.clearData") }}
          hidePickedOptions
          maxDropdownHeight={320}
          comboboxProps={{ withinPortal: true }}
        />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <MultiSelect
              label={t("pivot.periods")}
              description={t("pivot.periodsHint")}
              placeholder={t("pivot.periodsPlaceholder")}
              data={periodOptions}
              value={builder.pe}
              onChange={(pe) => set({ pe })}
              searchable
              filter={foldedFilter}
              clearable
              clearButtonProps={{ "aria-label": t("pivot.clearPeriods") }}
              hidePickedOptions
              maxDropdownHeight={320}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <DayInput
              label={t("pivot.hierarchyDate")}
              description={t("pivot.hierarchyDateHint")}
              value={builder.hierarchyDate}
              onChange={(hierarchyDate) => set({ hierarchyDate })}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <UnitPicker
              label={t("pivot.unit")}
              description={t("pivot.unitHint")}
              value={builder.unit}
              onChange={(unit) => set({ unit })}
              levels={["province", "commune", "village"]}
              withinCode={user.scope?.code ?? null}
              disabled={builder.mode === "provinces"}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Select
              label={t("pivot.unitMode")}
              data={modes}
              value={builder.mode}
              onChange={(mode) => mode && set({ mode: mode as UnitMode })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select
              label={t("pivot.rows")}
              data={dimOptions}
              value={builder.rowDim}
              onChange={(d) => {
                if (!d) return;
                const rowDim = d as Dimension;
                set(rowDim === builder.colDim ? { rowDim, colDim: builder.rowDim } : { rowDim });
              }}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select
              label={t("pivot.columns")}
              data={dimOptions}
              value={builder.colDim}
              onChange={(d) => {
                if (!d) return;
                const colDim = d as Dimension;
                set(colDim === builder.rowDim ? { colDim, rowDim: builder.colDim } : { colDim });
              }}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="pivot-show-label">
                {t("pivot.show")}
              </Text>
              <SegmentedControl
                aria-labelledby="pivot-show-label"
                data={(["table", "bar", "line"] as const).map((c) => ({
                  value: c,
                  label: t(`pivot.chart.${c}`),
                }))}
                value={builder.chart}
                onChange={(chart) => set({ chart: chart as ChartKind })}
                orientation={isNarrow ? "vertical" : "horizontal"}
                fullWidth
              />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Paper>
  );
}

function Results({
  builder,
  result,
  catalogue,
  updatedAt,
}: {
  builder: Builder;
  result: Parameters<typeof pivot>[0];
  catalogue: Catalogue;
  updatedAt: number;
}) {
  const { t, isEnglish, number, clock } = useAnalyticsText();
  const format = useIndicatorFormat();
  const layout = layoutOf(builder);
  const table = pivot(result, layout.rows, layout.columns, isEnglish);
  const indicators = new Map<string, Indicator>(catalogue.indicators.map((i) => [i.code, i]));
  const dimNames = (dims: Dimension[]) => dims.map((d) => t(`pivot.dim.${d}`)).join(", ");
  const formatCell = (dx: string, value: number | null | undefined) => {
    const indicator = indicators.get(dx);
    return indicator ? format(indicator, value) : number(value);
  };
  const chartLimit = 20;
  return (
    <Stack gap="sm">
      <Text size="xs" c="dimmed">
        {t("live", { time: clock(updatedAt) })}
        {builder.hierarchyDate ? ` · ${t("pivot.asOf", { date: formatDay(builder.hierarchyDate) })}` : ""}
      </Text>
      {result.metadata.incompleteUnits.length > 0 && (
        <Alert color="yellow" variant="light">
          {t("incompleteUnits", { names: result.metadata.incompleteUnits.map((u) => u.name).join(", ") })}
        </Alert>
      )}
      {table.rows.length === 0 ? (
        <Text>{t("pivot.noRows")}</Text>
      ) : (
        <>
          {builder.chart !== "table" && (
            <Paper withBorder p="sm" radius="md">
              <Chart
                option={chartOption(table, builder.chart, chartLimit, number)}
                height={360}
                label={t("pivot.chartLabel", {
                  kind: t(`pivot.chart.${builder.chart}`),
                  rows: dimNames(layout.rows),
                  columns: dimNames(layout.columns),
                })}
              />
              {table.rows.length > chartLimit && (
                <Text size="xs" c="dimmed">
                  {t("pivot.chartLimit", { count: chartLimit })}
                </Text>
              )}
            </Paper>
          )}
          <PivotTableView
            table={table}
            caption={t("pivot.tableCaption", {
              rows: dimNames(layout.rows),
              columns: dimNames(layout.columns),
            })}
            formatCell={formatCell}
            thresholds={result.metadata.coverage?.thresholds}
          />
        </>
      )}
      {table.emptyRows > 0 && (
        <Text size="sm" c="dimmed">
          {t("pivot.emptyRows", { count: table.emptyRows })}
        </Text>
      )}
    </Stack>
  );
}

function chartOption(
  table: PivotTable,
  kind: "bar" | "line",
  limit: number,
  number: (v: number | null | undefined) => string,
): EChartsCoreOption {
  const label = (items: { name: string }[]) => items.map((i) => i.name).join(" · ");
  const rows = table.rows.slice(0, limit);
  return {
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    legend: { type: "scroll", top: 0, textStyle: { fontSize: 13 }, pageIconSize: 14, itemGap: 12 },
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => number(v as number) },
    xAxis: {
      type: "category",
      data: table.columns.map((c) => label(c.items)),
      axisLabel: { interval: 0, width: 90, overflow: "truncate", hideOverlap: true },
    },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => number(v) } },
    // One colour per series, never repeated (ECharts' palette has nine and starts again).
    color: rows.map((_, i) => `hsl(${Math.round((i * 137.508) % 360)}, 62%, ${i % 2 ? 36 : 46}%)`),
    series: rows.map((row) => ({
      type: kind,
      name: label(row.items),
      data: table.columns.map((c) => table.cell(row, c)?.value ?? null),
      symbolSize: 8,
      showSymbol: true,
      barMaxWidth: 28,
    })),
  };
}

function PivotTableView({
  table,
  caption,
  formatCell,
  thresholds,
}: {
  table: PivotTable;
  caption: string;
  formatCell: (dx: string, value: number | null | undefined) => string;
  thresholds: Record<string, number> | undefined;
}) {
  const { t } = useAnalyticsText();
  const dxIndex = (dims: Dimension[]) => dims.indexOf("dx");
  const rowDx = dxIndex(table.rowDims);
  const colDx = dxIndex(table.colDims);
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table className={`${common.table} ${classes.pivot}`} striped highlightOnHover withTableBorder>
        <caption className={common.visuallyHidden}>{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            {table.rowDims.map((d) => (
              <Table.Th key={d} scope="col">
                {t(`pivot.dim.${d}`)}
              </Table.Th>
            ))}
            {table.columns.map((c) => (
              <Table.Th key={c.key} scope="col" ta="right">
                {c.items.map((i) => i.name).join(" · ")}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row) => (
            <Table.Tr key={row.key}>
              {row.items.map((item, i) => (
                <Table.Th key={`${table.rowDims[i]}:${item.code}`} scope="row" fw={i === 0 ? 600 : 400}>
                  {item.name}
                </Table.Th>
              ))}
              {table.columns.map((c) => {
                const cell = table.cell(row, c);
                const dx =
                  rowDx >= 0
                    ? (row.items[rowDx]?.code ?? "")
                    : colDx >= 0
                      ? (c.items[colDx]?.code ?? "")
                      : (cell?.data ?? "");
                return (
                  <Table.Td key={c.key}>
                    <Text span c={cell?.partial ? "orange.9" : undefined} inherit>
                      {formatCell(dx, cell?.value)}
                    </Text>
                    {cell?.incomplete && <IncompleteBadge />}
                    {cell && <CoverageNote cell={cell} threshold={thresholds?.[dx]} />}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SavedViews({
  views,
  isPending,
  error,
  onOpen,
}: {
  views: SavedView[] | null | undefined;
  isPending: boolean;
  error: unknown;
  onOpen: (view: SavedView) => void;
}) {
  const { t } = useAnalyticsText();
  const headingId = useId();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: deleteView,
    onSettled: () => queryClient.invalidateQueries({ queryKey: analyticsKeys.views }),
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={2} id={headingId}>
        {t("views.title")}
      </Title>
      {isPending && <LoadingState />}
      {error !== null && <ErrorState error={error} />}
      {views === null && <Text c="dimmed">{t("views.unavailable")}</Text>}
      {views?.length === 0 && <Text c="dimmed">{t("views.none")}</Text>}
      {remove.isError && (
        <Alert color="red" variant="light" role="alert">
          {t("views.deleteFailed", { message: remove.error.message })}
        </Alert>
      )}
      {views && views.length > 0 && (
        <Stack component="ul" gap="xs" className={classes.viewList}>
          {views.map((view) => (
            <Paper component="li" key={view.id} withBorder p="sm" radius="md">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2} miw={0}>
                  <Text fw={600}>{view.name}</Text>
                  {view.description && (
                    <Text size="sm" c="dimmed">
                      {view.description}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    {view.isMine ? t("views.mine") : t("views.owner", { name: view.ownerName ?? "—" })}
                    {view.unitName ? ` · ${view.unitName}` : ""}
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Button
                    size="xs"
                    onClick={() => onOpen(view)}
                    aria-label={t("views.openOf", { name: view.name })}
                  >
                    {t("views.open")}
                  </Button>
                  {view.isMine && (
                    <Button
                      size="xs"
                      variant="outline"
                      color="red"
                      loading={remove.isPending && remove.variables?.id === view.id}
                      aria-label={t("views.deleteOf", { name: view.name })}
                      onClick={() => {
                        if (window.confirm(t("views.confirmDelete", { name: view.name })))
                          remove.mutate(view);
                      }}
                    >
                      {t("views.delete")}
                    </Button>
                  )}
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function SaveDialog({
  query,
  unitCode,
  onClose,
  onSaved,
}: {
  query: ViewQuery;
  unitCode: string | undefined;
  onClose: () => void;
  onSaved: (view: SavedView) => void;
}) {
  const { t } = useAnalyticsText();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () =>
      createView({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(unitCode ? { unitCode } : {}),
        query,
      }),
    onSuccess: async (view) => {
      await queryClient.invalidateQueries({ queryKey: analyticsKeys.views });
      onSaved(view);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(t("views.nameRequired"));
      return;
    }
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t("views.saveTitle")} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t("views.name")}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setNameError(undefined);
            }}
            error={nameError}
            required
            maxLength={200}
            data-autofocus
          />
          <Textarea
            label={t("views.description")}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={1000}
          />
          {save.isError && (
            <Alert color="red" variant="light" role="alert">
              {t("views.failed", { message: save.error.message })}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t("views.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("views.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
