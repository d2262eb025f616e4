import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { type reconcileCycle, recordDistribution } from "./distributions.ts";
import { addEntitlement, createCycle, createProgramme, transitionCycle } from "./support.ts";
import { actorFor, household } from "./test-fixtures.ts";

/*
 * Evidence of a delivery (#11): a photo or scan kept as a file with the recorded distribution, through the HTTP
 * routes (the body is the raw file). Runs on PGlite and PostgreSQL.
 */

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let filesDir: string;
let officer: RequestContext;
let elsewhere: RequestContext;
let province: RequestContext;
let viewer: RequestContext;
let cycleId: number;
let delivered: number;
let waiting: number;
const MAX = 64 * 1024;

/** A 1×1 PNG, as a phone's camera would send a (much larger) photo. */
const png = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

beforeAll(async () => {
  database = await openTestDatabase();
  filesDir = await mkdtemp(join(tmpdir(), "gr-evidence-"));
  officer = await actorFor(db(), "ck.evidence", "commune_officer", "04222");
  elsewhere = await actorFor(db(), "mh.evidence", "commune_officer", "04219");
  province = await actorFor(db(), "sl.evidence", "province_officer", "14");
  viewer = await actorFor(db(), "sl.viewer.evidence", "viewer", "14");
  delivered = (await household(db(), officer, "04222-01", "Lò Văn Nhận", 2)).id;
  waiting = (await household(db(), officer, "04222-02", "Cầm Văn Chờ", 2)).id;
  const programme = await createProgramme(db(), officer, {
    name: "Quà Tết",
    funder: "Đoàn xã",
    unitCode: "04222",
    eligiblePolicy: true,
    benefitKind: "package",
  });
  cycleId = (
    await createCycle(db(), officer, {
      programmeId: programme.id,
      name: "Tết 2027",
      communeCode: "04222",
      eligibilityDate: "2026-12-01",
    })
  ).id;
  for (const householdId of [delivered, waiting])
    await addEntitlement(db(), officer, cycleId, { householdId, reason: "Hộ khó khăn đột xuất" });
  await transitionCycle(db(), officer, cycleId, { action: "submit", expectedVersion: 1 });
  await transitionCycle(db(), officer, cycleId, { action: "approve", expectedVersion: 2 });
  await recordDistribution(db(), officer, cycleId, {
    householdId: delivered,
    deliveredOn: "2027-01-20",
    receivedBy: "Lò Văn Nhận",
  });
});
afterAll(async () => {
  await database.drop();
  await rm(filesDir, { recursive: true, force: true });
});

const app = (who: RequestContext) =>
  testApp(db(), { actor: who.actor, attachments: { dir: filesDir, maxBytes: MAX } });

