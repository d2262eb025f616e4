/**
 * The DuckDB analytics replica: a columnar copy of the numeric data values in an in-process DuckDB file, fed from
 * PostgreSQL's change sequence (data_value_changes), rebuilt from scratch when the file is missing, unreadable or of
 * an older layout. PostgreSQL stays the only source of truth; deleting the file loses nothing.
 *
 * Units and lineage (tens of thousands of rows) come from the plan inputs cached by the dimensions counter
 * (inputs.ts); the mapping of every unit version to the versions valid on a hierarchy date (lineage forward) is
 * computed here in TypeScript once per counter and date — independently of the reference SQL, so that the two check
 * each other — and the part a query needs (those versions under its row units) is handed to DuckDB as a small table
 * that the fact scan joins. A rebuild streams the values out of the database with COPY into a file that DuckDB loads
 * in one statement, sorted by element and month so that a query's scan skips what it does not ask for.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import { maxYear, minYear, parsePeriod } from "../reporting/periods.ts";
import type { DuckReplica, OpenDuckReplicaOptions, PivotOptions, PivotQuery, PivotResult } from "./index.ts";
import { dateView, type PlanInputs, planInputs, validOn } from "./inputs.ts";
import { type CoreResult, engineOf, monthRange, type Plan } from "./plan.ts";
import { recordReplicaPosition, replicaIdOf, replicaSource } from "./replica-position.ts";

/** Bump when the replica's tables change shape: an older file is then rebuilt on open. */
export const replicaSchemaVersion = 2;

const changeBatch = 5_000;
/** How often a replica tells the database where it stands (for pruning the change sequence). */
const positionEveryMs = 10_000;
/** A hole in the sequence is an uncommitted (or rolled-back) write; it is looked for again this long. */
const gapTtlMs = 120_000;
/** On rebuild, holes are looked for this far back from the newest change. */
const gapWindow = 10_000;
const rules = new Set(["sum", "average", "last", "min", "max", "none"]);

interface Dims {
  inputs: PlanInputs;
  /** predecessor → successors with the weight of the edge (null: a share is lacking). */
  out: Map<number, Array<{ succ: number; w: number | null }>>;
  /** predecessor with share-less edges → the part of it they carry (1 − its declared partial shares). */
  unknownPart: Map<number, number>;
}

/**
 * Where one unit version's values go on a date: certain targets with their weights, and groups — a value that went
 * through partial edges without shares at `grp` is certain, with weight `mass`, only at a unit that contains every
 * one of `targets`; at a unit holding some of them it stays incomplete.
 */
interface Mapped {
  certain: Map<number, number>;
  groups: Map<number, { mass: number; targets: Set<number> }>;
}

/** Every version's mapping on one date, turned round: what flows into each version valid on that date. */
interface DateMap {
  /** target → the sources certain there, with their weights. */
  certainInto: Map<number, Array<{ src: number; w: number }>>;
  /** target → the groups that hold it among their targets. */
  groupsAt: Map<number, number[]>;
  /** group → its targets and the sources (with their mass) that flow into it. */
  groups: Map<number, { targets: Set<number>; members: Array<{ src: number; mass: number }> }>;
}

const periodCache = new Map<string, [number, number] | null>();
function monthsOf(code: string): [number, number] | null {
  let r = periodCache.get(code);
  if (r === undefined) {
    const p = parsePeriod(code);
    r = p ? monthRange(p) : null;
    if (periodCache.size < 100_000) periodCache.set(code, r);
  }
  return r;
}

const num = (x: number) => (Number.isFinite(x) ? String(x) : "NULL");

class Replica implements DuckReplica {
  private instance: DuckDBInstance | null = null;
  private conn: DuckDBConnection | null = null;
  private lastSeq = 0;
  private gaps = new Map<number, number>();
  private dims: Dims | null = null;
  private dateMaps = new Map<string, DateMap>();
  private mapKey = "";
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Its row in analytics_replicas: where it stands, so the pruning job keeps what it still needs. */
  private readonly replicaId: string;
  private positionRecordedAt = 0;
  /** When it last found nothing more to apply. */
  private leveledAt = Date.now();
  private readonly engine;

