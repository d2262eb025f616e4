import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { migrationsFolder } from "../../paths.ts";
import { ident, type RawTx } from "./raw.ts";

/** What a backup archive holds besides the data: read first on restore, and checked before anything is written. */
export const manifestSchema = z.object({
  format: z.literal("grassroots-backup"),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  appVersion: z.string(),
  /** The driver the backup was taken from: informational, either restores into the other. */
  source: z.enum(["pglite", "postgres"]),
  /** The migrations applied to the database backed up, in order (tags of src/db/migrations/meta/_journal.json). */
  migrations: z.array(z.string()),
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.string()),
      rows: z.number().int().nonnegative(),
      file: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  sequences: z.array(z.object({ name: z.string(), lastValue: z.string().nullable() })),
  attachments: z.array(
    z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

/** The migrations this version of Grassroots knows, in order. */
export async function localJournal(folder = migrationsFolder): Promise<JournalEntry[]> {
  const journal = JSON.parse(await readFile(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface TableInfo {
  name: string;
  /** Stored columns in table order (generated columns are computed again on restore). */
  columns: string[];
}

/** The application's tables (schema public), with their stored columns. */
export async function listTables(tx: RawTx): Promise<TableInfo[]> {
  const rows = await tx.query<{ name: string; columns: string[] | string }>(`
    SELECT c.relname::text AS name,
           json_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     GROUP BY c.relname
     ORDER BY c.relname`);
  return rows.map((r) => ({
    name: r.name,
    columns: typeof r.columns === "string" ? (JSON.parse(r.columns) as string[]) : r.columns,
  }));
}

/** Tables ordered so that each comes after the tables its foreign keys point to. */
export async function loadOrder(tx: RawTx, tables: string[]): Promise<string[]> {
  const edges = await tx.query<{ child: string; parent: string }>(`
    SELECT cl.relname::text AS child, pr.relname::text AS parent
      FROM pg_constraint co
      JOIN pg_class cl ON cl.oid = co.conrelid
      JOIN pg_class pr ON pr.oid = co.confrelid
      JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE co.contype = 'f' AND n.nspname = 'public' AND cl.oid <> pr.oid`);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.filter(
      (t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p) || !parents.has(p)),
    );
    // A cycle of foreign keys: load the rest in name order (the keys are checked as the statement ends).
    const batch = next.length ? next : tables.filter((t) => !placed.has(t));
    for (const t of batch) {
      placed.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

export async function countRows(tx: RawTx, table: string): Promise<number> {
  const [row] = await tx.query<{ n: string | number }>(`SELECT count(*)::text AS n FROM ${ident(table)}`);
  return Number(row?.n ?? 0);
}

/** The tags of the migrations applied to a database (its drizzle bookkeeping), matched against the journal. */
export async function appliedMigrations(tx: RawTx, journal: JournalEntry[]): Promise<string[]> {
  const [exists] = await tx.query<{ ok: boolean }>(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS ok`,
  );
  if (!exists?.ok) return [];
  const [row] = await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM drizzle.__drizzle_migrations`);
  return journal.slice(0, Number(row?.n ?? 0)).map((e) => e.tag);
}

const batchRows = 2_000;

/**
 * Writes a table to a file, one row a line: the row's record literal (PostgreSQL's own text form of every column,
 * the same on PGlite and PostgreSQL) as a JSON string. Read through a cursor, so a large table never sits in memory.
 * Returns the number of rows.
 */
export async function dumpTable(tx: RawTx, table: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  const cursor = `dump_${table.replace(/\W/g, "_")}`;
  let rows = 0;
  try {
    await tx.query(
      `DECLARE ${ident(cursor)} NO SCROLL CURSOR FOR SELECT t::text AS r FROM ${ident(table)} t`,
    );
    for (;;) {
      const batch = await tx.query<{ r: string }>(`FETCH ${batchRows} FROM ${ident(cursor)}`);
      if (batch.length === 0) break;
      const text = `${batch.map((b) => JSON.stringify(b.r)).join("\n")}\n`;
      if (!out.write(text)) await once(out, "drain");
      rows += batch.length;
    }
    await tx.query(`CLOSE ${ident(cursor)}`);
  } finally {
    out.end();
    await once(out, "close");
  }
  return rows;
}

/** Loads a file written by `dumpTable` into a table of the same shape, in batches. Returns the number of rows. */
export async function loadTable(tx: RawTx, table: TableInfo, file: string): Promise<number> {
  const columns = table.columns.map(ident);
  const insert = `INSERT INTO ${ident(table.name)} (${columns.join(", ")}) OVERRIDING SYSTEM VALUE
    SELECT ${columns.map((c) => `(r).${c}`).join(", ")}
      FROM (SELECT x::${ident(table.name)} AS r FROM json_array_elements_text($1::json) AS x) s`;
  let batch: string[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.query(insert, [`[${batch.join(",")}]`]);
    rows += batch.length;
    batch = [];
  };
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line) continue;
    batch.push(line);
    if (batch.length >= batchRows) await flush();
  }
  await flush();
  return rows;
}
