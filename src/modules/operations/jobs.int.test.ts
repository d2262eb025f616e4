import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { openDuckReplica } from "../analytics/index.ts";
import { pruneChangeLog, replicaSource } from "../analytics/replica-position.ts";
import { runJobOnce } from "./jobs.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "gr-jobs-"));
});
afterAll(async () => {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

const count = async (query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: string | number }>(await database.db.execute(query))[0]?.n ?? 0);

describe("a background job shared by several servers", () => {
  it("runs once for a slot when two servers start it at the same moment", async () => {
    let runs = 0;
    const job = () =>
      runJobOnce(database.db, "test-once", "2026-12-01T02:00", async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 50));
        return "ok";
      });
    const outcomes = await Promise.all([job(), job()]);
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect((await job()).ran).toBe(false);
  });

  it("runs again for the next slot", async () => {
    const next = await runJobOnce(database.db, "test-once", "2026-12-01T03:00", async () => "again");
    expect(next).toEqual({ ran: true, result: "again" });
  });

  it("runs again after a failure, which records nothing", async () => {
    await expect(
      runJobOnce(database.db, "test-fails", "2026-12-01T02:00", async () => {
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect((await runJobOnce(database.db, "test-fails", "2026-12-01T02:00", async () => "ok")).ran).toBe(
      true,
    );
  });
});

describe("pruning the analytics change log", () => {
  it("keeps every change the slowest live replica has not applied", async () => {
    await database.db.execute(sql`UPDATE data_value_changes SET changed_at = now() - interval '2 hours'`);
    const [top] = rowsOf<{ max: string | number }>(
      await database.db.execute(sql`SELECT max(seq) AS max FROM data_value_changes`),
    );
    const newest = Number(top?.max);
    const slowest = Math.floor(newest / 2);
    await database.db.execute(sql`INSERT INTO analytics_replicas (replica_id, host, last_seq, seen_at) VALUES
      ('a', 'server-a', ${newest}, now()), ('b', 'server-b', ${slowest}, now()),
      ('gone', 'server-c', 0, now() - interval '3 days')`);
    const result = await pruneChangeLog(database.db);
    expect(result.prunedBelow).toBe(slowest + 1);
    expect(await count(sql`SELECT count(*) AS n FROM data_value_changes WHERE seq <= ${slowest}`)).toBe(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM data_value_changes WHERE seq > ${slowest}`),
    ).toBeGreaterThan(0);
    expect((await replicaSource(database.db)).prunedBelow).toBe(slowest + 1);
  });

  it("keeps the last hour whatever the replicas have applied", async () => {
    await database.db.execute(sql`UPDATE data_value_changes SET changed_at = now()`);
    await database.db.execute(sql`UPDATE analytics_replicas SET last_seq = 1e12`);
    const before = await count(sql`SELECT count(*) AS n FROM data_value_changes`);
    expect((await pruneChangeLog(database.db)).deleted).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM data_value_changes`)).toBe(before);
  });

  it("lets a replica whose changes are all still there catch up without rebuilding", async () => {
    const path = join(dir, "kept.duckdb");
    await (await openDuckReplica({ db: database.db, path, syncIntervalMs: 0 })).close();
    let rebuilt = false;
    const again = await openDuckReplica({
      db: database.db,
      path,
      syncIntervalMs: 0,
      onRebuildProgress: () => {
        rebuilt = true;
      },
    });
    await again.close();
    expect(rebuilt).toBe(false);
  });

  it("makes a replica that was away while its changes were pruned rebuild", async () => {
    const path = join(dir, "replica.duckdb");
    const first = await openDuckReplica({ db: database.db, path, syncIntervalMs: 0 });
    await first.close();
    // It was away: everything it had is applied elsewhere and pruned past its position.
    await database.db.execute(sql`UPDATE analytics_change_floor SET pruned_below = 1e12`);
    let rebuilt = false;
    const again = await openDuckReplica({
      db: database.db,
      path,
      syncIntervalMs: 0,
      onRebuildProgress: () => {
        rebuilt = true;
      },
    });
    await again.close();
    expect(rebuilt).toBe(true);
  });

  it("makes a replica of a database that was restored since rebuild", async () => {
    await database.db.execute(sql`UPDATE analytics_change_floor SET pruned_below = 0`);
    const path = join(dir, "restored.duckdb");
    await (await openDuckReplica({ db: database.db, path, syncIntervalMs: 0 })).close();
    await database.db.execute(sql`UPDATE database_identity SET instance = gen_random_uuid()`);
    let rebuilt = false;
    const again = await openDuckReplica({
      db: database.db,
      path,
      syncIntervalMs: 0,
      onRebuildProgress: () => {
        rebuilt = true;
      },
    });
    await again.close();
    expect(rebuilt).toBe(true);
  });
});
