import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { conflict, forbidden, notFound } from "../../http/errors.ts";
import type { RequestContext, SignedIn } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { defaultEmailKinds, isNotificationOf, notificationKinds, unreadCount } from "./notify.ts";
import { notificationSettings, notifications } from "./schema.ts";

function signedIn(ctx: RequestContext): SignedIn {
  const actor = ctx.actor;
  if (actor.kind !== "user" && actor.kind !== "token") throw forbidden();
  return actor;
}

export interface NotificationView {
  id: number;
  kind: string;
  title: { vi: string; en: string };
  body: { vi: string; en: string } | null;
  link: string;
  createdAt: string;
  readAt: string | null;
}

const present = (n: typeof notifications.$inferSelect): NotificationView => ({
  id: n.id,
  kind: n.kind,
  title: { vi: n.titleVi, en: n.titleEn },
  body: n.bodyVi !== null && n.bodyEn !== null ? { vi: n.bodyVi, en: n.bodyEn } : null,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

export const listInput = z.object({
  unread: z.enum(["true", "false"]).default("false"),
  /** Older than this id (the last one of the previous page). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/** The reader's own notifications, newest first, with the unread count. */
export async function listNotifications(db: Db, ctx: RequestContext, raw: z.input<typeof listInput>) {
  const me = Number(signedIn(ctx).id);
  const input = listInput.parse(raw);
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.recipientId, me),
        input.unread === "true" ? isNull(notifications.readAt) : undefined,
        input.before ? lt(notifications.id, input.before) : undefined,
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(input.limit + 1);
  return {
    items: rows.slice(0, input.limit).map(present),
    hasMore: rows.length > input.limit,
    unread: await unreadCount(db, me),
  };
}

export async function countUnread(db: Db, ctx: RequestContext) {
  return { unread: await unreadCount(db, Number(signedIn(ctx).id)) };
}

/**
 * Marks one notification read (404 for someone else's: its existence is private), or all of the reader's. Reading
 * is bookkeeping of one's own inbox, like a session's last-seen time, so it is not audited.
 */
export async function markRead(db: Db, ctx: RequestContext, id: number | "all", now: Date = new Date()) {
  const me = Number(signedIn(ctx).id);
  if (id === "all") {
    await db
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.recipientId, me), isNull(notifications.readAt)));
    return { unread: 0 };
  }
  const [row] = await db.select().from(notifications).where(isNotificationOf(me, id));
  if (!row)
    throw notFound("notification_not_found", {
      vi: "Không có thông báo này.",
      en: "No such notification.",
    });
  if (!row.readAt) await db.update(notifications).set({ readAt: now }).where(isNotificationOf(me, id));
  return { unread: await unreadCount(db, me) };
}

export interface SettingsView {
  email: string | null;
  emailKinds: string[];
  kinds: readonly string[];
  version: number;
}

export async function getSettings(db: Db, ctx: RequestContext): Promise<SettingsView> {
  const me = Number(signedIn(ctx).id);
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, me));
  return {
    email: row?.email ?? null,
    emailKinds: row?.emailKinds ?? [...defaultEmailKinds],
    kinds: notificationKinds,
    version: row?.version ?? 0,
  };
}

export const settingsInput = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .email({ message: "not an e-mail address" })
    .nullable()
    .or(z.literal("").transform(() => null)),
  emailKinds: z.array(z.enum(notificationKinds)).max(notificationKinds.length),
  /** The version read (0 before the first save); a different one answers 409. */
  expectedVersion: z.number().int().min(0),
});

/** Saves the reader's e-mail choices under an optimistic version, audited. */
export async function saveSettings(db: Db, ctx: RequestContext, raw: z.input<typeof settingsInput>) {
  const me = Number(signedIn(ctx).id);
  const input = settingsInput.parse(raw);
  const kinds = [...new Set(input.emailKinds)];
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, me))
      .for("update");
    if ((before?.version ?? 0) !== input.expectedVersion)
      throw conflict(
        "settings_conflict",
        {
          vi: "Lựa chọn này vừa được thay đổi ở nơi khác; hãy tải lại trang.",
          en: "These choices were changed elsewhere meanwhile; reload the page.",
        },
        { version: before?.version ?? 0 },
      );
    if (before)
      await tx
        .update(notificationSettings)
        .set({
          email: input.email,
          emailKinds: kinds,
          updatedAt: sql`now()`,
          version: sql`${notificationSettings.version} + 1`,
        })
        .where(and(eq(notificationSettings.userId, me), eq(notificationSettings.version, before.version)));
    else await tx.insert(notificationSettings).values({ userId: me, email: input.email, emailKinds: kinds });
    await recordAudit(tx, ctx, {
      action: "notification_settings.update",
      recordKind: "notification_settings",
      recordId: me,
      before: before ? { email: before.email, emailKinds: before.emailKinds } : null,
      after: { email: input.email, emailKinds: kinds },
    });
    const [after] = await tx.select().from(notificationSettings).where(eq(notificationSettings.userId, me));
    return {
      email: after?.email ?? null,
      emailKinds: after?.emailKinds ?? kinds,
      kinds: notificationKinds,
      version: after?.version ?? 1,
    } satisfies SettingsView;
  });
}
