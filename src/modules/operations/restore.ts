import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import type { Database } from "../../db/client.ts";
import { AppError } from "../../http/errors.ts";
import { migrationsFolder } from "../../paths.ts";
import type { ImportProgress } from "../units/import-reference.ts";
import {
  countRows,
  type JournalEntry,
  listTables,
  loadOrder,
  loadTable,
  localJournal,
  type Manifest,
  manifestSchema,
  sha256File,
} from "./archive.ts";
import { ident, inRawTransaction } from "./raw.ts";

export interface RestoreOptions {
  /** Restore over a database that holds data (its contents are dropped first). */
  force?: boolean;
  /** Where the archive's attachments go. */
  attachmentsDir?: string | undefined;
  onProgress?: ImportProgress | undefined;
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  attachments: number;
  /** Migrations of the archive, and how many newer ones were applied after loading it. */
  archiveMigrations: number;
  migratedAfter: number;
}

const refuse = (code: string, vi: string, en: string, details?: unknown) =>
  new AppError(422, code, { vi, en }, details);

/** Unpacks and checks an archive: every file present with its checksum, the manifest well-formed. */
async function openArchive(file: string, into: string): Promise<Manifest> {
  try {
    await tar.x({ file, cwd: into, strict: true });
  } catch (err: unknown) {
    throw refuse(
      "backup_damaged",
      `Tệp sao lưu bị hỏng hoặc không đầy đủ (${(err as Error).message}); không có gì được ghi.`,
      `The backup archive is damaged or truncated (${(err as Error).message}); nothing was written.`,
    );
  }
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(await readFile(join(into, "manifest.json"), "utf8")));
  } catch {
    throw refuse(
      "backup_damaged",
      "Tệp sao lưu không có bản kê (manifest.json) hợp lệ; không có gì được ghi.",
      "The archive has no valid manifest (manifest.json); nothing was written.",
    );
  }
  const files = [
    ...manifest.tables.map((t) => ({ path: t.file, sha256: t.sha256 })),
    ...manifest.attachments.map((a) => ({ path: `attachments/${a.path}`, sha256: a.sha256 })),
  ];
  for (const f of files) {
    if (f.path.split("/").includes(".."))
      throw refuse(
        "backup_damaged",
        `Đường dẫn không hợp lệ: ${f.path}.`,
        `Invalid path in the archive: ${f.path}.`,
      );
    const actual = await sha256File(join(into, f.path)).catch(() => null);
    if (actual !== f.sha256)
      throw refuse(
        "backup_damaged",
        `Tệp ${f.path} trong bản sao lưu ${actual ? "sai mã kiểm tra" : "bị thiếu"}; không có gì được ghi.`,
        `${f.path} in the archive is ${actual ? "corrupt (checksum mismatch)" : "missing"}; nothing was written.`,
      );
  }
  return manifest;
}

/** The archive's migrations must be the first ones of ours: an older schema is migrated after loading, a newer refused. */
function checkSchema(manifest: Manifest, journal: JournalEntry[]): void {
  const ours = journal.map((e) => e.tag);
  const theirs = manifest.migrations;
  const isPrefix = theirs.length <= ours.length && theirs.every((tag, i) => ours[i] === tag);
  if (!isPrefix) {
    const a = `${theirs.length} (${theirs.at(-1) ?? "—"})`;
    const b = `${ours.length} (${ours.at(-1) ?? "—"})`;
    throw refuse(
      "backup_schema_newer",
      `Bản sao lưu có lược đồ mới hơn phiên bản Grassroots này: bản sao lưu ${a}, phiên bản này ${b}. Hãy nâng cấp Grassroots trước khi khôi phục.`,
      `The archive's schema is newer than this Grassroots: archive ${a} migrations, this version ${b}. Upgrade Grassroots before restoring.`,
      { archive: theirs.at(-1) ?? null, local: ours.at(-1) ?? null },
    );
  }
}

