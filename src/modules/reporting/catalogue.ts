import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, notFound } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { assertMayEdit, ownerForNew } from "./authority.ts";
import { checkReferences, type ExpressionError, parseExpression } from "./expression.ts";
import {
  dataElements,
  formElements,
  formSections,
  forms,
  formUnits,
  indicators,
  validationRules,
} from "./schema.ts";

export const catalogueCode = safeText()
  .trim()
  .regex(
    /^[A-Z][A-Z0-9_]{0,63}$/,
    zodMessage({
      vi: "chữ in hoa không dấu, chữ số và _, bắt đầu bằng một chữ",
      en: "upper-case letters without diacritics, digits and _, starting with a letter",
    }),
  );
export const catalogueName = safeText().trim().min(1).max(300);
const code = catalogueCode;
const name = catalogueName;

export const dataElementInput = z.object({
  code,
  nameVi: name,
  nameEn: name,
  valueType: z.enum(["number", "integer", "percentage", "boolean", "text"]),
  unitOfMeasure: safeText().trim().max(50).nullable().default(null),
  aggregation: z.enum(["sum", "average", "last", "min", "max", "none"]),
  description: safeText({ multiLine: true }).trim().max(2000).nullable().default(null),
});

export const indicatorInput = z.object({
  code,
  nameVi: name,
  nameEn: name,
  numerator: safeText().trim().min(1).max(2000),
  denominator: safeText().trim().min(1).max(2000).default("1"),
  factor: z.number().positive().default(1),
  decimals: z.number().int().min(0).max(6).default(1),
  higherIsBetter: z.boolean().default(true),
});

export const validationRuleInput = z.object({
  code,
  left: safeText().trim().min(1).max(2000),
  operator: z.enum(["==", "!=", "<", "<=", ">", ">="]),
  right: safeText().trim().min(1).max(2000),
  importance: z.enum(["high", "medium", "low"]).default("high"),
  messageVi: safeText().trim().min(1).max(500),
  messageEn: safeText().trim().min(1).max(500),
});

export type DataElementInput = z.input<typeof dataElementInput>;
export type IndicatorInput = z.input<typeof indicatorInput>;
export type ValidationRuleInput = z.input<typeof validationRuleInput>;

/** 400 listing each expression problem with the field and position, so the editor can underline it. */
function expressionProblems(
  field: string,
  text: string,
  known: ReadonlySet<string>,
): Array<ExpressionError & { field: string }> {
  const parsed = parseExpression(text);
  if (!parsed.ok) return [{ ...parsed.error, field }];
  return checkReferences(parsed.expr, known).map((e) => ({ ...e, field }));
}

async function knownElementCodes(db: DbOrTx): Promise<Set<string>> {
  const rows = await db.select({ code: dataElements.code }).from(dataElements);
  return new Set(rows.map((r) => r.code));
}

function refuseExpressions(problems: Array<ExpressionError & { field: string }>) {
  if (problems.length === 0) return;
  throw badRequest(
    "invalid_expression",
    {
      vi: problems.map((p) => `${p.field}: ${p.message.vi} (vị trí ${p.position})`).join("; "),
      en: problems.map((p) => `${p.field}: ${p.message.en} (at ${p.position})`).join("; "),
    },
    {
      fields: problems.map((p) => ({
        field: p.field,
        message: p.message.en,
        messageVi: p.message.vi,
        position: p.position,
        length: p.length,
        code: p.code,
      })),
    },
  );
}

async function assertCodeFree(
  db: DbOrTx,
  table: typeof dataElements | typeof indicators | typeof validationRules,
  value: string,
) {
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.code, value));
  if (row)
    throw new AppError(
      409,
      "code_taken",
      { vi: `Mã ${value} đã được dùng.`, en: `The code ${value} is already used.` },
      { field: "code" },
    );
}

type CatalogueTable = typeof dataElements | typeof indicators | typeof validationRules;

/**
 * The one way an element, indicator or rule is created: its expressions checked against the catalogue, its code
 * free, the row inserted and audited, all in one transaction.
 */
