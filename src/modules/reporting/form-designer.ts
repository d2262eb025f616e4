import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";
import {
  actingProvince,
  assertMayEdit,
  assignableCodes,
  ownerForNew,
  refuseForeignUnits,
} from "./authority.ts";
import { catalogueCode, catalogueName } from "./catalogue.ts";
import { type PeriodType, periodContaining, periodsBetween } from "./periods.ts";
import { dataElements, formElements, formSections, forms, formUnits, reports } from "./schema.ts";

/**
 * The form designer's operations: create, change and retire a report form, and set the units that report it.
 * A province administrator designs its own province's forms; the system administrator the national ones; on any
 * form a province administrator assigns only its own units (see authority.ts).
 */

const unitCode = safeText().trim().min(1).max(32);

/** Which units report: a list of codes, every commune of a province today, or every village of a commune today. */
export const unitSelection = z.union([
  z.array(unitCode).max(20_000),
  z.object({ communesOf: unitCode }).strict(),
  z.object({ villagesOf: unitCode }).strict(),
]);

const designFields = {
  nameVi: catalogueName,
  nameEn: catalogueName,
  periodType: z.enum(["yearly", "sixMonthly", "quarterly", "monthly"]),
  /**
   * With `days_after_end`, the report is due this many days after the period's last day; with `day_of_next_month`,
   * on this day of the month after the period (the 20th: deadlineDays 20).
   */
  deadlineDays: z.number().int().min(0).max(10_000).default(15),
  deadlineRule: z.enum(["days_after_end", "day_of_next_month"]).default("days_after_end"),
  /** Share of expected units below which an aggregate of this form is marked partial (0–1). */
  coverageThreshold: z.number().min(0).max(1).default(0.8),
  /** The entry screen warns (never blocks) when a value moves by more than this factor from the last period. */
  changeFactor: z.number().gt(1).max(1000).default(2),
  sections: z
    .array(
      z.object({ nameVi: catalogueName, nameEn: catalogueName, elements: z.array(catalogueCode).max(500) }),
    )
    .max(100),
  units: unitSelection.default([]),
};

export const formInput = z.object({
  code: catalogueCode,
  ...designFields,
  isIllustrative: z.boolean().default(false),
});
export const formUpdateInput = z.object({
  ...designFields,
  version: z.number().int().min(1).describe("The version you read; 409 when it changed meanwhile"),
});
export type FormInput = z.input<typeof formInput>;
export type FormUpdateInput = z.input<typeof formUpdateInput>;

const ruleLabel = (rule: "days_after_end" | "day_of_next_month", days: number) =>
  rule === "day_of_next_month"
    ? { vi: `ngày ${days} của tháng sau kỳ báo cáo`, en: `day ${days} of the month after the period` }
    : { vi: `${days} ngày sau khi hết kỳ`, en: `${days} days after the period ends` };

/**
 * A deadline must fall on a real day for every period of the form: "the 30th of the month after" has no day in
 * March for a January report, so it is refused (422 naming the rule) rather than silently moved.
 */
export function checkDeadlineRule(
  periodType: PeriodType,
  rule: "days_after_end" | "day_of_next_month",
  days: number,
): void {
  const label = ruleLabel(rule, days);
  const refuse = (why: { vi: string; en: string }) => {
    throw unprocessable(
      "deadline_not_computable",
      {
        vi: `Không tính được hạn nộp "${label.vi}": ${why.vi}`,
        en: `Cannot compute the deadline "${label.en}": ${why.en}`,
      },
      { field: "deadlineDays", rule, deadlineDays: days },
    );
  };
  if (rule === "days_after_end") {
    if (days > 366) refuse({ vi: "quá một năm sau kỳ.", en: "more than a year after the period." });
    return;
  }
  if (days < 1) refuse({ vi: "không có ngày 0.", en: "there is no day 0." });
  // The month after each period of a leap and a common year: the shortest decides.
  const first = periodContaining(periodType, "2024-01-01");
  const last = periodContaining(periodType, "2025-12-31");
  for (const period of first && last ? periodsBetween(first, last) : []) {
    const [year, month] = period.end.split("-").map(Number) as [number, number];
    const nextYear = month === 12 ? year + 1 : year;
    const nextMonth = month === 12 ? 1 : month + 1;
    const length = new Date(Date.UTC(nextYear, nextMonth, 0)).getUTCDate();
    if (days > length)
      refuse({
        vi: `tháng ${nextMonth}/${nextYear} (sau kỳ ${period.code}) chỉ có ${length} ngày.`,
        en: `${nextYear}-${String(nextMonth).padStart(2, "0")} (after period ${period.code}) has only ${length} days.`,
      });
  }
}

