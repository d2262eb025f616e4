import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { addPolicyClass } from "./policy-classes.ts";
import { getHousehold, searchHouseholds } from "./queries.ts";
import { addMember, createHousehold, recordLeave } from "./registry.ts";
import { correctMember, endPolicyClass, updateHousehold } from "./registry-edit.ts";
import { startReview } from "./reviews.ts";
import { createLocalStandard } from "./standards.ts";
import { standardInForce } from "./standards-in-force.ts";
import { recordMeeting, recordSurvey, surveyRows } from "./surveys.ts";
import { actorFor, citizenId, head, member } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
let provinceAdmin: RequestContext;
let provinceOfficer: RequestContext;
let otherProvinceAdmin: RequestContext;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.edit", "commune_officer", "04222");
  provinceAdmin = await actorFor(db(), "sl.admin.edit", "province_admin", "14");
  provinceOfficer = await actorFor(db(), "sl.officer.edit", "province_officer", "14");
  otherProvinceAdmin = await actorFor(db(), "na.admin.edit", "province_admin", "40");
});
afterAll(async () => {
  await database.drop();
});

/** A household of a head and a spouse, with the file as the officer reads it. */
async function couple(headName: string, spouseName: string) {
  const made = await createHousehold(db(), officer, {
    villageCode: "04222-01",
    address: "Bản Nà Hin",
    registeredOn: "2020-01-01",
    members: [head(headName, 1975), member(spouseName, 1978, { relation: "spouse" })],
  });
  return getHousehold(db(), officer, made.id);
}

const memberNamed = (file: Awaited<ReturnType<typeof getHousehold>>, name: string) =>
  file.members.find((m) => m.fullName === name)?.id ?? 0;

describe("changing a household", () => {
  it("makes another current member the head, and the household is then found under the new head's name", async () => {
    const file = await couple("Lò Văn Đôi", "Cầm Thị Tiếp");
    await updateHousehold(db(), officer, file.id, {
      headMemberId: memberNamed(file, "Cầm Thị Tiếp"),
      formerHeadRelation: "spouse",
      expectedVersion: file.version,
    });
    const after = await getHousehold(db(), officer, file.id);
    const found = await searchHouseholds(db(), officer, { q: "cam thi tiep", commune: "04222" });
    expect([
      after.headName,
      after.members.map((m) => [m.fullName, m.relation]),
      found.items.map((h) => h.id),
    ]).toEqual([
      "Cầm Thị Tiếp",
      [
        ["Lò Văn Đôi", "spouse"],
        ["Cầm Thị Tiếp", "head"],
      ],
      [file.id],
    ]);
  });

  it("changes the address and records the change in the audit trail", async () => {
    const file = await couple("Quàng Văn Địa", "Lường Thị Chỉ");
    await updateHousehold(db(), officer, file.id, { address: "Bản Huổi Một", expectedVersion: file.version });
    const events = rowsOf<{ before: unknown; after: unknown }>(
      await db().execute(
        sql`SELECT before, after FROM audit_events WHERE action = 'household.update' AND record_id = ${String(file.id)}`,
      ),
    );
    expect([(await getHousehold(db(), officer, file.id)).address, events]).toEqual([
      "Bản Huổi Một",
      [{ before: { address: "Bản Nà Hin" }, after: { address: "Bản Huổi Một" } }],
    ]);
  });

  it("refuses a head who is not a current member of the household", async () => {
    const file = await couple("Tòng Văn Chủ", "Tòng Thị Vợ");
    const other = await couple("Vì Văn Khác", "Vì Thị Khác");
    await expect(
      updateHousehold(db(), officer, file.id, {
        headMemberId: memberNamed(other, "Vì Thị Khác"),
        expectedVersion: file.version,
      }),
    ).rejects.toMatchObject({ status: 422, code: "head_not_member" });
  });

  it("refuses a change made on a version someone else has changed meanwhile", async () => {
    const file = await couple("Hà Văn Cũ", "Hà Thị Cũ");
    await updateHousehold(db(), officer, file.id, { address: "Bản Mới", expectedVersion: file.version });
    await expect(
      updateHousehold(db(), officer, file.id, { address: "Bản Khác", expectedVersion: file.version }),
    ).rejects.toMatchObject({ status: 409, code: "stale_version" });
  });

  it("lets one of two concurrent changes of the same version win and answers the other 409", async () => {
    const file = await couple("Lù Văn Đua", "Lù Thị Đua");
    const results = await Promise.allSettled([
      updateHousehold(db(), officer, file.id, { address: "Bản Một", expectedVersion: file.version }),
      updateHousehold(db(), officer, file.id, { address: "Bản Hai", expectedVersion: file.version }),
    ]);
    const rejected = results.find((r) => r.status === "rejected");
    expect([
      results.map((r) => r.status).sort(),
      rejected?.status === "rejected" ? [rejected.reason.status, rejected.reason.code] : null,
      (await getHousehold(db(), officer, file.id)).version,
    ]).toEqual([["fulfilled", "rejected"], [409, "stale_version"], file.version + 1]);
  });

  it("refuses the head leaving while the household stands in their name", async () => {
    const file = await couple("Lò Văn Trụ", "Lò Thị Trụ");
    await expect(
      recordLeave(db(), officer, memberNamed(file, "Lò Văn Trụ"), {
        leftOn: "2026-03-01",
        reason: "death",
        expectedVersion: file.version,
      }),
    ).rejects.toMatchObject({ status: 422, code: "head_cannot_leave" });
  });
});

