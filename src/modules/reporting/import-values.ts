import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../server/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { coversUnit } from "../access/scope.ts";
import { type AuditEntry, recordAuditMany } from "../audit/record.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { todayInVietnam } from "../units/text.ts";
import type { FormElementView } from "./catalogue.ts";
import { actorId, messageViOf, parseValue, rangeProblem } from "./entry.ts";
import { isOpen, parsePeriod } from "./periods.ts";
import { dataElements, dataValues, formElements, forms, formUnits, reports } from "./schema.ts";

/** One value to import, wherever it came from (CSV, Excel, DHIS2 JSON, demo content). */
export interface ImportRow {
  /** Where the row came from, for error messages: a line or row number. */
  row: number;
  element: string;
  unit: string;
  period: string;
  value: unknown;
  comment?: string | null;
  /** How the source names each field's column ("D (ROAD_KM_TOTAL)", "orgUnit"), for error messages. */
  columns?: Partial<Record<ImportRowError["field"], string>>;
}

export interface ImportRowError {
  row: number;
  /** The column as the file names it. */
  column: string;
  field: "element" | "unit" | "period" | "value";
  /** In English (API clients, the CLI) and in Vietnamese (the web app). */
  message: string;
  messageVi: string;
}

export interface ImportResult {
  rows: number;
  /** Values written (new or changed). */
  written: number;
  /** Values that were already exactly so. */
  unchanged: number;
  dryRun: boolean;
}

export type ValueImportProgress = (done: number, total: number) => void;

interface Resolved {
  row: ImportRow;
  elementId: number;
  unitVersionId: number;
  formId: number;
  unitCode: string;
  value: string;
  numeric: number | null;
}

/**
 * Imports values all or nothing: every row is checked first (element known and on a form the unit reports for that
 * kind of period, period open, unit in the importer's scope, value of the element's type, report not submitted or
 * approved), and either every row is written, in one transaction with an audit event per changed value, or nothing
 * is and the error lists each bad row and column.
 */
