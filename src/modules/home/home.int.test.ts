import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { listNotifications } from "../notifications/operations.ts";
import { testAccount, transition } from "../notifications/testing.ts";
import { createForm } from "../reporting/form-designer.ts";
import { type DueItem, listDueWork } from "./due-work.ts";
import "./reports-source.ts";

/*
 * Sơn La's demo form KTXH_XA is yearly, due 31 days after the year: on 1 December 2026 the 2025 report (due
 * 31/01/2026) is overdue and the 2026 one (due 31/01/2027) is running. Nothing has been submitted in the seed.
 */
const today = "2026-12-01";
const now = new Date("2026-12-01T03:00:00Z");

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let chiengKhuong: Awaited<ReturnType<typeof testAccount>>;
let muongHung: Awaited<ReturnType<typeof testAccount>>;
let songMaOfficer: Awaited<ReturnType<typeof testAccount>>;
let sonLa: Awaited<ReturnType<typeof testAccount>>;
let ngheAn: Awaited<ReturnType<typeof testAccount>>;

const listOf = async (who: { actor: Awaited<ReturnType<typeof testAccount>>["actor"] }) =>
  listDueWork({ db: db(), actor: who.actor, today });
const reports = (items: DueItem[]) => items.filter((i) => i.source === "reports");

beforeAll(async () => {
  database = await openTestDatabase();
  // The seed holds other demo forms (the standards demo's yes/no form NTM_XA is due for the same communes); these
  // tests follow the deadlines of the one demo report form.
  await database.db.execute(
    sql`DELETE FROM form_units WHERE form_id IN (SELECT id FROM forms WHERE code <> 'KTXH_XA')`,
  );
  chiengKhuong = await testAccount(db(), "ck.home", "commune_officer", "04222");
  muongHung = await testAccount(db(), "mh.home", "commune_officer", "04219");
  songMaOfficer = await testAccount(db(), "sm.home", "commune_officer", "04168");
  sonLa = await testAccount(db(), "sl.home", "province_officer", "14");
  ngheAn = await testAccount(db(), "na.home", "province_officer", "40");
  // Mường Hung sent its 2025 report and the province returned it; Sông Mã's is waiting for approval.
  await transition(db(), muongHung, "04219", "2025", "submit");
  await transition(db(), sonLa, "04219", "2025", "return", "Thiếu số hộ nghèo theo chuẩn mới");
  await transition(db(), songMaOfficer, "04168", "2025", "submit");
});
afterAll(async () => {
  await database.drop();
});

describe("a commune officer's home list", () => {
  it("puts last year's overdue report first, then the running year's, each linking to its form", async () => {
    const items = reports(await listOf(chiengKhuong));
    expect(items.map((i) => [i.state, i.title.vi, i.dueDate, i.link])).toEqual([
      [
        "overdue",
        "Báo cáo kinh tế – xã hội cấp xã (minh hoạ) — Năm 2025",
        "2026-01-31",
        "/reports/entry?form=KTXH_XA&unit=04222&period=2025",
      ],
      [
        "due",
        "Báo cáo kinh tế – xã hội cấp xã (minh hoạ) — Năm 2026",
        "2027-01-31",
        "/reports/entry?form=KTXH_XA&unit=04222&period=2026",
      ],
    ]);
  });

  it("names the commune each item belongs to", async () => {
    const [first] = reports(await listOf(chiengKhuong));
    expect(first).toMatchObject({ unitCode: "04222", unitName: "Xã Chiềng Khương" });
  });

  it("shows a returned report with the province's reason", async () => {
    const returned = reports(await listOf(muongHung)).find((i) => i.state === "returned");
    expect(returned).toMatchObject({
      id: "KTXH_XA/04219/2025",
      reason: { vi: "Thiếu số hộ nghèo theo chuẩn mới" },
    });
  });

  it("drops a report once it is submitted", async () => {
    const periods = reports(await listOf(songMaOfficer)).map((i) => i.id);
    expect(periods).toEqual(["KTXH_XA/04168/2026"]);
  });
});

