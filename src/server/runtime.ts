import { sql } from "drizzle-orm";
import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";
import { type Database, openDatabase, rowsOf } from "../db/client.ts";
import { type RequestContext, systemActor } from "../modules/access/actor.ts";
import { authenticate } from "../modules/access/auth.ts";
import { type DemoAccount, loadDemoAccounts } from "../modules/access/demo.ts";
import { loadDemoReporting } from "../modules/reporting/demo.ts";
import { loadDemoVillages } from "../modules/units/demo.ts";
import {
  type ImportProgress,
  type ImportSummary,
  importReferenceUnits,
} from "../modules/units/import-reference.ts";
import { referenceDataFolder } from "../paths.ts";
import type { AppDeps } from "./context.ts";

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

/** What the HTTP app needs, wired from the configuration. */
export function createDeps(
  config: Pick<Config, "sessionIdleMinutes" | "sessionMaxHours" | "trustProxy">,
  database: Database,
  logger: Logger,
  now: () => Date = () => new Date(),
): AppDeps {
  const auth = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours, now };
  return {
    db: database.db,
    logger,
    auth,
    trustProxy: config.trustProxy,
    authenticate: (credentials) => authenticate(database.db, auth, credentials),
  };
}

export interface DemoSummary {
  units: ImportSummary;
  villages: number;
  /** Accounts made by this load, with their passwords: print them once, they are not stored. */
  accounts: DemoAccount[];
  /** Demo data values written by this load (0 when the demo form was already there). */
  reportingValues: number;
}

/** Everything `demo load` puts in: the national reference units, then each capability's demo content. */
export async function loadDemo(database: Database, onProgress?: ImportProgress): Promise<DemoSummary> {
  const ctx: RequestContext = { actor: systemActor("demo"), requestId: null };
  const units = await importReferenceUnits(database.db, ctx, referenceDataFolder, onProgress);
  const villages = await loadDemoVillages(database.db, ctx);
  const accounts = await loadDemoAccounts(database.db, ctx, new Date());
  const reporting = await loadDemoReporting(database.db, ctx);
  return { units, villages, accounts, reportingValues: reporting.values };
}
