/**
 * Rows/columns layout and filters of a pivot result: which dimensions (data, periods, units) go down the side, which
 * across the top, and which are fixed to a single item. Shared by the route (JSON `layout=table`, CSV, .xlsx) and
 * saved views, which store the same three lists.
 */
import { badRequest } from "../../http/errors.ts";
import type { PivotResult, PivotRow } from "./index.ts";

export const dimensions = ["dx", "pe", "ou"] as const;
export type Dimension = (typeof dimensions)[number];
export type Lang = "vi" | "en";

export interface Layout {
  rows: Dimension[];
  columns: Dimension[];
  filter: Dimension[];
}

export const defaultLayout: Layout = { rows: ["ou"], columns: ["dx", "pe"], filter: [] };

const dimensionNames: Record<Lang, Record<Dimension, string>> = {
  vi: { dx: "Dữ liệu", pe: "Kỳ", ou: "Đơn vị" },
  en: { dx: "Data", pe: "Period", ou: "Unit" },
};
const codeHeaders: Record<Lang, Record<Dimension, string>> = {
  vi: { dx: "Mã dữ liệu", pe: "Mã kỳ", ou: "Mã đơn vị" },
  en: { dx: "Data code", pe: "Period code", ou: "Unit code" },
};

interface Problem {
  field: string;
  code: string;
  message: string;
  messageVi?: string;
}

const refuse = (problems: Problem[]) =>
  badRequest(
    "invalid_layout",
    {
      vi: problems.map((p) => p.messageVi ?? p.message).join(" "),
      en: problems.map((p) => p.message).join(" "),
    },
    { problems },
  );

/**
 * The layout asked for, defaults filled in: without rows and columns, rows = ou and columns = dx, pe (less the filter
 * dimensions); with one of them, the other takes the dimensions left. A dimension placed twice, or (when both rows and
 * columns are given) not placed at all, is refused with 400 `invalid_layout` naming it.
 */
export function resolveLayout(given: Partial<Layout>): Layout {
  const filter = given.filter ?? [];
  const problems: Problem[] = [];
  const seen = new Map<Dimension, string>();
  const place = (field: string, list: readonly Dimension[]) => {
    for (const d of list) {
      const already = seen.get(d);
      if (already)
        problems.push({
          field,
          code: d,
          message:
            already === field
              ? `${d} appears twice in ${field}.`
              : `${d} is in both ${already} and ${field}; a dimension goes in exactly one of rows, columns and filter.`,
          messageVi:
            already === field
              ? `${d} xuất hiện hai lần trong ${field}.`
              : `${d} nằm cả ở ${already} và ${field}; mỗi chiều chỉ nằm ở một trong hàng, cột và bộ lọc.`,
        });
      else seen.set(d, field);
    }
  };
  place("filter", filter);
  if (given.rows) place("rows", given.rows);
  if (given.columns) place("columns", given.columns);
  const left = dimensions.filter((d) => !seen.has(d));
  let rows: Dimension[];
  let columns: Dimension[];
  if (!given.rows && !given.columns) {
    rows = defaultLayout.rows.filter((d) => !seen.has(d));
    columns = defaultLayout.columns.filter((d) => !seen.has(d));
  } else {
    rows = given.rows ?? left;
    columns = given.columns ?? left;
    if (given.rows && given.columns)
      for (const d of left)
        problems.push({
          field: "rows",
          code: d,
          message: `${d} is in none of rows, columns and filter; put it in one of them.`,
          messageVi: `${d} không nằm ở hàng, cột hay bộ lọc; hãy đặt nó vào một chỗ.`,
        });
  }
  if (problems.length) throw refuse(problems);
  return { rows, columns, filter };
}

/** Refuses a filter dimension that holds more than one item (raw counts: codes, periods as resolved, units). */
export function assertSingleFilters(filter: readonly Dimension[], counts: Record<Dimension, number>): void {
  const problems: Problem[] = filter
    .filter((d) => counts[d] !== 1)
    .map((d) => ({
      field: "filter",
      code: d,
      message: `${d} is a filter, so it must hold exactly one item; it holds ${counts[d]}. Move ${d} to rows or columns, or ask for one item.`,
      messageVi: `${d} là bộ lọc nên chỉ được có đúng một mục; đang có ${counts[d]}. Hãy chuyển ${d} sang hàng hoặc cột, hoặc chỉ chọn một mục.`,
    }));
  if (problems.length) throw refuse(problems);
}

export interface LayoutItem {
  code: string;
  name: string;
}

export interface PivotTable {
  /** The column dimensions with their items; the columns are the cartesian product, the first dimension outermost. */
  headers: Array<{ dimension: Dimension; items: LayoutItem[] }>;
  rows: Array<{
    keys: Array<{ dimension: Dimension } & LayoutItem>;
    cells: Array<number | null>;
    /** Per cell, parallel to `cells`: communes with a value / communes expected, and whether that is partial. */
    coverage: Array<{ reporting: number; expected: number; partial?: true }>;
  }>;
  metadata: PivotResult["metadata"] & {
    layout: Layout;
    /** The filter dimensions and their one item each. */
    filters: Array<{ dimension: Dimension } & LayoutItem>;
    /** [rowIndex, columnIndex] of cells some value could not be placed in (a partial lineage edge lacks a share). */
    incompleteCells: Array<[number, number]>;
  };
}

