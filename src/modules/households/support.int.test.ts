import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { listDueWork } from "../home/due-work.ts";
import "./due-work.ts";
import { reconcileCycle, recordDistribution, recordNotDelivered } from "./distributions.ts";
import { addPolicyClass } from "./policy-classes.ts";
import { getHousehold } from "./queries.ts";
import {
  addEntitlement,
  createCycle,
  createProgramme,
  proposeEntitlements,
  transitionCycle,
} from "./support.ts";
import { actorFor, household } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
let programme: number;
let policyHousehold: number;
let plainHousehold: number;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.support", "commune_officer", "04222");
  policyHousehold = (await household(db(), officer, "04222-01", "Lò Văn Thương Binh", 2)).id;
  plainHousehold = (await household(db(), officer, "04222-02", "Lò Văn Thường", 2)).id;
  const file = await getHousehold(db(), officer, policyHousehold);
  await addPolicyClass(db(), officer, policyHousehold, {
    kind: "war_invalid",
    validFrom: "2025-12-01",
    expectedVersion: file.version,
  });
  programme = (
    await createProgramme(db(), officer, {
      name: "Quà Tết 2026",
      funder: "UBND tỉnh Sơn La",
      unitCode: "04222",
      eligiblePolicy: true,
      benefitKind: "package",
    })
  ).id;
});
afterAll(async () => {
  await database.drop();
});

const cycle = async (date: string) =>
  (
    await createCycle(db(), officer, {
      programmeId: programme,
      name: `Đợt ${date}`,
      communeCode: "04222",
      eligibilityDate: date,
    })
  ).id;
const listed = async (id: number) =>
  rowsOf<{ household_id: string }>(
    await db().execute(sql`SELECT household_id FROM entitlements WHERE cycle_id = ${id}`),
  ).map((r) => Number(r.household_id));

describe("eligibility", () => {
  it("lists a policy family whose classification is valid on the cycle's date", async () => {
    const id = await cycle("2026-01-15");
    await proposeEntitlements(db(), officer, id);
    expect(await listed(id)).toEqual([policyHousehold]);
  });

  it("does not list a policy family whose classification starts after the cycle's date", async () => {
    const id = await cycle("2025-11-01");
    await proposeEntitlements(db(), officer, id);
    expect(await listed(id)).toEqual([]);
  });

  it("lists nobody twice when the list is proposed again", async () => {
    const id = await cycle("2026-01-16");
    await proposeEntitlements(db(), officer, id);
    const again = await proposeEntitlements(db(), officer, id);
    expect([again.added, await listed(id)]).toEqual([0, [policyHousehold]]);
  });
});

describe("one entitlement per household per cycle", () => {
  it("refuses a second entitlement for a household with 409", async () => {
    const id = await cycle("2026-01-17");
    await addEntitlement(db(), officer, id, { householdId: plainHousehold, reason: "Bỏ sót khi đề xuất" });
    await expect(
      addEntitlement(db(), officer, id, { householdId: plainHousehold, reason: "Bỏ sót khi đề xuất" }),
    ).rejects.toMatchObject({
      status: 409,
      code: "already_entitled",
    });
  });

  it("lets one of two concurrent creations win and answers the other 409", async () => {
    const id = await cycle("2026-01-18");
    const results = await Promise.allSettled([
      addEntitlement(db(), officer, id, { householdId: plainHousehold, reason: "Bỏ sót khi đề xuất" }),
      addEntitlement(db(), officer, id, { householdId: plainHousehold, reason: "Bỏ sót khi đề xuất" }),
    ]);
    const rejected = results.find((r) => r.status === "rejected");
    expect([
      results.map((r) => r.status).sort(),
      rejected?.status === "rejected" ? [rejected.reason.status, rejected.reason.code] : null,
      await listed(id),
    ]).toEqual([["fulfilled", "rejected"], [409, "already_entitled"], [plainHousehold]]);
  });

  it("answers a second entitlement over HTTP with 409", async () => {
    const id = await cycle("2026-01-19");
    const app = testApp(db(), { actor: officer.actor });
    const post = () =>
      app.request(`/api/v1/support-cycles/${id}/entitlements`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ householdId: plainHousehold, reason: "Bỏ sót khi đề xuất" }),
      });
    expect([(await post()).status, (await post()).status]).toEqual([200, 409]);
  });
});

describe("distribution and reconciliation", () => {
  let id: number;
  beforeAll(async () => {
    id = await cycle("2026-01-20");
    await proposeEntitlements(db(), officer, id);
    await transitionCycle(db(), officer, id, { action: "submit", expectedVersion: 1 });
  });

  it("puts a list awaiting approval on the commune officer's home list", async () => {
    const items = await listDueWork({
      db: db(),
      actor: officer.actor as Extract<typeof officer.actor, { kind: "user" }>,
      today: "2026-01-21",
    });
    expect(items.map((i) => i.id)).toContain(`support-cycle:${id}`);
  });

  it("refuses a distribution to a household not on the approved list with 422", async () => {
    await transitionCycle(db(), officer, id, { action: "approve", expectedVersion: 2 });
    await expect(
      recordDistribution(db(), officer, id, {
        householdId: plainHousehold,
        deliveredOn: "2026-01-25",
        receivedBy: "Lò Văn Thường",
      }),
    ).rejects.toMatchObject({ status: 422, code: "not_on_approved_list" });
  });

  it("refuses to record the same household's delivery twice", async () => {
    const deliver = () =>
      recordDistribution(db(), officer, id, {
        householdId: policyHousehold,
        deliveredOn: "2026-01-25",
        receivedBy: "Lò Thị Vợ",
      });
    await deliver();
    await expect(deliver()).rejects.toMatchObject({ status: 409, code: "already_delivered" });
  });

  it("reconciles planned, approved, delivered and not delivered with the reasons", async () => {
    const other = await cycle("2026-01-22");
    await addEntitlement(db(), officer, other, { householdId: plainHousehold, reason: "Bỏ sót" });
    await addEntitlement(db(), officer, other, { householdId: policyHousehold, basis: "policy" });
    await transitionCycle(db(), officer, other, { action: "submit", expectedVersion: 1 });
    await transitionCycle(db(), officer, other, { action: "approve", expectedVersion: 2 });
    await recordDistribution(db(), officer, other, {
      householdId: policyHousehold,
      deliveredOn: "2026-01-25",
      receivedBy: "Lò Văn Thương Binh",
    });
    await recordNotDelivered(db(), officer, other, {
      householdId: plainHousehold,
      reason: "absent",
      note: "Đi làm ăn xa",
    });
    const r = await reconcileCycle(db(), officer, other);
    expect([r.planned, r.approved, r.delivered, r.notDelivered, r.notDeliveredReasons]).toEqual([
      2,
      2,
      1,
      1,
      [{ reason: "absent", households: 1 }],
    ]);
  });
});
