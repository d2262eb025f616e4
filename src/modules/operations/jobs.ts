import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";

export type JobOutcome = { ran: true; result: string } | { ran: false; reason: "busy" | "done_elsewhere" };

/**
 * Runs a background job once for a scheduled slot (e.g. "2026-12-01T02:00") however many servers share the
 * database. The job's transaction-scoped advisory lock makes the servers take turns; the first records the slot in
 * job_runs, the others find it there and skip. `work` runs inside that transaction, so a job that fails records
 * nothing and runs again at the next server's turn.
 */
export async function runJobOnce(
  db: Db,
  name: string,
  slot: string,
  work: (tx: Parameters<Parameters<Db["transaction"]>[0]>[0]) => Promise<string>,
  now: () => Date = () => new Date(),
): Promise<JobOutcome> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ locked: boolean }>(
      await tx.execute(
        sql`SELECT pg_try_advisory_xact_lock(hashtext(${`grassroots.job.${name}`})) AS locked`,
      ),
    );
    if (!lock?.locked) return { ran: false, reason: "busy" } as const;
    const [last] = rowsOf<{ last_slot: string }>(
      await tx.execute(sql`SELECT last_slot FROM job_runs WHERE name = ${name}`),
    );
    if (last && last.last_slot >= slot) return { ran: false, reason: "done_elsewhere" } as const;
    const started = now();
    const result = await work(tx);
    await tx.execute(sql`
      INSERT INTO job_runs (name, last_slot, started_at, finished_at, outcome, runs)
      VALUES (${name}, ${slot}, ${started.toISOString()}, ${now().toISOString()}, ${result}, 1)
      ON CONFLICT (name) DO UPDATE SET last_slot = EXCLUDED.last_slot, started_at = EXCLUDED.started_at,
        finished_at = EXCLUDED.finished_at, outcome = EXCLUDED.outcome, runs = job_runs.runs + 1`);
    return { ran: true, result } as const;
  });
}

/** The slot of a job that runs every `minutes`: the start of the current period, in UTC, to the minute. */
export function slotOf(date: Date, minutes: number): string {
  const ms = minutes * 60_000;
  return new Date(Math.floor(date.getTime() / ms) * ms).toISOString().slice(0, 16);
}