function itemsOf(result: PivotResult, lang: Lang): Record<Dimension, LayoutItem[]> {
  const m = result.metadata;
  return {
    dx: m.data.map((d) => ({ code: d.code, name: lang === "en" ? d.nameEn : d.nameVi })),
    pe: m.periods.map((p) => ({ code: p.code, name: lang === "en" ? p.nameEn : p.nameVi })),
    ou: m.units.map((u) => ({ code: u.code, name: u.name })),
  };
}

/** Every combination of one item per dimension, the first dimension outermost. */
function product(dims: readonly Dimension[], items: Record<Dimension, LayoutItem[]>) {
  let combos: Array<Array<{ dimension: Dimension } & LayoutItem>> = [[]];
  for (const dimension of dims)
    combos = combos.flatMap((combo) => items[dimension].map((item) => [...combo, { dimension, ...item }]));
  return combos;
}

/** The flat result laid out as a table: rows × columns of the asked dimensions, filters fixed to their one item. */
export function layoutTable(
  result: PivotResult,
  layout: Layout,
  lang: Lang = "vi",
  options: { hideEmptyRows?: boolean } = {},
): PivotTable {
  const items = itemsOf(result, lang);
  const byKey = new Map<string, PivotRow>();
  for (const r of result.rows) byKey.set(`${r.data}|${r.period}|${r.unit}`, r);
  const fixed: Partial<Record<Dimension, string>> = {};
  const filters = layout.filter.flatMap((dimension) => {
    const item = items[dimension][0];
    if (!item) return [];
    fixed[dimension] = item.code;
    return [{ dimension, ...item }];
  });
  const columnCombos = product(layout.columns, items);
  const incompleteCells: Array<[number, number]> = [];
  const rows = product(layout.rows, items).map((keys, rowIndex) => {
    const coverage: PivotTable["rows"][number]["coverage"] = [];
    let hasCell = false;
    const cells = columnCombos.map((combo, colIndex) => {
      const at: Partial<Record<Dimension, string>> = { ...fixed };
      for (const k of [...keys, ...combo]) at[k.dimension] = k.code;
      const row = byKey.get(`${at.dx}|${at.pe}|${at.ou}`);
      if (row?.incomplete) incompleteCells.push([rowIndex, colIndex]);
      if (row) hasCell = true;
      const expected = result.metadata.coverage.expected[at.ou ?? ""] ?? 0;
      coverage.push(
        row
          ? { ...row.coverage, ...(row.partial ? { partial: true as const } : {}) }
          : { reporting: 0, expected, ...(expected > 0 ? { partial: true as const } : {}) },
      );
      return row?.value ?? null;
    });
    return { keys, cells, coverage, hasCell };
  });
  const shown = (options.hideEmptyRows ? rows.filter((r) => r.hasCell) : rows).map(
    ({ hasCell: _, ...r }) => r,
  );
  if (options.hideEmptyRows) {
    // Incomplete cells keep pointing at their rows once the empty ones are gone.
    const kept0 = rows.flatMap((r, i) => (r.hasCell ? [i] : []));
    const newIndex = new Map(kept0.map((old, at) => [old, at]));
    const kept = incompleteCells.flatMap(([r, c]) => {
      const at = newIndex.get(r);
      return at === undefined ? [] : [[at, c] as [number, number]];
    });
    incompleteCells.splice(0, incompleteCells.length, ...kept);
  }
  return {
    headers: layout.columns.map((dimension) => ({ dimension, items: items[dimension] })),
    rows: shown,
    metadata: { ...result.metadata, layout, filters, incompleteCells },
  };
}

/**
 * The table as a grid for CSV and .xlsx: a header line (each row dimension's name and its code column, then one
 * column per column combination named by its items' names) and one line per row.
 */
export function tableGrid(
  table: PivotTable,
  lang: Lang = "vi",
): { header: string[]; lines: Array<Array<string | number | null>>; rowKeyColumns: number } {
  const rowDims = table.metadata.layout.rows;
  const columnCombos = product(
    table.headers.map((h) => h.dimension),
    Object.fromEntries(table.headers.map((h) => [h.dimension, h.items])) as Record<Dimension, LayoutItem[]>,
  );
  const header = [
    ...rowDims.flatMap((d) => [dimensionNames[lang][d], codeHeaders[lang][d]]),
    ...columnCombos.map((combo) =>
      combo.length ? combo.map((k) => k.name || k.code).join(" – ") : lang === "en" ? "Value" : "Giá trị",
    ),
  ];
  const lines = table.rows.map((r) => [...r.keys.flatMap((k) => [k.name, k.code]), ...r.cells]);
  return { header, lines, rowKeyColumns: rowDims.length * 2 };
}

export const dimensionName = (d: Dimension, lang: Lang) => dimensionNames[lang][d];
