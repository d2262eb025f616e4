import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import { localJournal } from "./archive.ts";

export interface ReplicaStatus {
  /** Changes in the database not applied yet. */
  pending: number;
  /** Seconds since the replica was last level with the database (0 when level now). */
  lagSeconds: number;
}

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; error?: string };
    migrations: { ok: boolean; applied: number; expected: number };
    analytics: { ok: boolean; pending?: number; lagSeconds?: number; note?: string };
    accepting: { ok: boolean };
  };
}

export interface ReadinessInputs {
  db: Db;
  replica?: (() => Promise<ReplicaStatus | null>) | undefined;
  maxLagSeconds: number;
  isDraining: () => boolean;
}

/**
 * Whether this server should receive traffic: the database answers, every migration of this version is applied,
 * the analytics replica is within `maxLagSeconds` of the database, and the server is not shutting down.
 */
export async function readiness(inputs: ReadinessInputs): Promise<Readiness> {
  const checks: Readiness["checks"] = {
    database: { ok: true },
    migrations: { ok: false, applied: 0, expected: (await localJournal()).length },
    analytics: { ok: true },
    accepting: { ok: !inputs.isDraining() },
  };
  try {
    const [row] = rowsOf<{ n: string | number | null }>(
      await inputs.db.execute(sql`SELECT CASE WHEN to_regclass('drizzle.__drizzle_migrations') IS NULL THEN 0
        ELSE (SELECT count(*) FROM drizzle.__drizzle_migrations) END AS n`),
    );
    checks.migrations.applied = Number(row?.n ?? 0);
    checks.migrations.ok = checks.migrations.applied === checks.migrations.expected;
  } catch (err: unknown) {
    checks.database = { ok: false, error: (err as Error).message };
  }
  if (checks.database.ok && inputs.replica) {
    const status = await inputs.replica().catch(() => null);
    checks.analytics = status
      ? { ok: status.lagSeconds <= inputs.maxLagSeconds, ...status }
      : { ok: false, note: "the replica is still opening" };
  }
  const ready = Object.values(checks).every((c) => c.ok);
  return { ready, checks };
}
