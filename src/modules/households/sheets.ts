import ExcelJS from "exceljs";
import { badRequest } from "../../server/errors.ts";

/** An Excel cell as a plain value: numbers stay numbers, dates become YYYY-MM-DD, rich text its text. */
export function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("result" in value) return (value as { result: unknown }).result;
    if ("richText" in value)
      return (value as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join("");
    if ("text" in value) return (value as { text: string }).text;
  }
  return value;
}

export interface SheetRow {
  /** The row number as Excel shows it. */
  row: number;
  /** Cell values by the column's heading. */
  cells: Map<string, unknown>;
}

/**
 * Reads the first sheet of an .xlsx: row 1 holds the headings, data starts on row 2. 400 when the file is not an .xlsx
 * or lacks a heading. Not exceljs's streaming reader: it decodes each inflated chunk as UTF-8 on its own
 * (lib/utils/parse-sax.js), so a Vietnamese letter split across two chunks comes out as "V���" — found by the
 * households benchmark at 30,000 households. The whole-entry reader decodes each sheet at once.
 */
export async function readSheet(data: Uint8Array, required: readonly string[]): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (cause) {
    throw badRequest("not_xlsx", {
      vi: `Không đọc được tệp Excel .xlsx (${String(cause)}).`,
      en: `This is not a readable .xlsx file (${String(cause)}).`,
    });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0)
    throw badRequest("empty_file", { vi: "Tệp không có dữ liệu.", en: "The file holds no data." });
  const header = ((sheet.getRow(1).values as unknown[]) ?? [])
    .slice(1)
    .map((v) => String(cellValue(v) ?? "").trim());
  const missing = required.filter((h) => !header.includes(h));
  if (missing.length)
    throw badRequest(
      "missing_columns",
      {
        vi: `Tệp thiếu cột: ${missing.join(", ")}. Hãy dùng tệp mẫu.`,
        en: `The file lacks the columns: ${missing.join(", ")}. Use the template.`,
      },
      { missing },
    );
  const rows: SheetRow[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = (row.values as unknown[]).slice(1).map(cellValue);
    if (values.every((v) => v === null || String(v).trim() === "")) return;
    const cells = new Map<string, unknown>();
    header.forEach((h, i) => {
      cells.set(h, values[i] ?? null);
    });
    rows.push({ row: number, cells });
  });
  return rows;
}

/** A workbook of one sheet with a bold heading row, as bytes. */
export async function workbookOf(
  title: string,
  headings: string[],
  rows: unknown[][],
  widths: number[] = [],
  before: string[] = [],
  after: string[][] = [],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Grassroots";
  const ws = workbook.addWorksheet(title.slice(0, 31));
  for (const line of before) {
    const r = ws.addRow([line]);
    r.font = { bold: true };
  }
  const head = ws.addRow(headings);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
  head.eachCell((cell) => {
    cell.border = {
      top: { style: "thin" },
      bottom: { style: "thin" },
      left: { style: "thin" },
      right: { style: "thin" },
    };
  });
  for (const r of rows) {
    const added = ws.addRow(r);
    added.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = {
        top: { style: "thin" },
        bottom: { style: "thin" },
        left: { style: "thin" },
        right: { style: "thin" },
      };
    });
  }
  for (const line of after) ws.addRow(line);
  headings.forEach((_, i) => {
    ws.getColumn(i + 1).width = widths[i] ?? 16;
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
