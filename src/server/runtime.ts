import { join } from "node:path";
import { sql } from "drizzle-orm";
import pino, { type Logger } from "pino";
import type { Config } from "../config.ts";
import { type Database, openDatabase, rowsOf } from "../db/client.ts";
import type { AppDeps } from "../http/context.ts";
import { type RequestContext, systemActor } from "../modules/access/actor.ts";
import { authenticate } from "../modules/access/auth.ts";
import { type DemoAccount, loadDemoAccounts } from "../modules/access/demo.ts";
import {
  type AnalyticsEngine,
  createReferenceEngine,
  type DuckReplica,
  openDuckReplica,
} from "../modules/analytics/index.ts";
import { loadDemoHouseholds } from "../modules/households/demo.ts";
import { dropAbandonedHouseholdStages } from "../modules/households/import-households.ts";
import { readiness } from "../modules/operations/health.ts";
import { createMetrics, type Metrics } from "../modules/operations/metrics.ts";
import { loadDemoReporting } from "../modules/reporting/demo.ts";
import { recoverInterruptedImports } from "../modules/reporting/import-values.ts";
import { loadDemoSessions } from "../modules/sessions/demo.ts";
import { loadDemoStandards } from "../modules/standards/demo.ts";
import { loadDemoVillages } from "../modules/units/demo.ts";
import {
  type ImportProgress,
  type ImportSummary,
  importReferenceUnits,
} from "../modules/units/import-reference.ts";
import { referenceDataFolder } from "../paths.ts";

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, base: { app: "grassroots" } });
}

/** Opens the configured database and brings its schema up to date. */
export async function openMigrated(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  await database.migrate();
  // An import that stopped half-way (the process died) is undone: all its rows or none (see import-values.ts).
  await recoverInterruptedImports(database.db, { staleAfterSeconds: database.driver === "pglite" ? 0 : 120 });
  // A household import's staging table outlives a process that died under it; on the embedded database this
  // process is the only one, so any left is abandoned (on PostgreSQL another server may be importing).
  if (database.driver === "pglite") await dropAbandonedHouseholdStages(database.db);
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
  metrics?: Metrics,
): AnalyticsEngine & {
  close(): Promise<void>;
  status(): Promise<{ pending: number; lagSeconds: number } | null>;
} {
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
    pivot: async (q, opts) => {
      const end = metrics?.pivotSeconds.startTimer({ engine: ready ? "duckdb" : "reference" });
      try {
        return await (ready ?? fallback).pivot(q, opts);
      } finally {
        end?.();
      }
    },
    status: async () => (ready ? (ready as DuckReplica).status() : null),
    close: async () => (await opening)?.close(),
  };
}

/** Whether the server is shutting down: readiness turns false so load balancers stop sending it traffic. */
export interface Lifecycle {
  draining: boolean;
}

/** What the HTTP app needs, wired from the configuration. */
export function createDeps(
  config: Pick<Config, "sessionIdleMinutes" | "sessionMaxHours" | "trustProxy"> &
    Partial<
      Pick<
        Config,
        | "dataDir"
        | "metricsToken"
        | "readyMaxLagSeconds"
        | "attachmentsDir"
        | "attachmentMaxMegabytes"
        | "publicUrl"
        | "securityLogDays"
      >
    >,
  database: Database,
  logger: Logger,
  now: () => Date = () => new Date(),
  lifecycle: Lifecycle = { draining: false },
): AppDeps & { lifecycle: Lifecycle } {
  const auth = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours, now };
  let analytics: ReturnType<typeof startAnalytics> | undefined;
  const metrics = createMetrics({
    poolMax: database.driver === "pglite" ? 1 : 10,
    replica: async () => (analytics ? analytics.status() : null),
  });
  if (config.dataDir)
    analytics = startAnalytics(analyticsPath(config as Pick<Config, "dataDir">), database, logger, metrics);
  return {
    db: database.db,
    logger,
    auth,
    trustProxy: config.trustProxy,
    lifecycle,
    ...(analytics ? { analytics } : {}),
    operations: {
      metrics,
      metricsToken: config.metricsToken,
      readiness: () =>
        readiness({
          db: database.db,
          replica: analytics ? () => analytics.status() : undefined,
          maxLagSeconds: config.readyMaxLagSeconds ?? 30,
          isDraining: () => lifecycle.draining,
        }),
    },
    publicUrl: config.publicUrl,
    ...(config.securityLogDays ? { securityLogDays: config.securityLogDays } : {}),
    authenticate: (credentials) => authenticate(database.db, auth, credentials),
    ...(config.attachmentsDir
      ? {
          attachments: {
            dir: config.attachmentsDir,
            maxBytes: (config.attachmentMaxMegabytes ?? 10) * 1024 * 1024,
          },
        }
      : {}),
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
  await loadDemoStandards(database.db, ctx);
  await loadDemoSessions(database.db, ctx);
  await loadDemoHouseholds(database.db, ctx);
  return { units, villages, accounts, reportingValues: reporting.values };
}
