import { asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import type { FrameworkSummary, FrameworkView, ThresholdGroup } from "./contract.ts";
import {
  socioeconomicRegions,
  standardCriteria,
  standardFrameworks,
  standardRequirements,
  standardThresholds,
} from "./schema.ts";
import {
  type DataInfo,
  dataInfo,
  refuse,
  regionCodes,
  type ThresholdProblem,
  thresholdGroups,
  thresholdProblems,
} from "./thresholds.ts";

export type { Comparison, ThresholdGroup, ThresholdStatus } from "./contract.ts";

const code = z
  .string()
  .trim()
  .regex(
    /^[A-Z][A-Z0-9_]{0,63}$/,
    zodMessage({
      vi: "chữ in hoa không dấu, chữ số và _, bắt đầu bằng một chữ",
      en: "upper-case letters without diacritics, digits and _, starting with a letter",
    }),
  );
const name = safeText().trim().min(1).max(300);

export const thresholdInput = z.object({
  /** Checked by the operation (422 naming an unknown one), not here, so the answer can name it. */
  group: safeText().trim().min(1).max(20).optional(),
  /** A socio-economic region's code (GET /standards/regions) for a region threshold; 422 naming an unknown one. */
  region: safeText().trim().min(1).max(40).optional(),
  value: z.number().finite(),
  status: z.enum(["verified", "unverified", "demo"]),
  source: safeText().trim().max(500).nullable().default(null),
});

export const frameworkInput = z.object({
  code,
  kind: z
    .string()
    .trim()
    .regex(
      /^[a-z][a-z0-9_]{0,40}$/,
      zodMessage({ vi: "chữ thường không dấu, chữ số và _", en: "lower-case letters, digits and _" }),
    ),
  nameVi: name,
  nameEn: name,
  legalBasis: safeText().trim().max(500).nullable().default(null),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable().default(null),
  programmeTargetPct: z.number().min(0).max(100).nullable().default(null),
  programmeTargetNote: safeText().trim().max(500).nullable().default(null),
  criteria: z
    .array(
      z.object({
        code,
        nameVi: name,
        nameEn: name,
        requirements: z
          .array(
            z.object({
              dataCode: code,
              comparison: z.enum([">=", "<=", "=="]),
              thresholds: z.array(thresholdInput).min(1).max(4),
            }),
          )
          .max(20),
      }),
    )
    .min(1)
    .max(40),
});
export type FrameworkInput = z.input<typeof frameworkInput>;

/** Frameworks of the same kind whose [from, to) overlaps, locked so two saves cannot both pass the check. */
async function overlapping(
  tx: DbOrTx,
  kind: string,
  from: string,
  to: string | null,
  exceptId?: number,
): Promise<Array<{ code: string; validFrom: string; validTo: string | null }>> {
  return rowsOf<{ code: string; valid_from: string; valid_to: string | null }>(
    await tx.execute(sql`
      SELECT code, valid_from::text, valid_to::text FROM standard_frameworks
      WHERE kind = ${kind} AND daterange(valid_from, valid_to, '[)') && daterange(${from}::date, ${to}::date, '[)')
        ${exceptId === undefined ? sql`` : sql`AND id <> ${exceptId}`}
      FOR UPDATE`),
  ).map((r) => ({ code: r.code, validFrom: r.valid_from, validTo: r.valid_to }));
}

/**
 * Creates a framework with its criteria, requirements and thresholds in one transaction, audited; every problem is
 * a 422 naming the field (unknown indicator, unknown group, threshold out of range, overlapping validity).
 */
export async function createFramework(
  db: Db,
  ctx: RequestContext,
  raw: FrameworkInput,
): Promise<FrameworkView> {
  const input = frameworkInput.parse(raw);
  if (input.validTo !== null && input.validTo <= input.validFrom)
    throw unprocessable("invalid_validity", {
      vi: "Ngày hết hiệu lực phải sau ngày có hiệu lực.",
      en: "validTo must be after validFrom.",
    });
  const id = await db
    .transaction(async (tx) => {
      const codes = input.criteria.flatMap((c) => c.requirements.map((r) => r.dataCode));
      const info = await dataInfo(tx, codes);
      const unknown = [...new Set(codes.filter((c) => !info.has(c)))];
      if (unknown.length > 0)
        throw unprocessable(
          "unknown_indicator",
          {
            vi: `Không có chỉ số hay chỉ tiêu nào mang mã: ${unknown.join(", ")}.`,
            en: `No indicator or data element has the code: ${unknown.join(", ")}.`,
          },
          { codes: unknown },
        );
      const problems: ThresholdProblem[] = [];
      const regions = await regionCodes(tx);
      for (const [ci, c] of input.criteria.entries())
        for (const [ri, r] of c.requirements.entries()) {
          const ri_ = info.get(r.dataCode) as DataInfo;
          if (ri_.valueType === "text")
            problems.push({
              field: `criteria.${ci}.requirements.${ri}.dataCode`,
              code: "not_comparable",
              message: {
                vi: `${r.dataCode} là chỉ tiêu dạng chữ, không so sánh với ngưỡng được.`,
                en: `${r.dataCode} is a text element and cannot be compared with a threshold.`,
              },
            });
          for (const [ti, t] of r.thresholds.entries())
            problems.push(
              ...thresholdProblems(
                `criteria.${ci}.requirements.${ri}.thresholds.${ti}`,
                t,
                ri_,
                r.comparison,
                regions,
              ),
            );
        }
      refuse(problems);
      const clash = await overlapping(tx, input.kind, input.validFrom, input.validTo);
      if (clash.length > 0) throw overlapError(input.kind, clash);
      const [fw] = await tx
        .insert(standardFrameworks)
        .values({
          code: input.code,
          kind: input.kind,
          nameVi: input.nameVi,
          nameEn: input.nameEn,
          legalBasis: input.legalBasis,
          validFrom: input.validFrom,
          validTo: input.validTo,
          programmeTargetPct: input.programmeTargetPct === null ? null : String(input.programmeTargetPct),
          programmeTargetNote: input.programmeTargetNote,
        })
        .returning({ id: standardFrameworks.id });
      if (!fw) throw new Error("insert returned nothing");
      for (const [ci, c] of input.criteria.entries()) {
        const [criterion] = await tx
          .insert(standardCriteria)
          .values({ frameworkId: fw.id, position: ci + 1, code: c.code, nameVi: c.nameVi, nameEn: c.nameEn })
          .returning({ id: standardCriteria.id });
        if (!criterion) throw new Error("insert returned nothing");
        for (const [ri, r] of c.requirements.entries()) {
          const [req] = await tx
            .insert(standardRequirements)
            .values({
              criterionId: criterion.id,
              position: ri + 1,
              dataCode: r.dataCode,
              comparison: r.comparison,
            })
            .returning({ id: standardRequirements.id });
          if (!req) throw new Error("insert returned nothing");
          await tx.insert(standardThresholds).values(
            r.thresholds.map((t) => ({
              requirementId: req.id,
              communeGroup: t.region !== undefined ? "region" : (t.group ?? "all"),
              regionCode: t.region ?? null,
              value: String(t.value),
              status: t.status,
              source: t.source,
            })),
          );
        }
      }
      await recordAudit(tx, ctx, {
        action: "standards.framework_create",
        recordKind: "standard_framework",
        recordId: input.code,
        after: input,
      });
      return fw.id;
    })
    .catch(async (err: unknown) => {
      // Two saves racing past the check meet the exclusion constraint: name the framework that won.
      if (!isExclusionViolation(err)) throw err;
      throw overlapError(input.kind, await overlapping(db, input.kind, input.validFrom, input.validTo));
    });
  return getFramework(db, id);
}

function isExclusionViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: unknown }).code === "23P01") return true;
  return false;
}

