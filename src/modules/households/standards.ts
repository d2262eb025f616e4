import { z } from "@hono/zod-openapi";
import { asc, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, forbidden, unprocessable } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { shortText } from "./common.ts";
import { povertyStandards } from "./schema.ts";

/** Deprivation indicators (Decree 07/2021: 6 dimensions, 12 indicators; from 2027 a 13th on waste treatment). */
export const povertyIndicators = [
  "employment",
  "dependants",
  "nutrition",
  "health_insurance",
  "adult_education",
  "child_schooling",
  "housing_quality",
  "living_area",
  "water_source",
  "toilet",
  "telecom",
  "information_access",
  "waste_treatment",
] as const;
export type PovertyIndicator = (typeof povertyIndicators)[number];

export interface StandardView {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  legalBasis: string;
  provinceCode: string | null;
  fromYear: number;
  toYear: number;
  ruralThreshold: number;
  urbanThreshold: number;
  indicators: string[];
  poorMinLacking: number;
}

const present = (r: typeof povertyStandards.$inferSelect): StandardView => ({
  id: r.id,
  code: r.code,
  nameVi: r.nameVi,
  nameEn: r.nameEn,
  legalBasis: r.legalBasis,
  provinceCode: r.provinceCode,
  fromYear: r.fromYear,
  toYear: r.toYear,
  ruralThreshold: r.ruralThreshold,
  urbanThreshold: r.urbanThreshold,
  indicators: r.indicators,
  poorMinLacking: r.poorMinLacking,
});

export async function listStandards(db: DbOrTx): Promise<StandardView[]> {
  return (await db.select().from(povertyStandards).orderBy(asc(povertyStandards.fromYear))).map(present);
}

/**
 * The standard in force for a commune of `provinceCode` in `year`: the province's own (stricter) one when it set one,
 * else the national one. 422 listing the standards that exist when none covers the year.
 */
export async function standardFor(db: DbOrTx, year: number, provinceCode: string): Promise<StandardView> {
  const rows = rowsOf<{ id: string | number }>(
    await db.execute(sql`
      SELECT id FROM poverty_standards
      WHERE ${year} BETWEEN from_year AND to_year AND (province_code IS NULL OR province_code = ${provinceCode})
      ORDER BY province_code NULLS LAST LIMIT 1`),
  );
  const all = await listStandards(db);
  const found = all.find((s) => s.id === Number(rows[0]?.id));
  if (found) return found;
  const list = all
    .filter((s) => s.provinceCode === null || s.provinceCode === provinceCode)
    .map((s) => `${s.code} (${s.fromYear}–${s.toYear})`)
    .join(", ");
  throw unprocessable(
    "no_standard_in_force",
    {
      vi: `Không có chuẩn nghèo nào áp dụng cho năm ${year}. Các chuẩn hiện có: ${list}.`,
      en: `No poverty standard is in force for ${year}. Standards that exist: ${list}.`,
    },
    { year, standards: all.map((s) => ({ code: s.code, fromYear: s.fromYear, toYear: s.toYear })) },
  );
}

export const localStandardInput = z.object({
  code: shortText(40),
  nameVi: shortText(200),
  nameEn: shortText(200),
  legalBasis: shortText(200),
  provinceCode: shortText(8),
  fromYear: z.number().int().min(2000).max(2100),
  toYear: z.number().int().min(2000).max(2100),
  ruralThreshold: z.number().int().positive(),
  urbanThreshold: z.number().int().positive(),
  indicators: z.array(z.enum(povertyIndicators)).min(1),
  poorMinLacking: z.number().int().min(1).max(13),
});

/**
 * A province's own standard: allowed only when at least as strict as the national one of every year it covers
 * (thresholds not lower, every national indicator kept, no more lacking indicators needed to count as poor).
 */
export async function createLocalStandard(
  db: Db,
  ctx: RequestContext,
  raw: z.input<typeof localStandardInput>,
) {
  const input = localStandardInput.parse(raw);
  if (ctx.actor.kind === "anonymous") throw forbidden();
  await assertUnitInScope(db, ctx.actor, input.provinceCode);
  if (input.fromYear > input.toYear)
    throw unprocessable("invalid_years", {
      vi: "Năm bắt đầu sau năm kết thúc.",
      en: "fromYear is after toYear.",
    });
  const national = (await listStandards(db)).filter(
    (s) => s.provinceCode === null && s.fromYear <= input.toYear && s.toYear >= input.fromYear,
  );
  for (const n of national) {
    const looser =
      input.ruralThreshold < n.ruralThreshold ||
      input.urbanThreshold < n.urbanThreshold ||
      input.poorMinLacking > n.poorMinLacking ||
      n.indicators.some((i) => !input.indicators.includes(i as PovertyIndicator));
    if (looser)
      throw unprocessable("standard_not_stricter", {
        vi: `Chuẩn địa phương phải chặt hơn hoặc bằng chuẩn quốc gia ${n.code} (${n.fromYear}–${n.toYear}).`,
        en: `A local standard must be at least as strict as national ${n.code} (${n.fromYear}–${n.toYear}).`,
      });
  }
  return db.transaction(async (tx) => {
    const overlap = rowsOf<{ code: string }>(
      await tx.execute(sql`SELECT code FROM poverty_standards WHERE province_code = ${input.provinceCode}
        AND from_year <= ${input.toYear} AND to_year >= ${input.fromYear} FOR UPDATE`),
    );
    if (overlap[0])
      throw conflict("standard_overlaps", {
        vi: `Tỉnh đã có chuẩn ${overlap[0].code} cho những năm này.`,
        en: `The province already has standard ${overlap[0].code} for these years.`,
      });
    const [row] = await tx.insert(povertyStandards).values(input).onConflictDoNothing().returning();
    if (!row)
      throw conflict("standard_code_taken", {
        vi: `Mã ${input.code} đã có.`,
        en: `Code ${input.code} is taken.`,
      });
    await recordAudit(tx, ctx, {
      action: "poverty_standard.create",
      recordKind: "poverty_standard",
      recordId: row.id,
      unitCode: input.provinceCode,
      after: input,
    });
    return present(row);
  });
}
