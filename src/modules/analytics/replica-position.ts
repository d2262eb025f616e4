import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";

/**
 * What a replica must know about the database it copies: which database it is (a restore gives it a new identity)
 * and below which position the change sequence has been pruned. A replica that remembers another identity, or whose
 * position is below the pruned floor, rebuilds.
 */
export interface ReplicaSource {
  instance: string;
  prunedBelow: number;
}

export async function replicaSource(db: DbOrTx): Promise<ReplicaSource> {
  const [row] = rowsOf<{ instance: string | null; pruned_below: string | number | null }>(
    await db.execute(sql`SELECT (SELECT instance::text FROM database_identity WHERE id = 1) AS instance,
                                (SELECT pruned_below FROM analytics_change_floor WHERE id = 1) AS pruned_below`),
  );
  return { instance: row?.instance ?? "", prunedBelow: Number(row?.pruned_below ?? 0) };
}

/** Records how far a replica has applied the change sequence, for the pruning job. */
export async function recordReplicaPosition(
  db: DbOrTx,
  replicaId: string,
  host: string,
  lastSeq: number,
): Promise<void> {
  await db.execute(sql`
    INSERT INTO analytics_replicas (replica_id, host, last_seq, seen_at) VALUES (${replicaId}, ${host}, ${lastSeq}, now())
    ON CONFLICT (replica_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, seen_at = EXCLUDED.seen_at`);
}

export interface PruneResult {
  deleted: number;
  prunedBelow: number;
}

/**
 * Deletes the changes every live replica has applied (live: seen within `liveHours`), keeping the last `keepHours`
 * whatever the positions say, so a write that committed late is still read. A replica that stopped for longer
 * rebuilds when it comes back (its position is below the floor). With no live replica, nothing is pruned.
 */
export async function pruneChangeLog(
  db: DbOrTx,
  options: { liveHours?: number; keepHours?: number } = {},
): Promise<PruneResult> {
  const liveHours = options.liveHours ?? 24;
  const keepHours = options.keepHours ?? 1;
  const [floor] = rowsOf<{ position: string | number | null }>(
    await db.execute(sql`SELECT min(last_seq) AS position FROM analytics_replicas
      WHERE seen_at > now() - make_interval(hours => ${liveHours})`),
  );
  if (floor?.position === null || floor?.position === undefined) return { deleted: 0, prunedBelow: 0 };
  const position = Number(floor.position);
  const [deleted] = rowsOf<{ n: string | number; top: string | number | null }>(
    await db.execute(sql`WITH gone AS (
        DELETE FROM data_value_changes
         WHERE seq <= ${position} AND changed_at < now() - make_interval(hours => ${keepHours})
        RETURNING seq)
      SELECT count(*) AS n, max(seq) AS top FROM gone`),
  );
  const top = deleted?.top === null || deleted?.top === undefined ? null : Number(deleted.top);
  if (top !== null)
    await db.execute(sql`UPDATE analytics_change_floor SET pruned_below = GREATEST(pruned_below, ${top + 1}),
      pruned_at = now() WHERE id = 1`);
  const [now] = rowsOf<{ pruned_below: string | number }>(
    await db.execute(sql`SELECT pruned_below FROM analytics_change_floor WHERE id = 1`),
  );
  return { deleted: Number(deleted?.n ?? 0), prunedBelow: Number(now?.pruned_below ?? 0) };
}

/** A replica file is one replica (host and path); an in-memory one is new each time. */
export function replicaIdOf(path: string): string {
  return path === ":memory:" ? `memory:${randomUUID()}` : `${hostname()}:${resolve(path)}`;
}
