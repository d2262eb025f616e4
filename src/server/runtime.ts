import { join } from "node:path";
import { sql } from "drizzle-orm";
import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";
import { type Database, openDatabase, rowsOf } from "../db/client.ts";
import { type RequestContext, systemActor } from "../modules/access/actor.ts";
import { authenticate } from "../modules/access/auth.ts";
import { type DemoAccount, loadDemoAccounts } from "../modules/access/demo.ts";
import { type AnalyticsEngine, createReferenceEngine, openDuckReplica } from "../modules/analytics/index.ts";
import { loadDemoHouseholds } from "../modules/households/demo.ts";
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

/** Where the analytics replica lives: a cache beside the embedded database, safe to delete. */
export const analyticsPath = (config: Pick<Config, "dataDir">) => join(config.dataDir, "analytics.duckdb");

/**
 * The DuckDB analytics replica, opened (and rebuilt when needed) in the background: queries wait for it, and run on
 * the reference SQL if it cannot be opened. `close` stops its sync before the database closes.
 */
export function startAnalytics(
  path: string,
  database: Database,
  logger: Logger,
): AnalyticsEngine & { close(): Promise<void> } {
  let ready: AnalyticsEngine | null = null;
  const opening = openDuckReplica({
    db: database.db,
    path,
    onError: (err) => logger.warn({ err }, "analytics sync failed; retrying"),
  }).then(
    (replica) => {
      ready = replica;
      logger.info({ path }, "analytics replica ready");
      return replica;
    },
    (err: unknown) => {
      logger.error({ err, path }, "analytics replica unavailable; answering from the reference SQL");
      return null;
    },
  );
  const fallback = createReferenceEngine(database.db);
  return {
    // Until the replica is open (a first build takes a while), the reference SQL answers: slower, same figures.
    pivot: (q, opts) => (ready ?? fallback).pivot(q, opts),
    close: async () => (await opening)?.close(),
  };
}

/** What the HTTP app needs, wired from the configuration. */
export function createDeps(
  config: Pick<Config, "sessionIdleMinutes" | "sessionMaxHours" | "trustProxy"> &
    Partial<Pick<Config, "dataDir">>,
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
    ...(config.dataDir
      ? { analytics: startAnalytics(analyticsPath(config as Pick<Config, "dataDir">), database, logger) }
      : {}),
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
  await loadDemoHouseholds(database.db, ctx);
  return { units, villages, accounts, reportingValues: reporting.values };
}
