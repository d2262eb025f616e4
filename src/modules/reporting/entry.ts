import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest, notFound, unprocessable } from "../../server/errors.ts";
import { hasForbiddenCharacter, safeText } from "../../server/text.ts";
import type { Actor, RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { accountNames } from "../access/users.ts";
import { recordAudit } from "../audit/record.ts";
import { auditEvents } from "../audit/schema.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { todayInVietnam } from "../units/text.ts";
import { type FormElementView, type FormView, getForm } from "./catalogue.ts";
import { compareValues, evaluateExpression, parseExpression, referencedElements } from "./expression.ts";
import { deadline, isOpen, type Period, parsePeriod } from "./periods.ts";
import { dataElements, dataValues, formUnits, reports, validationRules } from "./schema.ts";
import { lockedValueError, lockValuesForWrite } from "./value-locks.ts";

const periodTypeVi = { yearly: "năm", sixMonthly: "6 tháng", quarterly: "quý", monthly: "tháng" } as const;
/** 2025-07-01 → 01/07/2025 */
const viDate = (iso: string) => iso.split("-").reverse().join("/");

/** Who wrote a row, as the audit trail names actors. */
export function actorId(actor: Actor): string {
  return actor.kind === "anonymous" ? "anonymous" : actor.kind === "system" ? `system:${actor.id}` : actor.id;
}

export interface ReportingTarget {
  form: FormView & { id: number };
  period: Period;
  unit: { versionId: number; code: string; name: string };
}

/**
 * Resolves form + unit code + period to the unit version that reports it (the one valid on the period's last day),
 * refusing a malformed or unopened period, a period of another type, and a unit that does not report the form.
 */
export async function resolveTarget(
  db: DbOrTx,
  formCode: string,
  unitCode: string,
  periodCode: string,
  today = todayInVietnam(),
): Promise<ReportingTarget> {
  const form = await getForm(db, formCode);
  const period = parsePeriod(periodCode);
  if (!period)
    throw badRequest(
      "invalid_input",
      {
        vi: `"${periodCode}" không phải mã kỳ báo cáo (2025, 2025S1, 2025Q3, 202507).`,
        en: `"${periodCode}" is not a period code (2025, 2025S1, 2025Q3, 202507).`,
      },
      { fields: [{ field: "period", message: "not a period code", messageVi: "không phải mã kỳ" }] },
    );
  if (period.type !== form.periodType)
    throw badRequest(
      "period_type_mismatch",
      {
        vi: `Biểu ${form.code} báo cáo theo kỳ ${periodTypeVi[form.periodType]}; ${periodCode} là kỳ ${periodTypeVi[period.type]}.`,
        en: `Form ${form.code} is reported ${form.periodType}; ${periodCode} is ${period.type}.`,
      },
      {
        fields: [
          {
            field: "period",
            message: `must be a ${form.periodType} period`,
            messageVi: `phải là kỳ ${periodTypeVi[form.periodType]}`,
          },
        ],
      },
    );
  if (!isOpen(period, today))
    throw unprocessable(
      "period_not_open",
      {
        vi: `Kỳ ${periodCode} bắt đầu ngày ${viDate(period.start)}; chưa mở để nhập số liệu.`,
        en: `Period ${periodCode} starts on ${period.start}; it is not open for data yet.`,
      },
      { period: periodCode },
    );
  const [assigned] = await db
    .select({ code: formUnits.unitCode })
    .from(formUnits)
    .where(and(eq(formUnits.formId, form.id), eq(formUnits.unitCode, unitCode)));
  if (!assigned)
    throw unprocessable(
      "unit_not_assigned",
      {
        vi: `Đơn vị ${unitCode} không báo cáo biểu ${form.code}.`,
        en: `Unit ${unitCode} does not report form ${form.code}.`,
      },
      { unit: unitCode, form: form.code },
    );
  const [version] = await unitVersionsOn(db, [unitCode], period.end);
  if (!version)
    throw unprocessable(
      "unit_not_valid_in_period",
      {
        vi: `Không có đơn vị nào mang mã ${unitCode} vào cuối kỳ ${periodCode}.`,
        en: `No unit had code ${unitCode} at the end of ${periodCode}.`,
      },
      { unit: unitCode, period: periodCode },
    );
  return { form, period, unit: { versionId: version.id, code: version.code, name: version.name } };
}

/** A value as typed, checked against its element's type: 400 naming the element when it cannot be that type. */
export function parseValue(
  element: FormElementView,
  raw: unknown,
): { value: string; numeric: number | null } {
  const refuse = (why: string, whyVi: string) =>
    badRequest(
      "invalid_value",
      {
        vi: `${element.code} (${element.nameVi}): ${whyVi}.`,
        en: `${element.code} (${element.nameEn}): ${why}.`,
      },
      { fields: [{ field: element.code, message: why, messageVi: whyVi }] },
    );
  switch (element.valueType) {
    case "text": {
      if (typeof raw !== "string" && typeof raw !== "number") throw refuse("expected text", "cần nhập chữ");
      const text = String(raw).trim();
      if (text.length > 2000) throw refuse("at most 2000 characters", "tối đa 2000 ký tự");
      if (hasForbiddenCharacter(text, true))
        throw refuse(
          "must not contain control characters (NUL, …) or broken Unicode",
          "không được chứa ký tự điều khiển (NUL, …) hoặc ký tự Unicode hỏng",
        );
      return { value: text, numeric: null };
    }
    case "boolean": {
      const text = String(raw).trim().toLowerCase();
      if (["true", "1", "yes", "có"].includes(text) || raw === true) return { value: "true", numeric: 1 };
      if (["false", "0", "no", "không"].includes(text) || raw === false)
        return { value: "false", numeric: 0 };
      throw refuse("expected yes or no", "cần ghi có hoặc không");
    }
    default: {
      const n =
        typeof raw === "number"
          ? raw
          : typeof raw === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(n)) throw refuse("expected a number", "cần nhập một số");
      if (element.valueType === "integer" && !Number.isInteger(n))
        throw refuse("expected a whole number", "cần nhập số nguyên");
      return { value: String(n), numeric: n };
    }
  }
}

