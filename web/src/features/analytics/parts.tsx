import { Badge, Group, Loader, Select, Text, Tooltip } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import common from "../../components/common.module.css";
import type { Indicator } from "../catalogue/api.ts";
import { formsQuery } from "../reporting/api.ts";
import classes from "./analytics.module.css";
import { analyticsKeys, dataVersionQuery } from "./api.ts";
import { useAnalyticsText } from "./use-analytics-text.ts";

/** When the figures on screen were fetched, and that they are fetched again by themselves. */
export function LiveLine({ updatedAt, isFetching }: { updatedAt: number; isFetching: boolean }) {
  const { t, clock } = useAnalyticsText();
  if (!updatedAt) return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color="green" variant="dot" size="sm" styles={{ label: { textTransform: "none" } }}>
        {t("live", { time: clock(updatedAt) })}
      </Badge>
      {isFetching && <Loader size={12} aria-label={t("refreshing")} />}
      <Text size="xs" c="dimmed" visibleFrom="sm">
        {t("liveHint")}
      </Text>
    </Group>
  );
}

/** A warning that the figures come from an illustrative form, shown while any form in scope is one. */
export function IllustrativeNote() {
  const { t } = useAnalyticsText();
  const forms = useQuery(formsQuery());
  if (!forms.data?.items.some((f) => f.isIllustrative)) return null;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Badge color="orange" variant="light" style={{ flexShrink: 0 }}>
        {t("illustrative")}
      </Badge>
      <Text size="sm" c="dimmed">
        {t("illustrativeHint")}
      </Text>
    </Group>
  );
}

/** A cell marked incomplete: some value of a former unit could not be placed. */
export function IncompleteBadge() {
  const { t } = useAnalyticsText();
  return (
    <Tooltip label={t("incompleteHint")} multiline w={260} events={{ hover: true, focus: true, touch: true }}>
      <Badge color="yellow" variant="light" size="sm" tabIndex={0}>
        {t("incomplete")}
      </Badge>
    </Tooltip>
  );
}

/**
 * "9 / 75 xã" beside a figure, and when fewer communes than the threshold have data, a "Chưa đủ xã" badge that says
 * the figure is not the whole unit's. Nothing for a commune's own figure (1 / 1).
 */
export function CoverageNote({
  cell,
  threshold,
}: {
  cell: { coverage?: { reporting: number; expected: number }; partial?: true };
  threshold?: number | undefined;
}) {
  const { t, percent } = useAnalyticsText();
  const c = cell.coverage;
  if (!c || c.expected <= 1) return null;
  return (
    <Group gap={6} wrap="wrap">
      <Text size="xs" c={cell.partial ? "orange.9" : "dimmed"} className={classes.figure}>
        <span className={common.visuallyHidden}>{t("coverageLabel")}: </span>
        {t("coverage", { reporting: c.reporting, expected: c.expected })}
      </Text>
      {cell.partial && (
        <Tooltip
          label={t("partialHint", {
            reporting: c.reporting,
            expected: c.expected,
            threshold: percent((threshold ?? 0.8) * 100, 0),
          })}
          multiline
          w={260}
          events={{ hover: true, focus: true, touch: true }}
        >
          <Badge
            color="orange"
            variant="light"
            size="sm"
            tabIndex={0}
            // In a narrow table column the words wrap rather than end in "…".
            styles={{
              root: { height: "auto", maxWidth: "100%" },
              label: { whiteSpace: "normal", overflow: "visible" },
            }}
          >
            {t("partial")}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

/** Formats an indicator's value: a percentage as "54,5 %", another factor as a plain figure, to its decimals. */
export function useIndicatorFormat() {
  const { number, percent } = useAnalyticsText();
  return (indicator: Pick<Indicator, "factor" | "decimals"> | undefined, value: number | null | undefined) =>
    indicator?.factor === 100 ? percent(value, indicator.decimals) : number(value, indicator?.decimals);
}

export function IndicatorSelect({
  indicators,
  value,
  onChange,
}: {
  indicators: Indicator[];
  value: string;
  onChange: (code: string) => void;
}) {
  const { t, name } = useAnalyticsText();
  return (
    <Select
      label={t("indicator")}
      data={indicators.map((i) => ({ value: i.code, label: name(i) }))}
      value={value}
      onChange={(code) => code && onChange(code)}
      allowDeselect={false}
      searchable
      comboboxProps={{ withinPortal: true }}
      maxDropdownHeight={320}
    />
  );
}

/**
 * The indicators a province leader looks at first, in this order (roads, water, waste, grid, poverty); the others
 * follow in the catalogue's order.
 */
const keyIndicatorCodes = [
  "ROAD_CONCRETE_PCT",
  "CLEAN_WATER_PCT",
  "WASTE_TREATED_PCT",
  "GRID_PCT",
  "POVERTY_RATE",
  "NEAR_POVERTY_RATE",
];

export function byKeyOrder(indicators: Indicator[]): Indicator[] {
  const rank = (i: Indicator) => {
    const at = keyIndicatorCodes.indexOf(i.code);
    return at === -1 ? keyIndicatorCodes.length : at;
  };
  return [...indicators].sort((a, b) => rank(a) - rank(b));
}

/**
 * Watches where the data stands and fetches the page's figures again as soon as it moves (call once per page).
 * Answers whether the watch works; when it does not (an older server), the figures poll by themselves.
 */
export function useLiveFigures(): { poll: boolean } {
  const queryClient = useQueryClient();
  const version = useQuery(dataVersionQuery());
  const seen = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const now = version.data;
    if (now === undefined || now === null) return;
    if (seen.current !== undefined && seen.current !== now)
      void queryClient.invalidateQueries({ queryKey: analyticsKeys.pivots });
    seen.current = now;
  }, [version.data, queryClient]);
  return { poll: version.data === null || version.isError };
}
