import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound } from "../../http/errors.ts";
import {
  type EventRow,
  type LineageLinkView,
  presentEvent,
  presentVersion,
  type UnitHistoryEntryView,
  type UnitHistoryView,
  type UnitVersionView,
  type VersionRow,
} from "./presenters.ts";
import { todayInVietnam, toSearchText, type UnitLevel } from "./text.ts";

/** SQL condition: version `alias` is valid on `date`. */
const validAt = (alias: string, date: SQL | string) =>
  sql`(${sql.raw(alias)}.valid_from IS NULL OR ${sql.raw(alias)}.valid_from <= ${date}::date) AND (${sql.raw(alias)}.valid_to IS NULL OR ${sql.raw(alias)}.valid_to > ${date}::date)`;

/**
 * Selects versions with up to three ancestors, each resolved on the version's reference date: the date asked for,
 * or else today for a current version and its last day for an ended one.
 */
function selectVersions(options: {
  where: SQL;
  at: string | null;
  orderBy?: SQL;
  limit?: number;
  offset?: number;
  withChildCount?: boolean;
}): SQL {
  const today = todayInVietnam();
  const ref = options.at
    ? sql`${options.at}::date`
    : sql`(CASE WHEN v.valid_to IS NULL THEN ${today}::date ELSE v.valid_to - 1 END)`;
  const childCount = options.withChildCount
    ? sql`, (SELECT count(*) FROM unit_versions c WHERE c.parent_code = v.code AND ${validAt("c", ref)}) AS child_count`
    : sql``;
  return sql`
    SELECT v.id, v.code, v.name, v.level, v.kind, v.parent_code, v.valid_from::text AS valid_from,
           v.valid_to::text AS valid_to, v.attributes,
           a1.code AS a1_code, a1.name AS a1_name, a1.level AS a1_level,
           a2.code AS a2_code, a2.name AS a2_name, a2.level AS a2_level,
           a3.code AS a3_code, a3.name AS a3_name, a3.level AS a3_level
           ${childCount}
    FROM unit_versions v
    LEFT JOIN LATERAL (SELECT p.code, p.name, p.level, p.parent_code FROM unit_versions p
      WHERE p.code = v.parent_code AND ${validAt("p", ref)} LIMIT 1) a1 ON true
    LEFT JOIN LATERAL (SELECT p.code, p.name, p.level, p.parent_code FROM unit_versions p
      WHERE p.code = a1.parent_code AND ${validAt("p", ref)} LIMIT 1) a2 ON true
    LEFT JOIN LATERAL (SELECT p.code, p.name, p.level FROM unit_versions p
      WHERE p.code = a2.parent_code AND ${validAt("p", ref)} LIMIT 1) a3 ON true
    WHERE ${options.where}
    ${options.orderBy ? sql`ORDER BY ${options.orderBy}` : sql``}
    ${options.limit !== undefined ? sql`LIMIT ${options.limit}` : sql``}
    ${options.offset ? sql`OFFSET ${options.offset}` : sql``}`;
}