async function upload(
  who: RequestContext,
  householdId: number,
  body: Uint8Array,
  fileName: string,
  contentType: string,
) {
  const res = await app(who).request(
    `/api/v1/support-cycles/${cycleId}/entitlements/${householdId}/evidence?fileName=${encodeURIComponent(fileName)}`,
    { method: "POST", body, headers: { "content-type": contentType } },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies loosely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const auditCount = async (action: string, recordId: number) =>
  Number(
    rowsOf<{ n: string | number }>(
      await db().execute(
        sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND record_id = ${String(recordId)}`,
      ),
    )[0]?.n,
  );
const distributionOf = async (householdId: number) =>
  Number(
    rowsOf<{ id: string | number }>(
      await db().execute(sql`SELECT d.id FROM distributions d JOIN entitlements e ON e.id = d.entitlement_id
        WHERE e.cycle_id = ${cycleId} AND e.household_id = ${householdId}`),
    )[0]?.id,
  );

describe("evidence of a delivery", () => {
  it("keeps a phone photo with the delivery and gives it back unchanged, under its Vietnamese name", async () => {
    const res = await upload(officer, delivered, png, "biên nhận.png", "image/png");
    expect(res.status).toBe(201);
    const back = await app(officer).request(`/api/v1/distribution-evidence/${res.body.id}`);
    expect([
      back.status,
      back.headers.get("content-disposition"),
      new Uint8Array(await back.arrayBuffer()),
    ]).toEqual([
      200,
      `attachment; filename="bien nhan.png"; filename*=UTF-8''bi%C3%AAn%20nh%E1%BA%ADn.png`,
      png,
    ]);
  });

  it("stores the file once in the attachments folder, named by its SHA-256", async () => {
    await upload(officer, delivered, png, "lan-2.png", "image/png");
    const files = await readdir(filesDir);
    expect(files.filter((f) => /^[0-9a-f]{64}$/.test(f))).toHaveLength(1);
  });

  it("shows the file on the delivered row of the cycle's list", async () => {
    await upload(officer, delivered, png, "danh-sach-ky-nhan.png", "image/png");
    const list = await app(officer).request(`/api/v1/support-cycles/${cycleId}/entitlements`);
    const body = (await list.json()) as {
      items: { householdId: number; evidence: { fileName: string }[] }[];
    };
    const row = body.items.find((i) => i.householdId === delivered);
    expect(row?.evidence.map((e) => e.fileName)).toContain("danh-sach-ky-nhan.png");
  });

  it("records the upload in the audit trail, in the same commune", async () => {
    const before = await auditCount("distribution.attach_evidence", await distributionOf(delivered));
    await upload(officer, delivered, png, "bien-ban.png", "image/png");
    expect(await auditCount("distribution.attach_evidence", await distributionOf(delivered))).toBe(
      before + 1,
    );
  });

  it("records each download in the audit trail, as reading a household's file is", async () => {
    const { body } = await upload(officer, delivered, png, "xem.png", "image/png");
    const before = await auditCount("distribution.evidence_read", await distributionOf(delivered));
    await app(province).request(`/api/v1/distribution-evidence/${body.id}`);
    expect(await auditCount("distribution.evidence_read", await distributionOf(delivered))).toBe(before + 1);
  });

  it("refuses a type that is not accepted (415) and names the accepted ones in Vietnamese", async () => {
    const res = await upload(
      officer,
      delivered,
      new Uint8Array([0x4d, 0x5a, 0, 0]),
      "anh.exe",
      "application/x-msdownload",
    );
    expect([res.status, res.body.error?.code, res.body.error?.messages.vi]).toEqual([
      415,
      "unsupported_type",
      expect.stringContaining("chỉ nhận PDF"),
    ]);
  });

  it("refuses bytes that are not what the photo's name and type say (415)", async () => {
    expect(
      (await upload(officer, delivered, new Uint8Array([0x4d, 0x5a, 0, 0]), "anh.png", "image/png")).status,
    ).toBe(415);
  });

  it("refuses a file over the size limit (413)", async () => {
    const big = new Uint8Array(MAX + 1);
    big.set(png);
    expect((await upload(officer, delivered, big, "to.png", "image/png")).status).toBe(413);
  });

  it("refuses evidence for a household not yet delivered (422), keeping nothing", async () => {
    const res = await upload(officer, waiting, png, "chua-nhan.png", "image/png");
    const list = await app(officer).request(
      `/api/v1/support-cycles/${cycleId}/entitlements/${waiting}/evidence`,
    );
    expect([res.status, res.body.error?.code, await list.json()]).toEqual([
      422,
      "not_delivered",
      { delivered: false, items: [] },
    ]);
  });

  it("refuses an officer of another commune (403)", async () => {
    expect((await upload(elsewhere, delivered, png, "ngoai.png", "image/png")).status).toBe(403);
  });

  it("refuses an officer of another commune the download (403)", async () => {
    const { body } = await upload(officer, delivered, png, "rieng.png", "image/png");
    expect((await app(elsewhere).request(`/api/v1/distribution-evidence/${body.id}`)).status).toBe(403);
  });

  it("refuses a viewer the upload, the list and the file (403)", async () => {
    const { body } = await upload(officer, delivered, png, "khong-cho-xem.png", "image/png");
    const statuses = [
      (await upload(viewer, delivered, png, "v.png", "image/png")).status,
      (await app(viewer).request(`/api/v1/support-cycles/${cycleId}/entitlements/${delivered}/evidence`))
        .status,
      (await app(viewer).request(`/api/v1/distribution-evidence/${body.id}`)).status,
    ];
    expect(statuses).toEqual([403, 403, 403]);
  });

  it("gives a viewer only the count of deliveries with evidence", async () => {
    const res = await app(viewer).request(`/api/v1/support-cycles/${cycleId}/reconciliation`);
    const body = (await res.json()) as Awaited<ReturnType<typeof reconcileCycle>>;
    expect([res.status, body.delivered, body.deliveredWithEvidence]).toEqual([200, 1, 1]);
  });
});