  constructor(private readonly opts: OpenDuckReplicaOptions) {
    this.replicaId = replicaIdOf(opts.path);
    this.engine = engineOf(
      opts.db,
      (plan) => this.exclusive(() => this.cells(plan)),
      () => this.catchUp(),
    );
  }

  private get db(): Db {
    return this.opts.db;
  }

  private get c(): DuckDBConnection {
    if (!this.conn) throw new Error("The analytics replica is closed.");
    return this.conn;
  }

  /** Runs one operation at a time on the DuckDB connection. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  async open(): Promise<void> {
    const path = this.opts.path;
    let needsRebuild = false;
    if (path !== ":memory:") await mkdir(dirname(path), { recursive: true });
    try {
      await this.connect();
      const meta = await this.readMeta();
      if (meta.get("schema_version") !== String(replicaSchemaVersion)) needsRebuild = true;
      else this.lastSeq = Number(meta.get("last_seq") ?? 0);
      // Restored since (another database), or stopped while the changes it lacks were pruned: start again.
      const source = await replicaSource(this.db);
      if (meta.get("database_instance") !== source.instance || this.lastSeq + 1 < source.prunedBelow)
        needsRebuild = true;
    } catch {
      // Unreadable or not a DuckDB file: it is only a cache, so start it again.
      this.disconnect();
      if (path !== ":memory:") {
        await rm(path, { force: true });
        await rm(`${path}.wal`, { force: true });
      }
      await this.connect();
      needsRebuild = true;
    }
    if (!needsRebuild) {
      const [row] = rowsOf<{ max: number | string | null }>(
        await this.db.execute(sql`SELECT max(seq) AS max FROM data_value_changes`),
      );
      // A file ahead of the log belongs to another database.
      if (Number(row?.max ?? 0) < this.lastSeq) needsRebuild = true;
    }
    if (needsRebuild) await this.rebuildNow(this.opts.onRebuildProgress);
    else await this.syncNow();
    const interval = this.opts.syncIntervalMs ?? 500;
    if (interval > 0) {
      this.timer = setInterval(() => {
        this.sync().catch((err) => this.opts.onError?.(err));
      }, interval);
      this.timer.unref();
    }
  }

  private async connect() {
    this.instance = await DuckDBInstance.create(this.opts.path);
    this.conn = await this.instance.connect();
  }

  private disconnect() {
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = null;
    this.instance = null;
  }

  private async readMeta(): Promise<Map<string, string>> {
    const reader = await this.c.runAndReadAll("SELECT key, value FROM meta");
    return new Map(reader.getRowObjectsJS().map((r) => [String(r.key), String(r.value)]));
  }

  private async writeMeta(key: string, value: string) {
    await this.c.run(`INSERT OR REPLACE INTO meta VALUES ('${key}', '${value.replace(/'/g, "''")}')`);
  }

  pivot(q: PivotQuery, opts?: PivotOptions): Promise<PivotResult> {
    return this.engine.pivot(q, opts);
  }

  async status(): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = rowsOf<{ max: number | string | null }>(
      await this.db.execute(sql`SELECT max(seq) AS max FROM data_value_changes`),
    );
    const pending = Math.max(0, Number(row?.max ?? 0) - this.lastSeq);
    return { pending, lagSeconds: pending === 0 ? 0 : Math.round((Date.now() - this.leveledAt) / 1000) };
  }

  rebuild(onProgress?: (done: number, total: number) => void): Promise<void> {
    return this.exclusive(() => this.rebuildNow(onProgress));
  }

  sync(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    return this.exclusive(() => this.syncNow());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.exclusive(async () => this.disconnect());
  }

  /**
   * Before a query: one round trip for where the log and the dimensions stand; sync when either moved since the last
   * sync (a saved value is then visible). Hands over the plan inputs of the current dimensions.
   */
  private async catchUp(): Promise<PlanInputs> {
    const [row] = rowsOf<{ s: number | string | null; d: number | string | null }>(
      await this.db.execute(sql`SELECT (SELECT max(seq) FROM data_value_changes) AS s,
        (SELECT version FROM analytics_dimension_version WHERE id = 1) AS d`),
    );
    const version = Number(row?.d ?? 0);
    if (Number(row?.s ?? 0) > this.lastSeq || version !== this.dims?.inputs.version || this.gaps.size > 0)
      await this.sync();
    return planInputs(this.db, version);
  }