function overlapError(
  kind: string,
  clash: Array<{ code: string; validFrom: string; validTo: string | null }>,
) {
  const list = clash.map((c) => `${c.code} (${c.validFrom} – ${c.validTo ?? "…"})`).join(", ");
  return unprocessable(
    "overlapping_validity",
    {
      vi: `Thời gian hiệu lực trùng với bộ tiêu chí cùng loại "${kind}": ${list}.`,
      en: `The validity overlaps another framework of kind "${kind}": ${list}.`,
    },
    { field: "validFrom", overlaps: clash.map((c) => c.code) },
  );
}

export type {
  CriterionView,
  FrameworkSummary,
  FrameworkView,
  RequirementView,
  ThresholdView,
} from "./contract.ts";

export async function listFrameworks(db: DbOrTx): Promise<FrameworkSummary[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      SELECT f.id, f.code, f.kind, f.name_vi, f.name_en, f.legal_basis, f.valid_from::text AS valid_from,
             f.valid_to::text AS valid_to, f.programme_target_pct, f.programme_target_note, f.version,
             (SELECT count(*) FROM standard_criteria c WHERE c.framework_id = f.id) AS criteria,
             (SELECT count(*) FILTER (WHERE t.status = 'unverified') FROM standard_thresholds t
                JOIN standard_requirements r ON r.id = t.requirement_id
                JOIN standard_criteria c ON c.id = r.criterion_id WHERE c.framework_id = f.id) AS unverified,
             (SELECT count(*) FILTER (WHERE t.status = 'demo') FROM standard_thresholds t
                JOIN standard_requirements r ON r.id = t.requirement_id
                JOIN standard_criteria c ON c.id = r.criterion_id WHERE c.framework_id = f.id) AS demo
      FROM standard_frameworks f ORDER BY f.kind, f.valid_from DESC`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    kind: String(r.kind),
    nameVi: String(r.name_vi),
    nameEn: String(r.name_en),
    legalBasis: (r.legal_basis as string | null) ?? null,
    validFrom: String(r.valid_from),
    validTo: (r.valid_to as string | null) ?? null,
    programmeTargetPct: r.programme_target_pct === null ? null : Number(r.programme_target_pct),
    programmeTargetNote: (r.programme_target_note as string | null) ?? null,
    criteriaCount: Number(r.criteria),
    unverifiedThresholds: Number(r.unverified),
    demoThresholds: Number(r.demo),
    version: Number(r.version),
  }));
}

/** A framework by id or code, with its criteria, requirements (named from the catalogue) and thresholds. */
export async function getFramework(db: DbOrTx, idOrCode: number | string): Promise<FrameworkView> {
  const summaries = await listFrameworks(db);
  const summary = summaries.find((f) =>
    typeof idOrCode === "number" ? f.id === idOrCode : f.code === idOrCode,
  );
  if (!summary)
    throw notFound(
      "framework_not_found",
      { vi: `Không có bộ tiêu chí ${idOrCode}.`, en: `No framework ${idOrCode}.` },
      { framework: idOrCode },
    );
  const criteria = await db
    .select()
    .from(standardCriteria)
    .where(eq(standardCriteria.frameworkId, summary.id))
    .orderBy(asc(standardCriteria.position));
  const requirements = criteria.length
    ? await db
        .select()
        .from(standardRequirements)
        .where(
          inArray(
            standardRequirements.criterionId,
            criteria.map((c) => c.id),
          ),
        )
        .orderBy(asc(standardRequirements.position))
    : [];
  const thresholds = requirements.length
    ? await db
        .select()
        .from(standardThresholds)
        .where(
          inArray(
            standardThresholds.requirementId,
            requirements.map((r) => r.id),
          ),
        )
    : [];
  const info = await dataInfo(
    db,
    requirements.map((r) => r.dataCode),
  );
  const regionOrder = new Map(
    (await db.select().from(socioeconomicRegions)).map((r) => [r.code, r.position] as const),
  );
  const order = (t: { communeGroup: string; regionCode: string | null }) =>
    t.regionCode === null
      ? thresholdGroups.indexOf(t.communeGroup as (typeof thresholdGroups)[number])
      : thresholdGroups.length + (regionOrder.get(t.regionCode) ?? 99);
  return {
    ...summary,
    criteria: criteria.map((c) => ({
      id: c.id,
      position: c.position,
      code: c.code,
      nameVi: c.nameVi,
      nameEn: c.nameEn,
      requirements: requirements
        .filter((r) => r.criterionId === c.id)
        .map((r) => {
          const d = info.get(r.dataCode);
          return {
            id: r.id,
            dataCode: r.dataCode,
            dataKind: d?.kind ?? "missing",
            nameVi: d?.nameVi ?? r.dataCode,
            nameEn: d?.nameEn ?? r.dataCode,
            valueType: d?.valueType ?? null,
            unit: d?.unit ?? null,
            comparison: r.comparison,
            thresholds: thresholds
              .filter((t) => t.requirementId === r.id)
              .sort((a, b) => order(a) - order(b))
              .map((t) => ({
                id: t.id,
                group: t.communeGroup as ThresholdGroup,
                region: t.regionCode,
                value: Number(t.value),
                status: t.status,
                source: t.source,
                version: t.version,
              })),
          };
        }),
    })),
  };
}
