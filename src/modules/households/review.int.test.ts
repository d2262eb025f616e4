import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordUnitChange } from "../units/record-change.ts";
import { getHousehold } from "./queries.ts";
import { createHousehold, recordLeave } from "./registry.ts";
import { startReview } from "./reviews.ts";
import type { PovertyIndicator } from "./standards.ts";
import { recordSurvey, surveyRows } from "./surveys.ts";
import { actorFor, head, household, member } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
const three: PovertyIndicator[] = ["health_insurance", "toilet", "water_source"];
const two: PovertyIndicator[] = ["health_insurance", "toilet"];
/** Annual income of a household of `members` at `perPerson` VND per person per month. */
const annual = (perPerson: number, members = 4) => perPerson * 12 * members;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.review", "commune_officer", "04222");
});
afterAll(async () => {
  await database.drop();
});

async function reviewWith(
  year: number,
  surveys: Array<[number, number, PovertyIndicator[]]>,
  commune = "04222",
) {
  const review = await startReview(db(), commune === "04222" ? officer : testCtx, {
    communeCode: commune,
    year,
  });
  for (const [householdId, income, lacking] of surveys)
    await recordSurvey(db(), commune === "04222" ? officer : testCtx, review.id, householdId, {
      annualIncome: income,
      lacking,
    });
  return review;
}
const resultOf = async (reviewId: number, householdId: number) =>
  (await surveyRows(db(), reviewId, { householdId }))[0];

describe("classification under the standard in force", () => {
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  beforeAll(async () => {
    a = (await household(db(), officer, "04222-01", "Lò Văn Một")).id;
    b = (await household(db(), officer, "04222-01", "Lò Văn Hai")).id;
    c = (await household(db(), officer, "04222-02", "Lò Văn Ba")).id;
    d = (await household(db(), officer, "04222-02", "Lò Văn Bốn")).id;
  });

  it("classifies a rural household at the 2026 threshold lacking three indicators as poor", async () => {
    const review = await reviewWith(2026, [[a, annual(1_500_000), three]]);
    expect((await resultOf(review.id, a))?.computed).toBe("poor");
  });

  it("classifies one indicator short of three as near-poor and explains why", async () => {
    const review = await startReview(db(), officer, { communeCode: "04222", year: 2022 });
    const saved = await recordSurvey(db(), officer, review.id, b, {
      annualIncome: annual(1_400_000),
      lacking: two,
    });
    expect([saved?.computed, saved?.explanation]).toEqual([
      "near_poor",
      expect.objectContaining({ threshold: 1_500_000, lackingCount: 2, poorMinLacking: 3, area: "rural" }),
    ]);
  });

  it("classifies an income one đồng a month above the threshold as not poor", async () => {
    const review = await reviewWith(2023, [[c, annual(1_500_000) + 48, three]]);
    expect((await resultOf(review.id, c))?.computed).toBe("not_poor");
  });

  it("does not count the waste indicator before 2027", async () => {
    const review = await reviewWith(2024, [[d, annual(1_000_000), [...two, "waste_treatment"]]]);
    expect([(await resultOf(review.id, d))?.computed, (await resultOf(review.id, d))?.explanation]).toEqual([
      "near_poor",
      expect.objectContaining({ notInStandard: ["waste_treatment"] }),
    ]);
  });

  it("counts the waste indicator from 2027, under the 2027–2030 standard", async () => {
    const review = await reviewWith(2027, [[d, annual(1_000_000), [...two, "waste_treatment"]]]);
    expect([review.standard, (await resultOf(review.id, d))?.computed]).toEqual(["VN_2027_2030", "poor"]);
  });

  it("applies the 2022–2025 standard to 2026", async () => {
    const review = await startReview(db(), officer, { communeCode: "04222", year: 2025 });
    const later = await rowsOf<{ code: string }>(
      await db().execute(
        sql`SELECT s.code FROM poverty_reviews r JOIN poverty_standards s ON s.id = r.standard_id WHERE r.year = 2026`,
      ),
    );
    expect([review.standard, later[0]?.code]).toEqual(["VN_2022_2025", "VN_2022_2025"]);
  });

  it("refuses a year with no standard in force, listing the standards that exist", async () => {
    const refusal = await startReview(db(), officer, { communeCode: "04222", year: 2019 }).catch((e) => e);
    expect([refusal.status, refusal.messages.en]).toEqual([
      422,
      "No poverty standard is in force for 2019. Standards that exist: VN_2022_2025 (2022–2026), VN_2027_2030 (2027–2030).",
    ]);
  });

  it("refuses a negative income with 422", async () => {
    const [review] = rowsOf<{ id: number }>(
      await db().execute(sql`SELECT id FROM poverty_reviews WHERE year = 2025`),
    );
    await expect(
      recordSurvey(db(), officer, Number(review?.id), a, { annualIncome: -5, lacking: [] }),
    ).rejects.toMatchObject({ status: 422, code: "invalid_income" });
  });

  it("refuses an income that is not a number with 422", async () => {
    const [review] = rowsOf<{ id: number }>(
      await db().execute(sql`SELECT id FROM poverty_reviews WHERE year = 2025`),
    );
    await expect(
      recordSurvey(db(), officer, Number(review?.id), a, { annualIncome: "nhiều", lacking: [] }),
    ).rejects.toMatchObject({ status: 422, code: "invalid_income" });
  });
});

