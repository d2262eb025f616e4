import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { REORGANISATION_DATE } from "./import-reference.ts";
import { recordUnitChange } from "./record-change.ts";

/** Former districts whose communes the seed articles are about: Sông Mã (Sơn La) and Kỳ Sơn (Nghệ An). */
export const DEMO_FORMER_DISTRICTS = ["126", "417"] as const;
const VILLAGES_PER_COMMUNE = 6;

/**
 * Demo villages (bản) for the communes formed from the former Sông Mã and Kỳ Sơn districts. Their names are
 * illustrative, numbered as many bản are, and carry `illustrative: true` so the UI can say so.
 * Returns how many villages it created (0 when they are already there).
 */
export async function loadDemoVillages(db: Db, ctx: RequestContext): Promise<number> {
  const communes = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`
      SELECT DISTINCT n.code, n.name
      FROM unit_versions o
      JOIN lineage_edges e ON e.predecessor_id = o.id
      JOIN unit_versions n ON n.id = e.successor_id
      WHERE o.parent_code IN (${sql.join([...DEMO_FORMER_DISTRICTS], sql`, `)}) AND o.level = 'commune' AND n.valid_to IS NULL
      ORDER BY n.code`),
  );
  const existing = new Set(
    rowsOf<{ code: string }>(
      await db.execute(sql`SELECT code FROM unit_versions WHERE level = 'village'`),
    ).map((r) => r.code),
  );
  const open = communes
    .flatMap((commune) =>
      Array.from({ length: VILLAGES_PER_COMMUNE }, (_, i) => ({
        code: `${commune.code}-${String(i + 1).padStart(2, "0")}`,
        name: `Bản ${i + 1}`,
        level: "village" as const,
        kind: "village" as const,
        parentCode: commune.code,
        attributes: { illustrative: true },
      })),
    )
    .filter((v) => !existing.has(v.code));
  if (open.length === 0) return 0;
  await recordUnitChange(db, ctx, {
    kind: "establish",
    effectiveDate: REORGANISATION_DATE,
    document: "Dữ liệu minh hoạ / demo data",
    note: "Thôn, bản minh hoạ cho các xã Sông Mã (Sơn La) và Kỳ Sơn (Nghệ An); không phải số liệu chính thức.",
    open,
  });
  return open.length;
}
