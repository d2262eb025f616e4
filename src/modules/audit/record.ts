import type { DbOrTx } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { auditEvents } from "./schema.ts";

export interface AuditEntry {
  action: string;
  recordKind: string;
  recordId: string | number;
  unitCode?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/**
 * Writes the audit event of a write, inside the same transaction as the write itself, so that a write without
 * its audit event cannot be committed. Every operation that writes calls this once.
 */
export async function recordAudit(tx: DbOrTx, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await tx.insert(auditEvents).values({
    actorKind: actor.kind === "anonymous" ? "system" : actor.kind,
    actorId: actor.kind === "anonymous" ? "anonymous" : actor.id,
    action: entry.action,
    recordKind: entry.recordKind,
    recordId: String(entry.recordId),
    unitCode: entry.unitCode ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: ctx.requestId,
    reason: entry.reason ?? null,
  });
}

/** The audit events of a bulk write (an import), one per record changed, in the write's transaction. */
export async function recordAuditMany(tx: DbOrTx, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  const actor = ctx.actor;
  const rows = entries.map((entry) => ({
    actorKind: actor.kind === "anonymous" ? ("system" as const) : actor.kind,
    actorId: actor.kind === "anonymous" ? "anonymous" : actor.id,
    action: entry.action,
    recordKind: entry.recordKind,
    recordId: String(entry.recordId),
    unitCode: entry.unitCode ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: ctx.requestId,
    reason: entry.reason ?? null,
  }));
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditEvents).values(rows.slice(i, i + 500));
}
