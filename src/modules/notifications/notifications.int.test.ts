import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { registerDueWorkSource } from "../home/due-work.ts";
import "../home/reports-source.ts";
import { sendReportReminders } from "../home/reminders.ts";
import { type MailTransport, smtpTransport } from "./email.ts";
import { JOB_LOCK, type JobSettings, queueDigests, runNotificationJobs, scanDueWork } from "./jobs.ts";
import { notify } from "./notify.ts";
import { listNotifications, markRead, saveSettings } from "./operations.ts";
import { startTestSmtp, testAccount, transition } from "./testing.ts";

/*
 * The demo form KTXH_XA is yearly and due 31 days after the year. On 1 December 2026 the 2025 report is overdue.
 * Every e-mail goes through a real SMTP server listening on a local port (smtp-server), not a mock.
 */
const at = (iso: string) => new Date(iso);
/** 10:00 in Vietnam, after the 07:00 digest hour. */
const morning = at("2026-12-01T03:00:00Z");

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
let transport: MailTransport;
type Account = Awaited<ReturnType<typeof testAccount>>;
let sonLa: Account;

const settings: JobSettings = { dueSoonDays: 3, digestHour: 7, mailFrom: "Grassroots <no-reply@test.vn>" };
const run = (now: Date) => runNotificationJobs(database, { ...settings, now, transport });