/** The codes a selection names, resolved on today's map; 422 naming unknown codes. */
async function resolveUnits(db: DbOrTx, selection: z.infer<typeof unitSelection>): Promise<string[]> {
  const today = todayInVietnam();
  if (!Array.isArray(selection)) {
    const [parent, level] =
      "communesOf" in selection
        ? [selection.communesOf, "commune" as const]
        : [selection.villagesOf, "village" as const];
    const rows = rowsOf<{ code: string }>(
      await db.execute(sql`
        SELECT DISTINCT code FROM unit_versions
        WHERE parent_code = ${parent} AND level = ${level}
          AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)
        ORDER BY code`),
    );
    return rows.map((r) => r.code);
  }
  const wanted = [...new Set(selection)];
  if (wanted.length === 0) return [];
  const found = new Set(
    rowsOf<{ code: string }>(
      await db.execute(
        sql`SELECT DISTINCT code FROM unit_versions WHERE code IN (${sql.join(wanted, sql`, `)})`,
      ),
    ).map((r) => r.code),
  );
  const missing = wanted.filter((u) => !found.has(u));
  if (missing.length)
    throw unprocessable(
      "unknown_unit",
      {
        vi: `Không có đơn vị mã: ${missing.join(", ")}.`,
        en: `Unknown unit code(s): ${missing.join(", ")}.`,
      },
      { field: "units", codes: missing },
    );
  return wanted;
}

const noUnits = () =>
  unprocessable(
    "form_without_units",
    {
      vi: "Biểu mẫu phải có ít nhất một đơn vị báo cáo.",
      en: "A form needs at least one reporting unit.",
    },
    { field: "units" },
  );

/** Sections checked and their element codes resolved to ids: 422 for an empty form or an unknown element. */
async function resolveSections(
  db: DbOrTx,
  ctx: RequestContext,
  sections: z.infer<typeof formInput>["sections"],
): Promise<Map<string, number>> {
  const codes = sections.flatMap((s) => s.elements);
  if (codes.length === 0)
    throw unprocessable(
      "form_without_elements",
      {
        vi: "Biểu mẫu phải có ít nhất một chỉ tiêu.",
        en: "A form needs at least one data element.",
      },
      { field: "sections" },
    );
  const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
  if (duplicate)
    throw badRequest(
      "invalid_input",
      {
        vi: `Chỉ tiêu ${duplicate} xuất hiện hai lần trong biểu mẫu.`,
        en: `Element ${duplicate} appears twice in the form.`,
      },
      { fields: [{ field: "sections", message: `${duplicate} twice` }] },
    );
  const rows = await db
    .select({ id: dataElements.id, code: dataElements.code, owner: dataElements.ownerUnitCode })
    .from(dataElements)
    .where(inArray(dataElements.code, codes));
  const byCode = new Map(rows.map((e) => [e.code, e]));
  const unknown = codes.filter((c) => !byCode.has(c));
  if (unknown.length)
    throw unprocessable(
      "unknown_element",
      {
        vi: `Không có chỉ tiêu mã: ${unknown.join(", ")}.`,
        en: `Unknown data element(s): ${unknown.join(", ")}.`,
      },
      { field: "sections", codes: unknown },
    );
  // A province builds its forms from national elements and its own, not another province's.
  const province = actingProvince(ctx.actor);
  const foreign = rows.filter((e) => province !== null && e.owner !== null && e.owner !== province);
  if (foreign.length)
    throw unprocessable(
      "foreign_element",
      {
        vi: `Chỉ tiêu của tỉnh khác: ${foreign.map((e) => e.code).join(", ")}.`,
        en: `Data elements of another province: ${foreign.map((e) => e.code).join(", ")}.`,
      },
      { field: "sections", codes: foreign.map((e) => e.code) },
    );
  return new Map(rows.map((e) => [e.code, e.id]));
}

async function writeSections(
  tx: DbOrTx,
  formId: number,
  sections: z.infer<typeof formInput>["sections"],
  ids: Map<string, number>,
) {
  for (const [position, section] of sections.entries()) {
    if (section.elements.length === 0) continue;
    const [row] = await tx
      .insert(formSections)
      .values({ formId, position, nameVi: section.nameVi, nameEn: section.nameEn })
      .returning({ id: formSections.id });
    if (!row) throw new Error("insert returned nothing");
    await tx.insert(formElements).values(
      section.elements.map((c, i) => ({
        sectionId: row.id,
        formId,
        elementId: ids.get(c) ?? 0,
        position: i,
      })),
    );
  }
}

