import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, openPglite, openPostgres, rowsOf } from "../../src/db/client.ts";
import { systemActor } from "../../src/modules/access/actor.ts";
import { dataElements, indicators } from "../../src/modules/reporting/schema.ts";
import { importReferenceUnits } from "../../src/modules/units/import-reference.ts";
import { referenceDataFolder } from "../../src/paths.ts";
import { forEachValue, type Plan } from "./generator.ts";

/** Who the bulk-loaded values say wrote them. */
export const BENCH_WRITER = "system:bench";

export interface Store {
  kind: "pglite" | "postgres";
  label: string;
  database: Database;
  /** Copies text-format COPY data (tab-separated lines) into the given columns of data_values (or of `table`). */
  copy(columns: string, chunks: AsyncIterable<string>, table?: string): Promise<void>;
  /** Runs raw SQL and returns its rows. */
  query<T>(text: string): Promise<T[]>;
  close(): Promise<void>;
}

/** An embedded PGlite store on disk in a fresh temporary folder (the embedded default keeps its data on disk). */
export async function openPgliteStore(): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), "gr-bench-analytics-"));
  const database = await openPglite(join(dir, "pglite"));
  const client = database.client as PGlite;
  return {
    kind: "pglite",
    label: "PGlite (on disk, the embedded default)",
    database,
    // PGlite reads COPY … FROM '/dev/blob' from the blob passed with the query; one COPY per chunk.
    async copy(columns, chunks, table = "data_values") {
      for await (const chunk of chunks)
        await client.query(`COPY ${table} (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([chunk]) });
    },
    query: async <T>(text: string) => (await client.query<T>(text)).rows,
    close: async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database `name` on the PostgreSQL server at `url` (dropped on close). */
export async function openPostgresStore(url: string, name = "gr_bench_analytics"): Promise<Store> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString());
  const raw = postgres(target.toString(), { max: 1, onnotice: () => {} });
  return {
    kind: "postgres",
    label: "PostgreSQL server",
    database,
    // postgres-js streams COPY … FROM STDIN through a Writable; honour its back-pressure.
    async copy(columns, chunks, table = "data_values") {
      const writable = await raw.unsafe(`COPY ${table} (${columns}) FROM STDIN`).writable();
      const done = new Promise<void>((resolve, reject) => {
        writable.on("finish", resolve);
        writable.on("error", reject);
      });
      for await (const chunk of chunks) {
        if (!writable.write(chunk)) await new Promise((resolve) => writable.once("drain", resolve));
      }
      writable.end();
      await done;
    },
    query: async <T>(text: string) => (await raw.unsafe(text)) as unknown as T[],
    close: async () => {
      await raw.end({ timeout: 5 });
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

export interface Prepared {
  elementIds: number[];
  /** plan.units index → unit_versions.id */
  unitIds: number[];
  unitsImportSeconds: number;
  partialEdges: { total: number; withShare: number };
}

/**
 * Migrates, imports the reference units (the real 2025 map and lineage), writes the synthetic catalogue, and
 * declares shares on most partial lineage edges. The reference dataset has no shares at all (the resolutions do not
 * give them), so left as it is every value of a split commune would be "incomplete"; the bench declares an even
 * share on the partial edges of 9 predecessors in 10 and leaves the 10th without, so both paths are exercised.
 */
export async function prepare(store: Store, plan: Plan): Promise<Prepared> {
  const { db } = store.database;
  await store.database.migrate();
  const started = performance.now();
  await importReferenceUnits(db, { actor: systemActor("bench"), requestId: null }, referenceDataFolder);
  const unitsImportSeconds = (performance.now() - started) / 1000;

  const inserted = await db
    .insert(dataElements)
    .values(
      plan.elements.map((e) => ({
        code: e.code,
        nameVi: e.nameVi,
        nameEn: e.nameEn,
        valueType: e.valueType,
        aggregation: e.rule,
      })),
    )
    .returning({ id: dataElements.id, code: dataElements.code });
  const idOf = new Map(inserted.map((r) => [r.code, r.id]));
  const elementIds = plan.elements.map((e) => idOf.get(e.code) ?? 0);
  await db.insert(indicators).values(
    plan.indicators.map((i) => ({
      code: i.code,
      nameVi: i.nameVi,
      nameEn: i.nameEn,
      numerator: i.numerator,
      denominator: i.denominator,
      factor: String(i.factor),
      decimals: 1,
      higherIsBetter: true,
    })),
  );

  const versions = rowsOf<{ id: number | string; code: string; era: string }>(
    await db.execute(sql`
      SELECT id, code, CASE WHEN valid_from IS NULL THEN 'old' ELSE 'new' END AS era
      FROM unit_versions WHERE level = 'commune'`),
  );
  const versionOf = new Map(versions.map((v) => [`${v.era}:${v.code}`, Number(v.id)]));
  const unitIds = plan.units.map((u) => {
    const id = versionOf.get(`${u.era}:${u.code}`);
    if (id === undefined) throw new Error(`No ${u.era} unit version for commune ${u.code}`);
    return id;
  });

  // Even shares of each predecessor's partial edges (rounded down to the column's 6 decimals, so they never sum
  // over 1), except for predecessors whose id is a multiple of 10.
  await db.execute(sql`
    UPDATE lineage_edges e SET share = s.share
    FROM (
      SELECT id, floor(1e6 / count(*) OVER (PARTITION BY predecessor_id)) / 1e6 AS share, predecessor_id
      FROM lineage_edges
    ) s
    WHERE e.id = s.id AND e.kind = 'partial' AND s.predecessor_id % 10 <> 0`);
  const [edges] = rowsOf<{ total: number | string; with_share: number | string }>(
    await db.execute(sql`
      SELECT count(*) AS total, count(share) AS with_share FROM lineage_edges WHERE kind = 'partial'`),
  );
  await db.execute(sql`ANALYZE`);
  return {
    elementIds,
    unitIds,
    unitsImportSeconds,
    partialEdges: { total: Number(edges?.total ?? 0), withShare: Number(edges?.with_share ?? 0) },
  };
}

const COLUMNS = "element_id, unit_version_id, period, value, numeric_value, updated_by";

/**
 * The values of `plan` as COPY text chunks of about `rowsPerChunk` lines. Generation runs in slices between chunks,
 * so memory stays at one chunk however large the plan is. Stops after `limit` values when given.
 */
export async function* copyChunks(
  plan: Plan,
  prepared: Prepared,
  rowsPerChunk = 200_000,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<string> {
  // forEachValue is synchronous; run it unit by unit through a one-unit plan view to yield between chunks.
  let lines: string[] = [];
  let total = 0;
  for (let u = 0; u < plan.units.length && total < limit; u++) {
    const unitId = prepared.unitIds[u];
    const one: Plan = { ...plan, units: [plan.units[u] as Plan["units"][number]] };
    forEachValue(one, (e, _u, m, value) => {
      if (total >= limit) return;
      lines.push(
        `${prepared.elementIds[e]}\t${unitId}\t${plan.months[m]}\t${value}\t${value}\t${BENCH_WRITER}`,
      );
      total++;
    });
    if (lines.length >= rowsPerChunk) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join("\n")}\n`;
}

export interface LoadResult {
  values: number;
  seconds: number;
  valuesPerSecond: number;
  analyzeSeconds: number;
  /** The same COPY of the first chunk into a plain copy of data_values (its indexes only): how busy the machine is. */
  referenceValuesPerSecond: number;
}

/**
 * Bulk-loads the plan's values with COPY (indexes, keys and change capture in place, as the product has them), then
 * ANALYZE. Before it, the first chunk is copied once into a plain copy of data_values with its indexes and nothing
 * else (no keys, no triggers, dropped after): a reference for the shared machine's load during this run.
 */
export async function loadValues(
  store: Store,
  plan: Plan,
  prepared: Prepared,
  options: { limit?: number; onProgress?: (done: number) => void } = {},
): Promise<LoadResult> {
  await store.query(
    "CREATE TABLE bench_copy_reference (LIKE data_values INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)",
  );
  let referenceRows = 0;
  const first = async function* () {
    for await (const chunk of copyChunks(plan, prepared, 200_000, options.limit)) {
      referenceRows = countLines(chunk);
      yield chunk;
      return;
    }
  };
  const referenceStarted = performance.now();
  await store.copy(COLUMNS, first(), "bench_copy_reference");
  const referenceSeconds = (performance.now() - referenceStarted) / 1000;
  await store.query("DROP TABLE bench_copy_reference");

  let done = 0;
  const counted = async function* () {
    for await (const chunk of copyChunks(plan, prepared, 200_000, options.limit)) {
      yield chunk;
      done += countLines(chunk);
      options.onProgress?.(done);
    }
  };
  const started = performance.now();
  await store.copy(COLUMNS, counted());
  const seconds = (performance.now() - started) / 1000;
  const analyzing = performance.now();
  await store.query("ANALYZE");
  const analyzeSeconds = (performance.now() - analyzing) / 1000;
  const [row] = await store.query<{ n: number | string }>("SELECT count(*) AS n FROM data_values");
  const values = Number(row?.n ?? 0);
  return {
    values,
    seconds,
    valuesPerSecond: values / seconds,
    analyzeSeconds,
    referenceValuesPerSecond: referenceRows / referenceSeconds,
  };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
