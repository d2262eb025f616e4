/** Thresholds: what they compare, the values they may take, and a province administrator's edit. */

import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { dataElements, indicators } from "../reporting/schema.ts";
import type { Comparison, ThresholdGroup, ThresholdStatus, ThresholdView } from "./contract.ts";
import { socioeconomicRegions, standardThresholds } from "./schema.ts";

/** The keys a threshold may apply to: every commune, or one of the three groups of Decision 51/2025/QĐ-TTg. */
export const thresholdGroups = ["all", "1", "2", "3"] as const;

/** What a requirement reads: an indicator, or a data element (numbers, counts, percentages, yes/no). */
export interface DataInfo {
  code: string;
  kind: "indicator" | "element";
  nameVi: string;
  nameEn: string;
  /** boolean for a yes/no element; percentage for an indicator × 100 or a percentage element. */
  valueType: "number" | "integer" | "percentage" | "boolean" | "text";
  /** What the value is counted in ("%", "km", "triệu đồng/năm"), for gaps. */
  unit: string | null;
  decimals: number;
  higherIsBetter: boolean;
}

export async function dataInfo(db: DbOrTx, codes: readonly string[]): Promise<Map<string, DataInfo>> {
  const result = new Map<string, DataInfo>();
  if (codes.length === 0) return result;
  const list = [...new Set(codes)];
  for (const i of await db.select().from(indicators).where(inArray(indicators.code, list)))
    result.set(i.code, {
      code: i.code,
      kind: "indicator",
      nameVi: i.nameVi,
      nameEn: i.nameEn,
      valueType: Number(i.factor) === 100 ? "percentage" : "number",
      unit: Number(i.factor) === 100 ? "%" : null,
      decimals: i.decimals,
      higherIsBetter: i.higherIsBetter,
    });
  for (const e of await db.select().from(dataElements).where(inArray(dataElements.code, list)))
    if (!result.has(e.code))
      result.set(e.code, {
        code: e.code,
        kind: "element",
        nameVi: e.nameVi,
        nameEn: e.nameEn,
        valueType: e.valueType,
        unit: e.valueType === "percentage" ? "%" : e.unitOfMeasure,
        decimals: e.valueType === "integer" || e.valueType === "boolean" ? 0 : 2,
        higherIsBetter: true,
      });
  return result;
}

