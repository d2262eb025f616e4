import type { Dimension, PivotResult, PivotRow } from "./api.ts";

/** One item of a dimension as the table heads show it. */
export interface DimItem {
  code: string;
  name: string;
}

/** A row or column of the table: one item of each of its dimensions. */
export interface Header {
  key: string;
  items: DimItem[];
}

export interface PivotTable {
  rowDims: Dimension[];
  colDims: Dimension[];
  rows: Header[];
  columns: Header[];
  /** Rows left out for having no figure at all. */
  emptyRows: number;
  cell: (row: Header, column: Header) => PivotRow | undefined;
}

const cellKey = (dx: string, pe: string, ou: string) => `${dx}\u0000${pe}\u0000${ou}`;

/** The items of a dimension in the order the API gave them, named in the UI language. */
export function dimensionItems(result: PivotResult, dim: Dimension, isEnglish: boolean): DimItem[] {
  const m = result.metadata;
  switch (dim) {
    case "dx":
      return m.data.map((d) => ({ code: d.code, name: isEnglish ? d.nameEn : d.nameVi }));
    case "pe":
      return m.periods.map((p) => ({ code: p.code, name: isEnglish ? p.nameEn : p.nameVi }));
    case "ou":
      return m.units.map((u) => ({ code: u.code, name: u.name }));
  }
}

function combine(lists: DimItem[][]): DimItem[][] {
  let out: DimItem[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((item) => [...prefix, item]));
  return out;
}

/**
 * Lays the flat cells of the API out as a table: the row dimensions' items crossed down, the column dimensions'
 * across. Rows with no figure in any column are left out (a province's communes that did not report).
 */
export function pivot(
  result: PivotResult,
  rowDims: Dimension[],
  colDims: Dimension[],
  isEnglish: boolean,
): PivotTable {
  const byKey = new Map<string, PivotRow>();
  for (const r of result.rows) byKey.set(cellKey(r.data, r.period, r.unit), r);
  const toHeaders = (dims: Dimension[]): Header[] =>
    combine(dims.map((d) => dimensionItems(result, d, isEnglish))).map((items) => ({
      key: items.map((i) => i.code).join("/"),
      items,
    }));
  const allDims: Dimension[] = [...rowDims, ...colDims];
  const find = (row: Header, column: Header) => {
    const codes: Partial<Record<Dimension, string>> = {};
    allDims.forEach((d, i) => {
      codes[d] = (i < rowDims.length ? row.items[i] : column.items[i - rowDims.length])?.code;
    });
    // A dimension in neither (a single-item filter) takes its one item.
    for (const d of ["dx", "pe", "ou"] as const) {
      if (codes[d] === undefined) codes[d] = dimensionItems(result, d, isEnglish)[0]?.code ?? "";
    }
    return byKey.get(cellKey(codes.dx ?? "", codes.pe ?? "", codes.ou ?? ""));
  };
  const columns = toHeaders(colDims);
  const allRows = toHeaders(rowDims);
  const rows = allRows.filter((row) => columns.some((c) => find(row, c) !== undefined));
  return { rowDims, colDims, rows, columns, emptyRows: allRows.length - rows.length, cell: find };
}

/** Lowercase without Vietnamese marks: "chieng khuong" finds "Chiềng Khương". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
