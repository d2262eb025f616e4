import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { type Database, type Db, rowsOf } from "../../db/client.ts";
import type { SignedIn } from "../access/actor.ts";
import { scopeOfVersion } from "../access/scope.ts";
import { listDueWork } from "../home/due-work.ts";
import { todayInVietnam } from "../units/text.ts";
import { type DeliveryResult, deliverOutbox, type MailTransport, renderDigest } from "./email.ts";
import { type NotificationInput, notify, wantsEmail } from "./notify.ts";
import { emailOutbox, notificationSettings, notifications } from "./schema.ts";

/** Vietnam's hour of the day (UTC+7, no daylight saving). */
const hourInVietnam = (now: Date) => (now.getUTCHours() + 7) % 24;

const addDays = (isoDate: string, days: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * Reads every active account's list of due work (all sources, through `listDueWork`) and writes "due soon" and
 * "overdue" notifications, once per item and event: a module that contributes items is notified about without a
 * mechanism of its own. Returns how many were new.
 */
export async function scanDueWork(db: Db, options: { now: Date; dueSoonDays: number }): Promise<number> {
  const today = todayInVietnam(options.now);
  const soon = addDays(today, options.dueSoonDays);
  const accounts = rowsOf<{
    id: number | string;
    role: SignedIn["role"];
    scope_version_id: number | string | null;
  }>(
    await db.execute(sql`
      SELECT id, role, scope_version_id FROM users
      WHERE NOT is_disabled AND role IN ('commune_officer', 'province_officer', 'province_admin')
      ORDER BY id`),
  );
  let written = 0;
  for (const account of accounts) {
    const scope = await scopeOfVersion(
      db,
      account.scope_version_id === null ? null : Number(account.scope_version_id),
    );
    if (!scope?.isCurrent) continue;
    const actor: SignedIn = { kind: "user", id: String(account.id), role: account.role, scope };
    const items = await listDueWork({ db, actor, today });
    const batch: NotificationInput[] = [];
    for (const item of items) {
      const event =
        item.state === "overdue"
          ? "overdue"
          : item.state === "due" && item.dueDate !== null && item.dueDate <= soon
            ? "due_soon"
            : null;
      if (!event) continue;
      const [y, m, d] = (item.dueDate ?? "").split("-");
      const dueVi = item.dueDate ? `${d}/${m}/${y}` : "";
      batch.push({
        recipientId: Number(account.id),
        kind: event,
        title:
          event === "overdue"
            ? { vi: `Quá hạn: ${item.title.vi}`, en: `Overdue: ${item.title.en}` }
            : { vi: `Sắp đến hạn: ${item.title.vi}`, en: `Due soon: ${item.title.en}` },
        body: item.dueDate
          ? { vi: `${item.unitName} — hạn ${dueVi}`, en: `${item.unitName} — due ${item.dueDate}` }
          : null,
        link: item.link,
        itemRef: `${item.source}:${item.id}`,
        key: `${event}:${item.source}:${item.id}:${account.id}`,
      });
    }
    if (batch.length) written += await db.transaction((tx) => notify(tx, batch));
  }
  return written;
}

/**
 * Queues each person's digest of the day: the unread notifications they want by e-mail that no e-mail has carried
 * yet, in one message, from `digestHour` (Vietnam time) on, at most one a day (its outbox key holds the date).
 * Returned reports do not wait for it (see `notify`).
 */
export async function queueDigests(db: Db, options: { now: Date; digestHour: number }): Promise<number> {
  if (hourInVietnam(options.now) < options.digestHour) return 0;
  const day = todayInVietnam(options.now);
  const waiting = rowsOf<{ recipient_id: number | string }>(
    await db.execute(sql`
      SELECT DISTINCT n.recipient_id FROM notifications n
      JOIN notification_settings s ON s.user_id = n.recipient_id AND s.email IS NOT NULL
      WHERE n.emailed_at IS NULL AND n.read_at IS NULL`),
  );
  let queued = 0;
  for (const row of waiting) {
    const userId = Number(row.recipient_id);
    const key = `digest:${userId}:${day}`;
    queued += await db.transaction(async (tx) => {
      const [settings] = await tx
        .select()
        .from(notificationSettings)
        .where(eq(notificationSettings.userId, userId));
      if (!settings?.email) return 0;
      const [already] = await tx
        .select({ id: emailOutbox.id })
        .from(emailOutbox)
        .where(eq(emailOutbox.key, key));
      if (already) return 0;
      const pending = (
        await tx
          .select()
          .from(notifications)
          .where(
            and(
              eq(notifications.recipientId, userId),
              isNull(notifications.emailedAt),
              isNull(notifications.readAt),
            ),
          )
          .orderBy(notifications.createdAt)
          .for("update")
      ).filter((n) => wantsEmail(settings.emailKinds, n.kind));
      if (pending.length === 0) return 0;
      const mail = renderDigest(pending, day);
      const inserted = await tx
        .insert(emailOutbox)
        .values({
          key,
          recipientId: userId,
          toAddress: settings.email,
          subject: mail.subject,
          bodyText: mail.text,
          nextAttemptAt: options.now,
        })
        .onConflictDoNothing({ target: emailOutbox.key })
        .returning({ id: emailOutbox.id });
      if (inserted.length === 0) return 0;
      await tx
        .update(notifications)
        .set({ emailedAt: options.now })
        .where(
          inArray(
            notifications.id,
            pending.map((n) => n.id),
          ),
        );
      return 1;
    });
  }
  return queued;
}

export interface JobSettings {
  dueSoonDays: number;
  digestHour: number;
  mailFrom: string;
  publicUrl?: string | undefined;
}

export interface JobRun {
  /** false when another server held the lock and did the run. */
  ran: boolean;
  notified: number;
  digests: number;
  delivery: DeliveryResult;
  /** What failed in this run; each step runs even when another failed (a broken source never stops e-mail). */
  errors: string[];
}

/** The key of the advisory lock every server takes around a run: "GRNOTIFY" in ASCII, as a bigint. */
export const JOB_LOCK = 0x47524e4f54494659n;

/** Runs in this process, one after another: two overlapping runs would both pick the same queued e-mail. */
let inProcess: Promise<unknown> = Promise.resolve();

/**
 * One run of the background jobs: scan due work, queue digests, send e-mails. When several servers share one
 * PostgreSQL, only the one holding the advisory lock runs; the others skip this round. PGlite is one process.
 */
export async function runNotificationJobs(
  database: Pick<Database, "db" | "driver">,
  options: JobSettings & { now: Date; transport: MailTransport | null },
): Promise<JobRun> {
  const work = async (): Promise<Omit<JobRun, "ran">> => {
    const errors: string[] = [];
    const step = <T>(what: string, fallback: T, run: () => Promise<T>) =>
      run().catch((err: unknown) => {
        errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        return fallback;
      });
    const transport = options.transport;
    const notified = await step("due-work scan", 0, () => scanDueWork(database.db, options));
    if (!transport) return { notified, digests: 0, delivery: { sent: 0, failed: 0 }, errors };
    const digests = await step("digests", 0, () => queueDigests(database.db, options));
    const delivery = await step("sending", { sent: 0, failed: 0 }, () =>
      deliverOutbox(database.db, transport, {
        from: options.mailFrom,
        now: options.now,
        publicUrl: options.publicUrl,
      }),
    );
    return { notified, digests, delivery, errors };
  };
  const run = inProcess.then(() => lockedRun(database, work));
  inProcess = run.catch(() => undefined);
  return run;
}

async function lockedRun(
  database: Pick<Database, "db" | "driver">,
  work: () => Promise<Omit<JobRun, "ran">>,
): Promise<JobRun> {
  if (database.driver === "pglite") return { ran: true, ...(await work()) };
  // A transaction-scoped lock on a connection of its own: held exactly while the run lasts, released even if the
  // process dies. The run's own queries use other connections of the pool.
  return database.db.transaction(async (tx) => {
    const [row] = rowsOf<{ locked: boolean }>(
      await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${JOB_LOCK.toString()}::bigint) AS locked`),
    );
    if (!row?.locked)
      return { ran: false, notified: 0, digests: 0, delivery: { sent: 0, failed: 0 }, errors: [] };
    return { ran: true, ...(await work()) };
  });
}

/** Runs the jobs now and then every `intervalSeconds`, one run at a time; `stop` waits for a run in progress. */
export function startNotificationJobs(
  database: Pick<Database, "db" | "driver">,
  options: JobSettings & {
    intervalSeconds: number;
    transport: MailTransport | null;
    logger: Logger;
    now?: () => Date;
  },
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = runNotificationJobs(database, { ...options, now: (options.now ?? (() => new Date()))() })
      .then((run) => {
        if (run.errors.length)
          options.logger.warn(run, "notification jobs: some steps failed; next run retries");
        else if (run.notified || run.digests || run.delivery.sent || run.delivery.failed)
          options.logger.info(run, "notification jobs");
      })
      .catch((err: unknown) => options.logger.warn({ err }, "notification jobs failed; next run retries"))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
