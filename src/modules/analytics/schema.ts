import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  char,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { users } from "../access/schema.ts";

/**
 * The change sequence the analytics replica follows: one row per insert (I), update (U) or delete (D) of a data value,
 * written per statement by triggers on data_values (migrations 0004, 0006, 0017) so that every writer — forms, imports, the CLI, psql — is
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
  // Read and pruned by seq only: no index on changed_at (migration 0017), one less per value written.
  (t) => [check("data_value_changes_op", sql`${t.op} IN ('I', 'U', 'D')`)],
);

/**
 * One row (id 1) whose version a trigger bumps on every change to unit_versions or lineage_edges: the replica re-reads
 * units and lineage when it moves.
 */
export const analyticsDimensionVersion = pgTable("analytics_dimension_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

/**
 * A saved pivot view (data, periods, units, layout, chart), shared with everyone whose scope covers `unit_code` and
 * always visible to its owner. `query` holds the validated view query (views.ts); `version` guards edits (409).
 */
export const analyticsViews = pgTable(
  "analytics_views",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    description: text("description"),
    unitCode: text("unit_code").notNull(),
    ownerId: bigint("owner_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    query: jsonb("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("analytics_views_unit").on(t.unitCode), index("analytics_views_owner").on(t.ownerId)],
);