/** The units a province administrator names must all be its own (403 naming the others). */
async function assertAssignable(db: DbOrTx, ctx: RequestContext, codes: readonly string[]) {
  const allowed = await assignableCodes(db, ctx.actor);
  if (allowed) refuseForeignUnits(codes.filter((c) => !allowed.has(c)));
  return allowed;
}

/** Creates a report form with its sections, elements and reporting units in one transaction. */
export async function createForm(db: Db, ctx: RequestContext, raw: FormInput) {
  const input = formInput.parse(raw);
  const owner = ownerForNew(ctx.actor);
  checkDeadlineRule(input.periodType, input.deadlineRule, input.deadlineDays);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: forms.id }).from(forms).where(eq(forms.code, input.code));
    if (taken)
      throw new AppError(
        409,
        "code_taken",
        { vi: `Mã ${input.code} đã được dùng.`, en: `The code ${input.code} is already used.` },
        { field: "code" },
      );
    const ids = await resolveSections(tx, ctx, input.sections);
    const units = await resolveUnits(tx, input.units);
    if (units.length === 0) throw noUnits();
    await assertAssignable(tx, ctx, units);
    const { sections, units: _selection, coverageThreshold, changeFactor, ...formFields } = input;
    const [form] = await tx
      .insert(forms)
      .values({
        ...formFields,
        coverageThreshold: String(coverageThreshold),
        changeFactor: String(changeFactor),
        ownerUnitCode: owner,
      })
      .returning();
    if (!form) throw new Error("insert returned nothing");
    await writeSections(tx, form.id, sections, ids);
    await tx
      .insert(formUnits)
      .values(units.map((code) => ({ formId: form.id, unitCode: code })))
      .onConflictDoNothing();
    await recordAudit(tx, ctx, {
      action: "catalogue.create",
      recordKind: "form",
      recordId: form.code,
      unitCode: owner,
      after: { ...input, units, ownerUnitCode: owner },
    });
    return form;
  });
}

/** The form row, locked for this transaction (FOR UPDATE), or 404. */
async function lockForm(tx: DbOrTx, formCode: string) {
  const [form] = await tx.select().from(forms).where(eq(forms.code, formCode)).for("update");
  if (!form)
    throw notFound(
      "form_not_found",
      { vi: `Không có biểu mẫu ${formCode}.`, en: `No report form ${formCode}.` },
      { code: formCode },
    );
  return form;
}

function assertVersion(form: { code: string; version: number }, version: number) {
  if (form.version !== version)
    throw new AppError(
      409,
      "stale_version",
      {
        vi: `Người khác vừa sửa biểu mẫu ${form.code}; hãy tải lại rồi làm lại.`,
        en: `Someone else changed form ${form.code} meanwhile; reload and try again.`,
      },
      { currentVersion: form.version },
    );
}

async function formUnitCodes(db: DbOrTx, formId: number): Promise<string[]> {
  return (await db.select({ code: formUnits.unitCode }).from(formUnits).where(eq(formUnits.formId, formId)))
    .map((r) => r.code)
    .sort();
}

async function formElementCodes(db: DbOrTx, formId: number): Promise<string[]> {
  return (
    await db
      .select({ code: dataElements.code })
      .from(formElements)
      .innerJoin(dataElements, eq(dataElements.id, formElements.elementId))
      .where(eq(formElements.formId, formId))
  ).map((r) => r.code);
}

/** How many values each element of the form holds for the form's units, and how many reports it has. */
export async function formUsage(db: DbOrTx, formCode: string) {
  const [form] = await db.select({ id: forms.id }).from(forms).where(eq(forms.code, formCode));
  if (!form)
    throw notFound(
      "form_not_found",
      { vi: `Không có biểu mẫu ${formCode}.`, en: `No report form ${formCode}.` },
      { code: formCode },
    );
  const values = rowsOf<{ code: string; n: string | number }>(
    await db.execute(sql`
      SELECT e.code, count(*) AS n
      FROM form_elements fe
      JOIN data_elements e ON e.id = fe.element_id
      JOIN data_values v ON v.element_id = fe.element_id
      JOIN unit_versions u ON u.id = v.unit_version_id
      JOIN form_units fu ON fu.form_id = fe.form_id AND fu.unit_code = u.code
      WHERE fe.form_id = ${form.id}
      GROUP BY e.code ORDER BY e.code`),
  );
  const [reportCount] = await db
    .select({ n: sql<number>`count(*)` })
    .from(reports)
    .where(eq(reports.formId, form.id));
  return {
    reports: Number(reportCount?.n ?? 0),
    valuesByElement: Object.fromEntries(values.map((r) => [r.code, Number(r.n)])),
  };
}