/** The values a threshold may take for what it compares: 0–100 for a percentage, 0/1 for yes/no, ≥ 0 for a count. */
export function thresholdRange(info: DataInfo): { min: number; max: number } {
  switch (info.valueType) {
    case "percentage":
      return { min: 0, max: 100 };
    case "boolean":
      return { min: 0, max: 1 };
    case "integer":
      return { min: 0, max: Number.MAX_SAFE_INTEGER };
    default:
      return { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
  }
}

export interface ThresholdProblem {
  field: string;
  code: string;
  message: { vi: string; en: string };
}

/** The codes of the socio-economic regions (GET /standards/regions), for checking a region threshold. */
export async function regionCodes(db: DbOrTx): Promise<Set<string>> {
  return new Set(
    (await db.select({ code: socioeconomicRegions.code }).from(socioeconomicRegions)).map((r) => r.code),
  );
}

/**
 * Every problem of one threshold, named by its field: an unknown group or region, a value outside the range. A
 * threshold names either a group (`all`, 1, 2, 3) or a region (`region: "DBSH"`, group absent or `region`).
 */
export function thresholdProblems(
  field: string,
  t: { group?: string | undefined; region?: string | null | undefined; value: number },
  info: DataInfo,
  comparison: Comparison,
  regions?: ReadonlySet<string>,
): ThresholdProblem[] {
  const problems: ThresholdProblem[] = [];
  const region = t.region ?? null;
  const known = regions ? [...regions].join(", ") : "";
  if (region !== null || t.group === "region") {
    if (t.group !== undefined && t.group !== "region")
      problems.push({
        field: `${field}.group`,
        code: "group_and_region",
        message: {
          vi: `Một ngưỡng áp dụng cho một nhóm xã hoặc một vùng, không cho cả hai (nhóm "${t.group}", vùng "${region}").`,
          en: `A threshold is for a commune group or a region, not both (group "${t.group}", region "${region}").`,
        },
      });
    else if (region === null)
      problems.push({
        field: `${field}.region`,
        code: "unknown_region",
        message: { vi: "Ngưỡng theo vùng phải ghi mã vùng.", en: "A region threshold must name its region." },
      });
    else if (regions && !regions.has(region))
      problems.push({
        field: `${field}.region`,
        code: "unknown_region",
        message: {
          vi: `Vùng kinh tế - xã hội "${region}" không tồn tại (chỉ có: ${known}).`,
          en: `Socio-economic region "${region}" does not exist (only ${known}).`,
        },
      });
  } else if (!(thresholdGroups as readonly string[]).includes(t.group ?? ""))
    problems.push({
      field: `${field}.group`,
      code: "unknown_group",
      message: {
        vi: `Nhóm xã "${t.group ?? ""}" không tồn tại (chỉ có: all, 1, 2, 3, hoặc một vùng).`,
        en: `Commune group "${t.group ?? ""}" does not exist (only all, 1, 2, 3, or a region).`,
      },
    });
  const range = thresholdRange(info);
  const isYesNoValue = info.valueType !== "boolean" || t.value === 0 || t.value === 1;
  if (t.value < range.min || t.value > range.max || !isYesNoValue)
    problems.push({
      field: `${field}.value`,
      code: "threshold_out_of_range",
      message: {
        vi: `Ngưỡng ${t.value} nằm ngoài miền giá trị của ${info.code} (${range.min}–${range.max === Number.MAX_SAFE_INTEGER ? "∞" : range.max}${info.valueType === "boolean" ? ": 1 = có, 0 = không" : ""}).`,
        en: `Threshold ${t.value} is outside the range of ${info.code} (${range.min}–${range.max === Number.MAX_SAFE_INTEGER ? "∞" : range.max}${info.valueType === "boolean" ? ": 1 = yes, 0 = no" : ""}).`,
      },
    });
  if (info.valueType === "boolean" && comparison !== "==")
    problems.push({
      field: `${field}`,
      code: "yes_no_comparison",
      message: {
        vi: `${info.code} là chỉ tiêu có/không: chỉ so sánh bằng (==).`,
        en: `${info.code} is a yes/no element: compare it with == only.`,
      },
    });
  return problems;
}

export function refuse(problems: ThresholdProblem[]): void {
  const [first] = problems;
  if (!first) return;
  const code = problems.every((p) => p.code === first.code) ? first.code : "invalid_framework";
  throw unprocessable(
    code,
    {
      vi: problems.map((p) => `${p.field}: ${p.message.vi}`).join("; "),
      en: problems.map((p) => `${p.field}: ${p.message.en}`).join("; "),
    },
    { problems },
  );
}

export const thresholdPatch = z.object({
  version: z.number().int().min(1),
  value: z.number().finite(),
  status: z.enum(["verified", "unverified", "demo"]),
  source: safeText().trim().max(500).nullable().optional(),
});

/**
 * A province administrator's edit of one threshold (value, and whether it is verified), audited before → after,
 * under the version read (409 otherwise). The next evaluation reads it: evaluations are never stored.
 */
export async function updateThreshold(
  db: Db,
  ctx: RequestContext,
  thresholdId: number,
  raw: z.input<typeof thresholdPatch>,
): Promise<ThresholdView> {
  const patch = thresholdPatch.parse(raw);
  return db.transaction(async (tx) => {
    const [row] = rowsOf<{
      id: number;
      requirement_id: number;
      commune_group: string;
      region_code: string | null;
      value: string;
      status: ThresholdStatus;
      source: string | null;
      version: number;
      data_code: string;
      comparison: Comparison;
      framework: string;
    }>(
      await tx.execute(sql`
        SELECT t.id, t.requirement_id, t.commune_group, t.region_code, t.value, t.status, t.source, t.version, r.data_code,
               r.comparison, f.code AS framework
        FROM standard_thresholds t JOIN standard_requirements r ON r.id = t.requirement_id
        JOIN standard_criteria c ON c.id = r.criterion_id JOIN standard_frameworks f ON f.id = c.framework_id
        WHERE t.id = ${thresholdId} FOR UPDATE OF t`),
    );
    if (!row)
      throw notFound("threshold_not_found", {
        vi: `Không có ngưỡng số ${thresholdId}.`,
        en: `No threshold ${thresholdId}.`,
      });
    const info = (await dataInfo(tx, [row.data_code])).get(row.data_code);
    if (!info)
      throw unprocessable("unknown_indicator", {
        vi: `Chỉ số ${row.data_code} không còn trong danh mục.`,
        en: `${row.data_code} is no longer in the catalogue.`,
      });
    refuse(
      thresholdProblems(
        "value",
        { group: row.commune_group, region: row.region_code, value: patch.value },
        info,
        row.comparison,
      ),
    );
    const before = {
      value: Number(row.value),
      status: row.status,
      source: row.source,
      version: Number(row.version),
    };
    if (Number(row.version) !== patch.version)
      throw new AppError(
        409,
        "stale_version",
        {
          vi: "Ngưỡng này vừa được người khác sửa; đây là giá trị hiện tại.",
          en: "Someone else changed this threshold meanwhile; here it is now.",
        },
        { current: { id: Number(row.id), group: row.commune_group, region: row.region_code, ...before } },
      );
    const [after] = await tx
      .update(standardThresholds)
      .set({
        value: String(patch.value),
        status: patch.status,
        ...(patch.source !== undefined ? { source: patch.source } : {}),
        updatedAt: new Date(),
        version: sql`${standardThresholds.version} + 1`,
      })
      .where(and(eq(standardThresholds.id, thresholdId), eq(standardThresholds.version, patch.version)))
      .returning();
    if (!after) throw new Error("threshold vanished under its lock");
    const view: ThresholdView = {
      id: after.id,
      group: after.communeGroup as ThresholdGroup,
      region: after.regionCode,
      value: Number(after.value),
      status: after.status,
      source: after.source,
      version: after.version,
    };
    await recordAudit(tx, ctx, {
      action: "standards.threshold_update",
      recordKind: "standard_threshold",
      recordId: thresholdId,
      before: {
        framework: row.framework,
        dataCode: row.data_code,
        group: row.commune_group,
        region: row.region_code,
        ...before,
      },
      after: { framework: row.framework, dataCode: row.data_code, ...view },
    });
    return view;
  });
}
