/**
 * The reference engine: the semantics of docs/analytics.md as one plain SQL query on PostgreSQL/PGlite, straight
 * from the source tables. It is the yardstick the DuckDB replica is tested against (results equal) and benchmarked
 * against (speed not), so it favours being obviously right over being fast.
 */
import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import type { AnalyticsEngine } from "./index.ts";
import { type Core, type CoreResult, engineOf, type Plan } from "./plan.ts";

/** Month ordinals of a stored period code, in SQL (codes are canonical: 2025, 2025S1, 2025Q3, 202507). */
const msOf = (col: string) =>
  sql.raw(`(CASE
  WHEN ${col} ~ '^[0-9]{4}$' THEN left(${col}, 4)::int * 12
  WHEN ${col} ~ '^[0-9]{4}S[12]$' THEN left(${col}, 4)::int * 12 + (right(${col}, 1)::int - 1) * 6
  WHEN ${col} ~ '^[0-9]{4}Q[1-4]$' THEN left(${col}, 4)::int * 12 + (right(${col}, 1)::int - 1) * 3
  ELSE left(${col}, 4)::int * 12 + substr(${col}, 5, 2)::int - 1 END)`);
const validAt = (alias: string, date: string) =>
  sql`(${sql.raw(alias)}.valid_from IS NULL OR ${sql.raw(alias)}.valid_from <= ${date}::date) AND (${sql.raw(alias)}.valid_to IS NULL OR ${sql.raw(alias)}.valid_to > ${date}::date)`;
const lengthOf = (col: string) =>
  sql.raw(`(CASE
  WHEN ${col} ~ '^[0-9]{4}$' THEN 12 WHEN ${col} ~ 'S' THEN 6 WHEN ${col} ~ 'Q' THEN 3 ELSE 1 END)`);

