import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import { and, eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { AppError, badRequest } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { subtreeCodes } from "../access/scope.ts";
import { xlsxRows } from "../documents/xlsx-reader.ts";
import { subtreeCodesOn, unitVersionsOn } from "../units/queries.ts";
import { getForm } from "./catalogue.ts";
import type { ImportRow, ImportRowError } from "./import-values.ts";
import { parsePeriod } from "./periods.ts";
import { dataElements, dataValues, formUnits } from "./schema.ts";

/**
 * Files that carry values in and out: a per-form sheet (one row per unit and period, one column per data element,
 * as officials keep them in Excel), the same as CSV, and DHIS2's dataValueSets JSON matched by codes.
 */
export type FileFormat = "xlsx" | "csv" | "dhis2";

export function formatOf(fileName: string): FileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".xlsx")) return "xlsx";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "dhis2";
  throw badRequest("unknown_format", {
    vi: `Không nhận ra định dạng của ${fileName}: hãy dùng .xlsx, .csv hoặc .json (DHIS2 dataValueSets).`,
    en: `Cannot tell the format of ${fileName}: use .xlsx, .csv or .json (DHIS2 dataValueSets).`,
  });
}

const fixedColumns = ["unit", "unit_name", "period"] as const;
const columnLetter = (index: number): string => {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

function structureError(message: string, messageVi: string, row: number, column: string): AppError {
  const error: ImportRowError = { row, column, field: "element", message, messageVi };
  return new AppError(
    400,
    "import_invalid",
    {
      vi: `Bố cục tệp không đúng: ${messageVi}; chưa nhập giá trị nào.`,
      en: `The file's layout is wrong: ${message}; nothing was imported.`,
    },
    { errors: [error], count: 1 },
  );
}

/**
 * A wide sheet's header row (codes) checked once, and a function turning each later row into import rows (one per
 * filled element cell; empty cells are skipped).
 */
function wideSheet(header: string[]): (row: number, cells: unknown[]) => ImportRow[] {
  const unitCol = header.indexOf("unit");
  const periodCol = header.indexOf("period");
  if (unitCol < 0)
    throw structureError('no "unit" column in the header', 'dòng tiêu đề thiếu cột "unit"', 1, "unit");
  if (periodCol < 0)
    throw structureError('no "period" column in the header', 'dòng tiêu đề thiếu cột "period"', 1, "period");
  const unitColumn = `${columnLetter(unitCol)} (unit)`;
  const periodColumn = `${columnLetter(periodCol)} (period)`;
  const elementColumns = header.flatMap((code, i) =>
    (fixedColumns as readonly string[]).includes(code) || !code
      ? []
      : [{ code, i, column: `${columnLetter(i)} (${code})` }],
  );
  return (row, cells) => {
    const unit = String(cells[unitCol] ?? "").trim();
    const period = String(cells[periodCol] ?? "").trim();
    if (!unit && !period) return [];
    const rows: ImportRow[] = [];
    for (const { code, i, column } of elementColumns) {
      const raw = cells[i];
      if (raw === undefined || raw === null || String(raw).trim() === "") continue;
      rows.push({
        row,
        element: code,
        unit,
        period,
        value: typeof raw === "string" ? raw.trim() : raw,
        columns: { element: column, value: column, unit: unitColumn, period: periodColumn },
      });
    }
    return rows;
  };
}

/** A wide CSV sheet (header row of codes first), read as a stream: one record in memory at a time. */
export async function* parseCsvValues(data: Uint8Array | string): AsyncGenerator<ImportRow> {
  const parser = Readable.from([typeof data === "string" ? data : Buffer.from(data)]).pipe(
    parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let toRows: ((row: number, cells: unknown[]) => ImportRow[]) | null = null;
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      if (!toRows) {
        toRows = wideSheet(record.map((h) => h.trim()));
        continue;
      }
      yield* toRows(line, record);
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw structureError(
      `not valid CSV (${String(cause)})`,
      `không phải tệp CSV hợp lệ (${String(cause)})`,
      line + 1,
      "",
    );
  }
}

/**
 * The first sheet of an .xlsx workbook, read as a stream (documents/xlsx-reader.ts, which keeps Vietnamese whole
 * where exceljs's streaming reader garbles a letter split between two inflated chunks): rows come in batches, so
 * memory stays bounded by the file and one batch. Row 1 holds the codes, row 2 the column names for people; data
 * starts on row 3. `data` is the file's bytes or its path.
 */
export async function* parseXlsxValues(data: Uint8Array | string): AsyncGenerator<ImportRow> {
  const bytes = typeof data === "string" ? new Uint8Array(await readFile(data)) : data;
  let toRows: ((row: number, cells: unknown[]) => ImportRow[]) | null = null;
  try {
    for await (const batch of xlsxRows(bytes)) {
      for (const { row, values } of batch) {
        if (row === 1) toRows = wideSheet(values.map((c) => String(c ?? "").trim()));
        else if (row >= 3 && toRows) yield* toRows(row, values);
      }
    }
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw structureError(
      `not an Excel .xlsx file (${String(cause)})`,
      `không phải tệp Excel .xlsx (${String(cause)})`,
      0,
      "",
    );
  }
  if (!toRows)
    throw structureError('no "unit" column in the header', 'dòng tiêu đề thiếu cột "unit"', 1, "unit");
}

const dhis2Schema = z.object({
  dataValues: z.array(
    z.object({
      dataElement: safeText(),
      period: safeText(),
      orgUnit: safeText(),
      value: z.union([safeText(), z.number(), z.boolean()]),
      comment: safeText({ multiLine: true }).nullable().optional(),
    }),
  ),
});

/** DHIS2 dataValueSets JSON (idScheme CODE): dataElement, period, orgUnit, value, comment. */
export function parseDhis2Values(text: string): ImportRow[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw structureError(
      `not valid JSON (${String(cause)})`,
      `không phải JSON hợp lệ (${String(cause)})`,
      0,
      "",
    );
  }
  const parsed = dhis2Schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const index = typeof issue?.path[1] === "number" ? issue.path[1] : -1;
    throw structureError(
      `not a DHIS2 dataValueSet: ${issue?.path.join(".")} ${issue?.message}`,
      `không phải DHIS2 dataValueSet: ${issue?.path.join(".")} ${issue?.message}`,
      index + 1,
      String(issue?.path[2] ?? "dataValues"),
    );
  }
  return parsed.data.dataValues.map((v, i) => ({
    row: i + 1,
    element: v.dataElement,
    unit: v.orgUnit,
    period: v.period,
    value: v.value,
    comment: v.comment ?? null,
    columns: {
      element: "dataElement",
      unit: "orgUnit",
      period: "period",
      value: "value",
      comment: "comment",
    },
  }));
}

