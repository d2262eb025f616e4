import { queryOptions } from "@tanstack/react-query";
import { ApiError, getJson, sendJson } from "../../api/client.ts";

/**
 * The analytics API as the dashboards use it (src/modules/analytics/routes.ts, docs/analytics.md). The browser keeps
 * its own copy of the shapes rather than importing server code.
 */

export type Dimension = "dx" | "pe" | "ou";
export const dimensions: readonly Dimension[] = ["dx", "pe", "ou"];
export type ChartKind = "table" | "bar" | "line";

export interface PivotRow {
  data: string;
  period: string;
  unit: string;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  incomplete?: true;
  /** Communes with data / communes expected under the unit ("9 / 75 xã"). */
  coverage?: { reporting: number; expected: number };
  /** Below the form's coverage threshold: not the figure of the whole unit. */
  partial?: true;
}

export interface PivotUnitMeta {
  code: string;
  name: string;
  level: "province" | "district" | "commune" | "village";
  parentCode: string | null;
}

export interface PivotResult {
  rows: PivotRow[];
  metadata: {
    today: string;
    hierarchyDate: string;
    data: Array<{ code: string; kind: "element" | "indicator"; nameVi: string; nameEn: string }>;
    periods: Array<{ code: string; nameVi: string; nameEn: string }>;
    units: PivotUnitMeta[];
    names: Record<string, string>;
    incompleteUnits: Array<{ versionId: number; code: string; name: string }>;
    coverage?: { expected: Record<string, number>; thresholds: Record<string, number> };
  };
}

/** What a pivot asks: the three dimensions and the tree's date. */
export interface PivotRequest {
  dx: string[];
  pe: string[];
  ou: string[];
  hierarchyDate?: string | undefined;
  includeNumDen?: boolean;
}

/** A saved view's query: the request plus its layout and chart. */
export interface ViewQuery {
  dx: string[];
  pe: string[];
  ou: string[];
  hierarchyDate?: string;
  rows: Dimension[];
  columns: Dimension[];
  filter?: Dimension[];
  chart: ChartKind;
}

export interface SavedView {
  id: number;
  name: string;
  description: string | null;
  unitCode: string | null;
  unitName: string | null;
  ownerId: number;
  ownerName: string | null;
  isMine: boolean;
  query: ViewQuery;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const analyticsKeys = {
  all: ["analytics"] as const,
  pivot: (r: PivotRequest) =>
    [
      "analytics",
      "pivot",
      r.dx.join(","),
      r.pe.join(","),
      r.ou.join(","),
      r.hierarchyDate ?? "",
      r.includeNumDen ? 1 : 0,
    ] as const,
  views: ["analytics", "views"] as const,
  version: ["analytics", "version"] as const,
  pivots: ["analytics", "pivot"] as const,
};

function pivotParams(r: PivotRequest): Record<string, string | undefined> {
  return {
    dx: r.dx.join(","),
    pe: r.pe.join(","),
    ou: r.ou.join(","),
    hierarchyDate: r.hierarchyDate,
    includeNumDen: r.includeNumDen ? "true" : undefined,
  };
}

/** How often a dashboard asks again: a value saved in a form shows within a few seconds. */
export const liveInterval = 5_000;

/**
 * A pivot, kept fresh: asked again every few seconds while the page is visible and when the person comes back to
 * it, the previous figures staying on screen meanwhile.
 */
export function pivotQuery(r: PivotRequest, options: { live?: boolean; poll?: boolean } = {}) {
  return queryOptions({
    queryKey: analyticsKeys.pivot(r),
    queryFn: ({ signal }) => getJson<PivotResult>("/analytics", pivotParams(r), signal),
    staleTime: options.live ? 0 : 30_000,
    // With the data version watched (useLiveFigures), figures are fetched again only when it moves.
    refetchInterval: options.live && options.poll !== false ? liveInterval : false,
    refetchOnWindowFocus: true,
    // A refused query (unknown code, too many cells) is not worth asking again by itself.
    retry: (count, error) =>
      !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
  });
}

/**
 * Where the data stands ("values/dimensions" counters), asked every second: cheap on the server, and the figures are
 * fetched again only when it moves. null while the server has no such endpoint (404): the pages then poll instead.
 */
export function dataVersionQuery() {
  return queryOptions({
    queryKey: analyticsKeys.version,
    queryFn: async ({ signal }): Promise<string | null> => {
      try {
        const v = await getJson<{ values: number; dimensions: number }>("/analytics/version", {}, signal);
        return `${v.values}/${v.dimensions}`;
      } catch (err: unknown) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    staleTime: 0,
    refetchInterval: (query) => (query.state.data === null ? false : 1_000),
    refetchOnWindowFocus: true,
  });
}

/**
 * The saved views, or null while the server has no such endpoint yet (404): the page then says saving is not
 * available instead of failing.
 */
export function viewsQuery() {
  return queryOptions({
    queryKey: analyticsKeys.views,
    queryFn: async ({ signal }): Promise<SavedView[] | null> => {
      try {
        const list = await getJson<{ items: SavedView[] }>("/analytics/views", {}, signal);
        return list.items;
      } catch (err: unknown) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return null;
        throw err;
      }
    },
    staleTime: 30_000,
  });
}

export function createView(input: {
  name: string;
  description?: string;
  unitCode?: string;
  query: ViewQuery;
}): Promise<SavedView> {
  return sendJson<SavedView>("POST", "/analytics/views", input);
}

export function updateView(id: number, input: { version: number; name?: string; query?: ViewQuery }) {
  return sendJson<SavedView>("PATCH", `/analytics/views/${id}`, input);
}

export function deleteView(view: SavedView): Promise<undefined> {
  return sendJson("DELETE", `/analytics/views/${view.id}?version=${view.version}`);
}

/**
 * Downloads the pivot as a file through fetch, laid out as on screen, so that a refusal shows as a message on the
 * page instead of replacing it, and saves it under the name the server gives.
 */
export async function downloadPivot(
  query: ViewQuery,
  format: "csv" | "xlsx",
  lang: "vi" | "en",
): Promise<void> {
  const params = new URLSearchParams({
    dx: query.dx.join(","),
    pe: query.pe.join(","),
    ou: query.ou.join(","),
    rows: query.rows.join(","),
    columns: query.columns.join(","),
    layout: "table",
    format,
    lang,
    // The file holds the rows the table shows: those with at least one figure.
    emptyRows: "hide",
  });
  if (query.filter?.length) params.set("filter", query.filter.join(","));
  if (query.hierarchyDate) params.set("hierarchyDate", query.hierarchyDate);
  let response: Response;
  try {
    response = await fetch(`/api/v1/analytics?${params}`, { credentials: "same-origin" });
  } catch (err: unknown) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `analytics.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Relative periods the API resolves on today (docs/analytics.md). */
export const relativePeriods = [
  "THIS_YEAR",
  "LAST_YEAR",
  "LAST_5_YEARS",
  "THIS_SIX_MONTH",
  "LAST_SIX_MONTH",
  "THIS_QUARTER",
  "LAST_QUARTER",
  "LAST_4_QUARTERS",
  "THIS_MONTH",
  "LAST_MONTH",
  "LAST_12_MONTHS",
] as const;

/** The years from `from` to `to`, as period codes, oldest first. */
export function yearCodes(from: number, to: number): string[] {
  const years: string[] = [];
  for (let y = from; y <= to; y++) years.push(String(y));
  return years;
}

/** The first year the dashboards look for figures in. */
export const firstYear = 2010;
