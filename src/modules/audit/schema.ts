import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only record of every write: who, when, what, before → after, request id.
 * Migration 0001 adds a trigger that refuses UPDATE and DELETE on this table.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorKind: text("actor_kind", { enum: ["user", "token", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    recordKind: text("record_kind").notNull(),
    recordId: text("record_id").notNull(),
    unitCode: text("unit_code"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    reason: text("reason"),
    /** Every unit the event touches (its main unit and those named in before/after), filled by a trigger (0008). */
    unitCodes: text("unit_codes").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index("audit_events_record").on(t.recordKind, t.recordId), index("audit_events_at").on(t.at)],
);
