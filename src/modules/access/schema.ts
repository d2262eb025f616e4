import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { unitVersions } from "../units/schema.ts";

export const role = pgEnum("role", [
  "system_admin",
  "province_admin",
  "province_officer",
  "commune_officer",
  "viewer",
]);

/**
 * An account. Its scope is a unit *version* (not a code): when that unit is merged away the account is flagged for
 * re-scoping instead of silently following the code to whatever unit carries it next.
 */
export const users = pgTable(
  "users",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: role("role").notNull(),
    scopeVersionId: bigint("scope_version_id", { mode: "number" }).references(() => unitVersions.id),
    isDisabled: boolean("is_disabled").notNull().default(false),
    failedSignIns: integer("failed_sign_ins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Bumped by every change; an update naming an older version is refused (409), so no update is lost. */
    version: integer("version").notNull().default(1),
  },
  (t) => [uniqueIndex("users_username").on(sql`lower(${t.username})`)],
);

/** A signed-in browser. Only the SHA-256 of the cookie value is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text("token_hash").notNull(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    csrfToken: text("csrf_token").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    address: text("address"),
    userAgent: text("user_agent"),
  },
  (t) => [uniqueIndex("sessions_token_hash").on(t.tokenHash), index("sessions_user").on(t.userId)],
);

/** A machine client's credential, shown once at creation; only its SHA-256 is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters, so that a person can tell tokens apart. */
    prefix: text("prefix").notNull(),
    userId: bigint("user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    role: role("role").notNull(),
    scopeVersionId: bigint("scope_version_id", { mode: "number" }).references(() => unitVersions.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_hash").on(t.tokenHash), index("api_tokens_user").on(t.userId)],
);

/** Failed sign-ins per client address within a window, for rate limiting. */
export const signInThrottle = pgTable("sign_in_throttle", {
  address: text("address").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
});

/**
 * Sign-in attempts per lower-cased name, whether an account has it or not (so a locked name and an unknown one
 * answer alike): failures since the last success and the earliest time the next attempt is looked at.
 */
export const signInNames = pgTable("sign_in_names", {
  name: text("name").primaryKey(),
  failures: integer("failures").notNull(),
  notBefore: timestamp("not_before", { withTimezone: true }),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull(),
});

/**
 * The security log: failed sign-ins, refused credentials, forbidden and out-of-scope requests. Kept for the
 * configured number of days (GRASSROOTS_SECURITY_LOG_DAYS). Never holds a password.
 */
export const securityEvents = pgTable(
  "security_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    kind: text("kind").notNull(),
    code: text("code").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    username: text("username"),
    address: text("address"),
    method: text("method"),
    path: text("path"),
    unitCode: text("unit_code"),
    /** The scope unit of the account concerned: who may read the event (its administrators). */
    scopeCode: text("scope_code"),
    requestId: text("request_id"),
    detail: jsonb("detail"),
  },
  (t) => [index("security_events_at").on(t.at), index("security_events_scope").on(t.scopeCode, t.at)],
);