/** The Vietnamese message of a refusal. */
export function messageViOf(error: AppError): string {
  return error.messages.vi;
}

/**
 * A value of the right type that no real figure can have: a percentage outside 0–100, a negative count. The form
 * keeps such a value and shows the message (the official may be halfway through typing); an import refuses the row.
 */
export function rangeProblem(
  element: Pick<FormElementView, "nameVi" | "nameEn" | "valueType">,
  n: number | null,
): { message: string; messageVi: string } | null {
  if (n === null) return null;
  if (element.valueType === "percentage" && (n < 0 || n > 100))
    return {
      message: `${element.nameEn}: a percentage must be 0–100 (now ${n})`,
      messageVi: `${element.nameVi}: tỷ lệ phải từ 0 đến 100 (đang là ${n})`,
    };
  if (element.valueType === "integer" && n < 0)
    return {
      message: `${element.nameEn}: a count cannot be negative`,
      messageVi: `${element.nameVi}: số đếm không được âm`,
    };
  return null;
}

export interface ValueView {
  element: string;
  value: string;
  comment: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** The display name of the account that wrote it; null for the system (imports, demo). */
  updatedByName: string | null;
}

type ValueRow = typeof dataValues.$inferSelect;

function valueView(element: string, row: ValueRow, names: ReadonlyMap<string, string>): ValueView {
  return {
    element,
    value: row.value,
    comment: row.comment,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    updatedByName: names.get(row.updatedBy) ?? null,
  };
}

export interface Violation {
  code: string;
  importance: "high" | "medium" | "low";
  message: { vi: string; en: string };
  elements: string[];
  left?: number | null;
  right?: number | null;
}

/** Checks that need no rule: a percentage within 0–100, a count not negative. */
function builtInChecks(elements: FormElementView[], values: Map<string, ValueView>): Violation[] {
  const found: Violation[] = [];
  for (const element of elements) {
    const v = values.get(element.code);
    if (!v) continue;
    const problem = rangeProblem(element, Number(v.value));
    if (problem)
      found.push({
        code: element.valueType === "percentage" ? "percentage_range" : "negative_count",
        importance: "high",
        elements: [element.code],
        message: { vi: `${problem.messageVi}.`, en: `${problem.message}.` },
      });
  }
  return found;
}

