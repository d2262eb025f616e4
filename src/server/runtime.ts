import { sql } from "drizzle-orm";
import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";
import { type Database, openDatabase, rowsOf } from "../db/client.ts";
import { anonymous, type RequestContext, systemActor } from "../modules/access/actor.ts";
import { loadDemoVillages } from "../modules/units/demo.ts";
import {
  type ImportProgress,
  type ImportSummary,
  importReferenceUnits,
} from "../modules/units/import-reference.ts";
import { referenceDataFolder } from "../paths.ts";
import type { Authenticator } from "./context.ts";

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, base: { app: "grassroots" } });
}

/** Opens the configured database and brings its schema up to date. */
export async function openMigrated(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  await database.migrate();
  return database;
}

export async function isEmpty(database: Database): Promise<boolean> {
  return rowsOf(await database.db.execute(sql`SELECT 1 FROM unit_versions LIMIT 1`)).length === 0;
}

export interface DemoSummary {
  units: ImportSummary;
  villages: number;
}

/** Everything `demo load` puts in: the national reference units, then each capability's demo content. */
export async function loadDemo(database: Database, onProgress?: ImportProgress): Promise<DemoSummary> {
  const ctx: RequestContext = { actor: systemActor("demo"), requestId: null };
  const units = await importReferenceUnits(database.db, ctx, referenceDataFolder, onProgress);
  const villages = await loadDemoVillages(database.db, ctx);
  return { units, villages };
}

/** Until the accounts module lands, every request is anonymous: reads that policies allow, nothing else. */
export const anonymousAuthenticator: Authenticator = async () => anonymous;