/** A migrations folder holding only the first `count` migrations, so the schema is built as the archive had it. */
export async function truncatedMigrations(
  journal: JournalEntry[],
  count: number,
  into: string,
): Promise<string> {
  const folder = join(into, "migrations");
  await mkdir(join(folder, "meta"), { recursive: true });
  const entries = journal.slice(0, count);
  for (const e of entries)
    await copyFile(join(migrationsFolder, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  const original = JSON.parse(
    await readFile(join(migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as Record<string, unknown>;
  await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify({ ...original, entries }));
  return folder;
}

/**
 * Restores an archive written by `createBackup` into a database of either kind. The archive is unpacked and checked
 * whole before anything is written; a database holding data is refused unless `force`. The schema is built as the
 * archive had it, every table loaded (triggers off: the rows are the record, not new events) in one transaction with
 * its row count checked, the sequences set, then the migrations since are applied. The database gets a new identity,
 * so analytics replicas rebuild instead of trusting their old position.
 */
export async function restoreBackup(
  database: Database,
  archive: string,
  options: RestoreOptions = {},
): Promise<RestoreSummary> {
  const work = await mkdtemp(join(tmpdir(), "gr-restore-"));
  try {
    const manifest = await openArchive(archive, work);
    const journal = await localJournal();
    checkSchema(manifest, journal);

    const existing = await inRawTransaction(database, "write", async (tx) => {
      const tables = await listTables(tx);
      let rows = 0;
      for (const t of tables) rows += await countRows(tx, t.name);
      return { tables: tables.length, rows };
    });
    if (existing.rows > 0 && !options.force)
      throw new AppError(409, "restore_target_not_empty", {
        vi: `Cơ sở dữ liệu đích đã có dữ liệu (${existing.rows.toLocaleString("vi-VN")} dòng): khôi phục bị từ chối. Dùng --force để xoá và khôi phục đè.`,
        en: `The target database holds data (${existing.rows} rows): restore refused. Use --force to drop it and restore over it.`,
      });
    if (existing.tables > 0 || options.force) {
      await inRawTransaction(database, "write", async (tx) => {
        await tx.query("DROP SCHEMA IF EXISTS drizzle CASCADE");
        await tx.query("DROP SCHEMA IF EXISTS public CASCADE");
        await tx.query("CREATE SCHEMA public");
      });
    }
    await database.migrate(await truncatedMigrations(journal, manifest.migrations.length, work));

    let rows = 0;
    await inRawTransaction(database, "write", async (tx) => {
      const present = new Set((await listTables(tx)).map((t) => t.name));
      const missing = manifest.tables.filter((t) => !present.has(t.name)).map((t) => t.name);
      if (missing.length)
        throw refuse(
          "backup_damaged",
          `Bản sao lưu có bảng không có trong lược đồ của nó: ${missing.join(", ")}.`,
          `The archive holds tables its own schema does not have: ${missing.join(", ")}.`,
        );
      // Triggers off while loading: the rows are the record, not new events (and the audit trail refuses TRUNCATE).
      for (const name of present) await tx.query(`ALTER TABLE ${ident(name)} DISABLE TRIGGER USER`);
      // The migrations seed a few rows of their own (counters, identities): the archive's rows replace them.
      await tx.query(`TRUNCATE ${[...present].map(ident).join(", ")}`);
      const byName = new Map(manifest.tables.map((t) => [t.name, t]));
      const order = await loadOrder(
        tx,
        manifest.tables.map((t) => t.name),
      );
      for (const [i, name] of order.entries()) {
        options.onProgress?.("tables", i, order.length);
        const table = byName.get(name);
        if (!table) continue;
        const loaded = await loadTable(tx, table, join(work, table.file));
        if (loaded !== table.rows)
          throw refuse(
            "backup_damaged",
            `Bảng ${name}: bản kê ghi ${table.rows} dòng, tệp có ${loaded}.`,
            `Table ${name}: the manifest says ${table.rows} rows, the file holds ${loaded}.`,
          );
        rows += loaded;
      }
      options.onProgress?.("tables", order.length, order.length);
      for (const name of present) await tx.query(`ALTER TABLE ${ident(name)} ENABLE TRIGGER USER`);
      for (const s of manifest.sequences) {
        const value = s.lastValue === null ? "1, false" : `${s.lastValue}, true`;
        await tx.query(`SELECT setval('public.${ident(s.name)}', ${value})`);
      }
      if (present.has("database_identity"))
        await tx.query("UPDATE database_identity SET instance = gen_random_uuid(), restored_at = now()");
      if (present.has("analytics_replicas")) await tx.query("DELETE FROM analytics_replicas");
    });
    await database.migrate();

    if (options.attachmentsDir && manifest.attachments.length) {
      await mkdir(options.attachmentsDir, { recursive: true });
      await cp(join(work, "attachments"), options.attachmentsDir, { recursive: true, force: true });
    }
    return {
      tables: manifest.tables.length,
      rows,
      attachments: manifest.attachments.length,
      archiveMigrations: manifest.migrations.length,
      migratedAfter: journal.length - manifest.migrations.length,
    };
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
