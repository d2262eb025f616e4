import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openPglite, openPostgres } from "../../db/client.ts";
import { DataDirInUseError } from "../../db/data-dir-lock.ts";
import { withDatabase } from "../../db/testing/global-setup.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { loadDemoAccounts } from "../access/demo.ts";
import { createReferenceEngine } from "../analytics/index.ts";
import { listTables, localJournal, type Manifest } from "./archive.ts";
import { createBackup } from "./backup.ts";
import { ident, inRawTransaction } from "./raw.ts";
import { restoreBackup, truncatedMigrations } from "./restore.ts";

/**
 * The promise of a backup: restored anywhere (PGlite or PostgreSQL, whichever it came from), every table holds the
 * same rows, the audit trail included, and the analytics answer the same. This file runs in both suites, so the
 * source is PGlite in one and PostgreSQL in the other, and each restores into both kinds.
 */
let source: Awaited<ReturnType<typeof openTestDatabase>>;
let work: string;
let archive: string;
const adminUrl = process.env.TEST_DATABASE_URL ?? "";
const opened: Array<() => Promise<void>> = [];

beforeAll(async () => {
  source = await openTestDatabase();
  await loadDemoAccounts(source.db, testCtx, new Date());
  work = await mkdtemp(join(tmpdir(), "gr-backup-test-"));
  archive = join(work, "backup.tar.gz");
  await createBackup(source, { out: archive, appVersion: "test" });
});
afterAll(async () => {
  for (const close of opened.reverse()) await close();
  await source.drop();
  await rm(work, { recursive: true, force: true });
});

async function freshPglite(): Promise<Database> {
  const database = await openPglite(await mkdtemp(join(work, "pglite-")));
  opened.push(() => database.close());
  return database;
}

