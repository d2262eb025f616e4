/**
 * Vietnam's six socio-economic regions and each current province's region: configuration read by the evaluation
 * (a region threshold applies to the communes of the region's provinces), changed by a system administrator under
 * the version read (409 otherwise) and audited.
 */

import { asc, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf } from "../../db/client.ts";
import { AppError, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";
import type { RegionsView } from "./contract.ts";
import { socioeconomicRegions } from "./schema.ts";

export const provinceRegionInput = z.object({
  /** A region's code; null clears it (the province's communes then fall back to the `all` thresholds). */
  region: safeText().trim().min(1).max(40).nullable(),
  /** The mapping's version the caller read: another one answers 409, so no edit is lost. */
  version: z.number().int().min(1),
  reason: safeText().trim().max(500).nullable().default(null),
});

/** The regions, and the provinces current today with their region (null when not set). */
export async function listRegions(db: Db, today = todayInVietnam()): Promise<RegionsView> {
  const regions = await db.select().from(socioeconomicRegions).orderBy(asc(socioeconomicRegions.position));
  const provinces = rowsOf<{ code: string; name: string; region_code: string | null; version: number }>(
    await db.execute(sql`
      SELECT p.province_code AS code, coalesce(v.name, p.province_code) AS name, p.region_code, p.version
      FROM province_regions p
      LEFT JOIN unit_versions v ON v.code = p.province_code AND v.level = 'province'
        AND (v.valid_from IS NULL OR v.valid_from <= ${today}::date) AND (v.valid_to IS NULL OR v.valid_to > ${today}::date)
      ORDER BY p.province_code`),
  );
  return {
    regions: regions.map((r) => ({ code: r.code, position: r.position, nameVi: r.nameVi, nameEn: r.nameEn })),
    provinces: provinces.map((p) => ({
      code: p.code,
      name: p.name,
      region: p.region_code,
      version: Number(p.version),
    })),
  };
}

/** Sets one province's region (audited before → after), under the version read. */
export async function setProvinceRegion(
  db: Db,
  ctx: RequestContext,
  provinceCode: string,
  raw: z.input<typeof provinceRegionInput>,
): Promise<{ code: string; region: string | null; version: number }> {
  const input = provinceRegionInput.parse(raw);
  return db.transaction(async (tx) => {
    if (input.region !== null) {
      const known = rowsOf<{ code: string }>(
        await tx.execute(sql`SELECT code FROM socioeconomic_regions ORDER BY position`),
      ).map((r) => r.code);
      if (!known.includes(input.region))
        throw unprocessable(
          "unknown_region",
          {
            vi: `Vùng kinh tế - xã hội "${input.region}" không tồn tại (chỉ có: ${known.join(", ")}).`,
            en: `Socio-economic region "${input.region}" does not exist (only ${known.join(", ")}).`,
          },
          { field: "region", region: input.region },
        );
    }
    const [row] = rowsOf<{ region_code: string | null; version: number }>(
      await tx.execute(sql`
        SELECT region_code, version FROM province_regions WHERE province_code = ${provinceCode} FOR UPDATE`),
    );
    if (!row)
      throw notFound("province_not_found", {
        vi: `Không có tỉnh, thành phố mã ${provinceCode} trong bảng vùng.`,
        en: `No province with code ${provinceCode} in the region mapping.`,
      });
    const before = { region: row.region_code, version: Number(row.version) };
    if (before.version !== input.version)
      throw new AppError(
        409,
        "stale_version",
        {
          vi: "Vùng của tỉnh này vừa được người khác đổi; đây là vùng hiện tại.",
          en: "Someone else changed this province's region meanwhile; here it is now.",
        },
        { current: { code: provinceCode, ...before } },
      );
    await tx.execute(sql`
      UPDATE province_regions SET region_code = ${input.region}, version = version + 1, updated_at = now()
      WHERE province_code = ${provinceCode}`);
    const after = { region: input.region, version: before.version + 1 };
    await recordAudit(tx, ctx, {
      action: "standards.province_region_set",
      recordKind: "province_region",
      recordId: provinceCode,
      unitCode: provinceCode,
      before,
      after,
      reason: input.reason,
    });
    return { code: provinceCode, ...after };
  });
}