async function valuesOf(db: DbOrTx, target: ReportingTarget): Promise<Map<string, ValueView>> {
  const rows = await db
    .select({ code: dataElements.code, row: dataValues })
    .from(dataValues)
    .innerJoin(dataElements, eq(dataElements.id, dataValues.elementId))
    .where(
      and(eq(dataValues.unitVersionId, target.unit.versionId), eq(dataValues.period, target.period.code)),
    );
  const codes = new Set(target.form.sections.flatMap((s) => s.elements.map((e) => e.code)));
  const inForm = rows.filter((r) => codes.has(r.code));
  const names = await accountNames(
    db,
    inForm.map((r) => r.row.updatedBy),
  );
  return new Map(inForm.map(({ code, row }) => [code, valueView(code, row, names)]));
}

/** Runs the built-in checks and every validation rule whose elements all belong to the form and have values. */
export async function validateTarget(
  db: DbOrTx,
  target: ReportingTarget,
  values?: Map<string, ValueView>,
): Promise<Violation[]> {
  const current = values ?? (await valuesOf(db, target));
  const elements = target.form.sections.flatMap((s) => s.elements);
  const inForm = new Set(elements.map((e) => e.code));
  const violations = builtInChecks(elements, current);
  const numberOf = (code: string) => {
    const v = current.get(code);
    const n = v ? Number(v.value) : Number.NaN;
    return Number.isFinite(n) ? n : null;
  };
  for (const rule of await db.select().from(validationRules)) {
    const left = parseExpression(rule.left);
    const right = parseExpression(rule.right);
    if (!left.ok || !right.ok) continue;
    const refs = [...new Set([...referencedElements(left.expr), ...referencedElements(right.expr)])];
    if (refs.length === 0 || !refs.every((c) => inForm.has(c))) continue;
    const l = evaluateExpression(left.expr, numberOf);
    const r = evaluateExpression(right.expr, numberOf);
    if (l === null || r === null) continue;
    if (!compareValues(l, rule.operator, r))
      violations.push({
        code: rule.code,
        importance: rule.importance,
        elements: refs,
        message: { vi: rule.messageVi, en: rule.messageEn },
        left: l,
        right: r,
      });
  }
  return violations;
}

export interface ReportView {
  status: "draft" | "submitted" | "approved" | "returned";
  submittedAt: string | null;
  submittedBy: string | null;
  submittedByName: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  returnReason: string | null;
  version: number;
  isLocked: boolean;
}

export async function reportOf(db: DbOrTx, target: ReportingTarget): Promise<ReportView> {
  const [row] = await db
    .select()
    .from(reports)
    .where(
      and(
        eq(reports.formId, target.form.id),
        eq(reports.unitVersionId, target.unit.versionId),
        eq(reports.period, target.period.code),
      ),
    );
  if (!row)
    return {
      status: "draft",
      submittedAt: null,
      submittedBy: null,
      submittedByName: null,
      decidedAt: null,
      decidedBy: null,
      decidedByName: null,
      returnReason: null,
      version: 0,
      isLocked: false,
    };
  const names = await accountNames(db, [row.submittedBy, row.decidedBy]);
  return {
    status: row.status,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    submittedBy: row.submittedBy,
    submittedByName: names.get(row.submittedBy ?? "") ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
    decidedByName: names.get(row.decidedBy ?? "") ?? null,
    returnReason: row.returnReason,
    version: row.version,
    isLocked: row.status === "approved" || row.status === "submitted",
  };
}

export interface EntryView {
  form: FormView;
  unit: { code: string; name: string };
  period: Period & { deadline: string };
  report: ReportView;
  values: ValueView[];
  violations: Violation[];
  /**
   * Elements of this form locked by something other than its own report: another form's submitted or approved
   * report covering the same value (value-locks.ts), or a file import writing there ("importing").
   */
  lockedElements: Array<{
    element: string;
    form: { code: string; nameVi: string; nameEn: string } | null;
    status: "submitted" | "approved" | "importing";
  }>;
}

