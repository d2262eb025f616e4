import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import type { Actor, RequestContext } from "./actor.ts";
import { securityEvents, signInNames, signInThrottle, users } from "./schema.ts";
import { subtreeCodes } from "./scope.ts";

/** What the security log records. */
export type SecurityEventKind =
  | "sign_in_failed"
  | "sign_in_throttled"
  | "invalid_token"
  | "csrf_failed"
  | "forbidden"
  | "out_of_scope";

export const securityEventKinds: readonly SecurityEventKind[] = [
  "sign_in_failed",
  "sign_in_throttled",
  "invalid_token",
  "csrf_failed",
  "forbidden",
  "out_of_scope",
];

export interface SecurityEventInput {
  kind: SecurityEventKind;
  /** The error code the client was answered with. */
  code: string;
  actor: Actor;
  /** The sign-in name tried (never the password). */
  username?: string | null;
  address?: string | null;
  method?: string | null;
  path?: string | null;
  /** The unit the refused request was about. */
  unitCode?: string | null;
  /** The scope unit of the account concerned, so that its administrators read the event. */
  scopeCode?: string | null;
  requestId?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Default days of retention (GRASSROOTS_SECURITY_LOG_DAYS). */
export const SECURITY_LOG_DAYS = 180;
const PURGE_EVERY_MS = 3_600_000;
const lastPurge = new WeakMap<object, number>();

/**
 * Writes one event of the security log, outside any transaction of the request (a refused request writes nothing
 * else, and its log line must stay). Events older than the retention are deleted at most once an hour.
 */
export async function recordSecurityEvent(
  db: DbOrTx,
  now: Date,
  input: SecurityEventInput,
  retentionDays = SECURITY_LOG_DAYS,
): Promise<void> {
  const actor = input.actor;
  const signedIn = actor.kind === "user" || actor.kind === "token";
  await db.insert(securityEvents).values({
    at: now,
    kind: input.kind,
    code: input.code,
    actorKind: actor.kind,
    actorId: actor.kind === "anonymous" ? null : actor.id,
    username: input.username?.slice(0, 64) ?? null,
    address: input.address?.slice(0, 64) ?? null,
    method: input.method ?? null,
    path: input.path?.slice(0, 300) ?? null,
    unitCode: input.unitCode?.slice(0, 32) ?? null,
    scopeCode: input.scopeCode ?? (signedIn ? (actor.scope?.code ?? null) : null),
    requestId: input.requestId ?? null,
    detail: input.detail ?? null,
  });
  const last = lastPurge.get(db) ?? 0;
  if (now.getTime() - last > PURGE_EVERY_MS) {
    lastPurge.set(db, now.getTime());
    await purgeSecurityEvents(db, now, retentionDays);
  }
}

/**
 * Deletes events older than the retention; returns how many. Also drops sign-in bookkeeping nobody needs any more
 * (names whose failures are forgotten, address windows long over), which a spray of made-up names would grow.
 */
export async function purgeSecurityEvents(db: DbOrTx, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const day = new Date(now.getTime() - 86_400_000);
  await db.delete(signInNames).where(lt(signInNames.lastFailureAt, day));
  await db.delete(signInThrottle).where(lt(signInThrottle.windowStart, day));
  const deleted = await db
    .delete(securityEvents)
    .where(lt(securityEvents.at, cutoff))
    .returning({ id: securityEvents.id });
  return deleted.length;
}

export interface SecurityEventView {
  id: number;
  at: string;
  kind: SecurityEventKind;
  code: string;
  actor: { kind: string; id: string | null; username: string | null };
  username: string | null;
  address: string | null;
  method: string | null;
  path: string | null;
  unitCode: string | null;
  scopeCode: string | null;
  requestId: string | null;
  detail: unknown;
}

export interface SecurityFilter {
  kind?: SecurityEventKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * The security log an administrator may read: all of it for a system administrator; for a province administrator the
 * events of accounts scoped within the province and of requests about its units. Failed sign-ins under names no
 * account has belong to no province: only the system administrator sees them.
 */
export async function listSecurityEvents(db: Db, ctx: RequestContext, filter: SecurityFilter) {
  const actor = ctx.actor;
  const conditions: SQL[] = [];
  if (actor.kind === "anonymous") return { total: 0, items: [] as SecurityEventView[] };
  if (actor.kind !== "system" && actor.role !== "system_admin") {
    const codes = actor.scope ? [...(await subtreeCodes(db, actor.scope))] : [];
    if (codes.length === 0) return { total: 0, items: [] as SecurityEventView[] };
    const inScope = or(inArray(securityEvents.scopeCode, codes), inArray(securityEvents.unitCode, codes));
    if (inScope) conditions.push(inScope);
  }
  if (filter.kind) conditions.push(eq(securityEvents.kind, filter.kind));
  if (filter.from)
    conditions.push(
      gte(securityEvents.at, sql`(${filter.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`),
    );
  if (filter.to)
    conditions.push(
      lt(securityEvents.at, sql`(${filter.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`),
    );
  const where = conditions.length ? and(...conditions) : undefined;
  const [count] = await db.select({ n: sql<number>`count(*)` }).from(securityEvents).where(where);
  const rows = await db
    .select({ row: securityEvents, actorName: users.username })
    .from(securityEvents)
    .leftJoin(users, sql`${users.id}::text = ${securityEvents.actorId}`)
    .where(where)
    .orderBy(desc(securityEvents.id))
    .limit(filter.limit)
    .offset(filter.offset);
  const items: SecurityEventView[] = rows.map(({ row, actorName }) => ({
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind as SecurityEventKind,
    code: row.code,
    actor: { kind: row.actorKind, id: row.actorId, username: actorName },
    username: row.username,
    address: row.address,
    method: row.method,
    path: row.path,
    unitCode: row.unitCode,
    scopeCode: row.scopeCode,
    requestId: row.requestId,
    detail: row.detail,
  }));
  return { total: Number(count?.n ?? 0), items };
}