/**
 * Changes a form's name, period, deadline, threshold, sections and units. Values already reported are never
 * deleted: an element taken off the form keeps its values (readable in analytics and history, and again if the
 * element comes back), and the answer lists those kept. The period type of a form with reports cannot change.
 */
export async function updateForm(db: Db, ctx: RequestContext, formCode: string, raw: FormUpdateInput) {
  const input = formUpdateInput.parse(raw);
  checkDeadlineRule(input.periodType, input.deadlineRule, input.deadlineDays);
  return db.transaction(async (tx) => {
    const form = await lockForm(tx, formCode);
    assertMayEdit(ctx.actor, form.ownerUnitCode, `Biểu mẫu ${formCode}`);
    assertVersion(form, input.version);
    const usage = await formUsage(tx, formCode);
    if (input.periodType !== form.periodType && usage.reports > 0)
      throw unprocessable(
        "period_type_locked",
        {
          vi: `Biểu mẫu đã có ${usage.reports} báo cáo theo kỳ cũ: không đổi được loại kỳ. Hãy tạo biểu mẫu mới.`,
          en: `The form has ${usage.reports} reports under its period type, which cannot change. Create a new form.`,
        },
        { field: "periodType" },
      );
    const ids = await resolveSections(tx, ctx, input.sections);
    const units = await resolveUnits(tx, input.units);
    if (units.length === 0) throw noUnits();
    await assertAssignable(tx, ctx, units);
    const beforeElements = await formElementCodes(tx, form.id);
    const beforeUnits = await formUnitCodes(tx, form.id);
    const [after] = await tx
      .update(forms)
      .set({
        nameVi: input.nameVi,
        nameEn: input.nameEn,
        periodType: input.periodType,
        deadlineDays: input.deadlineDays,
        deadlineRule: input.deadlineRule,
        coverageThreshold: String(input.coverageThreshold),
        changeFactor: String(input.changeFactor),
        version: form.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(forms.id, form.id))
      .returning();
    if (!after) throw new Error("update returned nothing");
    // Sections and their elements are rewritten; data values hang on (element, unit, period), not on the form.
    await tx.delete(formSections).where(eq(formSections.formId, form.id));
    await writeSections(tx, form.id, input.sections, ids);
    await tx.delete(formUnits).where(eq(formUnits.formId, form.id));
    await tx.insert(formUnits).values(units.map((code) => ({ formId: form.id, unitCode: code })));
    const kept = beforeElements
      .filter((c) => !ids.has(c) && (usage.valuesByElement[c] ?? 0) > 0)
      .map((c) => ({ element: c, values: usage.valuesByElement[c] ?? 0 }));
    await recordAudit(tx, ctx, {
      action: "catalogue.update",
      recordKind: "form",
      recordId: formCode,
      unitCode: form.ownerUnitCode,
      before: {
        nameVi: form.nameVi,
        nameEn: form.nameEn,
        periodType: form.periodType,
        deadlineDays: form.deadlineDays,
        deadlineRule: form.deadlineRule,
        coverageThreshold: Number(form.coverageThreshold),
        changeFactor: Number(form.changeFactor),
        elements: beforeElements,
        units: beforeUnits,
      },
      after: { ...input, units: [...units].sort(), keptValues: kept },
    });
    return { code: formCode, version: after.version, keptValues: kept };
  });
}

export const retirementInput = z.object({
  retired: z.boolean().describe("true retires the form (no new reports); false brings it back"),
  version: z.number().int().min(1),
});

/** Retires a form (no new reports; what was reported stays readable) or brings it back. */
export async function setFormRetired(
  db: Db,
  ctx: RequestContext,
  formCode: string,
  raw: z.input<typeof retirementInput>,
) {
  const input = retirementInput.parse(raw);
  return db.transaction(async (tx) => {
    const form = await lockForm(tx, formCode);
    assertMayEdit(ctx.actor, form.ownerUnitCode, `Biểu mẫu ${formCode}`);
    assertVersion(form, input.version);
    const retiredAt = input.retired ? (form.retiredAt ?? new Date()) : null;
    const [after] = await tx
      .update(forms)
      .set({ retiredAt, version: form.version + 1, updatedAt: new Date() })
      .where(eq(forms.id, form.id))
      .returning({ version: forms.version, retiredAt: forms.retiredAt });
    if (!after) throw new Error("update returned nothing");
    await recordAudit(tx, ctx, {
      action: input.retired ? "catalogue.retire" : "catalogue.reinstate",
      recordKind: "form",
      recordId: formCode,
      unitCode: form.ownerUnitCode,
      before: { retiredAt: form.retiredAt?.toISOString() ?? null },
      after: { retiredAt: after.retiredAt?.toISOString() ?? null },
    });
    return { code: formCode, version: after.version, retiredAt: after.retiredAt?.toISOString() ?? null };
  });
}

export const formUnitsInput = z.object({
  units: z.array(unitCode).max(20_000),
  version: z.number().int().min(1),
});

/**
 * Replaces the units that report a form (its version guards concurrent edits). A province administrator's list
 * replaces only its own province's units, on its own forms and on national ones: the other provinces' units stay
 * as they are, and naming one of them is refused (403).
 */
export async function setFormUnits(
  db: Db,
  ctx: RequestContext,
  formCode: string,
  raw: z.input<typeof formUnitsInput>,
) {
  const input = formUnitsInput.parse(raw);
  return db.transaction(async (tx) => {
    const form = await lockForm(tx, formCode);
    const province = actingProvince(ctx.actor);
    if (province !== null && form.ownerUnitCode !== null)
      assertMayEdit(ctx.actor, form.ownerUnitCode, `Biểu mẫu ${formCode}`);
    assertVersion(form, input.version);
    const named = await resolveUnits(tx, input.units);
    const allowed = await assertAssignable(tx, ctx, named);
    const before = await formUnitCodes(tx, form.id);
    const kept = allowed ? before.filter((c) => !allowed.has(c)) : [];
    const wanted = [...new Set([...kept, ...named])].sort();
    if (wanted.length === 0) throw noUnits();
    const [bumped] = await tx
      .update(forms)
      .set({ version: form.version + 1, updatedAt: new Date() })
      .where(eq(forms.id, form.id))
      .returning({ version: forms.version });
    if (!bumped) throw new Error("update returned nothing");
    await tx.delete(formUnits).where(eq(formUnits.formId, form.id));
    await tx.insert(formUnits).values(wanted.map((code) => ({ formId: form.id, unitCode: code })));
    await recordAudit(tx, ctx, {
      action: "catalogue.form_units",
      recordKind: "form",
      recordId: formCode,
      unitCode: province,
      before: { units: before },
      after: { units: wanted },
    });
    return { code: formCode, units: wanted, version: bumped.version };
  });
}

/** Everything the designer needs to edit a form: its settings, sections, and the codes of its units. */
export async function formDesign(db: DbOrTx, ctx: RequestContext, formCode: string) {
  const [form] = await db.select().from(forms).where(eq(forms.code, formCode));
  if (!form)
    throw notFound(
      "form_not_found",
      { vi: `Không có biểu mẫu ${formCode}.`, en: `No report form ${formCode}.` },
      { code: formCode },
    );
  const sections = await db
    .select()
    .from(formSections)
    .where(eq(formSections.formId, form.id))
    .orderBy(formSections.position);
  const elements = await db
    .select({ sectionId: formElements.sectionId, code: dataElements.code })
    .from(formElements)
    .innerJoin(dataElements, eq(dataElements.id, formElements.elementId))
    .where(and(eq(formElements.formId, form.id)))
    .orderBy(formElements.position);
  const allUnits = await formUnitCodes(db, form.id);
  const allowed = await assignableCodes(db, ctx.actor);
  const units = allowed ? allUnits.filter((c) => allowed.has(c)) : allUnits;
  return {
    code: form.code,
    nameVi: form.nameVi,
    nameEn: form.nameEn,
    periodType: form.periodType,
    deadlineDays: form.deadlineDays,
    deadlineRule: form.deadlineRule,
    coverageThreshold: Number(form.coverageThreshold),
    changeFactor: Number(form.changeFactor),
    ownerUnitCode: form.ownerUnitCode,
    retiredAt: form.retiredAt?.toISOString() ?? null,
    version: form.version,
    sections: sections.map((s) => ({
      nameVi: s.nameVi,
      nameEn: s.nameEn,
      elements: elements.filter((e) => e.sectionId === s.id).map((e) => e.code),
    })),
    /** The units this reader may assign (all of them for the system administrator). */
    units,
    /** Units of other provinces that report it too (a national form), which this reader leaves alone. */
    otherUnitCount: allUnits.length - units.length,
  };
}