describe("a province officer's home list", () => {
  it("lists the reports waiting for approval", async () => {
    const waiting = reports(await listOf(sonLa)).filter((i) => i.state === "awaiting_approval");
    expect(waiting.map((i) => [i.unitCode, i.link])).toEqual([
      ["04168", "/reports/entry?form=KTXH_XA&unit=04168&period=2025"],
    ]);
  });

  it("counts the communes overdue with a report and offers to remind them all", async () => {
    const overdue = reports(await listOf(sonLa)).find((i) => i.id === "KTXH_XA/2025/overdue-units");
    expect(overdue).toMatchObject({
      state: "overdue",
      dueDate: "2026-01-31",
      link: "/reports/status?form=KTXH_XA&period=2025",
      action: { kind: "remind", path: "/reports/reminders", body: { form: "KTXH_XA", period: "2025" } },
    });
    // Nine Sông Mã communes report it; Sông Mã's own is in, Mường Hung's was returned and counts as not in.
    expect(overdue?.title.vi).toContain("8/9 đơn vị chưa nộp");
  });

  it("lists its own province's deadlines: a quarterly form the province itself reports", async () => {
    await createForm(db(), testCtx, {
      code: "BC_TINH_QUY",
      nameVi: "Báo cáo quý của tỉnh",
      nameEn: "Province quarterly report",
      periodType: "quarterly",
      deadlineDays: 15,
      sections: [{ nameVi: "Chung", nameEn: "General", elements: ["HH_TOTAL"] }],
      units: ["14"],
    });
    const own = reports(await listOf(sonLa)).filter(
      (i) => i.unitCode === "14" && i.id.startsWith("BC_TINH_QUY/"),
    );
    // On 1 December 2026 the oldest quarter still listed, 2025 Q4 (due 15/01/2026), comes first; 2026 Q4 is due 15/01/2027.
    expect(own.slice(0, 1).map((i) => [i.state, i.id, i.dueDate])).toEqual([
      ["overdue", "BC_TINH_QUY/14/2025Q4", "2026-01-15"],
    ]);
    expect(own.find((i) => i.id === "BC_TINH_QUY/14/2026Q4")).toMatchObject({
      state: "due",
      dueDate: "2027-01-15",
    });
  });

  it("sees nothing of another province", async () => {
    const units = new Set(reports(await listOf(ngheAn)).map((i) => i.unitCode));
    expect([...units].filter((u) => u.startsWith("04") || u === "14")).toEqual([]);
  });
});

describe("the home route", () => {
  it("answers the signed-in reader's list with today's date", async () => {
    const res = await testApp(db(), { actor: chiengKhuong.actor, now: () => now }).request(
      "/api/v1/home/due-work",
    );
    const body = (await res.json()) as { today: string; items: DueItem[] };
    expect([res.status, body.today, body.items[0]?.state]).toEqual([200, today, "overdue"]);
  });

  it("refuses someone not signed in", async () => {
    const res = await testApp(db()).request("/api/v1/home/due-work");
    expect(res.status).toBe(401);
  });
});

describe("reminding late communes", () => {
  const remind = (who: { actor: Awaited<ReturnType<typeof testAccount>>["actor"] }, body: unknown) =>
    testApp(db(), { actor: who.actor, now: () => now }).request("/api/v1/reports/reminders", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("notifies the officers of every late commune, and only them", async () => {
    const res = await remind(sonLa, { form: "KTXH_XA", period: "2025" });
    expect(await res.json()).toEqual({ units: 8, recipients: 2 });
    const got = await listNotifications(db(), chiengKhuong, {});
    expect(got.items.map((n) => [n.kind, n.link])).toEqual([
      ["reminder", "/reports/entry?form=KTXH_XA&unit=04222&period=2025"],
    ]);
  });

  it("does not remind the commune whose report is in", async () => {
    const got = await listNotifications(db(), songMaOfficer, {});
    expect(got.items.filter((n) => n.kind === "reminder")).toEqual([]);
  });

  it("reminds nobody twice on one day", async () => {
    const res = await remind(sonLa, { form: "KTXH_XA", period: "2025" });
    expect(await res.json()).toEqual({ units: 8, recipients: 0 });
  });

  it("refuses a commune officer", async () => {
    const res = await remind(chiengKhuong, { form: "KTXH_XA", period: "2025" });
    expect(res.status).toBe(403);
  });

  it("refuses a period that is not overdue with 422", async () => {
    const res = await remind(sonLa, { form: "KTXH_XA", period: "2026" });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
      422,
      "nothing_overdue",
    ]);
  });

  it("refuses a malformed period with 422 naming it", async () => {
    const res = await remind(sonLa, { form: "KTXH_XA", period: "2025Q9" });
    expect(((await res.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: "invalid_period",
      details: { field: "period" },
    });
  });

  it("records who reminded in the audit trail", async () => {
    const rows = rowsOf<{ actor_id: string; record_id: string }>(
      await db().execute(sql`SELECT actor_id, record_id FROM audit_events WHERE action = 'report.remind'`),
    );
    expect(rows).toEqual([
      { actor_id: sonLa.actor.id, record_id: "KTXH_XA/2025" },
      { actor_id: sonLa.actor.id, record_id: "KTXH_XA/2025" },
    ]);
  });
});