async function createEntry<Row extends { code: string }>(
  db: Db,
  ctx: RequestContext,
  entry: {
    table: CatalogueTable;
    recordKind: "data_element" | "indicator" | "validation_rule";
    input: { code: string };
    expressions?: ReadonlyArray<readonly [field: string, text: string]>;
    insert: (tx: DbOrTx, ownerUnitCode: string | null) => Promise<Row[]>;
  },
): Promise<Row> {
  const owner = ownerForNew(ctx.actor);
  return db.transaction(async (tx) => {
    if (entry.expressions?.length) {
      const known = await knownElementCodes(tx);
      refuseExpressions(entry.expressions.flatMap(([field, text]) => expressionProblems(field, text, known)));
    }
    await assertCodeFree(tx, entry.table, entry.input.code);
    const [row] = await entry.insert(tx, owner);
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "catalogue.create",
      recordKind: entry.recordKind,
      recordId: row.code,
      unitCode: owner,
      after: { ...entry.input, ownerUnitCode: owner },
    });
    return row;
  });
}

export async function createDataElement(db: Db, ctx: RequestContext, raw: DataElementInput) {
  const input = dataElementInput.parse(raw);
  return createEntry(db, ctx, {
    table: dataElements,
    recordKind: "data_element",
    input,
    insert: (tx, ownerUnitCode) =>
      tx
        .insert(dataElements)
        .values({ ...input, ownerUnitCode })
        .returning(),
  });
}

export async function createIndicator(db: Db, ctx: RequestContext, raw: IndicatorInput) {
  const input = indicatorInput.parse(raw);
  return createEntry(db, ctx, {
    table: indicators,
    recordKind: "indicator",
    input,
    expressions: [
      ["numerator", input.numerator],
      ["denominator", input.denominator],
    ],
    insert: (tx, ownerUnitCode) =>
      tx
        .insert(indicators)
        .values({ ...input, factor: String(input.factor), ownerUnitCode })
        .returning(),
  });
}

export async function createValidationRule(db: Db, ctx: RequestContext, raw: ValidationRuleInput) {
  const input = validationRuleInput.parse(raw);
  return createEntry(db, ctx, {
    table: validationRules,
    recordKind: "validation_rule",
    input,
    expressions: [
      ["left", input.left],
      ["right", input.right],
    ],
    insert: (tx, ownerUnitCode) =>
      tx
        .insert(validationRules)
        .values({ ...input, ownerUnitCode })
        .returning(),
  });
}

export interface FormElementView {
  code: string;
  nameVi: string;
  nameEn: string;
  valueType: "number" | "integer" | "percentage" | "boolean" | "text";
  unitOfMeasure: string | null;
}

export interface FormView {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: "yearly" | "sixMonthly" | "quarterly" | "monthly";
  deadlineDays: number;
  isIllustrative: boolean;
  deadlineRule: "days_after_end" | "day_of_next_month";
  coverageThreshold: number;
  changeFactor: number;
  /** The owning province's code; null for a national form. */
  ownerUnitCode: string | null;
  retiredAt: string | null;
  version: number;
  sections: Array<{ nameVi: string; nameEn: string; elements: FormElementView[] }>;
  unitCount: number;
}

/** A form with its sections and elements in order; 404 for an unknown code. */
export async function getForm(db: DbOrTx, formCode: string): Promise<FormView & { id: number }> {
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
    .orderBy(asc(formSections.position));
  const elements = await db
    .select({ sectionId: formElements.sectionId, position: formElements.position, element: dataElements })
    .from(formElements)
    .innerJoin(dataElements, eq(dataElements.id, formElements.elementId))
    .where(eq(formElements.formId, form.id))
    .orderBy(asc(formElements.position));
  const [units] = await db
    .select({ n: sql<number>`count(*)` })
    .from(formUnits)
    .where(eq(formUnits.formId, form.id));
  return {
    id: form.id,
    code: form.code,
    nameVi: form.nameVi,
    nameEn: form.nameEn,
    periodType: form.periodType,
    deadlineDays: form.deadlineDays,
    isIllustrative: form.isIllustrative,
    deadlineRule: form.deadlineRule,
    coverageThreshold: Number(form.coverageThreshold),
    changeFactor: Number(form.changeFactor),
    ownerUnitCode: form.ownerUnitCode,
    retiredAt: form.retiredAt?.toISOString() ?? null,
    version: form.version,
    unitCount: Number(units?.n ?? 0),
    sections: sections.map((s) => ({
      nameVi: s.nameVi,
      nameEn: s.nameEn,
      elements: elements
        .filter((e) => e.sectionId === s.id)
        .map(({ element: e }) => ({
          code: e.code,
          nameVi: e.nameVi,
          nameEn: e.nameEn,
          valueType: e.valueType,
          unitOfMeasure: e.unitOfMeasure,
        })),
    })),
  };
}