/**
 * The rows of a values file, read as the import consumes them. `data` is the file's bytes, or (from the CLI) its
 * path, so that a large workbook is never held whole.
 */
export async function* parseValuesFile(
  format: FileFormat,
  data: Uint8Array | { path: string },
): AsyncGenerator<ImportRow> {
  if (format === "xlsx") {
    yield* parseXlsxValues("path" in data ? data.path : data);
    return;
  }
  const bytes = "path" in data ? new Uint8Array(await readFile(data.path)) : data;
  if (format === "csv") yield* parseCsvValues(bytes);
  else yield* parseDhis2Values(new TextDecoder("utf-8").decode(bytes));
}

export interface ExportSelection {
  form: string;
  period: string;
  /** Only this unit and those under it. */
  unit?: string | undefined;
}

interface Sheet {
  elements: Array<{ code: string; nameVi: string; nameEn: string }>;
  rows: Array<{ unit: string; unitName: string; period: string; values: Map<string, string> }>;
  comments: Map<string, string>;
}

/** The values of a form for a period, one row per reporting unit in the caller's scope. */
async function collect(
  db: Db,
  ctx: RequestContext,
  selection: ExportSelection,
  withValues: boolean,
): Promise<Sheet> {
  const form = await getForm(db, selection.form);
  const period = parsePeriod(selection.period);
  if (!period || period.type !== form.periodType)
    throw badRequest(
      "invalid_input",
      {
        vi: `"${selection.period}" không phải kỳ báo cáo đúng loại của biểu ${form.code}.`,
        en: `"${selection.period}" is not a ${form.periodType} period.`,
      },
      {
        fields: [
          {
            field: "period",
            message: "not a period of the form's type",
            messageVi: "không phải kỳ đúng loại của biểu",
          },
        ],
      },
    );
  let codes = (
    await db.select({ code: formUnits.unitCode }).from(formUnits).where(eq(formUnits.formId, form.id))
  ).map((r) => r.code);
  const actor = ctx.actor;
  if (actor.kind === "user" || actor.kind === "token") {
    if (actor.scope) {
      const scope = await subtreeCodes(db, actor.scope);
      codes = codes.filter((c) => scope.has(c));
    }
  }
  if (selection.unit) {
    const set = await subtreeCodesOn(db, selection.unit, period.end);
    codes = codes.filter((c) => set.has(c));
  }
  const units = await unitVersionsOn(db, codes, period.end);
  const elements = form.sections.flatMap((s) => s.elements);
  const values =
    withValues && units.length
      ? await db
          .select({
            code: dataElements.code,
            unitVersionId: dataValues.unitVersionId,
            value: dataValues.value,
            comment: dataValues.comment,
          })
          .from(dataValues)
          .innerJoin(dataElements, eq(dataElements.id, dataValues.elementId))
          .where(
            and(
              eq(dataValues.period, period.code),
              inArray(
                dataValues.unitVersionId,
                units.map((u) => u.id),
              ),
            ),
          )
      : [];
  const comments = new Map<string, string>();
  const rows = units.map((u) => {
    const map = new Map<string, string>();
    for (const v of values.filter((x) => x.unitVersionId === u.id)) {
      map.set(v.code, v.value);
      if (v.comment) comments.set(`${u.code}|${v.code}`, v.comment);
    }
    return { unit: u.code, unitName: u.name, period: period.code, values: map };
  });
  return { elements, rows, comments };
}

