import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { loadDemoHouseholds } from "./demo.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;

beforeAll(async () => {
  database = await openTestDatabase();
  await loadDemoHouseholds(db(), testCtx);
});
afterAll(async () => {
  await database.drop();
});

describe("demo households", () => {
  it("holds a 2025 review awaiting approval of Chiềng Khương, a Tết list of 15 packages and a flood relief cycle", async () => {
    const [row] = rowsOf<{ review: string; tet: string | number; relief: string | number }>(
      await db().execute(sql`SELECT
        (SELECT status FROM poverty_reviews WHERE commune_code = '04222' AND year = 2025) AS review,
        (SELECT count(*) FROM entitlements e JOIN support_cycles c ON c.id = e.cycle_id JOIN support_programmes p ON p.id = c.programme_id
          WHERE p.name = 'Quà Tết Nguyên đán 2026') AS tet,
        (SELECT count(*) FROM entitlements e JOIN support_cycles c ON c.id = e.cycle_id JOIN support_programmes p ON p.id = c.programme_id
          WHERE p.disaster_id IS NOT NULL) AS relief`),
    );
    expect([row?.review, Number(row?.tet), Number(row?.relief)]).toEqual(["awaiting_approval", 15, 12]);
  });

  it("loads once: a second load adds nothing", async () => {
    expect(await loadDemoHouseholds(db(), testCtx)).toEqual({ households: 0 });
  });
});
