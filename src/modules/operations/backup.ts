import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import * as tar from "tar";
import type { Database } from "../../db/client.ts";
import type { ImportProgress } from "../units/import-reference.ts";
import {
  appliedMigrations,
  dumpTable,
  listTables,
  localJournal,
  type Manifest,
  sha256File,
} from "./archive.ts";
import { inRawTransaction } from "./raw.ts";

export interface BackupOptions {
  /** The archive to write (a .tar.gz). */
  out: string;
  /** The attachments folder to include, when it exists. */
  attachmentsDir?: string | undefined;
  appVersion: string;
  onProgress?: ImportProgress | undefined;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  attachments: number;
  migrations: number;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Writes one consistent archive of everything Grassroots stores: each table as one line a row in PostgreSQL's own text form
 * (the same for PGlite and PostgreSQL, so a backup of one restores into the other), the attachments folder, and a manifest
 * with the schema version, the rows per table and a SHA-256 of every file. On PostgreSQL the tables are read in one
 * repeatable-read snapshot while the server keeps serving.
 */
export async function createBackup(database: Database, options: BackupOptions): Promise<BackupSummary> {
  const work = await mkdtemp(join(tmpdir(), "gr-backup-"));
  try {
    await mkdir(join(work, "tables"));
    const journal = await localJournal();
    const manifest = await inRawTransaction(database, "snapshot", async (tx) => {
      const migrations = await appliedMigrations(tx, journal);
      const tables = await listTables(tx);
      const written: Manifest["tables"] = [];
      for (const [i, table] of tables.entries()) {
        options.onProgress?.("tables", i, tables.length);
        const file = `tables/${table.name}.jsonl`;
        written.push({
          name: table.name,
          columns: table.columns,
          rows: await dumpTable(tx, table.name, join(work, file)),
          file,
          sha256: await sha256File(join(work, file)),
        });
      }
      options.onProgress?.("tables", tables.length, tables.length);
      const sequences = await tx.query<{ name: string; last: string | null }>(
        `SELECT sequencename::text AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'
          ORDER BY sequencename`,
      );
      return {
        migrations,
        tables: written,
        sequences: sequences.map((s) => ({ name: s.name, lastValue: s.last })),
      };
    });

    const attachments: Manifest["attachments"] = [];
    if (options.attachmentsDir) {
      const files = await filesUnder(options.attachmentsDir);
      for (const [i, file] of files.entries()) {
        options.onProgress?.("attachments", i, files.length);
        const path = relative(options.attachmentsDir, file).split("\\").join("/");
        const target = join(work, "attachments", path);
        await mkdir(dirname(target), { recursive: true });
        await cp(file, target);
        attachments.push({ path, bytes: (await stat(target)).size, sha256: await sha256File(target) });
      }
    }

    const full: Manifest = {
      format: "grassroots-backup",
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      appVersion: options.appVersion,
      source: database.driver,
      ...manifest,
      attachments,
    };
    await writeFile(join(work, "manifest.json"), `${JSON.stringify(full, null, 2)}\n`);
    await mkdir(dirname(options.out), { recursive: true });
    const partial = join(dirname(options.out), `.${basename(options.out)}.partial`);
    const entries = ["manifest.json", "tables", ...(attachments.length ? ["attachments"] : [])];
    await tar.c({ gzip: true, file: partial, cwd: work, portable: true }, entries);
    // Written under another name and renamed: an interrupted backup never leaves a file that looks whole.
    await rename(partial, options.out);
    return {
      file: options.out,
      bytes: (await stat(options.out)).size,
      tables: full.tables.length,
      rows: full.tables.reduce((n, t) => n + t.rows, 0),
      attachments: attachments.length,
      migrations: full.migrations.length,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