/** What locks this form's values from outside its own report (see EntryView.lockedElements). */
async function lockedFromOutside(db: DbOrTx, target: ReportingTarget): Promise<EntryView["lockedElements"]> {
  const rows = rowsOf<{
    element: string;
    form: string | null;
    name_vi: string | null;
    name_en: string | null;
    status: "submitted" | "approved" | "importing";
  }>(
    await db.execute(sql`
      SELECT DISTINCT ON (e.code) e.code AS element, f.code AS form, f.name_vi, f.name_en, r.status::text AS status
      FROM form_elements mine
      JOIN data_elements e ON e.id = mine.element_id
      JOIN form_elements other ON other.element_id = mine.element_id AND other.form_id <> mine.form_id
      JOIN reports r ON r.form_id = other.form_id AND r.unit_version_id = ${target.unit.versionId}
        AND r.period = ${target.period.code} AND r.status IN ('submitted', 'approved')
      JOIN forms f ON f.id = r.form_id
      WHERE mine.form_id = ${target.form.id}
      UNION ALL
      SELECT e.code, NULL, NULL, NULL, 'importing'
      FROM value_sets s JOIN form_elements mine ON mine.form_id = ${target.form.id}
      JOIN data_elements e ON e.id = mine.element_id
      WHERE s.unit_version_id = ${target.unit.versionId} AND s.period = ${target.period.code}
        AND s.import_id IS NOT NULL`),
  );
  const byElement = new Map<string, EntryView["lockedElements"][number]>();
  for (const r of rows)
    if (!byElement.has(r.element) || r.status === "importing")
      byElement.set(r.element, {
        element: r.element,
        form: r.form ? { code: r.form, nameVi: r.name_vi ?? r.form, nameEn: r.name_en ?? r.form } : null,
        status: r.status,
      });
  return [...byElement.values()];
}

/** Everything a data-entry screen needs for one form, unit and period. */
export async function getEntry(
  db: Db,
  ctx: RequestContext,
  formCode: string,
  unitCode: string,
  periodCode: string,
): Promise<EntryView> {
  await assertUnitInScope(db, ctx.actor, unitCode);
  const target = await resolveTarget(db, formCode, unitCode, periodCode);
  const values = await valuesOf(db, target);
  const { id: _id, ...form } = target.form;
  return {
    form,
    unit: { code: target.unit.code, name: target.unit.name },
    period: { ...target.period, deadline: deadline(target.period, target.form.deadlineDays) },
    report: await reportOf(db, target),
    values: [...values.values()],
    violations: await validateTarget(db, target, values),
    lockedElements: await lockedFromOutside(db, target),
  };
}

export const saveValueInput = z.object({
  form: safeText().trim().min(1).max(64),
  unit: safeText().trim().min(1).max(32),
  period: safeText().trim().min(1).max(16),
  element: safeText().trim().min(1).max(64),
  /** null or "" clears the value. */
  value: z.union([safeText({ multiLine: true }).max(2000), z.number(), z.boolean(), z.null()]),
  comment: safeText({ multiLine: true }).trim().max(2000).nullable().optional(),
  /** The version the client last saw; 0 when it saw no value. A newer one answers 409 with the current value. */
  expectedVersion: z.number().int().min(0),
});

/**
 * Saves one value as it is typed. Refuses a value of the wrong type (400 naming the element), a locked report (409),
 * and a value someone else changed since `expectedVersion` (409 with the current value), so no update is lost.
 */