async function freshPostgres(): Promise<Database> {
  const name = `gr_restore_${randomBytes(4).toString("hex")}`;
  const admin = await openPostgres(adminUrl, { max: 1 });
  await admin.db.execute(`CREATE DATABASE ${name}`);
  const database = await openPostgres(withDatabase(adminUrl, name), { max: 2 });
  opened.push(async () => {
    await database.close();
    await admin.db.execute(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });
  return database;
}

/** Every table's rows as sorted text (UTC, ISO dates, exact floats), table by table. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  return inRawTransaction(database, "snapshot", async (tx) => {
    const out: Record<string, string[]> = {};
    for (const t of await listTables(tx)) {
      if (t.name === "database_identity") continue; // a restore gives the database a new identity on purpose
      const rows = await tx.query<{ r: string }>(`SELECT t::text AS r FROM ${ident(t.name)} t`);
      out[t.name] = rows.map((row) => row.r).sort();
    }
    return out;
  });
}

const sonLa2025 = {
  data: ["ROAD_CONCRETE_PCT", "HH_TOTAL"],
  periods: ["2025"],
  units: [{ code: "14", mode: "children" as const }],
};

describe.each([
  ["PGlite", freshPglite],
  ["PostgreSQL", freshPostgres],
])("a backup restored into %s", (_kind, fresh) => {
  let target: Database;
  beforeAll(async () => {
    target = await fresh();
    await restoreBackup(target, archive);
  });

  it("holds every table's rows, the audit trail included", async () => {
    const [expected, actual] = await Promise.all([contents(source), contents(target)]);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    expect(expected.audit_events?.length).toBeGreaterThan(0);
  });

  it("answers analytics queries as the original does", async () => {
    const [a, b] = await Promise.all([
      createReferenceEngine(source.db).pivot(sonLa2025, { today: "2026-12-01" }),
      createReferenceEngine(target.db).pivot(sonLa2025, { today: "2026-12-01" }),
    ]);
    expect(b.rows).toEqual(a.rows);
    expect(a.rows.length).toBeGreaterThan(0);
  });

  it("keeps counting ids after the restored ones", async () => {
    const result = await loadDemoAccounts(target.db, testCtx, new Date());
    expect(result).toEqual([]); // the demo accounts are there already: nothing duplicated, nothing clashing
  });

  it("refuses a second restore into the database that now holds data", async () => {
    await expect(restoreBackup(target, archive)).rejects.toMatchObject({
      code: "restore_target_not_empty",
      status: 409,
    });
  });
});

async function repack(edit: (manifest: Manifest, dir: string) => Promise<Manifest>): Promise<string> {
  const dir = await mkdtemp(join(work, "repack-"));
  await tar.x({ file: archive, cwd: dir });
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  await writeFile(join(dir, "manifest.json"), JSON.stringify(await edit(manifest, dir)));
  const out = join(work, `repacked-${randomBytes(3).toString("hex")}.tar.gz`);
  await tar.c({ gzip: true, file: out, cwd: dir }, ["manifest.json", "tables"]);
  return out;
}

async function isEmptyDatabase(database: Database): Promise<boolean> {
  return inRawTransaction(database, "write", async (tx) => (await listTables(tx)).length === 0);
}

describe("a restore that must not happen", () => {
  it("refuses a truncated archive before writing anything", async () => {
    const bytes = await readFile(archive);
    const cut = join(work, "cut.tar.gz");
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const target = await freshPglite();
    await expect(restoreBackup(target, cut)).rejects.toMatchObject({ code: "backup_damaged" });
    expect(await isEmptyDatabase(target)).toBe(true);
  });

  it("refuses an archive whose table file does not match its checksum", async () => {
    const damaged = await repack(async (manifest, dir) => {
      const first = manifest.tables.find((t) => t.rows > 0);
      if (!first) throw new Error("no table with rows");
      await writeFile(join(dir, first.file), "1\tforged\n", { flag: "a" });
      return manifest;
    });
    const target = await freshPglite();
    await expect(restoreBackup(target, damaged)).rejects.toMatchObject({
      code: "backup_damaged",
      messages: { en: expect.stringMatching(/checksum/) },
    });
    expect(await isEmptyDatabase(target)).toBe(true);
  });

  it("refuses an archive from a newer schema, naming both versions", async () => {
    const newer = await repack(async (manifest) => ({
      ...manifest,
      migrations: [...manifest.migrations, "9999_from_the_future"],
    }));
    const target = await freshPglite();
    const failure = restoreBackup(target, newer);
    await expect(failure).rejects.toMatchObject({
      code: "backup_schema_newer",
      details: { archive: "9999_from_the_future", local: expect.stringMatching(/^\d{4}_/) },
    });
    expect(await isEmptyDatabase(target)).toBe(true);
  });

  it("restores an archive from an older schema, then migrates it", async () => {
    const journal = await localJournal();
    // A database as the previous version left it: every migration but the last.
    const olderDir = await mkdtemp(join(work, "older-"));
    const older = await openPglite(join(olderDir, "pglite"));
    opened.push(() => older.close());
    await older.migrate(await truncatedMigrations(journal, journal.length - 1, olderDir));
    const archiveOfOlder = join(work, "older.tar.gz");
    await createBackup(older, { out: archiveOfOlder, appVersion: "previous" });
    const target = await freshPglite();
    const summary = await restoreBackup(target, archiveOfOlder);
    expect([summary.archiveMigrations, summary.migratedAfter]).toEqual([journal.length - 1, 1]);
    const [applied] = await inRawTransaction(target, "write", (tx) =>
      tx.query<{ n: string }>("SELECT count(*)::text AS n FROM drizzle.__drizzle_migrations"),
    );
    expect(Number(applied?.n)).toBe(journal.length);
  });
});

describe("the embedded database folder", () => {
  it("cannot be opened by a second server while the first has it", async () => {
    const dir = await mkdtemp(join(work, "locked-"));
    const first = await openPglite(dir);
    opened.push(() => first.close());
    await expect(openPglite(dir)).rejects.toBeInstanceOf(DataDirInUseError);
  });
});