export function referenceCore(db: DbOrTx): Core {
  return async (plan: Plan): Promise<CoreResult> => {
    const h = plan.hierarchyDate;
    const per = sql.join(
      plan.periods.map((p, i) => sql`(${i}::int, ${p.ms}::int, ${p.me}::int)`),
      sql`, `,
    );
    const outu = sql.join(
      plan.units.map((u, i) => sql`(${i}::int, ${u.code}::text, ${u.versionId}::bigint)`),
      sql`, `,
    );
    const els = sql.join(
      plan.elements.map((e) => sql`(${e.id}::bigint, ${e.rule}::text)`),
      sql`, `,
    );
    const query = sql`
      WITH RECURSIVE
      per(pi, ms, me) AS (VALUES ${per}),
      outu(ui, code, vid) AS (VALUES ${outu}),
      els(e, rule) AS (VALUES ${els}),
      sub(ui, id, code, depth) AS (
        SELECT o.ui, v.id, v.code, 0 FROM outu o JOIN unit_versions v ON v.id = o.vid
        UNION ALL
        SELECT s.ui, v.id, v.code, s.depth + 1 FROM sub s JOIN unit_versions v ON v.parent_code = s.code
        WHERE ${validAt("v", h)} AND s.depth < 8),
      ew AS (
        SELECT e.predecessor_id AS pred, e.successor_id AS succ,
          CASE WHEN e.kind = 'partial' THEN e.share
               WHEN EXISTS (SELECT 1 FROM lineage_edges o WHERE o.predecessor_id = e.predecessor_id
                              AND o.kind = 'partial' AND o.share IS NULL) THEN NULL
               ELSE 1 - coalesce((SELECT sum(o.share) FROM lineage_edges o
                                  WHERE o.predecessor_id = e.predecessor_id AND o.kind = 'partial'), 0)
          END AS w
        FROM lineage_edges e),
      unk(pred, u) AS (
        SELECT predecessor_id, 1 - coalesce(sum(share) FILTER (WHERE kind = 'partial'), 0) FROM lineage_edges
        GROUP BY predecessor_id HAVING bool_or(kind = 'partial' AND share IS NULL)),
      walk(src, node, w, grp, depth) AS (
        SELECT v.id, v.id, 1::numeric, NULL::bigint, 0 FROM unit_versions v
        WHERE v.id IN (SELECT dv.unit_version_id FROM data_values dv WHERE dv.element_id IN (SELECT e FROM els))
        UNION ALL
        SELECT k.src, ew.succ,
          CASE WHEN k.grp IS NULL AND ew.w IS NOT NULL THEN k.w * ew.w ELSE 1::numeric END,
          CASE WHEN k.grp IS NOT NULL THEN k.grp WHEN ew.w IS NULL THEN k.node ELSE NULL::bigint END,
          k.depth + 1
        FROM walk k JOIN unit_versions n ON n.id = k.node JOIN ew ON ew.pred = k.node
        WHERE k.depth < 64 AND NOT (${validAt("n", h)})),
      mapc AS (
        SELECT k.src, k.node AS target, sum(k.w) AS w
        FROM walk k JOIN unit_versions n ON n.id = k.node
        WHERE k.grp IS NULL AND ${validAt("n", h)} GROUP BY k.src, k.node),
      gmass AS (
        SELECT k.src, k.node AS grp, sum(k.w) * min(u.u) AS mass
        FROM walk k JOIN unk u ON u.pred = k.node JOIN unit_versions n ON n.id = k.node
        WHERE k.grp IS NULL AND NOT (${validAt("n", h)}) GROUP BY k.src, k.node),
      gt AS (
        SELECT DISTINCT k.grp, k.node AS target FROM walk k JOIN unit_versions n ON n.id = k.node
        WHERE k.grp IS NOT NULL AND ${validAt("n", h)}),
      gn AS (SELECT grp, count(*) AS n FROM gt GROUP BY grp),
      gin AS (
        SELECT gt.grp, sub.ui, count(DISTINCT gt.target) AS n FROM gt JOIN sub ON sub.id = gt.target
        GROUP BY gt.grp, sub.ui),
      map AS (
        SELECT m.src, sub.ui, m.target, m.w, false AS unknown FROM mapc m JOIN sub ON sub.id = m.target
        UNION ALL
        SELECT g.src, gi.ui, -g.grp, g.mass, gi.n < gn.n
        FROM gmass g JOIN gn ON gn.grp = g.grp JOIN gin gi ON gi.grp = g.grp),
      fv AS (
        SELECT dv.element_id AS e, dv.unit_version_id AS v, dv.numeric_value AS x,
               ${msOf("dv.period")} AS ms, ${msOf("dv.period")} + ${lengthOf("dv.period")} - 1 AS me
        FROM data_values dv
        WHERE dv.element_id IN (SELECT e FROM els) AND dv.numeric_value IS NOT NULL),
      c AS (
        SELECT fv.e, per.pi, m.ui, m.target, m.src, fv.ms, fv.me, fv.x, m.w, m.unknown, els.rule
        FROM fv JOIN els ON els.e = fv.e
        JOIN per ON fv.ms >= per.ms AND fv.me <= per.me
        JOIN map m ON m.src = fv.v AND (m.unknown OR m.w > 0)),
      agg AS (
        SELECT e, pi, ui,
          CASE min(rule)
            WHEN 'sum' THEN sum(w * x) FILTER (WHERE NOT unknown)
            WHEN 'average' THEN sum(w * x) FILTER (WHERE NOT unknown) / nullif(sum(w) FILTER (WHERE NOT unknown), 0)
            WHEN 'min' THEN min(x) FILTER (WHERE NOT unknown)
            ELSE max(x) FILTER (WHERE NOT unknown) END AS value,
          bool_or(unknown) AS incomplete,
          array_agg(DISTINCT src) FILTER (WHERE unknown) AS lacking
        FROM c WHERE rule IN ('sum', 'average', 'min', 'max') GROUP BY e, pi, ui),
      lastkey AS (
        SELECT e, pi, ui, target, max(me::BIGINT * 100000 + ms) AS k FROM c WHERE rule = 'last' GROUP BY e, pi, ui, target),
      lastagg AS (
        SELECT c.e, c.pi, c.ui, sum(c.w * c.x) FILTER (WHERE NOT c.unknown) AS value,
          bool_or(c.unknown) AS incomplete, array_agg(DISTINCT c.src) FILTER (WHERE c.unknown) AS lacking
        FROM c JOIN lastkey l ON l.e = c.e AND l.pi = c.pi AND l.ui = c.ui AND l.target = c.target
          AND c.me::BIGINT * 100000 + c.ms = l.k
        GROUP BY c.e, c.pi, c.ui),
      noneagg AS (
        SELECT fv.e, per.pi, o.ui, fv.x AS value, false AS incomplete, NULL::bigint[] AS lacking
        FROM fv JOIN els ON els.e = fv.e AND els.rule = 'none'
        JOIN per ON fv.ms = per.ms AND fv.me = per.me
        JOIN outu o ON o.vid = fv.v)
      SELECT e, pi, ui, value::float8 AS value, incomplete, lacking FROM agg
      UNION ALL SELECT e, pi, ui, value::float8, incomplete, lacking FROM lastagg
      UNION ALL SELECT e, pi, ui, value::float8, incomplete, lacking FROM noneagg`;
    const rows = rowsOf<{
      e: number | string;
      pi: number;
      ui: number;
      value: number | string | null;
      incomplete: boolean;
      lacking: Array<number | string> | string | null;
    }>(await db.execute(query));
    const lacking = new Set<number>();
    const rowUnits = plan.rowUnits ?? plan.units.length;
    const cells = rows.map((r) => {
      if (Number(r.ui) < rowUnits) for (const id of parseArray(r.lacking)) lacking.add(id);
      return {
        elementId: Number(r.e),
        period: Number(r.pi),
        unit: Number(r.ui),
        value: r.value === null ? null : Number(r.value),
        incomplete: r.incomplete === true,
      };
    });
    return { cells, incompleteSources: [...lacking] };
  };
}

/** bigint[] arrives as an array (postgres-js) or as text `{1,2}` depending on the driver. */
function parseArray(value: Array<number | string> | string | null): number[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.map(Number);
  return value.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
}

/** The reference engine over a database (PostgreSQL or PGlite). */
export function createReferenceEngine(db: Db): AnalyticsEngine {
  return engineOf(db, referenceCore(db));
}