describe("correcting a member", () => {
  it("adds a citizen ID found later, checked against the birth year and sex", async () => {
    const file = await couple("Cầm Văn Sửa", "Cầm Thị Sửa");
    const id = citizenId(1978, "female");
    await correctMember(db(), officer, memberNamed(file, "Cầm Thị Sửa"), {
      fullName: "Cầm Thị Sửa",
      birthYear: 1978,
      sex: "female",
      ethnicity: "Thái",
      citizenId: id,
      expectedVersion: file.version,
    });
    const after = await getHousehold(db(), officer, file.id);
    expect(after.members.find((m) => m.fullName === "Cầm Thị Sửa")?.citizenId).toBe(id);
  });

  it("refuses a citizen ID whose birth year is not the member's, naming the field", async () => {
    const file = await couple("Lường Văn Sai", "Lường Thị Sai");
    await expect(
      correctMember(db(), officer, memberNamed(file, "Lường Thị Sai"), {
        fullName: "Lường Thị Sai",
        birthYear: 1978,
        sex: "female",
        citizenId: citizenId(1980, "female"),
        expectedVersion: file.version,
      }),
    ).rejects.toMatchObject({
      status: 422,
      code: "invalid_citizen_id",
      details: { fields: [{ field: "member.citizenId" }] },
    });
  });

  it("refuses the citizen ID of a person current in another household, naming both households", async () => {
    const id = citizenId(1978, "female");
    const first = await createHousehold(db(), officer, {
      villageCode: "04222-02",
      members: [
        head("Quàng Văn Một", 1970),
        member("Quàng Thị Hai", 1978, { relation: "spouse", citizenId: id }),
      ],
    });
    const file = await couple("Lò Văn Ba", "Lò Thị Bốn");
    const refusal = await correctMember(db(), officer, memberNamed(file, "Lò Thị Bốn"), {
      fullName: "Lò Thị Bốn",
      birthYear: 1978,
      sex: "female",
      citizenId: id,
      expectedVersion: file.version,
    }).catch((e) => e);
    expect([refusal.status, refusal.code, refusal.details.households]).toEqual([
      409,
      "member_in_other_household",
      [first.code, file.code],
    ]);
  });

  it("renames the household when the head's name is corrected", async () => {
    const file = await couple("Lo Van Thiêu Dấu", "Lò Thị Đủ");
    await correctMember(db(), officer, memberNamed(file, "Lo Van Thiêu Dấu"), {
      fullName: "Lò Văn Thiếu Dấu",
      birthYear: 1975,
      sex: "male",
      expectedVersion: file.version,
    });
    expect((await getHousehold(db(), officer, file.id)).headName).toBe("Lò Văn Thiếu Dấu");
  });
});