function toCsv(sheet: Sheet): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const header = [...fixedColumns, ...sheet.elements.map((e) => e.code)];
  const lines = sheet.rows.map((r) =>
    [r.unit, r.unitName, r.period, ...sheet.elements.map((e) => r.values.get(e.code) ?? "")]
      .map(quote)
      .join(","),
  );
  return `\uFEFF${[header.join(","), ...lines].join("\r\n")}\r\n`;
}

async function toXlsx(sheet: Sheet, title: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Grassroots";
  const ws = workbook.addWorksheet(title.slice(0, 31), {
    views: [{ state: "frozen", xSplit: 3, ySplit: 2 }],
  });
  ws.addRow([...fixedColumns, ...sheet.elements.map((e) => e.code)]);
  ws.addRow([
    "Mã đơn vị / Unit code",
    "Tên đơn vị / Unit",
    "Kỳ / Period",
    ...sheet.elements.map((e) => `${e.nameVi} / ${e.nameEn}`),
  ]);
  ws.getRow(1).font = { bold: true, color: { argb: "FF666666" } };
  ws.getRow(2).font = { bold: true };
  ws.getRow(2).alignment = { wrapText: true, vertical: "top" };
  for (const r of sheet.rows) {
    ws.addRow([
      r.unit,
      r.unitName,
      r.period,
      ...sheet.elements.map((e) => {
        const v = r.values.get(e.code);
        if (v === undefined) return null;
        const n = Number(v);
        return v !== "" && Number.isFinite(n) && !/^0\d/.test(v) ? n : v;
      }),
    ]);
  }
  ws.columns.forEach((column, i) => {
    column.width = i < 3 ? [10, 28, 10][i] : 18;
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function toDhis2(sheet: Sheet) {
  return {
    dataValues: sheet.rows.flatMap((r) =>
      sheet.elements
        .filter((e) => r.values.has(e.code))
        .map((e) => {
          const comment = sheet.comments.get(`${r.unit}|${e.code}`);
          return {
            dataElement: e.code,
            period: r.period,
            orgUnit: r.unit,
            value: r.values.get(e.code) ?? "",
            ...(comment ? { comment } : {}),
          };
        }),
    ),
  };
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

const encoder = new TextEncoder();

/** Exports entered values (or, with `template`, the empty sheet to fill in) in the given format. */
export async function exportValues(
  db: Db,
  ctx: RequestContext,
  selection: ExportSelection,
  format: FileFormat,
  template = false,
): Promise<ExportFile> {
  const sheet = await collect(db, ctx, selection, !template);
  const base = `${selection.form}_${selection.period}${selection.unit ? `_${selection.unit}` : ""}${template ? "_mau" : ""}`;
  if (format === "csv")
    return {
      fileName: `${base}.csv`,
      contentType: "text/csv; charset=utf-8",
      body: encoder.encode(toCsv(sheet)),
    };
  if (format === "dhis2")
    return {
      fileName: `${base}.json`,
      contentType: "application/json",
      body: encoder.encode(`${JSON.stringify(toDhis2(sheet), null, 2)}\n`),
    };
  return {
    fileName: `${base}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body: await toXlsx(sheet, `${selection.form} ${selection.period}`),
  };
}