  private async loadDims(version: number) {
    const inputs = await planInputs(this.db, version);
    const byPred = new Map<number, PlanInputs["edges"]>();
    for (const e of inputs.edges) {
      const list = byPred.get(e.pred);
      if (list) list.push(e);
      else byPred.set(e.pred, [e]);
    }
    const out = new Map<number, Array<{ succ: number; w: number | null }>>();
    const unknownPart = new Map<number, number>();
    for (const [pred, list] of byPred) {
      const partial = list.filter((e) => e.kind === "partial");
      const lacking = partial.some((e) => e.share === null);
      const declared = partial.reduce((s, e) => s + (e.share ?? 0), 0);
      if (lacking) unknownPart.set(pred, 1 - declared);
      out.set(
        pred,
        list.map((e) => ({
          succ: e.succ,
          w: e.kind === "partial" ? e.share : lacking ? null : 1 - declared,
        })),
      );
    }
    this.dims = { inputs, out, unknownPart };
    this.dateMaps.clear();
    this.mapKey = "";
  }

  private async syncNow(): Promise<number> {
    if (this.closed) return 0;
    const [dv] = rowsOf<{ version: number | string }>(
      await this.db.execute(sql`SELECT version FROM analytics_dimension_version WHERE id = 1`),
    );
    const dimsVersion = Number(dv?.version ?? 0);
    if (this.dims?.inputs.version !== dimsVersion) await this.loadDims(dimsVersion);

    const now = Date.now();
    for (const [seq, seen] of this.gaps) if (now - seen > gapTtlMs) this.gaps.delete(seq);
    let applied = 0;
    for (;;) {
      const gapList = [...this.gaps.keys()].slice(0, 1000);
      const changes = rowsOf<{ seq: number | string; data_value_id: number | string }>(
        await this.db.execute(sql`SELECT seq, data_value_id FROM data_value_changes
          WHERE seq > ${this.lastSeq} ${gapList.length ? sql`OR seq IN (${sql.join(gapList, sql`, `)})` : sql``}
          ORDER BY seq LIMIT ${changeBatch}`),
      );
      if (changes.length === 0) break;
      const ids = [...new Set(changes.map((c) => Number(c.data_value_id)))];
      const current = rowsOf<{
        id: number | string;
        element_id: number | string;
        unit_version_id: number | string;
        period: string;
        x: number | string;
      }>(
        await this.db.execute(sql`SELECT id, element_id, unit_version_id, period, numeric_value::float8 AS x
          FROM data_values WHERE id IN (${sql.join(ids, sql`, `)}) AND numeric_value IS NOT NULL`),
      );
      let maxSeq = this.lastSeq;
      for (const ch of changes) {
        const seq = Number(ch.seq);
        this.gaps.delete(seq);
        if (seq > maxSeq) {
          for (let s = maxSeq + 1; s < seq && this.gaps.size < 10_000; s++) this.gaps.set(s, now);
          maxSeq = seq;
        }
      }
      const values = current.flatMap((r) => {
        const m = monthsOf(r.period);
        return m
          ? [
              `(${Number(r.id)}, ${Number(r.element_id)}, ${Number(r.unit_version_id)}, ${m[0]}, ${m[1]}, ${num(Number(r.x))})`,
            ]
          : [];
      });
      await this.c.run("BEGIN TRANSACTION");
      try {
        await this.c.run(`DELETE FROM facts WHERE id IN (${ids.join(", ")})`);
        if (values.length) await this.c.run(`INSERT INTO facts VALUES ${values.join(", ")}`);
        await this.writeMeta("last_seq", String(maxSeq));
        await this.c.run("COMMIT");
      } catch (err) {
        await this.c.run("ROLLBACK");
        throw err;
      }
      this.lastSeq = maxSeq;
      applied += changes.length;
      if (changes.length < changeBatch) break;
    }
    this.leveledAt = Date.now();
    if (now - this.positionRecordedAt > positionEveryMs) {
      await recordReplicaPosition(this.db, this.replicaId, hostname(), this.lastSeq);
      this.positionRecordedAt = now;
    }
    return applied;
  }

