import ExcelJS from "exceljs";
import type { PivotResult } from "./index.ts";

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