export async function listCatalogue(db: DbOrTx) {
  const [elements, indicatorRows, rules, formRows] = await Promise.all([
    db.select().from(dataElements).orderBy(asc(dataElements.code)),
    db.select().from(indicators).orderBy(asc(indicators.code)),
    db.select().from(validationRules).orderBy(asc(validationRules.code)),
    db.select().from(forms).orderBy(asc(forms.code)),
  ]);
  return {
    dataElements: elements.map(({ id: _id, createdAt: _c, updatedAt: _u, ...e }) => e),
    indicators: indicatorRows.map(({ id: _id, createdAt: _c, updatedAt: _u, factor, ...i }) => ({
      ...i,
      factor: Number(factor),
    })),
    validationRules: rules.map(({ id: _id, createdAt: _c, updatedAt: _u, ...r }) => r),
    forms: formRows.map(
      ({ id: _id, createdAt: _c, updatedAt: _u, coverageThreshold, changeFactor, retiredAt, ...f }) => ({
        ...f,
        coverageThreshold: Number(coverageThreshold),
        changeFactor: Number(changeFactor),
        retiredAt: retiredAt?.toISOString() ?? null,
      }),
    ),
  };
}

/**
 * A change: every field optional, without the defaults a new entry gets (zod applies a default inside `.partial()`,
 * so a change of the English name alone would otherwise reset the factor, the direction or the importance).
 */
const versioned = <T extends z.ZodObject>(schema: T) =>
  z
    .object(
      Object.fromEntries(
        Object.entries(schema.shape)
          .filter(([key]) => key !== "code")
          .map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field]),
      ) as { [K in Exclude<keyof T["shape"], "code">]: T["shape"][K] },
    )
    .partial()
    .extend({
      version: z.number().int().min(1).describe("The version you read; 409 when it changed meanwhile"),
    });

export const dataElementPatch = versioned(dataElementInput);
export const indicatorPatch = versioned(indicatorInput);
export const validationRulePatch = versioned(validationRuleInput);

type Kind = "data_element" | "indicator" | "validation_rule";
const tables = {
  data_element: dataElements,
  indicator: indicators,
  validation_rule: validationRules,
} as const;

/**
 * Changes a catalogue entry (not its code, which reported data and expressions refer to). Expressions are checked
 * as on creation; `version` guards against overwriting someone else's change (409 with the current entry).
 */
export async function updateCatalogueEntry(
  db: Db,
  ctx: RequestContext,
  kind: Kind,
  entryCode: string,
  raw: unknown,
) {
  const schema =
    kind === "data_element" ? dataElementPatch : kind === "indicator" ? indicatorPatch : validationRulePatch;
  const { version, ...patch } = schema.parse(raw) as Record<string, unknown> & { version: number };
  const table = tables[kind];
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(table).where(eq(table.code, entryCode));
    if (!before)
      throw notFound(
        "catalogue_entry_not_found",
        { vi: `Không có mục ${entryCode} trong danh mục.`, en: `No ${kind.replace("_", " ")} ${entryCode}.` },
        { code: entryCode },
      );
    assertMayEdit(ctx.actor, before.ownerUnitCode, entryCode);
    if (kind !== "data_element") {
      const known = await knownElementCodes(tx);
      const merged = { ...before, ...patch } as Record<string, unknown>;
      const fields = kind === "indicator" ? ["numerator", "denominator"] : ["left", "right"];
      refuseExpressions(fields.flatMap((f) => expressionProblems(f, String(merged[f]), known)));
    }
    const values: Record<string, unknown> = {
      ...patch,
      updatedAt: new Date(),
      version: sql`${table.version} + 1`,
    };
    if (typeof patch.factor === "number") values.factor = String(patch.factor);
    const [after] = await tx
      .update(table)
      .set(values as never)
      .where(and(eq(table.code, entryCode), eq(table.version, version)))
      .returning();
    const strip = ({ id: _id, createdAt: _c, updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    if (!after)
      throw new AppError(
        409,
        "stale_version",
        {
          vi: `Người khác vừa sửa ${entryCode}; đây là bản hiện tại.`,
          en: `Someone else changed ${entryCode} meanwhile; here it is now.`,
        },
        { current: strip(before as Record<string, unknown>) },
      );
    await recordAudit(tx, ctx, {
      action: "catalogue.update",
      recordKind: kind,
      recordId: entryCode,
      before: strip(before as Record<string, unknown>),
      after: strip(after as Record<string, unknown>),
    });
    return strip(after as Record<string, unknown>);
  });
}
