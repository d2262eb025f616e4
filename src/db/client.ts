import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationsFolder } from "../paths.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import * as schema from "./schema.ts";
import { takeTurns } from "./turns.ts";

/** The one database type operations see, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  /** The driver's own client (PGlite, or postgres-js's Sql), for what Drizzle does not cover: COPY, data-dir dumps. */
  client?: unknown;
  driver: "pglite" | "postgres";
  /** Applies the pending migrations of `folder` (default: this version's). */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the embedded database in `dir` (a folder; created when missing), or in memory when `dir` is undefined. */
export async function openPglite(dir?: string): Promise<Database> {
  if (dir) await mkdir(dir, { recursive: true });
  const release = dir ? await lockDataDir(dir) : async () => {};
  let client: PGlite;
  try {
    client = await PGlite.create(dir, { extensions: { btree_gist, pg_trgm } });
  } catch (err: unknown) {
    await release();
    throw err;
  }
  // Other requests get their turn between statements (see turns.ts).
  takeTurns(client);
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Db,
    driver: "pglite",
    client,
    migrate: (folder = migrationsFolder) => migratePglite(db, { migrationsFolder: folder }),
    close: async () => {
      await client.close();
      await release();
    },
  };
}

/** Opens a PostgreSQL server connection pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  return {
    db: db as unknown as Db,
    driver: "postgres",
    client,
    migrate: (folder = migrationsFolder) => migratePostgres(db, { migrationsFolder: folder }),
    close: () => client.end({ timeout: 5 }),
  };
}

export function openDatabase(config: {
  databaseUrl?: string | undefined;
  pgliteDir: string;
}): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.pgliteDir);
}

/** Rows of a raw `db.execute` result: postgres-js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