  /**
   * Copies every numeric value out of the database into a tab-separated file (COPY, one snapshot with the log's
   * high-water mark), loads the file into DuckDB in one statement sorted by element and month, then swaps it in.
   */
  private async rebuildNow(onProgress?: (done: number, total: number) => void): Promise<void> {
    const c = this.c;
    const dir = await mkdtemp(
      join(this.opts.path === ":memory:" ? tmpdir() : dirname(this.opts.path), ".rebuild-"),
    );
    const file = join(dir, "values.tsv");
    let head: { lastSeq: number; gaps: number[] };
    try {
      head = await copyValuesOut(this.db, file, onProgress);
      await c.run(`CREATE OR REPLACE TABLE facts_new AS
        WITH raw AS (
          SELECT id, element_id, version_id, period, TRY_CAST(x AS DOUBLE) AS value,
            TRY_CAST(substr(period, 1, 4) AS INTEGER) AS y
          FROM read_csv('${file.replace(/'/g, "''")}', delim = '\t', header = false, quote = '', escape = '',
            nullstr = '\\N', auto_detect = false,
            columns = {'id': 'BIGINT', 'element_id': 'INTEGER', 'version_id': 'INTEGER', 'period': 'VARCHAR', 'x': 'VARCHAR'})),
        months AS (
          SELECT id, element_id, version_id, value,
            CASE
              WHEN y NOT BETWEEN ${minYear} AND ${maxYear} THEN NULL
              WHEN regexp_full_match(period, '[0-9]{4}') THEN y * 12
              WHEN regexp_full_match(period, '[0-9]{4}S[12]') THEN y * 12 + (CAST(period[6] AS INTEGER) - 1) * 6
              WHEN regexp_full_match(period, '[0-9]{4}Q[1-4]') THEN y * 12 + (CAST(period[6] AS INTEGER) - 1) * 3
              WHEN regexp_full_match(period, '[0-9]{4}(0[1-9]|1[0-2])') THEN y * 12 + CAST(substr(period, 5, 2) AS INTEGER) - 1
            END AS ms,
            CASE
              WHEN regexp_full_match(period, '[0-9]{4}') THEN 11
              WHEN regexp_full_match(period, '[0-9]{4}S[12]') THEN 5
              WHEN regexp_full_match(period, '[0-9]{4}Q[1-4]') THEN 2
              ELSE 0
            END AS len
          FROM raw)
        SELECT id, element_id, version_id, CAST(ms AS INTEGER) AS ms, CAST(ms + len AS INTEGER) AS me, value
        FROM months WHERE ms IS NOT NULL
        ORDER BY element_id, ms, version_id`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await c.run("BEGIN TRANSACTION");
    try {
      await c.run("DROP TABLE IF EXISTS facts");
      await c.run("ALTER TABLE facts_new RENAME TO facts");
      await c.run("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
      await this.writeMeta("schema_version", String(replicaSchemaVersion));
      await this.writeMeta("database_instance", (await replicaSource(this.db)).instance);
      await this.writeMeta("last_seq", String(head.lastSeq));
      await c.run("COMMIT");
    } catch (err) {
      await c.run("ROLLBACK");
      throw err;
    }
    if (this.opts.path !== ":memory:") await c.run("CHECKPOINT");
    this.lastSeq = head.lastSeq;
    const now = Date.now();
    this.gaps = new Map(head.gaps.map((s) => [s, now]));
    this.dims = null;
    this.dateMaps.clear();
    this.mapKey = "";
    await this.syncNow();
  }

  /** Every version → the versions valid on `date` it flows into, with weights (see docs/analytics.md). */
  private mapping(date: string): (src: number) => Mapped {
    const dims = this.dims as Dims;
    const versions = dims.inputs.units;
    const memo = new Map<number, Mapped>();
    const visit = (id: number, depth: number): Mapped => {
      const known = memo.get(id);
      if (known) return known;
      const v = versions.get(id);
      const result: Mapped = { certain: new Map(), groups: new Map() };
      if (v && validOn(v, date)) result.certain.set(id, 1);
      else if (depth < 64) {
        const unknownTargets = new Set<number>();
        for (const edge of dims.out.get(id) ?? []) {
          const child = visit(edge.succ, depth + 1);
          if (edge.w === null) {
            for (const t of child.certain.keys()) unknownTargets.add(t);
            for (const g of child.groups.values()) for (const t of g.targets) unknownTargets.add(t);
            continue;
          }
          for (const [t, w] of child.certain)
            result.certain.set(t, (result.certain.get(t) ?? 0) + edge.w * w);
          for (const [grp, g] of child.groups) {
            const prev = result.groups.get(grp);
            if (prev) prev.mass += edge.w * g.mass;
            else result.groups.set(grp, { mass: edge.w * g.mass, targets: g.targets });
          }
        }
        const part = dims.unknownPart.get(id);
        if (part !== undefined && unknownTargets.size > 0) {
          const prev = result.groups.get(id);
          if (prev) prev.mass += part;
          else result.groups.set(id, { mass: part, targets: unknownTargets });
        }
      }
      memo.set(id, result);
      return result;
    };
    return (src) => visit(src, 0);
  }

  /** The mapping of every version on `date`, turned round by target; kept until the dimensions move. */
  private dateMap(date: string): DateMap {
    const known = this.dateMaps.get(date);
    if (known) return known;
    const dims = this.dims as Dims;
    const mapOf = this.mapping(date);
    const map: DateMap = { certainInto: new Map(), groupsAt: new Map(), groups: new Map() };
    for (const src of dims.inputs.units.keys()) {
      const m = mapOf(src);
      for (const [target, w] of m.certain) {
        if (!(w > 1e-9)) continue;
        const list = map.certainInto.get(target);
        if (list) list.push({ src, w });
        else map.certainInto.set(target, [{ src, w }]);
      }
      for (const [grp, g] of m.groups) {
        let group = map.groups.get(grp);
        if (!group) {
          group = { targets: g.targets, members: [] };
          map.groups.set(grp, group);
          for (const t of g.targets) {
            const list = map.groupsAt.get(t);
            if (list) list.push(grp);
            else map.groupsAt.set(t, [grp]);
          }
        }
        group.members.push({ src, mass: g.mass });
      }
    }
    if (this.dateMaps.size >= 8) this.dateMaps.clear();
    this.dateMaps.set(date, map);
    return map;
  }

  /** Loads qmap(src, ui, target, w, unknown) and qout(ui, vid) for the plan's hierarchy date and row units. */
  private async loadMap(plan: Plan) {
    const dims = this.dims as Dims;
    const key = `${dims.inputs.version}|${plan.hierarchyDate}|${plan.units.map((u) => u.versionId).join(",")}`;
    if (key === this.mapKey) return;
    const date = plan.hierarchyDate;
    const children = dateView(dims.inputs, date).children;
    const uisOf = new Map<number, number[]>();
    plan.units.forEach((u, ui) => {
      const stack: Array<[number, string, number]> = [[u.versionId, u.code, 0]];
      while (stack.length) {
        const [id, code, depth] = stack.pop() as [number, string, number];
        const list = uisOf.get(id);
        if (list) list.push(ui);
        else uisOf.set(id, [ui]);
        if (depth < 8)
          for (const child of children.get(code) ?? []) stack.push([child.id, child.code, depth + 1]);
      }
    });
    const map = this.dateMap(date);
    await this.c.run(
      "CREATE OR REPLACE TEMP TABLE qmap (src INTEGER, ui INTEGER, target INTEGER, w DOUBLE, unknown BOOLEAN)",
    );
    const appender = await this.c.createAppender("qmap", "main", "temp");
    const row = (src: number, ui: number, target: number, w: number, unknown: boolean) => {
      appender.appendInteger(src);
      appender.appendInteger(ui);
      appender.appendInteger(target);
      appender.appendDouble(w);
      appender.appendBoolean(unknown);
      appender.endRow();
    };
    const touched = new Set<number>();
    for (const [target, uis] of uisOf) {
      for (const { src, w } of map.certainInto.get(target) ?? [])
        for (const ui of uis) row(src, ui, target, w, false);
      for (const grp of map.groupsAt.get(target) ?? []) touched.add(grp);
    }
    for (const grp of touched) {
      const g = map.groups.get(grp);
      if (!g) continue;
      const byUnit = new Map<number, number>();
      for (const t of g.targets)
        for (const ui of new Set(uisOf.get(t) ?? [])) byUnit.set(ui, (byUnit.get(ui) ?? 0) + 1);
      for (const { src, mass } of g.members)
        for (const [ui, n] of byUnit) {
          const unknown = n < g.targets.size;
          if (unknown || mass > 1e-9) row(src, ui, -grp, mass, unknown);
        }
    }
    appender.closeSync();
    await this.c.run("CREATE OR REPLACE TEMP TABLE qout (ui INTEGER, vid INTEGER)");
    if (plan.units.length)
      await this.c.run(
        `INSERT INTO qout VALUES ${plan.units.map((u, i) => `(${i}, ${u.versionId})`).join(", ")}`,
      );
    this.mapKey = key;
  }

  private async cells(plan: Plan): Promise<CoreResult> {
    if (!this.dims) await this.syncNow();
    await this.loadMap(plan);
    const per = plan.periods.map((p, i) => `(${i}, ${p.ms}, ${p.me})`).join(", ");
    const els = plan.elements
      .filter((e) => rules.has(e.rule))
      .map((e) => `(${e.id}, '${e.rule}')`)
      .join(", ");
    // Literal bounds on the scan itself: the facts are sorted by element and month, so DuckDB skips the row groups
    // of other elements and months instead of joining them away.
    const ids = plan.elements.map((e) => e.id).join(", ");
    const lo = Math.min(...plan.periods.map((p) => p.ms));
    const hi = Math.max(...plan.periods.map((p) => p.me));
    const scan = `f.element_id IN (${ids}) AND f.ms >= ${lo} AND f.me <= ${hi}`;
    const reader = await this.c.runAndReadAll(`
      WITH per(pi, ms, me) AS (VALUES ${per}),
      els(e, rule) AS (VALUES ${els}),
      c AS (
        SELECT f.element_id AS e, per.pi, m.ui, m.target, m.src, f.ms, f.me, f.value AS x, m.w, m.unknown, els.rule
        FROM facts f JOIN els ON els.e = f.element_id
        JOIN per ON f.ms >= per.ms AND f.me <= per.me
        JOIN qmap m ON m.src = f.version_id
        WHERE ${scan}),
      agg AS (
        SELECT e, pi, ui,
          CASE min(rule)
            WHEN 'sum' THEN sum(w * x) FILTER (WHERE NOT unknown)
            WHEN 'average' THEN sum(w * x) FILTER (WHERE NOT unknown) / nullif(sum(w) FILTER (WHERE NOT unknown), 0)
            WHEN 'min' THEN min(x) FILTER (WHERE NOT unknown)
            ELSE max(x) FILTER (WHERE NOT unknown) END AS value,
          bool_or(unknown) AS incomplete,
          list(DISTINCT src) FILTER (WHERE unknown) AS lacking
        FROM c WHERE rule IN ('sum', 'average', 'min', 'max') GROUP BY e, pi, ui),
      lastkey AS (
        SELECT e, pi, ui, target, max(me::BIGINT * 100000 + ms) AS k FROM c WHERE rule = 'last' GROUP BY e, pi, ui, target),
      lastagg AS (
        SELECT c.e, c.pi, c.ui, sum(c.w * c.x) FILTER (WHERE NOT c.unknown) AS value,
          bool_or(c.unknown) AS incomplete, list(DISTINCT c.src) FILTER (WHERE c.unknown) AS lacking
        FROM c JOIN lastkey l ON l.e = c.e AND l.pi = c.pi AND l.ui = c.ui AND l.target = c.target
          AND c.me::BIGINT * 100000 + c.ms = l.k
        GROUP BY c.e, c.pi, c.ui),
      noneagg AS (
        SELECT f.element_id AS e, per.pi, o.ui, f.value, false AS incomplete, NULL::INTEGER[] AS lacking
        FROM facts f JOIN els ON els.e = f.element_id AND els.rule = 'none'
        JOIN per ON f.ms = per.ms AND f.me = per.me
        JOIN qout o ON o.vid = f.version_id
        WHERE ${scan})
      SELECT e, pi, ui, value::DOUBLE AS value, incomplete, lacking FROM agg
      UNION ALL SELECT e, pi, ui, value::DOUBLE, incomplete, lacking FROM lastagg
      UNION ALL SELECT e, pi, ui, value::DOUBLE, incomplete, lacking FROM noneagg`);
    const lacking = new Set<number>();
    const rowUnits = plan.rowUnits ?? plan.units.length;
    const cells = reader.getRowObjectsJS().map((r) => {
      if (Array.isArray(r.lacking) && Number(r.ui) < rowUnits)
        for (const id of r.lacking) lacking.add(Number(id));
      return {
        elementId: Number(r.e),
        period: Number(r.pi),
        unit: Number(r.ui),
        value: r.value === null ? null : Number(r.value),
        incomplete: r.incomplete === true,
      };
    });
    return { cells, incompleteSources: [...lacking] };
  }
}

/** Ids per slice of the copy: a slice of text of about 40 MB at most. */
const copySlice = 1_000_000;

/**
 * Writes every numeric value (id, element, version, period, value) as tab-separated lines into `file`, inside one
 * read-only snapshot that also gives the change log's high-water mark and its recent holes: a write not in the copy
 * has a change above the mark (or in a hole) and is applied by the next sync. The database turns each slice of ids
 * into one text (string_agg) so that the driver moves a few large values, not millions of rows — faster than rows
 * through the driver and, unlike COPY … TO STDOUT, the same on PostgreSQL and PGlite and inside a Drizzle
 * transaction (postgres-js can leave a connection stuck after a COPY stream: porsager/postgres#499).
 */
async function copyValuesOut(
  db: Db,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ lastSeq: number; gaps: number[] }> {
  return db.transaction(
    async (tx) => {
      const [head] = rowsOf<{
        max: number | string | null;
        n: number | string;
        lo: number | string | null;
        hi: number | string | null;
      }>(
        await tx.execute(sql`SELECT (SELECT max(seq) FROM data_value_changes) AS max,
          (SELECT count(*) FROM data_values WHERE numeric_value IS NOT NULL) AS n,
          (SELECT min(id) FROM data_values) AS lo, (SELECT max(id) FROM data_values) AS hi`),
      );
      const lastSeq = Number(head?.max ?? 0);
      const total = Number(head?.n ?? 0);
      const gaps: number[] = [];
      if (lastSeq > 0)
        for (const r of rowsOf<{ s: number | string }>(
          await tx.execute(sql`SELECT s FROM generate_series(${Math.max(1, lastSeq - gapWindow)}::bigint, ${lastSeq}::bigint) s
            WHERE NOT EXISTS (SELECT 1 FROM data_value_changes c WHERE c.seq = s)`),
        ))
          gaps.push(Number(r.s));
      onProgress?.(0, total);
      const out = createWriteStream(file);
      let done = 0;
      try {
        if (head?.lo !== null && head?.lo !== undefined)
          for (let lo = Number(head.lo); lo <= Number(head.hi); lo += copySlice) {
            const [slice] = rowsOf<{ t: string | null }>(
              await tx.execute(sql`SELECT string_agg(concat_ws(E'\t', id, element_id, unit_version_id, period,
                  numeric_value::float8), E'\n') AS t
                FROM data_values WHERE numeric_value IS NOT NULL AND id >= ${lo} AND id < ${lo + copySlice}`),
            );
            if (!slice?.t) continue;
            const bytes = Buffer.from(`${slice.t}\n`);
            done += linesIn(bytes);
            onProgress?.(Math.min(done, total), total);
            if (!out.write(bytes)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
          }
      } finally {
        await endOf(out);
      }
      return { lastSeq, gaps };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Newlines in a chunk of text: the rows it holds. */
function linesIn(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Closes a file being written, once everything is flushed. */
function endOf(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * Opens the replica at `path` (":memory:" for tests): creates and fills it when missing, rebuilds it when unreadable
 * or of an older layout, otherwise catches up from the change sequence. Then keeps it in step every
 * `syncIntervalMs`, and before each query when PostgreSQL is ahead.
 */
export async function openDuckReplica(opts: OpenDuckReplicaOptions): Promise<DuckReplica> {
  const replica = new Replica(opts);
  await replica.open();
  return replica;
}
