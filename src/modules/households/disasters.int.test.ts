import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { createDisaster, disasterSummary, recordDamage } from "./disasters.ts";
import { listEntitlements } from "./distributions.ts";
import { createCycle, createProgramme, proposeEntitlements } from "./support.ts";
import { actorFor, household } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
let province: RequestContext;
let flood: number;
let hit: number;
let spared: number;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.flood", "commune_officer", "04222");
  province = await actorFor(db(), "sl.flood", "province_officer", "14");
  hit = (await household(db(), officer, "04222-01", "Lò Văn Lũ", 3)).id;
  spared = (await household(db(), officer, "04222-02", "Lò Văn Khô", 3)).id;
  flood = (
    await createDisaster(db(), province, {
      name: "Lũ quét tháng 9/2025",
      kind: "flash_flood",
      startedOn: "2025-09-20",
      endedOn: "2025-09-22",
      provinceCode: "14",
      unitCodes: ["04222"],
    })
  ).id;
  await recordDamage(db(), officer, flood, {
    householdId: hit,
    house: "destroyed",
    peopleHurt: 1,
    livestockLost: 4,
  });
});
afterAll(async () => {
  await database.drop();
});

describe("disasters", () => {
  it("refuses damage for a household outside the communes the event struck", async () => {
    const elsewhere = await actorFor(db(), "mh.flood", "commune_officer", "04219");
    const other = await household(db(), elsewhere, "04219-01", "Quàng Văn Xa", 1);
    await expect(recordDamage(db(), elsewhere, flood, { householdId: other.id })).rejects.toMatchObject({
      status: 422,
      code: "household_not_affected_area",
    });
  });

  it("lists the affected households for a relief programme linked to the event", async () => {
    const programme = await createProgramme(db(), officer, {
      name: "Cứu trợ lũ tháng 9/2025",
      funder: "Uỷ ban MTTQ tỉnh",
      unitCode: "04222",
      disasterId: flood,
      benefitKind: "cash",
      benefitAmount: 2_000_000,
    });
    const cycle = await createCycle(db(), officer, {
      programmeId: programme.id,
      name: "Đợt 1",
      communeCode: "04222",
      eligibilityDate: "2025-09-25",
    });
    await proposeEntitlements(db(), officer, cycle.id);
    const list = await listEntitlements(db(), officer, cycle.id);
    expect(list.items.map((i) => [i.householdId, i.basis, i.amount])).toEqual([[hit, "disaster", 2_000_000]]);
    expect(list.items.some((i) => i.householdId === spared)).toBe(false);
  });

  it("shows the province damage and relief per commune", async () => {
    const summary = await disasterSummary(db(), province, flood);
    expect(summary.communes).toEqual([
      expect.objectContaining({
        communeCode: "04222",
        households: 1,
        housesDestroyed: 1,
        peopleHurt: 1,
        reliefListed: 1,
      }),
    ]);
  });
});