async function officer(name: string, unit: string, email: string | null = `${name}@xa.test.vn`) {
  const account = await testAccount(db(), name, "commune_officer", unit);
  if (email)
    await saveSettings(db(), account, {
      email,
      emailKinds: ["returned", "overdue", "reminder", "other"],
      expectedVersion: 0,
    });
  return account;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const kindsOf = async (account: Account) =>
  (await listNotifications(db(), account, { limit: 100 })).items.map((n) => n.kind).sort();

beforeAll(async () => {
  database = await openTestDatabase();
  // The seed holds other demo forms (the standards demo's yes/no form NTM_XA is due for the same communes); these
  // tests follow the deadlines of the one demo report form.
  await database.db.execute(
    sql`DELETE FROM form_units WHERE form_id IN (SELECT id FROM forms WHERE code <> 'KTXH_XA')`,
  );
  smtp = await startTestSmtp();
  transport = smtpTransport({ host: "127.0.0.1", port: smtp.port, secure: false });
  sonLa = await testAccount(db(), "sl.notify", "province_officer", "14");
  // Everything already due on the seed is notified and e-mailed first, so that each test sees only its own.
  await run(morning);
});
afterAll(async () => {
  await smtp.stop();
  await database.drop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

describe("a report returned", () => {
  it("notifies the commune's officer in the app with the reason", async () => {
    const ck = await officer("ck.n1", "04222");
    await transition(db(), ck, "04222", "2025", "submit");
    await transition(db(), sonLa, "04222", "2025", "return", "Số liệu điện chưa khớp");
    const [latest] = (await listNotifications(db(), ck, {})).items;
    expect(latest).toMatchObject({
      kind: "returned",
      body: { vi: "Xã Chiềng Khương. Lý do: Số liệu điện chưa khớp" },
      link: "/reports/entry?form=KTXH_XA&unit=04222&period=2025",
      readAt: null,
    });
  });

  it("is e-mailed at once, through the SMTP server, exactly once however often the jobs run", async () => {
    const mh = await officer("mh.n1", "04219");
    await transition(db(), mh, "04219", "2025", "submit");
    await transition(db(), sonLa, "04219", "2025", "return", "Thiếu chữ ký");
    await run(morning);
    await run(morning);
    await run(at("2026-12-01T05:00:00Z"));
    const immediate = mailsTo("mh.n1@xa.test.vn").filter((m) => m.key.startsWith("notification:"));
    expect(immediate).toHaveLength(1);
  });
});

describe("a report approved", () => {
  it("notifies the commune's officer in the app", async () => {
    const sm = await officer("sm.n1", "04168");
    await transition(db(), sm, "04168", "2025", "submit");
    await transition(db(), sonLa, "04168", "2025", "approve");
    expect((await listNotifications(db(), sm, {})).items[0]?.kind).toBe("approved");
  });

  it("is not e-mailed to someone who did not choose approvals by e-mail", async () => {
    const sm = await officer("sm.n2", "04168");
    await transition(db(), sonLa, "04168", "2025", "unlock", "Sửa số hộ");
    await transition(db(), sm, "04168", "2025", "submit");
    await transition(db(), sonLa, "04168", "2025", "approve");
    await run(at("2026-12-02T03:00:00Z"));
    const approved = rowsOf<{ emailed_at: string | null }>(
      await db().execute(
        sql`SELECT emailed_at FROM notifications WHERE recipient_id = ${sm.userId} AND kind = 'approved'`,
      ),
    );
    expect(approved).toEqual([{ emailed_at: null }]);
  });
});

describe("due work scanned by the background job", () => {
  it("writes one overdue notification per late report, however often it runs", async () => {
    const ph = await officer("ph.n1", "04204", null);
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    expect(await kindsOf(ph)).toEqual(["overdue"]);
  });

  it("writes a due-soon notification within the configured days of a deadline", async () => {
    const ph = await officer("ph.n2", "04204", null);
    await scanDueWork(db(), { now: at("2027-01-29T03:00:00Z"), dueSoonDays: 3 });
    expect(await kindsOf(ph)).toEqual(["due_soon", "overdue"]);
  });

  it("writes nothing about a deadline further away", async () => {
    const ph = await officer("ph.n3", "04204", null);
    await scanDueWork(db(), { now: at("2027-01-20T03:00:00Z"), dueSoonDays: 3 });
    expect(await kindsOf(ph)).toEqual(["overdue"]);
  });
});

describe("a reminder", () => {
  it("is written for each late commune's officer and reaches them in the day's digest", async () => {
    const yc = await officer("yc.n1", "04183");
    await sendReportReminders(db(), sonLa, { form: "KTXH_XA", period: "2025" }, morning);
    await run(at("2026-12-03T03:00:00Z"));
    expect([await kindsOf(yc), mailsTo("yc.n1@xa.test.vn").map((m) => m.key)]).toEqual([
      ["overdue", "reminder"],
      [`digest:${yc.userId}:2026-12-03`],
    ]);
  });
});

describe("the daily digest", () => {
  it("waits for the digest hour", async () => {
    await officer("dg.n1", "04186");
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    await queueDigests(db(), { now: at("2026-12-04T23:00:00Z"), digestHour: 7 }); // 06:00 in Vietnam
    await run(at("2026-12-04T23:00:00Z"));
    expect(mailsTo("dg.n1@xa.test.vn")).toEqual([]);
  });

  it("sends at most one e-mail a day, carrying everything new", async () => {
    const a = await officer("dg.n2", "04210");
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    await run(at("2026-12-05T01:00:00Z"));
    await notify(db(), {
      recipientId: a.userId,
      kind: "answer_published",
      title: { vi: "Đã có trả lời kiến nghị", en: "Proposal answered" },
      link: "/sessions/1",
      itemRef: "sessions:1/proposal/1",
      key: "answer_published:1/1:dg.n2",
    });
    await run(at("2026-12-05T06:00:00Z"));
    expect(mailsTo("dg.n2@xa.test.vn")).toHaveLength(1);
  });

  it("carries the next day's news in the next day's digest", async () => {
    const a = await officer("dg.n3", "04195");
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    await run(at("2026-12-06T01:00:00Z"));
    await notify(db(), {
      recipientId: a.userId,
      kind: "answer_published",
      title: { vi: "Đã có trả lời kiến nghị", en: "Proposal answered" },
      link: "/sessions/2",
      itemRef: "sessions:2/proposal/1",
      key: "answer_published:2/1:dg.n3",
    });
    await run(at("2026-12-07T01:00:00Z"));
    expect(mailsTo("dg.n3@xa.test.vn").map((m) => m.key)).toEqual([
      `digest:${a.userId}:2026-12-06`,
      `digest:${a.userId}:2026-12-07`,
    ]);
  });

  it("leaves out what was read in the app before the digest went", async () => {
    const a = await officer("dg.n4", "04171");
    await scanDueWork(db(), { now: morning, dueSoonDays: 3 });
    await markRead(db(), a, "all", morning);
    await run(at("2026-12-08T01:00:00Z"));
    expect(mailsTo("dg.n4@xa.test.vn")).toEqual([]);
  });

  it("does not hold back a returned report sent after the day's digest", async () => {
    const a = await officer("dg.n5", "04171");
    await notify(db(), {
      recipientId: a.userId,
      kind: "reminder",
      title: { vi: "Nhắc", en: "Reminder" },
      link: "/",
      itemRef: "test:1",
      key: "reminder:test:dg.n5",
    });
    await run(at("2026-12-09T01:00:00Z"));
    await transition(db(), a, "04171", "2025", "submit");
    await transition(db(), sonLa, "04171", "2025", "return", "Thiếu phụ lục");
    await run(at("2026-12-09T02:00:00Z"));
    expect(mailsTo("dg.n5@xa.test.vn")).toHaveLength(2);
  });
});

describe("a module whose due-work source fails", () => {
  it("does not stop e-mails from going out, and the run says what failed", async () => {
    const a = await officer("broken.n1", "04186");
    let isBroken = true;
    registerDueWorkSource("test-broken", async () => {
      if (isBroken) throw new Error("source offline");
      return [];
    });
    try {
      await notify(db(), {
        recipientId: a.userId,
        kind: "returned",
        title: { vi: "Trả lại", en: "Returned" },
        link: "/",
        itemRef: "test:broken",
        key: "returned:test:broken",
      });
      const result = await run(at("2026-12-16T03:00:00Z"));
      expect([result.errors, mailsTo("broken.n1@xa.test.vn").length]).toEqual([
        ["due-work scan: source offline"],
        1,
      ]);
    } finally {
      isBroken = false;
    }
  });
});

describe("e-mail for every kind chosen", () => {
  it("carries each notification in exactly one e-mail, however often the jobs run", async () => {
    const a = await officer("all.n1", "04186");
    await saveSettings(db(), a, {
      email: "all.n1@xa.test.vn",
      emailKinds: ["returned", "approved", "due_soon", "overdue", "reminder", "other"],
      expectedVersion: 1,
    });
    const kinds = ["returned", "approved", "due_soon", "overdue", "reminder", "answer_published"];
    await notify(
      db(),
      kinds.map((kind) => ({
        recipientId: a.userId,
        kind,
        title: { vi: `Thông báo thử ${kind}`, en: `Test ${kind}` },
        link: `/test/${kind}`,
        itemRef: `test:${kind}`,
        key: `${kind}:test:all.n1`,
      })),
    );
    for (const hour of ["2026-12-14T01:00:00Z", "2026-12-14T05:00:00Z", "2026-12-15T01:00:00Z"])
      await run(at(hour));
    const texts = mailsTo("all.n1@xa.test.vn").map((m) => m.text);
    const carried = kinds.map((kind) => texts.filter((t) => t.includes(`Thông báo thử ${kind}`)).length);
    expect(carried).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe("an SMTP server that is down", () => {
  it("keeps the notification in the app and the e-mail queued with its error", async () => {
    const a = await officer("down.n1", "04222");
    await smtp.stop();
    try {
      await notify(db(), {
        recipientId: a.userId,
        kind: "returned",
        title: { vi: "Báo cáo bị trả lại", en: "Report returned" },
        link: "/",
        itemRef: "test:down1",
        key: "returned:test:down1",
      });
      await run(at("2026-12-10T03:00:00Z"));
      const [queued] = rowsOf<{ attempts: number; sent_at: string | null; last_error: string | null }>(
        await db().execute(sql`SELECT attempts, sent_at, last_error FROM email_outbox WHERE key LIKE 'notification:%'
          AND recipient_id = ${a.userId}`),
      );
      expect([queued?.attempts, queued?.sent_at, queued?.last_error !== null]).toEqual([1, null, true]);
      expect((await listNotifications(db(), a, {})).items[0]?.title.vi).toBe("Báo cáo bị trả lại");
    } finally {
      await smtp.start();
    }
  });

  it("retries after a growing delay and sends the e-mail exactly once when the server is back", async () => {
    const a = await officer("down.n2", "04222");
    await smtp.stop();
    const t0 = at("2026-12-11T03:00:00Z");
    try {
      await notify(db(), {
        recipientId: a.userId,
        kind: "returned",
        title: { vi: "Trả lại", en: "Returned" },
        link: "/",
        itemRef: "test:down2",
        key: "returned:test:down2",
      });
      await run(t0); // attempt 1 fails; next in 1 min
      await run(new Date(t0.getTime() + 30_000)); // too early: not attempted
      await run(new Date(t0.getTime() + 61_000)); // attempt 2 fails; next in 2 min
    } finally {
      await smtp.start();
    }
    await run(new Date(t0.getTime() + 90_000)); // back, but the delay has not passed
    const early = mailsTo("down.n2@xa.test.vn").length;
    await run(new Date(t0.getTime() + 200_000));
    await run(new Date(t0.getTime() + 400_000));
    const [row] = rowsOf<{ attempts: number }>(
      await db().execute(sql`SELECT attempts FROM email_outbox WHERE recipient_id = ${a.userId}`),
    );
    expect([early, mailsTo("down.n2@xa.test.vn").length, row?.attempts]).toEqual([0, 1, 3]);
  });

  it("sends once when two servers run the jobs at the same moment", async () => {
    const a = await officer("race.n1", "04222");
    await notify(db(), {
      recipientId: a.userId,
      kind: "returned",
      title: { vi: "Trả lại", en: "Returned" },
      link: "/",
      itemRef: "test:race",
      key: "returned:test:race",
    });
    const t = at("2026-12-12T03:00:00Z");
    await Promise.all([run(t), run(t), run(t)]);
    expect(mailsTo("race.n1@xa.test.vn").filter((m) => m.key.startsWith("notification:"))).toHaveLength(1);
  });
});

// PGlite is one process; the lock matters where several servers share one PostgreSQL.
describe.runIf(process.env.GR_TEST_DB === "postgres")("several servers on one PostgreSQL", () => {
  it("skips a run while another server holds the jobs' lock", async () => {
    const run2 = await db().transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${JOB_LOCK.toString()}::bigint)`);
      return run(at("2026-12-13T03:00:00Z"));
    });
    expect(run2.ran).toBe(false);
  });
});

describe("notification routes", () => {
  it("counts unread for the bell and marks one read", async () => {
    const a = await officer("bell.n1", "04222", null);
    await notify(
      db(),
      [1, 2].map((i) => ({
        recipientId: a.userId,
        kind: "reminder",
        title: { vi: `Nhắc ${i}`, en: `Reminder ${i}` },
        link: "/",
        itemRef: `test:bell${i}`,
        key: `reminder:test:bell${i}`,
      })),
    );
    const app = testApp(db(), { actor: a.actor });
    const [first] = (await listNotifications(db(), a, {})).items;
    await app.request(`/api/v1/notifications/${first?.id}/read`, { method: "POST" });
    const res = await app.request("/api/v1/notifications/unread-count");
    expect(await res.json()).toEqual({ unread: 1 });
  });

  it("answers 404 for someone else's notification", async () => {
    const a = await officer("bell.n2", "04222", null);
    const b = await officer("bell.n3", "04222", null);
    await notify(db(), {
      recipientId: a.userId,
      kind: "reminder",
      title: { vi: "Nhắc", en: "Reminder" },
      link: "/",
      itemRef: "test:private",
      key: "reminder:test:private",
    });
    const [mine] = (await listNotifications(db(), a, {})).items;
    const res = await testApp(db(), { actor: b.actor }).request(`/api/v1/notifications/${mine?.id}/read`, {
      method: "POST",
    });
    expect(res.status).toBe(404);
  });

  it("refuses an e-mail address that is not one, naming the field", async () => {
    const a = await officer("set.n1", "04222", null);
    const res = await testApp(db(), { actor: a.actor }).request("/api/v1/notifications/settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "không-phải-email", emailKinds: ["returned"], expectedVersion: 0 }),
    });
    const body = (await res.json()) as { error: { details: { fields: Array<{ field: string }> } } };
    expect([res.status, body.error.details.fields.map((f) => f.field)]).toEqual([400, ["email"]]);
  });

  it("keeps one of two e-mail choices saved at the same moment and refuses the other", async () => {
    const a = await officer("set.n3", "04222");
    const results = await Promise.allSettled(
      ["mot@xa.test.vn", "hai@xa.test.vn"].map((email) =>
        saveSettings(db(), a, { email, emailKinds: ["returned"], expectedVersion: 1 }),
      ),
    );
    const refused = results.flatMap((r) =>
      r.status === "rejected" ? [(r.reason as { code?: string }).code] : [],
    );
    expect([results.filter((r) => r.status === "fulfilled").length, refused]).toEqual([
      1,
      ["settings_conflict"],
    ]);
  });

  it("refuses e-mail choices saved over a newer version with 409", async () => {
    const a = await officer("set.n2", "04222");
    const res = await testApp(db(), { actor: a.actor }).request("/api/v1/notifications/settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x@xa.test.vn", emailKinds: [], expectedVersion: 0 }),
    });
    expect(res.status).toBe(409);
  });
});
