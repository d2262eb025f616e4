import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest, notFound, unprocessable } from "../../http/errors.ts";
import { hasForbiddenCharacter, safeText } from "../../http/text.ts";
import type { Actor, RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { accountNames } from "../access/users.ts";
import { recordAudit } from "../audit/record.ts";
import { auditEvents } from "../audit/schema.ts";
import { todayInVietnam } from "../units/text.ts";
import type { FormElementView, FormView } from "./catalogue.ts";
import {
  type CachedForm,
  type CompiledRule,
  cachedForm,
  cachedUnitVersionOn,
  readVersions,
  type Versions,
} from "./entry-cache.ts";
import { compareValues, evaluateExpression, parseExpression, referencedElements } from "./expression.ts";
import { deadline, isOpen, type Period, parsePeriod } from "./periods.ts";
import { dataElements, dataValues, reports, validationRules } from "./schema.ts";
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
  versions?: Versions,
): Promise<ReportingTarget> {
  return (await resolveCachedTarget(db, formCode, unitCode, periodCode, today, versions)).target;
}

/** resolveTarget, with the cached form it was resolved from (its element ids and rules). */
async function resolveCachedTarget(
  db: DbOrTx,
  formCode: string,
  unitCode: string,
  periodCode: string,
  today: string,
  known?: Versions,
): Promise<{ target: ReportingTarget; cached: CachedForm }> {
  const versions = known ?? (await readVersions(db));
  const cached = await cachedForm(db, formCode, versions);
  const form = cached.form;
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
  if (!cached.units.has(unitCode))
    throw unprocessable(
      "unit_not_assigned",
      {
        vi: `Đơn vị ${unitCode} không báo cáo biểu ${form.code}.`,
        en: `Unit ${unitCode} does not report form ${form.code}.`,
      },
      { unit: unitCode, form: form.code },
    );
  const version = await cachedUnitVersionOn(db, unitCode, period.end, versions);
  if (!version)
    throw unprocessable(
      "unit_not_valid_in_period",
      {
        vi: `Không có đơn vị nào mang mã ${unitCode} vào cuối kỳ ${periodCode}.`,
        en: `No unit had code ${unitCode} at the end of ${periodCode}.`,
      },
      { unit: unitCode, period: periodCode },
    );
  return {
    target: { form, period, unit: { versionId: version.id, code: version.code, name: version.name } },
    cached,
  };
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

/** The display name of an account by its actor id, as a subquery (null for the system). */
const nameOfActor = (by: string) =>
  /^\d{1,15}$/.test(by)
    ? sql`(SELECT u.display_name FROM users u WHERE u.id = ${Number(by)})`
    : sql`NULL::text`;

type ReportJson = {
  status: ReportView["status"];
  submitted_at: string | null;
  submitted_by: string | null;
  submitted_by_name: string | null;
  decided_at: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  return_reason: string | null;
  version: number;
};

const isoOrNull = (at: string | null) => (at === null ? null : new Date(at).toISOString());

function reportViewOf(row: ReportJson): ReportView {
  return {
    status: row.status,
    submittedAt: isoOrNull(row.submitted_at),
    submittedBy: row.submitted_by,
    submittedByName: row.submitted_by_name,
    decidedAt: isoOrNull(row.decided_at),
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    returnReason: row.return_reason,
    version: row.version,
    isLocked: row.status === "approved" || row.status === "submitted",
  };
}

/**
 * The checks a saved value now fails, as validateTarget finds them for that element: its own range, and the rules of
 * the form that read it, evaluated on the values of the report (the saved one included).
 */
function checksOfSaved(
  element: FormElementView,
  saved: string | null,
  rules: readonly CompiledRule[],
  values: ReadonlyMap<string, string>,
): Violation[] {
  const found: Violation[] = [];
  if (saved !== null) {
    const problem = rangeProblem(element, Number(saved));
    if (problem)
      found.push({
        code: element.valueType === "percentage" ? "percentage_range" : "negative_count",
        importance: "high",
        elements: [element.code],
        message: { vi: `${problem.messageVi}.`, en: `${problem.message}.` },
      });
  }
  const numberOf = (code: string) => {
    const v = values.get(code);
    const n = v === undefined ? Number.NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  };
  for (const rule of rules) {
    const l = evaluateExpression(rule.left, numberOf);
    const r = evaluateExpression(rule.right, numberOf);
    if (l === null || r === null) continue;
    if (!compareValues(l, rule.operator, r))
      found.push({
        code: rule.code,
        importance: rule.importance,
        elements: rule.refs,
        message: { vi: rule.messageVi, en: rule.messageEn },
        left: l,
        right: r,
      });
  }
  return found;
}

/**
 * Saves one value as it is typed. Refuses a value of the wrong type (400 naming the element), a locked report (409),
 * and a value someone else changed since `expectedVersion` (409 with the current value), so no update is lost.
 *
 * A save is on the path of every keystroke a commune types, so it does few round trips (issue 14): the two version
 * counters (one query), then in one transaction the lock of value-locks.ts, the value locked for update together with
 * the report and the values its rules read (one statement), the write and its audit event. The form, its rules and
 * the unit version come from the cache of entry-cache.ts; only the rules that read the saved element are evaluated.
 */
export async function saveValue(db: Db, ctx: RequestContext, raw: z.input<typeof saveValueInput>) {
  const input = saveValueInput.parse(raw);
  const versions = await readVersions(db);
  await assertUnitInScope(db, ctx.actor, input.unit, { unitsVersion: versions.units });
  const { target, cached } = await resolveCachedTarget(
    db,
    input.form,
    input.unit,
    input.period,
    todayInVietnam(),
    versions,
  );
  const element = cached.elements.get(input.element);
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
  const elementId = element.id;
  const unitVersionId = target.unit.versionId;
  const period = target.period.code;
  const key = and(
    eq(dataValues.elementId, elementId),
    eq(dataValues.unitVersionId, unitVersionId),
    eq(dataValues.period, period),
  );
  const by = actorId(ctx.actor);
  const rules = cached.rules.filter((r) => r.refs.includes(element.code));
  const codeOfId = new Map<number, string>();
  for (const code of new Set(rules.flatMap((r) => r.refs)))
    if (code !== element.code) codeOfId.set(cached.elements.get(code)?.id ?? 0, code);
  const ruleIds = [...codeOfId.keys()];

  return db.transaction(async (tx) => {
    // The one gate of every value writer (value-locks.ts): no submitted or approved report of any form covers
    // this value, checked on committed data under a lock that a submission or approval has to wait for.
    const [locked] = await lockValuesForWrite(tx, { keys: [{ elementId, unitVersionId, period }] });
    if (locked) throw lockedValueError(locked, target.form.id, element.code);
    // The value, locked for this write; this form's report; the other values the element's rules read.
    const [state] = rowsOf<{
      value: string | null;
      comment: string | null;
      version: number | null;
      report: ReportJson | null;
      rule_values: Array<{ e: number; v: string }> | null;
    }>(
      await tx.execute(sql`
        SELECT b.value, b.comment, b.version,
          (SELECT json_build_object('status', r.status, 'submitted_at', r.submitted_at, 'submitted_by', r.submitted_by,
              'submitted_by_name', (SELECT u.display_name FROM users u WHERE u.id::text = r.submitted_by),
              'decided_at', r.decided_at, 'decided_by', r.decided_by,
              'decided_by_name', (SELECT u.display_name FROM users u WHERE u.id::text = r.decided_by),
              'return_reason', r.return_reason, 'version', r.version)
            FROM reports r
            WHERE r.form_id = ${target.form.id} AND r.unit_version_id = ${unitVersionId} AND r.period = ${period}) AS report,
          ${
            ruleIds.length
              ? sql`(SELECT json_agg(json_build_object('e', d.element_id, 'v', d.value)) FROM data_values d
                  WHERE d.unit_version_id = ${unitVersionId} AND d.period = ${period}
                    AND d.element_id IN (${sql.join(ruleIds, sql`, `)}))`
              : sql`NULL::json`
          } AS rule_values
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT v.value, v.comment, v.version FROM data_values v
          WHERE v.element_id = ${elementId} AND v.unit_version_id = ${unitVersionId} AND v.period = ${period}
          FOR UPDATE) b ON true`),
    );
    const before =
      state?.version === null || state?.version === undefined
        ? undefined
        : { value: state.value ?? "", comment: state.comment, version: Number(state.version) };
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
    const returning = {
      ...getTableColumns(dataValues),
      updatedByName: sql<string | null>`${nameOfActor(by)}`,
    };
    let after: (ValueRow & { updatedByName: string | null }) | undefined;
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
        .returning(returning);
      if (!after) throw await conflict();
    } else {
      [after] = await tx
        .insert(dataValues)
        .values({
          elementId,
          unitVersionId,
          period,
          value: parsed.value,
          numericValue: parsed.numeric === null ? null : String(parsed.numeric),
          comment: input.comment ?? null,
          updatedBy: by,
          // A value typed again after it was cleared continues from the cleared one's version (never back to 1).
          version: sql`coalesce((SELECT t.version FROM data_value_tombstones t
            WHERE t.element_id = ${elementId} AND t.unit_version_id = ${unitVersionId}
              AND t.period = ${period}), 0) + 1`,
        })
        .onConflictDoNothing()
        .returning(returning);
      if (!after) throw await conflict();
    }
    // The report row exists from the first value typed on (a draft), so that its version guards every transition.
    let report = state?.report ? reportViewOf(state.report) : null;
    if (!report) {
      await tx
        .insert(reports)
        .values({ formId: target.form.id, unitVersionId, period })
        .onConflictDoNothing();
      report = await reportOf(tx, target);
    }
    const snapshot = (row: { value: string; comment: string | null; version: number } | undefined) =>
      row ? { value: row.value, comment: row.comment, version: row.version } : null;
    await recordAudit(tx, ctx, {
      action: "data.save",
      recordKind: "data_value",
      recordId: `${element.code}/${target.unit.code}/${target.period.code}`,
      unitCode: target.unit.code,
      before: snapshot(before),
      after: snapshot(after),
    });
    const view = after
      ? valueView(
          element.code,
          after,
          new Map(after.updatedByName ? [[after.updatedBy, after.updatedByName]] : []),
        )
      : null;
    const values = new Map<string, string>();
    for (const r of state?.rule_values ?? []) {
      const code = codeOfId.get(Number(r.e));
      if (code) values.set(code, r.v);
    }
    if (after) values.set(element.code, after.value);
    return { value: view, violations: checksOfSaved(element, after?.value ?? null, rules, values), report };
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
