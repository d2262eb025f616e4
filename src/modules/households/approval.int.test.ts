import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { getEntry } from "../reporting/entry.ts";
import { POVERTY_FORM } from "./review-reporting.ts";
import { startReview, transitionReview } from "./reviews.ts";
import type { PovertyIndicator } from "./standards.ts";
import { recordMeeting, recordSurvey, surveyRows } from "./surveys.ts";
import { actorFor, household } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;
const ids: number[] = [];
const poor = (): [number, PovertyIndicator[]] => [annualFor(1_000_000), ["toilet", "telecom", "nutrition"]];
const notPoor = (): [number, PovertyIndicator[]] => [annualFor(5_000_000), []];
const annualFor = (perPerson: number) => perPerson * 12 * 2;

/** Surveys the three households as given, records the village meeting's agreement and submits. */
async function surveyed(year: number, classes: Array<[number, PovertyIndicator[]]>) {
  const review = await startReview(db(), officer, { communeCode: "04222", year });
  for (const [i, [income, lacking]] of classes.entries())
    await recordSurvey(db(), officer, review.id, ids[i] ?? 0, { annualIncome: income, lacking });
  await recordMeeting(db(), officer, review.id, { agreeAll: true });
  await transitionReview(db(), officer, review.id, { action: "submit", expectedVersion: 1 });
  return review.id;
}
const approve = (id: number) =>
  transitionReview(db(), officer, id, { action: "approve", expectedVersion: 2 });

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.approval", "commune_officer", "04222");
  for (const name of ["Lò Văn Ả", "Lò Văn Bé", "Lò Văn Cả"])
    ids.push((await household(db(), officer, "04222-01", name, 2)).id);
});
afterAll(async () => {
  await database.drop();
});

describe("approving a review", () => {
  let y2025: number;
  beforeAll(async () => {
    await approve(await surveyed(2023, [notPoor(), notPoor(), poor()]));
    await approve(await surveyed(2024, [poor(), notPoor(), notPoor()]));
    y2025 = await surveyed(2025, [notPoor(), poor(), poor()]);
    await approve(y2025);
  });

  it("writes the poor, near-poor and total household counts to reporting as an approved report", async () => {
    const entry = await getEntry(db(), officer, POVERTY_FORM, "04222", "2025");
    const values = Object.fromEntries(entry.values.map((v) => [v.element, v.value]));
    expect([entry.report.status, values]).toEqual([
      "approved",
      { HH_TOTAL: "3", HH_POOR: "2", HH_NEAR_POOR: "0" },
    ]);
  });

  it("reuses the rate indicators a catalogue already has instead of adding a second", async () => {
    const rows = rowsOf<{ code: string }>(
      await db().execute(
        sql`SELECT code FROM indicators WHERE numerator IN ('#{HH_POOR}', '#{HH_NEAR_POOR}') ORDER BY code`,
      ),
    );
    expect(rows.map((r) => r.code)).toEqual(["NEAR_POVERTY_RATE", "POVERTY_RATE"]);
  });

  it("keeps a year before the merger on the commune version of that year", async () => {
    const rows = rowsOf<{ period: string; valid_to: string | null }>(
      await db().execute(sql`SELECT dv.period, uv.valid_to::text AS valid_to FROM data_values dv
        JOIN unit_versions uv ON uv.id = dv.unit_version_id JOIN data_elements de ON de.id = dv.element_id
        WHERE de.code = 'HH_POOR' AND uv.code = '04222' AND dv.period IN ('2024', '2025') ORDER BY dv.period`),
    );
    expect(rows).toEqual([
      { period: "2024", valid_to: "2025-07-01" },
      { period: "2025", valid_to: null },
    ]);
  });

  it("tells newly poor, fallen back and escaped households apart", async () => {
    const rows = await surveyRows(db(), y2025);
    expect(ids.map((id) => rows.find((r) => r.householdId === id)?.movement)).toEqual([
      "escaped",
      "newly_poor",
      "fell_back",
    ]);
  });

  it("locks the year: a survey of an approved review is refused", async () => {
    await expect(
      recordSurvey(db(), officer, y2025, ids[0] ?? 0, { annualIncome: 1, lacking: [] }),
    ).rejects.toMatchObject({ status: 409, code: "review_locked" });
  });

  it("withdraws the figures when the review is reopened, with the reason audited", async () => {
    const [review] = rowsOf<{ version: number }>(
      await db().execute(sql`SELECT version FROM poverty_reviews WHERE id = ${y2025}`),
    );
    await transitionReview(db(), officer, y2025, {
      action: "reopen",
      reason: "Hộ Lò Văn Bé khiếu nại kết quả",
      expectedVersion: Number(review?.version),
    });
    const entry = await getEntry(db(), officer, POVERTY_FORM, "04222", "2025");
    const [audit] = rowsOf<{ reason: string }>(
      await db().execute(
        sql`SELECT reason FROM audit_events WHERE action = 'poverty_review.reopen' AND record_id = ${String(y2025)}`,
      ),
    );
    expect([
      entry.report.status,
      entry.values.find((v) => v.element === "HH_POOR") ?? null,
      audit?.reason,
    ]).toEqual(["returned", null, "Hộ Lò Văn Bé khiếu nại kết quả"]);
  });
});

describe("a review that is not ready", () => {
  it("refuses submission while households have no survey result, saying how many", async () => {
    const review = await startReview(db(), officer, { communeCode: "04222", year: 2022 });
    await recordSurvey(db(), officer, review.id, ids[0] ?? 0, { annualIncome: 1, lacking: [] });
    await expect(
      transitionReview(db(), officer, review.id, { action: "submit", expectedVersion: 1 }),
    ).rejects.toMatchObject({ status: 422, code: "review_incomplete", details: { unsurveyed: 2 } });
  });

  it("refuses to overwrite the counts of another approved report of the commune and year", async () => {
    const id = await surveyed(2026, [notPoor(), notPoor(), poor()]);
    await db().execute(sql`INSERT INTO reports (form_id, unit_version_id, period, status)
      SELECT f.id, uv.id, '2026', 'approved' FROM forms f, unit_versions uv
      WHERE f.code = 'KTXH_XA' AND uv.code = '04222' AND uv.valid_to IS NULL`);
    await expect(approve(id)).rejects.toMatchObject({ status: 409, code: "report_locked" });
  });
});