export async function importDataValues(
  db: Db,
  ctx: RequestContext,
  rows: ImportRow[],
  options: { dryRun?: boolean; onProgress?: ValueImportProgress } = {},
): Promise<ImportResult> {
  const errors: ImportRowError[] = [];
  const at = (row: ImportRow, field: ImportRowError["field"]) => ({
    row: row.row,
    field,
    column: row.columns?.[field] ?? field,
  });
  const today = todayInVietnam();
  const elementCodes = [...new Set(rows.map((r) => r.element))];
  const elements = elementCodes.length
    ? await db.select().from(dataElements).where(inArray(dataElements.code, elementCodes))
    : [];
  const elementByCode = new Map(elements.map((e) => [e.code, e]));
  // Which forms carry each element, for which units, with which period type.
  const placements = elements.length
    ? await db
        .select({
          elementId: formElements.elementId,
          formId: forms.id,
          periodType: forms.periodType,
          unitCode: formUnits.unitCode,
        })
        .from(formElements)
        .innerJoin(forms, eq(forms.id, formElements.formId))
        .innerJoin(formUnits, eq(formUnits.formId, forms.id))
        .where(
          inArray(
            formElements.elementId,
            elements.map((e) => e.id),
          ),
        )
    : [];
  const versionCache = new Map<string, number | null>();
  const scopeCache = new Map<string, boolean>();
  const resolved: Resolved[] = [];

  for (const row of rows) {
    const element = elementByCode.get(row.element);
    if (!element) {
      errors.push({
        ...at(row, "element"),
        message: `unknown data element "${row.element}"`,
        messageVi: `không có chỉ tiêu dữ liệu "${row.element}" trong danh mục`,
      });
      continue;
    }
    const period = parsePeriod(String(row.period));
    if (!period) {
      errors.push({
        ...at(row, "period"),
        message: `"${row.period}" is not a period code (2025, 2025Q3, 202507…)`,
        messageVi: `"${row.period}" không phải mã kỳ báo cáo (2025, 2025Q3, 202507…)`,
      });
      continue;
    }
    if (!isOpen(period, today)) {
      errors.push({
        ...at(row, "period"),
        message: `${period.code} is not open yet`,
        messageVi: `kỳ ${period.code} chưa mở`,
      });
      continue;
    }
    const placement = placements.find(
      (p) => p.elementId === element.id && p.unitCode === row.unit && p.periodType === period.type,
    );
    if (!placement) {
      errors.push({
        ...at(row, "unit"),
        message: `unit ${row.unit} reports no ${period.type} form with ${element.code}`,
        messageVi: `đơn vị ${row.unit} không báo cáo biểu mẫu nào có ${element.code} cho loại kỳ này`,
      });
      continue;
    }
    if (!scopeCache.has(row.unit)) scopeCache.set(row.unit, await coversUnit(db, ctx.actor, row.unit));
    if (!scopeCache.get(row.unit)) {
      errors.push({
        ...at(row, "unit"),
        message: `unit ${row.unit} is outside your scope`,
        messageVi: `đơn vị ${row.unit} nằm ngoài phạm vi của bạn`,
      });
      continue;
    }
    const versionKey = `${row.unit}@${period.end}`;
    if (!versionCache.has(versionKey)) {
      const [v] = await unitVersionsOn(db, [row.unit], period.end);
      versionCache.set(versionKey, v ? v.id : null);
    }
    const unitVersionId = versionCache.get(versionKey);
    if (!unitVersionId) {
      errors.push({
        ...at(row, "unit"),
        message: `no unit had code ${row.unit} at the end of ${period.code}`,
        messageVi: `không có đơn vị nào mang mã ${row.unit} vào cuối kỳ ${period.code}`,
      });
      continue;
    }
    const view: FormElementView = {
      code: element.code,
      nameVi: element.nameVi,
      nameEn: element.nameEn,
      valueType: element.valueType,
      unitOfMeasure: element.unitOfMeasure,
    };
    try {
      const parsed = parseValue(view, row.value);
      const outOfRange = rangeProblem(view, parsed.numeric);
      if (outOfRange) {
        errors.push({ ...at(row, "value"), ...outOfRange });
        continue;
      }
      resolved.push({
        row,
        elementId: element.id,
        unitVersionId,
        formId: placement.formId,
        unitCode: row.unit,
        value: parsed.value,
        numeric: parsed.numeric,
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push({ ...at(row, "value"), message: err.message, messageVi: messageViOf(err) });
    }
  }

  // Values of submitted or approved reports are not overwritten by an import.
  const reportKeys = [...new Set(resolved.map((r) => `${r.formId}|${r.unitVersionId}|${r.row.period}`))];
  const locked = new Set<string>();
  if (reportKeys.length) {
    const existing = await db
      .select({
        formId: reports.formId,
        unitVersionId: reports.unitVersionId,
        period: reports.period,
        status: reports.status,
      })
      .from(reports)
      .where(inArray(reports.unitVersionId, [...new Set(resolved.map((r) => r.unitVersionId))]));
    for (const r of existing)
      if (r.status === "submitted" || r.status === "approved")
        locked.add(`${r.formId}|${r.unitVersionId}|${r.period}`);
  }
  for (const r of resolved)
    if (locked.has(`${r.formId}|${r.unitVersionId}|${r.row.period}`))
      errors.push({
        ...at(r.row, "value"),
        message: `the report of ${r.unitCode} for ${r.row.period} is submitted or approved`,
        messageVi: `báo cáo của ${r.unitCode} kỳ ${r.row.period} đã gửi hoặc đã phê duyệt`,
      });
  const seen = new Map<string, number>();
  for (const r of resolved) {
    const key = `${r.elementId}|${r.unitVersionId}|${r.row.period}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({
        ...at(r.row, "element"),
        message: `same element, unit and period as row ${first}`,
        messageVi: `trùng chỉ tiêu, đơn vị và kỳ với dòng ${first}`,
      });
    else seen.set(key, r.row.row);
  }

  if (errors.length) {
    errors.sort((a, b) => a.row - b.row);
    throw new AppError(400, "import_invalid", `${errors.length} bad row(s); nothing was imported.`, {
      errors: errors.slice(0, 500),
    });
  }
  if (options.dryRun) return { rows: rows.length, written: 0, unchanged: 0, dryRun: true };

  return db.transaction(async (tx) => {
    let written = 0;
    let unchanged = 0;
    const by = actorId(ctx.actor);
    const audits: AuditEntry[] = [];
    for (const [i, r] of resolved.entries()) {
      const key = and(
        eq(dataValues.elementId, r.elementId),
        eq(dataValues.unitVersionId, r.unitVersionId),
        eq(dataValues.period, r.row.period),
      );
      const [before] = await tx.select().from(dataValues).where(key);
      const comment = r.row.comment ?? before?.comment ?? null;
      if (before && before.value === r.value && before.comment === comment) {
        unchanged++;
        continue;
      }
      const [after] = await tx
        .insert(dataValues)
        .values({
          elementId: r.elementId,
          unitVersionId: r.unitVersionId,
          period: r.row.period,
          value: r.value,
          numericValue: r.numeric === null ? null : String(r.numeric),
          comment,
          updatedBy: by,
        })
        .onConflictDoUpdate({
          target: [dataValues.elementId, dataValues.unitVersionId, dataValues.period],
          set: {
            value: r.value,
            numericValue: r.numeric === null ? null : String(r.numeric),
            comment,
            updatedBy: by,
            updatedAt: new Date(),
            version: sql`${dataValues.version} + 1`,
          },
        })
        .returning();
      written++;
      audits.push({
        action: "data.import",
        recordKind: "data_value",
        recordId: `${r.row.element}/${r.unitCode}/${r.row.period}`,
        unitCode: r.unitCode,
        before: before ? { value: before.value, comment: before.comment, version: before.version } : null,
        after: after ? { value: after.value, comment: after.comment, version: after.version } : null,
      });
      options.onProgress?.(i + 1, resolved.length);
    }
    await recordAuditMany(tx, ctx, audits);
    const reportRows = [
      ...new Map(resolved.map((r) => [`${r.formId}|${r.unitVersionId}|${r.row.period}`, r])).values(),
    ];
    for (let i = 0; i < reportRows.length; i += 500)
      await tx
        .insert(reports)
        .values(
          reportRows
            .slice(i, i + 500)
            .map((r) => ({ formId: r.formId, unitVersionId: r.unitVersionId, period: r.row.period })),
        )
        .onConflictDoNothing();
    options.onProgress?.(resolved.length, resolved.length);
    return { rows: rows.length, written, unchanged, dryRun: false };
  });
}
