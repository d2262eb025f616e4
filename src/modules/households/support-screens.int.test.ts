import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import {
  createDisaster,
  disasterSummary,
  listDamages,
  listDisasters,
  recordDamage,
  reportDamageComplete,
} from "./disasters.ts";
import { listEntitlements, reconcileCycle, recordDistribution, recordNotDelivered } from "./distributions.ts";
import { getProgramme, listProgrammes, updateProgramme } from "./programmes.ts";
import {
  addEntitlement,
  createCycle,
  createProgramme,
  proposeEntitlements,
  removeEntitlement,
  transitionCycle,
} from "./support.ts";
import { actorFor, household } from "./test-fixtures.ts";

/*
 * What the support and disaster screens rely on beyond support.int.test.ts: programmes listed and changed, a list
 * edited by hand before approval (with reasons), "not delivered" with its reason, the reconciliation, and the
 * province's live view of an event with its coverage. Runs on PGlite and PostgreSQL.
 */

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
let province: RequestContext;
let viewer: RequestContext;
let provinceProgramme: number;
let communeProgramme: number;
let first: number;
let second: number;
let serial = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.screens", "commune_officer", "04222");
  province = await actorFor(db(), "sl.screens", "province_officer", "14");
  viewer = await actorFor(db(), "sl.viewer.screens", "viewer", "14");
  first = (await household(db(), officer, "04222-01", "Lò Văn Một", 2)).id;
  second = (await household(db(), officer, "04222-02", "Cầm Văn Hai", 2)).id;
  provinceProgramme = (
    await createProgramme(db(), province, {
      name: "Hỗ trợ nhà ở",
      funder: "Ngân sách tỉnh",
      unitCode: "14",
      eligiblePoor: true,
      benefitKind: "cash",
      benefitAmount: 40_000_000,
    })
  ).id;
  communeProgramme = (
    await createProgramme(db(), officer, {
      name: "Quà Trung thu",
      funder: "Đoàn xã",
      unitCode: "04222",
      eligiblePolicy: true,
      benefitKind: "package",
    })
  ).id;
});
afterAll(async () => {
  await database.drop();
});

/** A fresh cycle of the commune's programme with both households on its list, added by hand. */
async function listedCycle() {
  serial += 1;
  const { id } = await createCycle(db(), officer, {
    programmeId: communeProgramme,
    name: `Đợt ${serial}`,
    communeCode: "04222",
    eligibilityDate: "2026-09-01",
  });
  for (const householdId of [first, second])
    await addEntitlement(db(), officer, id, { householdId, reason: "Bỏ sót khi đề xuất" });
  return id;
}
const listedIds = async (cycleId: number) =>
  rowsOf<{ household_id: string }>(
    await db().execute(sql`SELECT household_id FROM entitlements WHERE cycle_id = ${cycleId} ORDER BY 1`),
  ).map((r) => Number(r.household_id));

describe("programmes", () => {
  it("shows a commune's officers the province's programmes beside their own", async () => {
    const names = (await listProgrammes(db(), officer, "04222")).map((p) => p.name).sort();
    expect(names).toEqual(["Hỗ trợ nhà ở", "Quà Trung thu"]);
  });

  it("shows the province the programmes its communes run", async () => {
    const names = (await listProgrammes(db(), province, "14")).map((p) => p.name).sort();
    expect(names).toEqual(["Hỗ trợ nhà ở", "Quà Trung thu"]);
  });

  it("refuses a change made on a stale version with 409", async () => {
    const current = await getProgramme(db(), officer, communeProgramme);
    const change = {
      name: "Quà Trung thu 2026",
      funder: "Đoàn xã",
      eligiblePolicy: true,
      benefitKind: "package",
    };
    await updateProgramme(db(), officer, communeProgramme, {
      ...change,
      expectedVersion: current.version,
    } as never);
    await expect(
      updateProgramme(db(), officer, communeProgramme, {
        ...change,
        expectedVersion: current.version,
      } as never),
    ).rejects.toMatchObject({ status: 409, code: "stale_version" });
  });

  it("refuses a change that leaves no eligibility rule with 422", async () => {
    const current = await getProgramme(db(), province, provinceProgramme);
    await expect(
      updateProgramme(db(), province, provinceProgramme, {
        name: "Hỗ trợ nhà ở",
        funder: "Ngân sách tỉnh",
        benefitKind: "cash",
        expectedVersion: current.version,
      }),
    ).rejects.toMatchObject({ status: 422, code: "no_eligibility_rule" });
  });

  it("refuses a cycle for a commune the programme's unit does not hold", async () => {
    await expect(
      createCycle(db(), province, {
        programmeId: communeProgramme,
        name: "Đợt ngoài xã",
        communeCode: "04219",
        eligibilityDate: "2026-09-01",
      }),
    ).rejects.toMatchObject({ status: 422, code: "commune_outside_programme" });
  });
});

