import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { createValidationRule } from "./catalogue.ts";
import { DEMO_FORM } from "./demo.ts";
import { getEntry, saveValue } from "./entry.ts";

/**
 * Saves read the form, its rules and the units that report it from a cache kept by the catalogue counter (issue 14).
 * Nothing in the process tells the cache about a change: only the counter does, which the database's own triggers
 * bump. So a change made here and one made by another process (a statement no server code wrote) are seen alike.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
const UNIT = "04210";

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const save = async (element: string, value: number) => {
  const current = (await getEntry(db(), testCtx, DEMO_FORM, UNIT, "2025")).values.find(
    (v) => v.element === element,
  );
  return saveValue(db(), testCtx, {
    form: DEMO_FORM,
    unit: UNIT,
    period: "2025",
    element,
    value,
    expectedVersion: current?.version ?? 0,
  });
};

describe("the form cache of data entry", () => {
  it("checks the very next save against a rule made after the form was cached", async () => {
    const before = await save("HH_NEAR_POOR", 5);
    await createValidationRule(db(), testCtx, {
      code: "CACHE_NEAR_POOR_CAP",
      left: "#{HH_NEAR_POOR}",
      operator: "<=",
      right: "1",
      messageVi: "Số hộ cận nghèo quá lớn",
      messageEn: "Too many near-poor households",
    });
    const after = await save("HH_NEAR_POOR", 6);
    expect([
      before.violations.some((v) => v.code === "CACHE_NEAR_POOR_CAP"),
      after.violations.some((v) => v.code === "CACHE_NEAR_POOR_CAP"),
    ]).toEqual([false, true]);
  });

  it("refuses the next save of a unit another process took off the form", async () => {
    await save("HH_TOTAL", 700);
    // Written as another server or a psql session would: no code of this process runs.
    await db().execute(sql`DELETE FROM form_units
      WHERE unit_code = ${UNIT} AND form_id = (SELECT id FROM forms WHERE code = ${DEMO_FORM})`);
    await expect(save("HH_TOTAL", 701)).rejects.toMatchObject({ status: 422, code: "unit_not_assigned" });
  });
});
