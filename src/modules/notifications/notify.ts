import { and, eq, inArray, sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import type { Localized } from "../../http/errors.ts";
import type { Role } from "../access/actor.ts";
import { renderSingle } from "./email.ts";
import { emailOutbox, notificationSettings, notifications } from "./schema.ts";

/** The kinds people choose between for e-mail; any other module's kind counts as "other". */
export const notificationKinds = [
  "returned",
  "approved",
  "due_soon",
  "overdue",
  "reminder",
  "other",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** What a person gets by e-mail until they choose otherwise. */
export const defaultEmailKinds: readonly string[] = ["returned", "overdue", "reminder", "other"];

/** Kinds that are e-mailed at once instead of waiting for the day's digest: work sent back needs redoing now. */
const immediateKinds = new Set(["returned"]);

export function wantsEmail(chosen: readonly string[], kind: string): boolean {
  const known = (notificationKinds as readonly string[]).includes(kind);
  return chosen.includes(known ? kind : "other");
}

export interface NotificationInput {
  recipientId: number;
  /** returned, approved, due_soon, overdue, reminder, or the calling module's own ("answer_published"). */
  kind: string;
  title: Localized;
  body?: Localized | null;
  /** The web app path that opens what it is about. */
  link: string;
  /** What it is about, as the calling module names it ("reports:KTXH_XA/04222/2025"). */
  itemRef: string;
  /**
   * One notification per key, ever: the same event about the same item for the same person. Writing it again does
   * nothing, so a retried request or a job that runs twice never notifies twice.
   */
  key: string;
}

/**
 * Writes notifications, inside the caller's write transaction so that they exist exactly when the change they
 * announce does. A notification of an immediate kind (a returned report) whose recipient wants it by e-mail also
 * queues its e-mail in the outbox, in the same transaction; the others wait for the daily digest. Returns how many
 * were new.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   // … the write itself, its recordAudit …
 *   await notify(tx, {
 *     recipientId, kind: "answer_published", title: { vi: "…", en: "…" },
 *     link: "/sessions/12", itemRef: "sessions:12/proposal/3", key: `answer_published:12/3:${recipientId}`,
 *   });
 * });
 */
export async function notify(
  tx: DbOrTx,
  input: NotificationInput | readonly NotificationInput[],
): Promise<number> {
  const list = Array.isArray(input) ? (input as readonly NotificationInput[]) : [input as NotificationInput];
  if (list.length === 0) return 0;
  const written = await tx
    .insert(notifications)
    .values(
      list.map((n) => ({
        recipientId: n.recipientId,
        kind: n.kind,
        titleVi: n.title.vi,
        titleEn: n.title.en,
        bodyVi: n.body?.vi ?? null,
        bodyEn: n.body?.en ?? null,
        link: n.link,
        itemRef: n.itemRef,
        key: n.key,
      })),
    )
    .onConflictDoNothing({ target: notifications.key })
    .returning();
  const immediate = written.filter((n) => immediateKinds.has(n.kind));
  if (immediate.length > 0) {
    const settings = await tx
      .select()
      .from(notificationSettings)
      .where(
        inArray(
          notificationSettings.userId,
          immediate.map((n) => n.recipientId),
        ),
      );
    const byUser = new Map(settings.map((s) => [s.userId, s]));
    for (const n of immediate) {
      const s = byUser.get(n.recipientId);
      if (!s?.email || !wantsEmail(s.emailKinds, n.kind)) continue;
      const mail = renderSingle(n);
      await tx
        .insert(emailOutbox)
        .values({
          key: `notification:${n.id}`,
          recipientId: n.recipientId,
          toAddress: s.email,
          subject: mail.subject,
          bodyText: mail.text,
          // Due at once, whatever the sender's clock says (the jobs' clock is injectable; this write has none).
          nextAttemptAt: new Date(0),
        })
        .onConflictDoNothing({ target: emailOutbox.key });
      await tx.update(notifications).set({ emailedAt: sql`now()` }).where(eq(notifications.id, n.id));
    }
  }
  return written.length;
}

/**
 * Active accounts of these roles scoped to the unit currently carrying `unitCode`: who hears about a commune's
 * report.
 */
export async function accountsScopedTo(
  tx: DbOrTx,
  unitCode: string,
  roles: readonly Role[],
  today: string,
): Promise<number[]> {
  if (roles.length === 0) return [];
  const rows = rowsOf<{ id: number | string }>(
    await tx.execute(sql`
      SELECT u.id FROM users u JOIN unit_versions v ON v.id = u.scope_version_id
      WHERE v.code = ${unitCode} AND NOT u.is_disabled
        AND u.role IN (${sql.join(
          roles.map((r) => sql`${r}`),
          sql`, `,
        )})
        AND (v.valid_to IS NULL OR v.valid_to > ${today}::date)
      ORDER BY u.id`),
  );
  return rows.map((r) => Number(r.id));
}

/** Unread notifications of one account (the bell's number). */
export async function unreadCount(db: DbOrTx, recipientId: number): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(
      sql`SELECT count(*) AS n FROM notifications WHERE recipient_id = ${recipientId} AND read_at IS NULL`,
    ),
  );
  return Number(row?.n ?? 0);
}

export const isNotificationOf = (recipientId: number, id: number) =>
  and(eq(notifications.recipientId, recipientId), eq(notifications.id, id));
