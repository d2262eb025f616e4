import ExcelJS from "exceljs";
import { badRequest } from "../../http/errors.ts";
import { XlsxError, type XlsxRow, xlsxRows } from "../documents/xlsx-reader.ts";

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
 * The data rows of the first sheet of an .xlsx, in batches, read as the file is inflated (memory bounded by a batch):
 * row 1 holds the headings, data starts on row 2, wholly empty rows are skipped. 400 when the file is not an .xlsx,
 * holds nothing, or lacks a heading. Vietnamese letters come out whole wherever the inflated chunks split them (see
 * xlsx-reader.ts for why exceljs's streaming reader is not used).
 */
export async function* sheetRows(
  data: Uint8Array,
  required: readonly string[],
  batch = 2000,
): AsyncGenerator<SheetRow[]> {
  const unreadable = (cause: unknown) =>
    badRequest("not_xlsx", {
      vi: `Không đọc được tệp Excel .xlsx (${cause instanceof Error ? cause.message : String(cause)}).`,
      en: `This is not a readable .xlsx file (${cause instanceof Error ? cause.message : String(cause)}).`,
    });
  const rows = xlsxRows(data, batch);
  let header: string[] | null = null;
  for (;;) {
    let next: IteratorResult<XlsxRow[]>;
    try {
      next = await rows.next();
    } catch (cause) {
      throw cause instanceof XlsxError ? unreadable(cause) : cause;
    }
    if (next.done || !next.value) break;
    const out: SheetRow[] = [];
    for (const r of next.value) {
      if (header === null) {
        header = (r.row === 1 ? r.values : []).map((v) => String(cellValue(v) ?? "").trim());
        const missing = required.filter((h) => !header?.includes(h));
        if (missing.length)
          throw badRequest(
            "missing_columns",
            {
              vi: `Tệp thiếu cột: ${missing.join(", ")}. Hãy dùng tệp mẫu.`,
              en: `The file lacks the columns: ${missing.join(", ")}. Use the template.`,
            },
            { missing },
          );
        if (r.row === 1) continue;
      }
      if (r.values.every((v) => v === null || String(v).trim() === "")) continue;
      const cells = new Map<string, unknown>();
      const headings: string[] = header;
      headings.forEach((h, i) => {
        cells.set(h, r.values[i] ?? null);
      });
      out.push({ row: r.row, cells });
    }
    if (out.length) yield out;
  }
  if (header === null)
    throw badRequest("empty_file", { vi: "Tệp không có dữ liệu.", en: "The file holds no data." });
}

/** Every data row of the first sheet at once (small files: survey results); see sheetRows. */
export async function readSheet(data: Uint8Array, required: readonly string[]): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const batch of sheetRows(data, required)) rows.push(...batch);
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