describe("policy-beneficiary classifications", () => {
  it("ends a classification on a date, keeping when it began", async () => {
    const file = await couple("Hoàng Văn Công", "Hoàng Thị Công");
    const added = await addPolicyClass(db(), officer, file.id, {
      kind: "meritorious_service",
      validFrom: "2010-07-27",
      expectedVersion: file.version,
    });
    await endPolicyClass(db(), officer, added.id, {
      validTo: "2026-06-01",
      expectedVersion: added.householdVersion,
    });
    const after = await getHousehold(db(), officer, file.id);
    expect(after.policyClasses.map((c) => [c.kind, c.validFrom, c.validTo])).toEqual([
      ["meritorious_service", "2010-07-27", "2026-06-01"],
    ]);
  });

  it("refuses an end before the classification began", async () => {
    const file = await couple("Hoàng Văn Sớm", "Hoàng Thị Sớm");
    const added = await addPolicyClass(db(), officer, file.id, {
      kind: "war_invalid",
      validFrom: "2015-01-01",
      expectedVersion: file.version,
    });
    await expect(
      endPolicyClass(db(), officer, added.id, {
        validTo: "2014-12-31",
        expectedVersion: added.householdVersion,
      }),
    ).rejects.toMatchObject({ status: 422, code: "invalid_interval" });
  });
});