async function queryVersions(db: DbOrTx, query: SQL): Promise<Array<VersionRow & { id: number }>> {
  const rows = rowsOf<VersionRow>(await db.execute(query));
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface ListUnitsInput {
  q?: string | undefined;
  at?: string | undefined;
  level?: UnitLevel | undefined;
  parent?: string | undefined;
  limit: number;
  offset: number;
}

export interface UnitList {
  at: string | null;
  total: number;
  items: UnitVersionView[];
}

/**
 * Lists units. With `q`: a search over names and codes that ignores diacritics and case, across all dates unless
 * `at` narrows it. With `parent`: that unit's children on `at` (today by default). With neither: the provinces.
 */
export async function listUnits(db: DbOrTx, input: ListUnitsInput): Promise<UnitList> {
  const conditions: SQL[] = [];
  let at: string | null = input.at ?? null;
  const q = input.q ? toSearchText(input.q) : "";
  if (!q) at ??= todayInVietnam();
  if (at) conditions.push(validAt("v", at));
  if (input.parent) {
    const parentExists = await db.execute(
      sql`SELECT 1 FROM unit_versions WHERE code = ${input.parent} LIMIT 1`,
    );
    if (rowsOf(parentExists).length === 0)
      throw notFound(
        "unit_not_found",
        { vi: `Không có đơn vị nào mã ${input.parent}.`, en: `No unit has code ${input.parent}.` },
        { code: input.parent },
      );
    conditions.push(sql`v.parent_code = ${input.parent}`);
  }
  if (input.level) conditions.push(sql`v.level = ${input.level}`);
  if (!q && !input.parent && !input.level) conditions.push(sql`v.level = 'province'`);
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(v.search_text LIKE ${pattern} OR v.code = ${q})`);
  }
  const where = sql.join(conditions, sql` AND `);
  const orderBy = q
    ? sql`(v.code = ${q}) DESC, (v.valid_to IS NULL) DESC, (v.search_text LIKE ${`%${q}`}) DESC,
          array_position(ARRAY['province','district','commune','village']::unit_level[], v.level), v.search_text, v.name, v.valid_from`
    : sql`v.search_text, v.name, v.code`;
  const countRows = rowsOf<{ n: number | string }>(
    await db.execute(sql`SELECT count(*) AS n FROM unit_versions v WHERE ${where}`),
  );
  const rows = await queryVersions(
    db,
    selectVersions({ where, at, orderBy, limit: input.limit, offset: input.offset, withChildCount: !q }),
  );
  const items = rows.map(presentVersion);
  return { at, total: Number(countRows[0]?.n ?? 0), items };
}

async function eventsFor(db: DbOrTx, versionIds: number[]) {
  if (versionIds.length === 0) return [];
  return rowsOf<EventRow & { version_id: number | string; role: "opened" | "closed" }>(
    await db.execute(sql`
      SELECT ev.id, ev.kind, ev.effective_date::text AS effective_date, ev.document, ev.clause, ev.note,
             x.version_id, x.role
      FROM unit_event_versions x JOIN unit_events ev ON ev.id = x.event_id
      WHERE x.version_id IN (${sql.join(versionIds, sql`, `)})
      ORDER BY ev.effective_date, ev.id`),
  );
}

/** Predecessors (direction "in") or successors ("out") of the given versions, with the event that linked them. */
async function linksFor(db: DbOrTx, versionIds: number[], direction: "in" | "out") {
  if (versionIds.length === 0) return new Map<number, LineageLinkView[]>();
  const [self, other] =
    direction === "in" ? ["successor_id", "predecessor_id"] : ["predecessor_id", "successor_id"];
  const edges = rowsOf<
    EventRow & {
      self_id: number | string;
      other_id: number | string;
      edge_kind: "full" | "partial";
      share: string | null;
      edge_id: number | string;
      share_basis: string | null;
      edge_version: number | string;
    }
  >(
    await db.execute(sql`
      SELECT e.${sql.raw(self)} AS self_id, e.${sql.raw(other)} AS other_id, e.kind AS edge_kind, e.share::text AS share,
             e.id AS edge_id, e.share_basis, e.version AS edge_version, ev.id, ev.kind, ev.effective_date::text AS effective_date, ev.document, ev.clause, ev.note
      FROM lineage_edges e JOIN unit_events ev ON ev.id = e.event_id
      WHERE e.${sql.raw(self)} IN (${sql.join(versionIds, sql`, `)})`),
  );
  const otherIds = [...new Set(edges.map((e) => Number(e.other_id)))];
  const others = otherIds.length
    ? await queryVersions(
        db,
        selectVersions({ where: sql`v.id IN (${sql.join(otherIds, sql`, `)})`, at: null }),
      )
    : [];
  const byId = new Map(others.map((o) => [o.id, presentVersion(o)]));
  const result = new Map<number, LineageLinkView[]>();
  for (const edge of edges) {
    const unit = byId.get(Number(edge.other_id));
    if (!unit) continue;
    const list = result.get(Number(edge.self_id)) ?? [];
    list.push({
      edgeId: Number(edge.edge_id),
      kind: edge.edge_kind,
      share: edge.share === null ? null : Number(edge.share),
      basis: edge.share_basis,
      version: Number(edge.edge_version),
      unit,
      event: presentEvent(edge),
    });
    result.set(Number(edge.self_id), list);
  }
  for (const list of result.values()) list.sort((a, b) => a.unit.name.localeCompare(b.unit.name, "vi"));
  return result;
}

/**
 * Every version that has carried `code`, each with the events that opened and closed it and its lineage, and the
 * version valid on `at` (today by default) selected. Unknown code → 404; a code with no unit on `at` → 404 too.
 */
export async function getUnitHistory(db: DbOrTx, code: string, at?: string): Promise<UnitHistoryView> {
  const rows = await queryVersions(
    db,
    selectVersions({ where: sql`v.code = ${code}`, at: null, orderBy: sql`v.valid_from NULLS FIRST` }),
  );
  if (rows.length === 0)
    throw notFound(
      "unit_not_found",
      { vi: `Không có đơn vị nào mã ${code}.`, en: `No unit has code ${code}.` },
      { code },
    );
  const ids = rows.map((r) => r.id);
  const [events, predecessors, successors] = [
    await eventsFor(db, ids),
    await linksFor(db, ids, "in"),
    await linksFor(db, ids, "out"),
  ];
  const versions: UnitHistoryEntryView[] = rows.map((row) => {
    const own = events.filter((e) => Number(e.version_id) === row.id);
    const opened = own.find((e) => e.role === "opened");
    const closed = own.find((e) => e.role === "closed");
    return {
      ...presentVersion(row),
      openedBy: opened ? presentEvent(opened) : null,
      closedBy: closed ? presentEvent(closed) : null,
      predecessors: predecessors.get(row.id) ?? [],
      successors: successors.get(row.id) ?? [],
    };
  });
  const date = at ?? todayInVietnam();
  const selected =
    versions.find(
      (v) => (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || v.validTo > date),
    ) ?? (at ? undefined : versions[versions.length - 1]);
  if (!selected)
    throw notFound(
      "unit_not_found_at_date",
      {
        vi: `Mã ${code} không ứng với đơn vị nào vào ngày ${date}.`,
        en: `Code ${code} named no unit on ${date}.`,
      },
      {
        code,
        at: date,
        versions: versions.map((v) => ({ name: v.name, validFrom: v.validFrom, validTo: v.validTo })),
      },
    );
  return { code, selected, versions };
}

/** Counts of the registry, by level, valid on a date. */
export async function countUnitsAt(db: DbOrTx, at: string): Promise<Record<UnitLevel, number>> {
  const rows = rowsOf<{ level: UnitLevel; n: number | string }>(
    await db.execute(
      sql`SELECT v.level, count(*) AS n FROM unit_versions v WHERE ${validAt("v", at)} GROUP BY v.level`,
    ),
  );
  const counts: Record<UnitLevel, number> = { province: 0, district: 0, commune: 0, village: 0 };
  for (const r of rows) counts[r.level] = Number(r.n);
  return counts;
}

/** The versions valid on `date` of the given codes (those that have one), ordered by name. */
export async function unitVersionsOn(
  db: DbOrTx,
  codes: readonly string[],
  date: string,
): Promise<Array<{ id: number; code: string; name: string }>> {
  if (codes.length === 0) return [];
  const rows = rowsOf<{ id: number | string; code: string; name: string }>(
    await db.execute(sql`
      SELECT v.id, v.code, v.name FROM unit_versions v
      WHERE v.code IN (${sql.join([...codes], sql`, `)}) AND ${validAt("v", date)}
      ORDER BY v.search_text`),
  );
  return rows.map((r) => ({ id: Number(r.id), code: r.code, name: r.name }));
}

/**
 * What a scope rooted at `root` on `date` covers: the codes of the units under it on that date (villages included),
 * and the codes of the units they were formed from, however far back (old communes merged into them, old districts'
 * communes), so that a province still reads the figures its communes reported before 1 July 2025; and the units that
 * were under the scope unit or one of its predecessors on their own dates (an old district of the province, which has
 * no lineage of its own), so that `ou=417` in the 2014 tree is Nghệ An's. A code that is in
 * use on `date` elsewhere is left out: a commune formed partly from an old one must not reach the old code's current
 * holder in another scope.
 */
export async function scopeCodesOn(
  db: DbOrTx,
  root: string,
  date: string,
  /** The units version the caller read in this request already (saves one round trip). */
  knownVersion?: number,
): Promise<Set<string>> {
  const version = knownVersion ?? (await unitsVersion(db));
  let cache = scopeCache.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, entries: new Map() };
    scopeCache.set(db, cache);
  }
  const key = `${root}|${date}`;
  const hit = cache.entries.get(key);
  if (hit) return hit;
  const codes = await readScopeCodes(db, root, date);
  if (cache.entries.size >= 2000) cache.entries.clear();
  cache.entries.set(key, codes);
  return codes;
}

/**
 * Scope sets by database handle, for the units version they were read at. Every scoped request asks for one; reading
 * it costs a recursive query over the registry (~100 ms for a province), the cache one indexed row (the counter that
 * statement triggers on unit_versions and lineage_edges bump, migration 0004), so a recorded merge is seen by the
 * very next request, from any server or writer. The sets are shared: callers read them, never change them.
 */
const scopeCache = new WeakMap<object, { version: number; entries: Map<string, Set<string>> }>();

/** The counter every change of units or lineage bumps (one row). */
export async function unitsVersion(db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ version: number | string }>(
    await db.execute(sql`SELECT version FROM analytics_dimension_version WHERE id = 1`),
  );
  return Number(row?.version ?? 0);
}

async function readScopeCodes(db: DbOrTx, root: string, date: string): Promise<Set<string>> {
  const rows = rowsOf<{ code: string }>(
    await db.execute(sql`
      WITH RECURSIVE sub(code, depth) AS (
        SELECT ${root}::text, 0
        UNION
        SELECT v.code, s.depth + 1 FROM unit_versions v JOIN sub s ON v.parent_code = s.code
        WHERE ${validAt("v", date)} AND s.depth < 4),
      back(id) AS (
        SELECT v.id FROM unit_versions v JOIN sub s ON v.code = s.code WHERE ${validAt("v", date)}
        UNION
        SELECT e.predecessor_id FROM lineage_edges e JOIN back b ON e.successor_id = b.id),
      roots(id) AS (
        SELECT v.id FROM unit_versions v WHERE v.code = ${root} AND ${validAt("v", date)}
        UNION
        SELECT e.predecessor_id FROM lineage_edges e JOIN roots r ON e.successor_id = r.id),
      old(id, code, vf, vt, depth) AS (
        SELECT v.id, v.code, v.valid_from, v.valid_to, 0 FROM unit_versions v JOIN roots r ON r.id = v.id
        UNION
        SELECT c.id, c.code, c.valid_from, c.valid_to, o.depth + 1 FROM old o
        JOIN unit_versions c ON c.parent_code = o.code
          AND (c.valid_from IS NULL OR o.vt IS NULL OR c.valid_from < o.vt)
          AND (c.valid_to IS NULL OR o.vf IS NULL OR c.valid_to > o.vf)
        WHERE o.depth < 4)
      SELECT code FROM sub
      UNION
      SELECT v.code FROM (SELECT id FROM back UNION SELECT id FROM old) b JOIN unit_versions v ON v.id = b.id
      WHERE NOT EXISTS (SELECT 1 FROM unit_versions c WHERE c.code = v.code AND ${validAt("c", date)})`),
  );
  return new Set(rows.map((r) => r.code));
}

/** The code of `root` and of every unit under it on `date` (villages included). */
export async function subtreeCodesOn(db: DbOrTx, root: string, date: string): Promise<Set<string>> {
  const rows = rowsOf<{ code: string }>(
    await db.execute(sql`
      WITH RECURSIVE sub(code, depth) AS (
        SELECT ${root}::text, 0
        UNION
        SELECT v.code, s.depth + 1 FROM unit_versions v JOIN sub s ON v.parent_code = s.code
        WHERE ${validAt("v", date)} AND s.depth < 4)
      SELECT code FROM sub`),
  );
  return new Set(rows.map((r) => r.code));
}
