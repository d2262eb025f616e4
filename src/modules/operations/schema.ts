import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Which database this is; a restore gives it a new identity (analytics replicas then rebuild). One row. */
export const databaseIdentity = pgTable(
  "database_identity",
  {
    id: integer("id").primaryKey().default(1),
    instance: uuid("instance").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    restoredAt: timestamp("restored_at", { withTimezone: true }),
  },
  (t) => [check("database_identity_one_row", sql`${t.id} = 1`)],
);

/** How far each analytics replica (one per server process) has applied the change sequence. */
export const analyticsReplicas = pgTable("analytics_replicas", {
  replicaId: text("replica_id").primaryKey(),
  host: text("host").notNull(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Changes below `prunedBelow` are gone: a replica behind it rebuilds. One row. */
export const analyticsChangeFloor = pgTable(
  "analytics_change_floor",
  {
    id: integer("id").primaryKey().default(1),
    prunedBelow: bigint("pruned_below", { mode: "number" }).notNull().default(0),
    prunedAt: timestamp("pruned_at", { withTimezone: true }),
  },
  (t) => [check("analytics_change_floor_one_row", sql`${t.id} = 1`)],
);

/** The last scheduled slot each background job ran for (one row a job), so N servers run it once. */
export const jobRuns = pgTable("job_runs", {
  name: text("name").primaryKey(),
  lastSlot: text("last_slot").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
  outcome: text("outcome"),
  runs: integer("runs").notNull().default(0),
});
