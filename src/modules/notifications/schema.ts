import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "../access/schema.ts";

/**
 * One message to one account, shown under the bell. `key` makes writing idempotent: the background job and a
 * repeated click write the same event about the same item once (`INSERT … ON CONFLICT DO NOTHING`).
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    recipientId: bigint("recipient_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    /** returned, approved, due_soon, overdue, reminder, or another module's event ("answer_published"). */
    kind: text("kind").notNull(),
    titleVi: text("title_vi").notNull(),
    titleEn: text("title_en").notNull(),
    bodyVi: text("body_vi"),
    bodyEn: text("body_en"),
    /** The web app path that opens what it is about. */
    link: text("link").notNull(),
    /** What it is about, as its source names it ("reports:KTXH_XA/04222/2025"). */
    itemRef: text("item_ref").notNull(),
    key: text("key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** Set when the e-mail (its own, or a digest's) that carries it has been queued; null: not (yet) e-mailed. */
    emailedAt: timestamp("emailed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_key").on(t.key),
    index("notifications_recipient").on(t.recipientId, t.createdAt),
    index("notifications_unread").on(t.recipientId).where(sql`${t.readAt} IS NULL`),
  ],
);

/** Per account: the address e-mails go to and which kinds of notification reach it by e-mail. */
export const notificationSettings = pgTable("notification_settings", {
  userId: bigint("user_id", { mode: "number" })
    .primaryKey()
    .references(() => users.id),
  email: text("email"),
  emailKinds: text("email_kinds").array().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  version: integer("version").notNull().default(1),
});

/**
 * E-mails waiting to go out. A row is written in the same transaction as what causes it, with a unique `key`, so an
 * e-mail is queued once; the sender marks it sent after the SMTP server accepted it and retries failures later with
 * a growing delay, so a server that is down loses nothing.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    recipientId: bigint("recipient_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    bodyText: text("body_text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("email_outbox_key").on(t.key),
    index("email_outbox_pending").on(t.nextAttemptAt).where(sql`${t.sentAt} IS NULL`),
  ],
);
