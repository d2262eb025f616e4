import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor } from "../access/actor.ts";
import { currentVersionForScope } from "../access/scope.ts";
import { docxText, pdfText } from "../documents/read-back.ts";
import { listDueWork } from "../home/due-work.ts";
import { testAccount } from "../notifications/testing.ts";
import { loadDemoSessions } from "./demo.ts";
import { registerSessionsDueWork } from "./routes.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let province: Actor;
let commune: Actor;
let filesDir: string;
let today = "2026-12-01";

beforeAll(async () => {
  database = await openTestDatabase();
  province = {
    kind: "user",
    id: "7001",
    role: "province_officer",
    scope: await currentVersionForScope(database.db, "14"),
  };
  commune = {
    kind: "user",
    id: "7002",
    role: "commune_officer",
    scope: await currentVersionForScope(database.db, "04222"),
  };
  filesDir = await mkdtemp(join(tmpdir(), "gr-attach-"));
  await loadDemoSessions(database.db, testCtx);
});
afterAll(async () => {
  await database.drop();
  await rm(filesDir, { recursive: true, force: true });
});

const MAX = 1024;
const call = async (actor: Actor, method: string, path: string, body?: unknown) => {
  const res = await testApp(database.db, {
    actor,
    today: () => today,
    attachments: { dir: filesDir, maxBytes: MAX },
  }).request(`/api/v1${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies loosely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

const source = {
  issuerUnitCode: "14",
  sourceNumber: "9-TB/TU",
  sourceDate: "2026-11-01",
  sourceBody: "Ban Thường vụ Tỉnh ủy Sơn La",
};
const issue = async (extra: Record<string, unknown> = {}) => {
  const res = await call(province, "POST", "/directions", {
    ...source,
    content: "Rà soát các điểm sạt lở trên địa bàn xã.",
    leadUnitCode: "04222",
    dueDate: "2027-01-10",
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; version: number };
};
const raise = async () => {
  const res = await call(commune, "POST", "/proposals", {
    unitCode: "04222",
    issuerUnitCode: "14",
    category: "headquarters",
    content: "Đề nghị sửa chữa nhà văn hoá bản Huổi Một.",
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; version: number };
};

describe("demo session", () => {
  it("has directions in each of the four statuses on 1 December 2026", async () => {
    const res = await call(province, "GET", "/directions/summary?issuer=14");
    const totals = res.body.byIssuer[0].counts;
    expect(totals).toMatchObject({
      in_progress: 6,
      overdue: 2,
      completed_on_time: 1,
      completed_late: 1,
      total: 10,
    });
  });

  it("snapshots each commune's indicators on the meeting's date, with how many it had reported", async () => {
    const list = await call(province, "GET", "/meetings");
    const meeting = await call(province, "GET", `/meetings/${list.body.items[0].id}`);
    const chiengKhuong = meeting.body.units.find((u: { code: string }) => u.code === "04222");
    expect(chiengKhuong.snapshot.reported).toBeGreaterThan(0);
    expect(
      chiengKhuong.snapshot.items.find((i: { code: string }) => i.code === "POVERTY_RATE"),
    ).toMatchObject({
      period: "2025",
    });
  });
});

describe("directions", () => {
  it("refuses a due date before the issue date (422 naming dueDate)", async () => {
    const res = await call(province, "POST", "/directions", {
      ...source,
      content: "Nhiệm vụ có hạn trước ngày giao.",
      leadUnitCode: "04222",
      dueDate: "2026-10-31",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].field).toBe("dueDate");
  });

  it("is in progress on its due date and overdue the day after, as the clock moves", async () => {
    const d = await issue();
    today = "2027-01-10";
    expect((await call(province, "GET", `/directions/${d.id}`)).body.status).toBe("in_progress");
    today = "2027-01-11";
    expect((await call(province, "GET", `/directions/${d.id}`)).body.status).toBe("overdue");
    const overdue = await call(province, "GET", "/directions?status=overdue");
    expect(overdue.body.items.map((i: { id: number }) => i.id)).toContain(d.id);
    today = "2026-12-01";
  });

  it("is completed late when the last report comes after the due date", async () => {
    const d = await issue();
    today = "2027-01-12";
    const res = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 100,
      narrative: "Đã rà soát xong 12 điểm.",
    });
    expect(res.body.direction.status).toBe("completed_late");
    today = "2026-12-01";
  });

  it("is completed on time against an approved extension", async () => {
    const d = await issue();
    const asked = await call(commune, "POST", `/directions/${d.id}/extensions`, {
      requestedDue: "2027-02-28",
      reason: "Mưa lớn kéo dài, chưa tiếp cận được các bản vùng cao.",
    });
    expect(asked.status).toBe(201);
    await call(province, "POST", `/extensions/${asked.body.id}/decision`, { decision: "approved" });
    today = "2027-02-01";
    const current = await call(commune, "GET", `/directions/${d.id}`);
    expect(current.body.status).toBe("in_progress");
    const done = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: current.body.version,
      percent: 100,
      narrative: "Hoàn thành.",
    });
    expect(done.body.direction.status).toBe("completed_on_time");
    today = "2026-12-01";
  });

  it("keeps the original due date when an extension is refused", async () => {
    const d = await issue();
    const asked = await call(commune, "POST", `/directions/${d.id}/extensions`, {
      requestedDue: "2027-02-28",
      reason: "Cần thêm thời gian khảo sát.",
    });
    await call(province, "POST", `/extensions/${asked.body.id}/decision`, {
      decision: "refused",
      note: "Không có căn cứ.",
    });
    expect((await call(commune, "GET", `/directions/${d.id}`)).body.effectiveDue).toBe("2027-01-10");
  });

  it("lets only the issuer decide an extension (a commune officer gets 403)", async () => {
    const d = await issue();
    const asked = await call(commune, "POST", `/directions/${d.id}/extensions`, {
      requestedDue: "2027-02-28",
      reason: "Cần thêm thời gian khảo sát.",
    });
    expect(
      (await call(commune, "POST", `/extensions/${asked.body.id}/decision`, { decision: "approved" })).status,
    ).toBe(403);
  });

  it("refuses progress above 100 % (422)", async () => {
    const d = await issue();
    const res = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 120,
      narrative: "Vượt kế hoạch.",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("percent_out_of_range");
  });

  it("refuses progress going down without a reason (422), and takes it with one", async () => {
    const d = await issue();
    const first = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 60,
      narrative: "Đã rà soát 7 điểm.",
    });
    const down = { expectedVersion: first.body.direction.version, percent: 40, narrative: "Đánh giá lại." };
    const refused = await call(commune, "POST", `/directions/${d.id}/progress`, down);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.fields[0].field).toBe("reason");
    const taken = await call(commune, "POST", `/directions/${d.id}/progress`, {
      ...down,
      reason: "Hai điểm sạt lở mới sau mưa lũ.",
    });
    expect(taken.body.direction.progress).toBe(40);
  });

  it("refuses a report made on a version someone else has changed meanwhile (409)", async () => {
    const d = await issue();
    const report = (percent: number) =>
      call(commune, "POST", `/directions/${d.id}/progress`, {
        expectedVersion: d.version,
        percent,
        narrative: `Báo cáo ${percent} %.`,
      });
    const results = await Promise.all([report(30), report(50)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("rolls a parent's progress up from its weighted sub-tasks", async () => {
    const parent = await issue();
    const a = await issue({ parentId: parent.id, weight: 3, content: "Rà soát các bản phía bắc." });
    await issue({ parentId: parent.id, weight: 1, content: "Rà soát các bản phía nam." });
    await call(commune, "POST", `/directions/${a.id}/progress`, {
      expectedVersion: a.version,
      percent: 100,
      narrative: "Xong.",
    });
    const read = await call(province, "GET", `/directions/${parent.id}`);
    expect(read.body.progress).toBe(75);
    expect(read.body.subTasks).toHaveLength(2);
  });
});

describe("scope", () => {
  it("shows a commune officer only directions its commune leads or cooperates on", async () => {
    const res = await call(commune, "GET", "/directions");
    const outside = res.body.items.filter(
      (d: { leadUnit: { code: string }; cooperatingUnits: Array<{ code: string }> }) =>
        d.leadUnit.code !== "04222" && !d.cooperatingUnits.some((u) => u.code === "04222"),
    );
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });

  it("does not let a commune report on another commune's direction", async () => {
    const d = await issue({ leadUnitCode: "04168" });
    const res = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 10,
      narrative: "Thử báo cáo hộ.",
    });
    expect(res.status).toBe(404);
  });

  it("does not let a cooperating commune report for the lead unit (403)", async () => {
    const d = await issue({ leadUnitCode: "04168", cooperatingUnitCodes: ["04222"] });
    const res = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 10,
      narrative: "Thử báo cáo hộ.",
    });
    expect(res.status).toBe(403);
  });

  it("does not let a commune raise a proposal for another commune (403)", async () => {
    const res = await call(commune, "POST", "/proposals", {
      unitCode: "04168",
      issuerUnitCode: "14",
      category: "other",
      content: "Kiến nghị thay cho xã khác.",
    });
    expect(res.status).toBe(403);
  });
});

describe("proposals", () => {
  it("lets the province record a proposal raised at a meeting, and shows it with the meeting", async () => {
    const meetings = await call(province, "GET", "/meetings");
    const meetingId = meetings.body.items[0].id;
    const res = await call(province, "POST", "/proposals", {
      unitCode: "04222",
      issuerUnitCode: "14",
      meetingId,
      category: "policy",
      content: "Đề nghị hỗ trợ giống cây trồng cho các hộ bị lũ.",
    });
    expect(res.status).toBe(201);
    const listed = await call(province, "GET", `/proposals?meeting=${meetingId}`);
    expect(listed.body.items.map((p: { id: number }) => p.id)).toContain(res.body.id);
  });

  it("refuses a commune officer answering a proposal (403)", async () => {
    const p = await raise();
    const res = await call(commune, "POST", `/proposals/${p.id}/actions`, {
      action: "assign",
      expectedVersion: p.version,
      assignedTo: "Sở Văn hoá",
      answerDue: "2027-01-31",
    });
    expect(res.status).toBe(403);
  });

  it("hides a drafted answer from the proposing unit until it is published", async () => {
    const p = await raise();
    const assigned = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "assign",
      expectedVersion: p.version,
      assignedTo: "Sở Văn hoá, Thể thao và Du lịch",
      answerDue: "2027-01-31",
    });
    const drafted = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "draft",
      expectedVersion: assigned.body.version,
      outcome: "accepted",
      answer: "Bố trí 300 triệu đồng sửa chữa trong năm 2027.",
    });
    const seen = await call(commune, "GET", `/proposals/${p.id}`);
    expect(seen.body).toMatchObject({ answer: null, draft: null, status: "assigned" });
    expect(JSON.stringify(seen.body)).not.toContain("300 triệu");
    await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "publish",
      expectedVersion: drafted.body.version,
    });
    const after = await call(commune, "GET", `/proposals/${p.id}`);
    expect(after.body.answer).toMatchObject({
      outcome: "accepted",
      text: "Bố trí 300 triệu đồng sửa chữa trong năm 2027.",
    });
    expect(after.body.history.map((h: { action: string }) => h.action)).toEqual([
      "raise",
      "assign",
      "publish",
    ]);
  });

  it("tells the proposing commune's officers when the answer is published, not while it is a draft", async () => {
    const officer = await testAccount(database.db, "ck.sessions.notify", "commune_officer", "04222");
    const inbox = async () =>
      rowsOf<{ kind: string; link: string; title_vi: string }>(
        await database.db.execute(
          sql`SELECT kind, link, title_vi FROM notifications WHERE recipient_id = ${officer.userId}`,
        ),
      );
    const p = await raise();
    const assigned = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "assign",
      expectedVersion: p.version,
      assignedTo: "Sở Tài chính",
      answerDue: "2027-01-31",
    });
    const drafted = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "draft",
      expectedVersion: assigned.body.version,
      outcome: "partly_accepted",
      answer: "Bố trí một phần kinh phí năm 2027.",
    });
    expect(await inbox()).toEqual([]);
    await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "publish",
      expectedVersion: drafted.body.version,
    });
    expect(await inbox()).toEqual([
      {
        kind: "answer_published",
        link: `/sessions/proposals/${p.id}`,
        title_vi: "Kiến nghị đã có trả lời (chấp thuận một phần): Đề nghị sửa chữa nhà văn hoá bản Huổi Một.",
      },
    ]);
  });

  it("refuses an answer due date before the proposal was received (422)", async () => {
    const p = await raise();
    const res = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "assign",
      expectedVersion: p.version,
      assignedTo: "Sở Tài chính",
      answerDue: "2020-01-01",
    });
    expect(res.status).toBe(422);
  });

  it("refuses to publish an answer to a proposal nobody was assigned (409)", async () => {
    const p = await raise();
    const res = await call(province, "POST", `/proposals/${p.id}/actions`, {
      action: "publish",
      expectedVersion: p.version,
      outcome: "noted",
      answer: "Ghi nhận.",
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("invalid_transition");
  });

  it("lists the proposals awaiting an answer past their due date", async () => {
    const res = await call(province, "GET", "/proposals?overdue=true");
    expect(res.body.items.map((p: { unit: { code: string } }) => p.unit.code)).toEqual(["04168"]);
  });
});

describe("attachments", () => {
  const upload = async (body: Uint8Array, fileName: string, contentType: string) => {
    const d = await issue();
    const report = await call(commune, "POST", `/directions/${d.id}/progress`, {
      expectedVersion: d.version,
      percent: 20,
      narrative: "Ảnh hiện trường.",
    });
    const res = await testApp(database.db, {
      actor: commune,
      today: () => today,
      attachments: { dir: filesDir, maxBytes: MAX },
    }).request(
      `/api/v1/progress-reports/${report.body.reportId}/attachments?fileName=${encodeURIComponent(fileName)}`,
      {
        method: "POST",
        body: body,
        headers: { "content-type": contentType },
      },
    );
    // biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies loosely
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const pdf = new TextEncoder().encode("%PDF-1.4\nbiên bản kiểm tra\n%%EOF");

  it("stores evidence under its SHA-256 and gives it back unchanged", async () => {
    const res = await upload(pdf, "biên bản.pdf", "application/pdf");
    expect(res.status).toBe(201);
    expect(await readdir(filesDir)).toContain(res.body.sha256);
    const back = await testApp(database.db, {
      actor: province,
      attachments: { dir: filesDir, maxBytes: MAX },
    }).request(`/api/v1/attachments/${res.body.id}`);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(pdf);
  });

  it("refuses a file over the size limit (413)", async () => {
    expect((await upload(new Uint8Array(MAX + 1).fill(0x25), "big.pdf", "application/pdf")).status).toBe(413);
  });

  it("refuses a type that is not accepted (415)", async () => {
    expect(
      (await upload(new Uint8Array([0x4d, 0x5a, 0, 0]), "setup.exe", "application/octet-stream")).status,
    ).toBe(415);
  });

  it("refuses a file whose bytes are not what its name and type say (415)", async () => {
    expect((await upload(new Uint8Array([0x4d, 0x5a, 0, 0]), "anh.png", "image/png")).status).toBe(415);
  });
});

describe("conclusion notice", () => {
  const notice = async (format: "docx" | "pdf") => {
    const list = await call(province, "GET", "/meetings");
    const res = await testApp(database.db, { actor: systemAdmin, today: () => today }).request(
      `/api/v1/meetings/${list.body.items.at(-1).id}/notice?format=${format}`,
    );
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it("writes the DOCX in the Decree 30 layout: motto, number, place and date, directions, answers, recipients, signer", async () => {
    const { text, xml } = await docxText(await notice("docx"));
    for (const expected of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "BAN THƯỜNG VỤ TỈNH ỦY",
      "Số: 125-TB/TU",
      "Sơn La, ngày 12 tháng 01 năm 2026",
      "THÔNG BÁO",
      "Hủa Phăn",
      "xã Chiềng Khoong được bổ sung 2 biên chế",
      "Nơi nhận:",
      "Hoàng Văn Nghiêm",
    ])
      expect(text).toContain(expected);
    expect(xml).toContain('w:w="11906"');
    expect(xml).toContain('w:left="1701"');
  });

  it("does not print an answer that is only drafted", async () => {
    const { text } = await docxText(await notice("docx"));
    expect(text).not.toContain("trung hạn 2026–2030");
  });

  it("writes the PDF on A4 with Vietnamese text that reads back", async () => {
    const file = await notice("pdf");
    const { text } = await pdfText(file);
    for (const expected of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Số: 125-TB/TU",
      "Nơi nhận:",
      "Hoàng Văn Nghiêm",
    ])
      expect(text).toContain(expected);
    expect(file.toString("latin1")).toContain("/MediaBox [0 0 595.28 841.89]");
  });
});

describe("home list", () => {
  it("gives a commune officer its overdue directions and a province officer the proposals and extensions awaiting it", async () => {
    registerSessionsDueWork();
    const communeItems = await listDueWork({ db: database.db, actor: commune as never, today });
    expect(communeItems.some((i) => i.source === "directions" && i.state === "overdue")).toBe(true);
    const provinceItems = await listDueWork({ db: database.db, actor: province as never, today });
    expect(provinceItems.some((i) => i.source === "proposals" && i.state === "overdue")).toBe(true);
    expect(provinceItems.some((i) => i.source === "direction-extensions")).toBe(true);
  });
});
