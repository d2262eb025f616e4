import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db } from "../../db/client.ts";
import { emailOutbox } from "./schema.ts";

/** What the sender needs from an SMTP client; nodemailer's transport in production, the same against a test server. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<unknown>;
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** Accept a self-signed certificate (tests). */
  allowSelfSigned?: boolean;
}

/** A nodemailer SMTP transport with short timeouts: a server that does not answer is retried later, not waited on. */
export function smtpTransport(settings: SmtpSettings): MailTransport {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(settings.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
  });
}

interface NotificationText {
  titleVi: string;
  titleEn: string;
  bodyVi: string | null;
  bodyEn: string | null;
  link: string;
}

/**
 * Links in queued e-mails start with this marker; the sender puts the configured public address in its place, so a
 * changed address applies to e-mails already queued, and the code that queues them needs no configuration.
 */
export const APP_URL_MARKER = "{{app}}";
const absolute = (link: string) => `${APP_URL_MARKER}${link}`;

/** One notification as an e-mail: Vietnamese first, English below (the account's language is not stored). */
export function renderSingle(n: NotificationText): { subject: string; text: string } {
  return {
    subject: `[Grassroots] ${n.titleVi}`,
    text: [
      n.titleVi,
      n.bodyVi ?? "",
      `Mở: ${absolute(n.link)}`,
      "",
      "—",
      n.titleEn,
      n.bodyEn ?? "",
      `Open: ${absolute(n.link)}`,
    ]
      .filter((line, i, all) => line !== "" || all[i - 1] !== "")
      .join("\n"),
  };
}

/** The day's digest: every notification not e-mailed yet, one line each. */
export function renderDigest(
  list: readonly NotificationText[],
  day: string,
): { subject: string; text: string } {
  const [y, m, d] = day.split("-");
  return {
    subject: `[Grassroots] ${list.length} thông báo mới — ${d}/${m}/${y}`,
    text: [
      `${list.length} thông báo mới trên Grassroots:`,
      ...list.map((n) => `• ${n.titleVi}${n.bodyVi ? ` — ${n.bodyVi}` : ""}\n  ${absolute(n.link)}`),
      "",
      "—",
      `${list.length} new notifications on Grassroots:`,
      ...list.map((n) => `• ${n.titleEn}${n.bodyEn ? ` — ${n.bodyEn}` : ""}\n  ${absolute(n.link)}`),
      "",
      "Chọn thông báo nào gửi qua e-mail tại trang Tài khoản. / Choose which reach you by e-mail on My account.",
    ].join("\n"),
  };
}

/** Delay before attempt `attempts + 1`: 1, 2, 4, … minutes, at most six hours. A server down for days loses nothing. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

export interface DeliveryResult {
  sent: number;
  failed: number;
}

/**
 * Sends the e-mails that are due, oldest first. Each is marked sent only after the server accepted it, and carries
 * a Message-ID made from its outbox key, so a receiving system can drop the copy of one whose acceptance we never
 * heard about. A failure keeps it queued with a growing delay and the error.
 */
export async function deliverOutbox(
  db: Db,
  transport: MailTransport,
  options: { from: string; now: Date; publicUrl?: string | undefined; batch?: number },
): Promise<DeliveryResult> {
  const due = await db
    .select()
    .from(emailOutbox)
    .where(and(isNull(emailOutbox.sentAt), lte(emailOutbox.nextAttemptAt, options.now)))
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(options.batch ?? 50);
  const result: DeliveryResult = { sent: 0, failed: 0 };
  for (const mail of due) {
    try {
      await transport.sendMail({
        from: options.from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.bodyText.replaceAll(APP_URL_MARKER, (options.publicUrl ?? "").replace(/\/$/, "")),
        messageId: `<${mail.key.replace(/[^\w.-]/g, ".")}@grassroots>`,
        headers: { "X-Grassroots-Key": mail.key },
      });
      await db
        .update(emailOutbox)
        .set({ sentAt: options.now, attempts: sql`${emailOutbox.attempts} + 1`, lastError: null })
        .where(and(eq(emailOutbox.id, mail.id), isNull(emailOutbox.sentAt)));
      result.sent++;
    } catch (err) {
      const attempts = mail.attempts + 1;
      await db
        .update(emailOutbox)
        .set({
          attempts,
          lastError: String((err as Error).message ?? err).slice(0, 500),
          nextAttemptAt: new Date(options.now.getTime() + retryDelayMs(attempts)),
        })
        .where(eq(emailOutbox.id, mail.id));
      result.failed++;
    }
  }
  return result;
}