describe("over HTTP", () => {
  it("answers a member's addition on a stale household with 409 and a Vietnamese message", async () => {
    const file = await couple("Lò Văn Cũ", "Lò Thị Mới");
    await updateHousehold(db(), officer, file.id, { address: "Bản Mới", expectedVersion: file.version });
    const app = testApp(db(), { actor: officer.actor });
    const response = await app.request(`/api/v1/households/${file.id}/members`, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-language": "vi" },
      body: JSON.stringify({
        ...member("Lò Văn Bé", 2026),
        joinReason: "birth",
        expectedVersion: file.version,
      }),
    });
    const answer = (await response.json()) as { error: { message: string } };
    expect([response.status, answer.error.message]).toEqual([
      409,
      `Hộ ${file.code} đã được người khác thay đổi; hãy tải lại.`,
    ]);
  });

  it("refuses a province officer changing a household", async () => {
    const file = await couple("Lò Văn Tỉnh", "Lò Thị Tỉnh");
    const app = testApp(db(), { actor: provinceOfficer.actor });
    const response = await app.request(`/api/v1/households/${file.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: "x", expectedVersion: file.version }),
    });
    expect(response.status).toBe(403);
  });

  it("adds a member born into the household through the API", async () => {
    const file = await couple("Lò Văn Bố", "Lò Thị Mẹ");
    const added = await addMember(db(), officer, file.id, {
      ...member("Lò Văn Con", 2026, { sex: "male", joinReason: "birth", joinedOn: "2026-02-03" }),
      expectedVersion: file.version,
    });
    expect(added.householdVersion).toBe(file.version + 1);
  });
});

describe("a province's own poverty standard", () => {
  const stricter = {
    code: "SL_2028_2030",
    nameVi: "Chuẩn nghèo tỉnh Sơn La 2028–2030",
    nameEn: "Sơn La poverty standard 2028–2030",
    legalBasis: "Nghị quyết HĐND tỉnh (thử nghiệm)",
    provinceCode: "14",
    fromYear: 2028,
    toYear: 2030,
    ruralThreshold: 2_500_000,
    urbanThreshold: 3_000_000,
    indicators: [
      "employment",
      "dependants",
      "nutrition",
      "health_insurance",
      "adult_education",
      "child_schooling",
      "housing_quality",
      "living_area",
      "water_source",
      "toilet",
      "telecom",
      "information_access",
      "waste_treatment",
    ] as const,
    poorMinLacking: 3,
  };

  it("applies the national standard to a year the province has no standard of its own for", async () => {
    const found = await standardInForce(db(), provinceAdmin, 2027, "14");
    expect([found.applies.code, found.isLocal]).toEqual(["VN_2027_2030", false]);
  });

  it("applies the province's stricter standard to the years it covers, with the national one beside it", async () => {
    await createLocalStandard(db(), provinceAdmin, { ...stricter, indicators: [...stricter.indicators] });
    const found = await standardInForce(db(), provinceAdmin, 2029, "14");
    expect([found.applies.code, found.national?.code, found.isLocal]).toEqual([
      "SL_2028_2030",
      "VN_2027_2030",
      true,
    ]);
  });

  it("refuses a local standard with a lower threshold than the national one", async () => {
    await expect(
      createLocalStandard(db(), provinceAdmin, {
        ...stricter,
        code: "SL_LOOSE_2",
        fromYear: 2027,
        toYear: 2027,
        ruralThreshold: 2_000_000,
        indicators: [...stricter.indicators],
      }),
    ).rejects.toMatchObject({ status: 422, code: "standard_not_stricter" });
  });

  it("refuses a second local standard for years the province already covers", async () => {
    await expect(
      createLocalStandard(db(), provinceAdmin, {
        ...stricter,
        code: "SL_AGAIN",
        fromYear: 2030,
        toYear: 2030,
        indicators: [...stricter.indicators],
      }),
    ).rejects.toMatchObject({ status: 409, code: "standard_overlaps" });
  });

  it("refuses a province administrator setting another province's standard", async () => {
    await expect(
      createLocalStandard(db(), otherProvinceAdmin, {
        ...stricter,
        code: "SL_OTHER",
        indicators: [...stricter.indicators],
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a year no standard covers, listing those that exist", async () => {
    await expect(standardInForce(db(), provinceAdmin, 2040, "14")).rejects.toMatchObject({
      status: 422,
      code: "no_standard_in_force",
    });
  });
});

describe("the village meeting's own result", () => {
  let reviewId: number;
  let householdId: number;
  beforeAll(async () => {
    householdId = (await couple("Sa Văn Họp", "Sa Thị Họp")).id;
    reviewId = (await startReview(db(), officer, { communeCode: "04222", year: 2027 })).id;
    await recordSurvey(db(), officer, reviewId, householdId, { annualIncome: 120_000_000, lacking: [] });
  });

  it("keeps a household in another class than the computed one, beside it, with the meeting's reason audited", async () => {
    await recordMeeting(db(), officer, reviewId, {
      householdId,
      result: "near_poor",
      note: "Chủ hộ ốm dài ngày",
    });
    const [row] = await surveyRows(db(), reviewId, { householdId });
    const audit = rowsOf<{ reason: string; after: unknown }>(
      await db().execute(sql`SELECT reason, after FROM audit_events
        WHERE action = 'poverty_survey.meeting' AND record_id = ${`${reviewId}/${householdId}`}`),
    );
    expect([row?.computed, row?.meetingResult, row?.result, row?.meetingNote, audit]).toEqual([
      "not_poor",
      "near_poor",
      "near_poor",
      "Chủ hộ ốm dài ngày",
      [{ reason: "Chủ hộ ốm dài ngày", after: { result: "near_poor", computed: "not_poor" } }],
    ]);
  });

  it("refuses a result other than the computed one without the meeting's reason", async () => {
    await expect(
      recordMeeting(db(), officer, reviewId, { householdId, result: "poor" }),
    ).rejects.toMatchObject({ status: 422, code: "reason_required" });
  });
});
