import ExcelJS from "exceljs";
import type { PivotResult } from "./index.ts";
import { dimensionName, type Lang, type PivotTable, tableGrid } from "./layout.ts";

const header = [
  "data",
  "data_name",
  "period",
  "period_name",
  "unit",
  "unit_name",
  "value",
  "numerator",
  "denominator",
  "incomplete",
];

function table(result: PivotResult): Array<Array<string | number | null>> {
  const periodNames = new Map(result.metadata.periods.map((p) => [p.code, p.nameVi]));
  return result.rows.map((r) => [
    r.data,
    result.metadata.names[r.data] ?? "",
    r.period,
    periodNames.get(r.period) ?? "",
    r.unit,
    result.metadata.names[r.unit] ?? "",
    r.value,
    r.numerator ?? null,
    r.denominator ?? null,
    r.incomplete ? "yes" : "",
  ]);
}

const csvCell = (v: string | number | null) => {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The rows as CSV (UTF-8 with a BOM, so that Excel reads Vietnamese names), one line per cell. */
export function pivotCsv(result: PivotResult): string {
  const lines = [header, ...table(result)].map((row) => row.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** The rows as an .xlsx sheet, and the units lacking a lineage share on a second sheet when there are any. */
export async function pivotXlsx(result: PivotResult): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Grassroots";
  const ws = workbook.addWorksheet("Analytics", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  for (const row of table(result)) ws.addRow(row);
  ws.columns.forEach((column, i) => {
    column.width = [14, 36, 10, 18, 10, 28, 14, 14, 14, 10][i] ?? 14;
  });
  if (result.metadata.incompleteUnits.length) {
    const lacking = workbook.addWorksheet("Incomplete");
    lacking.addRow(["code", "name", "valid_from", "valid_to"]);
    for (const u of result.metadata.incompleteUnits) lacking.addRow([u.code, u.name, u.validFrom, u.validTo]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A laid-out table as CSV (UTF-8 with a BOM): row dimensions first, one column per column combination. */
export function pivotTableCsv(table: PivotTable, lang: Lang = "vi"): string {
  const { header, lines } = tableGrid(table, lang);
  const text = [header, ...lines].map((row) => row.map(csvCell).join(","));
  return `\uFEFF${text.join("\r\n")}\r\n`;
}

/**
 * A laid-out table as an .xlsx sheet (incomplete cells shaded), the filters on a second sheet and the units lacking a
 * lineage share on a third when there are any.
 */
export async function pivotTableXlsx(table: PivotTable, lang: Lang = "vi"): Promise<Uint8Array> {
  const { header, lines, rowKeyColumns } = tableGrid(table, lang);
  const en = lang === "en";
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Grassroots";
  const ws = workbook.addWorksheet(en ? "Analytics" : "Phân tích", {
    views: [{ state: "frozen", ySplit: 1, xSplit: rowKeyColumns }],
  });
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { wrapText: true, vertical: "top" };
  for (const line of lines) ws.addRow(line);
  ws.columns.forEach((column, i) => {
    column.width = i < rowKeyColumns ? (i % 2 === 0 ? 30 : 10) : 18;
  });
  for (const [r, c] of table.metadata.incompleteCells) {
    const cell = ws.getRow(r + 2).getCell(rowKeyColumns + c + 1);
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE8B0" } };
    cell.note = en
      ? "Incomplete: a partial lineage edge on the way lacks a share."
      : "Chưa đầy đủ: một quan hệ kế thừa một phần chưa có tỷ lệ.";
  }
  const filters = workbook.addWorksheet(en ? "Filters" : "Bộ lọc");
  filters.addRow(en ? ["dimension", "code", "name"] : ["chiều", "mã", "tên"]);
  filters.getRow(1).font = { bold: true };
  for (const f of table.metadata.filters) filters.addRow([dimensionName(f.dimension, lang), f.code, f.name]);
  filters.addRow([en ? "Hierarchy date" : "Ngày của cây đơn vị", table.metadata.hierarchyDate, ""]);
  if (table.metadata.incompleteUnits.length) {
    const lacking = workbook.addWorksheet("Incomplete");
    lacking.addRow(["code", "name", "valid_from", "valid_to"]);
    for (const u of table.metadata.incompleteUnits) lacking.addRow([u.code, u.name, u.validFrom, u.validTo]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
