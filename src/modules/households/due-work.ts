import { sql } from "drizzle-orm";
import { rowsOf } from "../../db/client.ts";
import { subtreeCodes } from "../access/scope.ts";
import { registerDueWorkSource } from "../home/due-work.ts";

/**
 * The commune's officers' to-do items: a poverty review awaiting the commune's approval, and an entitlement list
 * awaiting approval. Only those who approve them (commune officers, system administrators) see them.
 */
registerDueWorkSource("households", async ({ db, actor }) => {
  if (actor.role !== "commune_officer" && actor.role !== "system_admin") return [];
  const codes = actor.scope ? [...(await subtreeCodes(db, actor.scope))] : null;
  const inScope = codes ? sql`AND x.commune_code = ANY(${`{${codes.join(",")}}`}::text[])` : sql``;
  const reviews = rowsOf<{ id: string | number; year: number; commune_code: string; name: string }>(
    await db.execute(sql`SELECT x.id, x.year, x.commune_code, u.name FROM poverty_reviews x
      JOIN unit_versions u ON u.id = x.commune_version_id WHERE x.status = 'awaiting_approval' ${inScope}`),
  );
  const cycles = rowsOf<{
    id: string | number;
    name: string;
    commune_code: string;
    unit_name: string | null;
  }>(
    await db.execute(sql`SELECT x.id, x.name, x.commune_code,
      (SELECT name FROM unit_versions u WHERE u.code = x.commune_code AND u.valid_to IS NULL LIMIT 1) AS unit_name
      FROM support_cycles x WHERE x.status = 'awaiting_approval' ${inScope}`),
  );
  return [
    ...reviews.map((r) => ({
      source: "households",
      id: `poverty-review:${r.id}`,
      unitCode: r.commune_code,
      unitName: r.name,
      title: {
        vi: `Phê duyệt kết quả rà soát hộ nghèo, cận nghèo năm ${r.year}`,
        en: `Approve the ${r.year} poor and near-poor household review`,
      },
      state: "awaiting_approval" as const,
      dueDate: null,
      reason: null,
      link: `/households/reviews/${r.id}`,
    })),
    ...cycles.map((c) => ({
      source: "households",
      id: `support-cycle:${c.id}`,
      unitCode: c.commune_code,
      unitName: c.unit_name ?? c.commune_code,
      title: { vi: `Duyệt danh sách hỗ trợ: ${c.name}`, en: `Approve the support list: ${c.name}` },
      state: "awaiting_approval" as const,
      dueDate: null,
      reason: null,
      link: `/households/cycles/${c.id}`,
    })),
  ];
});