describe("a list edited by hand before approval", () => {
  it("refuses a household added by hand without a reason", async () => {
    const { id } = await createCycle(db(), officer, {
      programmeId: communeProgramme,
      name: "Đợt không lý do",
      communeCode: "04222",
      eligibilityDate: "2026-09-01",
    });
    await expect(addEntitlement(db(), officer, id, { householdId: first })).rejects.toMatchObject({
      status: 422,
      code: "reason_required",
    });
  });

  it("keeps a household taken off the list off it when the list is proposed again", async () => {
    const id = await listedCycle();
    await removeEntitlement(db(), officer, id, first, { reason: "Đã chuyển đi xã khác" });
    await proposeEntitlements(db(), officer, id);
    const list = await listEntitlements(db(), officer, id);
    expect([await listedIds(id), list.removed.map((r) => [r.householdId, r.reason])]).toEqual([
      [second],
      [[first, "Đã chuyển đi xã khác"]],
    ]);
  });

  it("puts a removed household back when an officer adds it by hand", async () => {
    const id = await listedCycle();
    await removeEntitlement(db(), officer, id, first, { reason: "Nhầm hộ" });
    await addEntitlement(db(), officer, id, { householdId: first, reason: "Xác minh lại: đúng hộ" });
    expect([await listedIds(id), (await listEntitlements(db(), officer, id)).removed]).toEqual([
      [first, second].sort((a, b) => a - b),
      [],
    ]);
  });

  it("refuses to take a household off a list awaiting approval with 409", async () => {
    const id = await listedCycle();
    await transitionCycle(db(), officer, id, { action: "submit", expectedVersion: 1 });
    await expect(removeEntitlement(db(), officer, id, first, { reason: "Quá muộn" })).rejects.toMatchObject({
      status: 409,
      code: "cycle_locked",
    });
  });

  it("never submits a list a removal changed behind it: the two are ordered on the cycle's lock", async () => {
    const id = await listedCycle();
    const [removal, submission] = await Promise.allSettled([
      removeEntitlement(db(), officer, id, first, { reason: "Đã chuyển đi" }),
      transitionCycle(db(), officer, id, { action: "submit", expectedVersion: 1 }),
    ]);
    const [audit] = rowsOf<{ after: { entitlements: number } }>(
      await db().execute(sql`SELECT after FROM audit_events
        WHERE action = 'support_cycle.submit' AND record_id = ${String(id)}`),
    );
    expect([
      submission.status,
      removal.status === "fulfilled" || (removal.reason as { code?: string }).code === "cycle_locked",
      audit?.after.entitlements,
    ]).toEqual(["fulfilled", true, (await listedIds(id)).length]);
  });
});

describe("delivery outcomes and the reconciliation", () => {
  let id: number;
  beforeAll(async () => {
    id = await listedCycle();
    await transitionCycle(db(), officer, id, { action: "submit", expectedVersion: 1 });
    await transitionCycle(db(), officer, id, { action: "approve", expectedVersion: 2 });
  });

  it("refuses the reason 'other' without a note with 422", async () => {
    await expect(
      recordNotDelivered(db(), officer, id, { householdId: first, reason: "other" }),
    ).rejects.toMatchObject({ status: 422, code: "note_required" });
  });

  it("refuses a 'not delivered' on a list not yet approved with 422", async () => {
    const draft = await listedCycle();
    await expect(
      recordNotDelivered(db(), officer, draft, { householdId: first, reason: "absent" }),
    ).rejects.toMatchObject({ status: 422, code: "list_not_approved" });
  });

  it("counts delivered, not delivered with the reason, and still awaiting news, per village", async () => {
    const other = await listedCycle();
    await transitionCycle(db(), officer, other, { action: "submit", expectedVersion: 1 });
    await transitionCycle(db(), officer, other, { action: "approve", expectedVersion: 2 });
    await recordDistribution(db(), officer, other, {
      householdId: second,
      deliveredOn: "2026-09-10",
      receivedBy: "Cầm Văn Hai",
      note: "Nhận tại nhà văn hoá",
      evidenceFile: "bien-nhan-02.jpg",
    });
    await recordNotDelivered(db(), officer, other, {
      householdId: first,
      reason: "died",
      note: "Mất tháng 8",
    });
    const r = await reconcileCycle(db(), viewer, other);
    expect({
      totals: [r.planned, r.approved, r.delivered, r.notDelivered, r.pending],
      reasons: r.notDeliveredReasons,
      villages: r.villages.map((v) => [v.villageCode, v.listed, v.delivered, v.notDelivered, v.pending]),
    }).toEqual({
      totals: [2, 2, 1, 1, 0],
      reasons: [{ reason: "died", households: 1 }],
      villages: [
        ["04222-01", 1, 0, 1, 0],
        ["04222-02", 1, 1, 0, 0],
      ],
    });
  });

  it("refuses a 'not delivered' for a household that has received its support with 409", async () => {
    await recordDistribution(db(), officer, id, {
      householdId: second,
      deliveredOn: "2026-09-10",
      receivedBy: "Cầm Văn Hai",
    });
    await expect(
      recordNotDelivered(db(), officer, id, { householdId: second, reason: "absent" }),
    ).rejects.toMatchObject({ status: 409, code: "already_delivered" });
  });
});