describe("urban households", () => {
  it("classifies a ward's household against the urban threshold", async () => {
    const [ward] = rowsOf<{ code: string }>(
      await db().execute(
        sql`SELECT code FROM unit_versions WHERE kind = 'ward' AND parent_code = '14' AND valid_to IS NULL ORDER BY code LIMIT 1`,
      ),
    );
    const wardCode = ward?.code ?? "";
    await recordUnitChange(db(), testCtx, {
      kind: "establish",
      effectiveDate: "2025-07-01",
      document: "test",
      open: [
        {
          code: `${wardCode}-01`,
          name: "Tổ dân phố 1",
          level: "village",
          kind: "village",
          parentCode: wardCode,
        },
      ],
    });
    const made = await createHousehold(db(), testCtx, {
      villageCode: `${wardCode}-01`,
      registeredOn: "2025-08-01",
      members: [head("Nguyễn Văn Phố")],
    });
    const review = await reviewWith(2025, [[made.id, annual(1_800_000, 1), three]], wardCode);
    expect([
      (await resultOf(review.id, made.id))?.computed,
      (await resultOf(review.id, made.id))?.explanation,
    ]).toEqual(["poor", expect.objectContaining({ area: "urban", threshold: 2_000_000 })]);
  });
});

describe("dated membership", () => {
  it("does not count a member who left before the review date", async () => {
    const made = await createHousehold(db(), officer, {
      villageCode: "04222-03",
      registeredOn: "2020-01-01",
      members: [head("Cầm Văn Chiến"), member("Cầm Thị Lan", 2000), member("Cầm Thị Hoa", 2002)],
    });
    const file = await getHousehold(db(), officer, made.id);
    const lan = file.members.find((m) => m.fullName === "Cầm Thị Lan");
    await recordLeave(db(), officer, lan?.id ?? 0, {
      leftOn: "2025-06-01",
      reason: "marriage",
      expectedVersion: file.version,
    });
    const [review] = rowsOf<{ id: number }>(
      await db().execute(sql`SELECT id FROM poverty_reviews WHERE year = 2025 AND commune_code = '04222'`),
    );
    const saved = await recordSurvey(db(), officer, Number(review?.id), made.id, {
      annualIncome: 36_000_000,
      lacking: [],
    });
    expect([saved?.membersCounted, saved?.incomePerPersonMonth]).toEqual([2, 1_500_000]);
  });
});
