import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { users } from "../access/schema.ts";
import { subtreeCodes } from "../access/scope.ts";
import { auditEvents } from "./schema.ts";

export interface AuditFilter {
  actorId?: string | undefined;
  unit?: string | undefined;
  recordKind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: { kind: string; id: string; username: string | null };
  action: string;
  recordKind: string;
  recordId: string;
  unitCode: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  reason: string | null;
}

/**
 * The audit trail the actor may read: everything for a system administrator, otherwise the events all of whose units
 * (the main one and every one named in before/after, see migration 0008) are in the actor's scope. `from`/`to` are dates (Vietnam time), `to` inclusive.
 */
export async function listAuditEvents(db: Db, ctx: RequestContext, filter: AuditFilter) {
  const actor = ctx.actor;
  const conditions: SQL[] = [];
  if (actor.kind === "anonymous") return { total: 0, items: [] as AuditEventView[] };
  if (actor.kind !== "system" && actor.role !== "system_admin") {
    const codes = actor.scope ? [...(await subtreeCodes(db, actor.scope))] : [];
    if (codes.length === 0) return { total: 0, items: [] };
    conditions.push(inArray(auditEvents.unitCode, codes));
    // Every unit the event touches must be in scope, not only its main one: an account moved in from another
    // province, a form's unit list naming another province's communes, a unit change reaching across a border.
    conditions.push(
      sql`${auditEvents.unitCodes} <@ ARRAY[${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[]`,
    );
  }
  if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.unit) conditions.push(eq(auditEvents.unitCode, filter.unit));
  if (filter.recordKind) conditions.push(eq(auditEvents.recordKind, filter.recordKind));
  if (filter.from)
    conditions.push(
      gte(auditEvents.at, sql`(${filter.from}::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`),
    );
  if (filter.to)
    conditions.push(
      lt(auditEvents.at, sql`(${filter.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`),
    );
  const where = conditions.length ? and(...conditions) : undefined;
  const [count] = await db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where);
  const rows = await db
    .select({ event: auditEvents, username: users.username })
    .from(auditEvents)
    .leftJoin(
      users,
      and(
        sql`${auditEvents.actorKind} IN ('user', 'token')`,
        sql`${users.id}::text = ${auditEvents.actorId}`,
      ),
    )
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit)
    .offset(filter.offset);
  const items: AuditEventView[] = rows.map(({ event, username }) => ({
    id: event.id,
    at: event.at.toISOString(),
    actor: { kind: event.actorKind, id: event.actorId, username },
    action: event.action,
    recordKind: event.recordKind,
    recordId: event.recordId,
    unitCode: event.unitCode,
    before: event.before,
    after: event.after,
    requestId: event.requestId,
    reason: event.reason,
  }));
  return { total: Number(count?.n ?? 0), items };
}