describe("personal data on the support screens", () => {
  it("lets a viewer read a cycle's reconciliation but not its named list", async () => {
    const id = await listedCycle();
    const app = testApp(db(), { actor: viewer.actor });
    const statuses = [
      (await app.request(`/api/v1/support-cycles/${id}/reconciliation`)).status,
      (await app.request(`/api/v1/support-cycles/${id}/entitlements`)).status,
    ];
    expect(statuses).toEqual([200, 403]);
  });
});

describe("the province's live view of an event", () => {
  let flood: number;
  beforeAll(async () => {
    flood = (
      await createDisaster(db(), province, {
        name: "Lũ ống tháng 7/2026",
        kind: "flood",
        startedOn: "2026-07-02",
        provinceCode: "14",
        unitCodes: ["04222", "04219"],
      })
    ).id;
    await recordDamage(db(), officer, flood, { householdId: first, house: "damaged", livestockLost: 2 });
    const relief = await createProgramme(db(), province, {
      name: "Cứu trợ lũ ống",
      funder: "Ngân sách tỉnh",
      unitCode: "14",
      disasterId: flood,
      benefitKind: "cash",
      benefitAmount: 5_000_000,
    });
    const cycle = await createCycle(db(), officer, {
      programmeId: relief.id,
      name: "Đợt 1",
      communeCode: "04222",
      eligibilityDate: "2026-07-10",
    });
    await proposeEntitlements(db(), officer, cycle.id);
  });

  it("counts a commune as reported only once it says its damage is all recorded", async () => {
    const before = (await disasterSummary(db(), viewer, flood)).coverage;
    await reportDamageComplete(db(), officer, flood, { communeCode: "04222" });
    await reportDamageComplete(db(), officer, flood, { communeCode: "04222" });
    const after = (await disasterSummary(db(), viewer, flood)).coverage;
    expect([before, after]).toEqual([
      { expected: 2, reported: 0, withDamage: 1 },
      { expected: 2, reported: 1, withDamage: 1 },
    ]);
  });

  it("tells a commune's officers how far the whole event's report has come, with only their own row", async () => {
    const summary = await disasterSummary(db(), officer, flood);
    expect([summary.communes.map((c) => c.communeCode), summary.coverage.expected]).toEqual([["04222"], 2]);
  });

  it("shows relief planned per commune from the programmes linked to the event", async () => {
    const summary = await disasterSummary(db(), viewer, flood);
    expect([
      summary.programmes.map((p) => p.name),
      summary.communes.map((c) => [c.communeCode, c.households, c.reliefListed, c.reliefPlannedAmount]),
    ]).toEqual([
      ["Cứu trợ lũ ống"],
      [
        ["04219", 0, 0, 0],
        ["04222", 1, 1, 5_000_000],
      ],
    ]);
  });

  it("lets a commune's officer record an event for its own commune and find it", async () => {
    const { id } = await createDisaster(db(), officer, {
      name: "Sạt lở đất bản Tà Cọ",
      kind: "landslide",
      startedOn: "2026-08-01",
      provinceCode: "14",
      unitCodes: ["04222"],
    });
    expect((await listDisasters(db(), officer, { commune: "04222" })).map((d) => d.id)).toContain(id);
  });

  it("names the affected households only to officers: a viewer gets 403", async () => {
    const named = await listDamages(db(), officer, flood, "04222");
    const app = testApp(db(), { actor: viewer.actor });
    const response = await app.request(`/api/v1/disasters/${flood}/damages?commune=04222`);
    expect([named.map((d) => d.householdId), response.status]).toEqual([[first], 403]);
  });
});
