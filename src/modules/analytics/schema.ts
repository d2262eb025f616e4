import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  char,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * The change sequence the analytics replica follows: one row per insert (I), update (U) or delete (D) of a data value,
 * written by a trigger on data_values (migration 0004) so that every writer — forms, imports, the CLI, psql — is
 * captured. The key columns are those of the row after the change (before it, for a delete).
 */
export const dataValueChanges = pgTable(
  "data_value_changes",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    dataValueId: bigint("data_value_id", { mode: "number" }).notNull(),
    op: char("op", { length: 1 }).notNull(),
    elementId: bigint("element_id", { mode: "number" }).notNull(),
    unitVersionId: bigint("unit_version_id", { mode: "number" }).notNull(),
    period: text("period").notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("data_value_changes_op", sql`${t.op} IN ('I', 'U', 'D')`),
    index("data_value_changes_at").on(t.changedAt),
  ],
);

/**
 * One row (id 1) whose version a trigger bumps on every change to unit_versions or lineage_edges: the replica re-reads
 * units and lineage when it moves.
 */
export const analyticsDimensionVersion = pgTable("analytics_dimension_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