export async function saveValue(db: Db, ctx: RequestContext, raw: z.input<typeof saveValueInput>) {
  const input = saveValueInput.parse(raw);
  await assertUnitInScope(db, ctx.actor, input.unit);
  const target = await resolveTarget(db, input.form, input.unit, input.period);
  const element = target.form.sections.flatMap((s) => s.elements).find((e) => e.code === input.element);
  if (!element)
    throw unprocessable(
      "element_not_in_form",
      {
        vi: `Chỉ tiêu ${input.element} không có trong biểu ${target.form.code}.`,
        en: `Element ${input.element} is not in form ${target.form.code}.`,
      },
      { element: input.element },
    );
  const cleared = input.value === null || (typeof input.value === "string" && input.value.trim() === "");
  const parsed = cleared ? null : parseValue(element, input.value);
  const [elementRow] = await db
    .select({ id: dataElements.id })
    .from(dataElements)
    .where(eq(dataElements.code, element.code));
  const elementId = elementRow?.id ?? 0;
  const key = and(
    eq(dataValues.elementId, elementId),
    eq(dataValues.unitVersionId, target.unit.versionId),
    eq(dataValues.period, target.period.code),
  );
  const by = actorId(ctx.actor);

  return db.transaction(async (tx) => {
    // The one gate of every value writer (value-locks.ts): no submitted or approved report of any form covers
    // this value, checked on committed data under a lock that a submission or approval has to wait for.
    const [locked] = await lockValuesForWrite(tx, {
      keys: [{ elementId, unitVersionId: target.unit.versionId, period: target.period.code }],
    });
    if (locked) throw lockedValueError(locked, target.form.id, element.code);
    const [before] = await tx.select().from(dataValues).where(key).for("update");
    const conflict = async () => {
      const [current] = await tx.select().from(dataValues).where(key);
      return new AppError(
        409,
        "value_conflict",
        {
          vi: `Người khác vừa sửa ${element.code}; đây là giá trị hiện tại.`,
          en: `Someone else changed ${element.code} meanwhile; here is the current value.`,
        },
        {
          element: element.code,
          current: current
            ? valueView(element.code, current, await accountNames(tx, [current.updatedBy]))
            : null,
        },
      );
    };
    if ((before?.version ?? 0) !== input.expectedVersion) throw await conflict();
    let after: typeof before;
    if (!parsed) {
      if (before) await tx.delete(dataValues).where(key);
      after = undefined;
    } else if (before) {
      [after] = await tx
        .update(dataValues)
        .set({
          value: parsed.value,
          numericValue: parsed.numeric === null ? null : String(parsed.numeric),
          comment: input.comment === undefined ? before.comment : input.comment,
          updatedAt: new Date(),
          updatedBy: by,
          version: sql`${dataValues.version} + 1`,
        })
        .where(and(key, eq(dataValues.version, input.expectedVersion)))
        .returning();
      if (!after) throw await conflict();
    } else {
      [after] = await tx
        .insert(dataValues)
        .values({
          elementId,
          unitVersionId: target.unit.versionId,
          period: target.period.code,
          value: parsed.value,
          numericValue: parsed.numeric === null ? null : String(parsed.numeric),
          comment: input.comment ?? null,
          updatedBy: by,
          // A value typed again after it was cleared continues from the cleared one's version (never back to 1).
          version: sql`coalesce((SELECT t.version FROM data_value_tombstones t
            WHERE t.element_id = ${elementId} AND t.unit_version_id = ${target.unit.versionId}
              AND t.period = ${target.period.code}), 0) + 1`,
        })
        .onConflictDoNothing()
        .returning();
      if (!after) throw await conflict();
    }
    await tx
      .insert(reports)
      .values({ formId: target.form.id, unitVersionId: target.unit.versionId, period: target.period.code })
      .onConflictDoNothing();
    const snapshot = (row: typeof before) =>
      row ? { value: row.value, comment: row.comment, version: row.version } : null;
    await recordAudit(tx, ctx, {
      action: "data.save",
      recordKind: "data_value",
      recordId: `${element.code}/${target.unit.code}/${target.period.code}`,
      unitCode: target.unit.code,
      before: snapshot(before),
      after: snapshot(after),
    });
    const view = after ? valueView(element.code, after, await accountNames(tx, [after.updatedBy])) : null;
    const values = await valuesOf(tx, target);
    const violations = (await validateTarget(tx, target, values)).filter((v) =>
      v.elements.includes(element.code),
    );
    return { value: view, violations, report: await reportOf(tx, target) };
  });
}

/** Who changed one value, when, from what to what (from the audit trail), newest first. */
export async function valueHistory(
  db: Db,
  ctx: RequestContext,
  formCode: string,
  unitCode: string,
  periodCode: string,
  elementCode: string,
) {
  await assertUnitInScope(db, ctx.actor, unitCode);
  const target = await resolveTarget(db, formCode, unitCode, periodCode);
  if (!target.form.sections.some((s) => s.elements.some((e) => e.code === elementCode)))
    throw notFound("element_not_in_form", {
      vi: `Chỉ tiêu ${elementCode} không có trong biểu ${formCode}.`,
      en: `Element ${elementCode} is not in form ${formCode}.`,
    });
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.recordKind, "data_value"),
        eq(auditEvents.recordId, `${elementCode}/${target.unit.code}/${target.period.code}`),
      ),
    )
    .orderBy(sql`${auditEvents.id} DESC`);
  const names = await accountNames(
    db,
    rows.map((r) => r.actorId),
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actorKind: r.actorKind,
    actorId: r.actorId,
    actorName: names.get(r.actorId) ?? null,
    before: r.before,
    after: r.after,
  }));
}
