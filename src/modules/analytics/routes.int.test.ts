import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor } from "../access/actor.ts";
import { currentVersionForScope } from "../access/scope.ts";
import type { PivotResult } from "./index.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let officer: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = {
    kind: "user",
    id: "9001",
    role: "commune_officer",
    scope: await currentVersionForScope(database.db, "04222"),
  };
});
afterAll(async () => {
  await database.drop();
});

const get = (query: string, actor: Actor = systemAdmin) =>
  testApp(database.db, { actor }).request(`/api/v1/analytics?${query}`);

describe("GET /api/v1/analytics", () => {
  it("answers a pivot in the 2014 tree", async () => {
    const res = await get(
      "dx=HH_TOTAL,POVERTY_RATE&pe=2014&ou=417,417:children&hierarchyDate=2014-12-31&includeNumDen=true",
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as PivotResult;
    expect(body.rows.find((r) => r.unit === "417" && r.data === "HH_TOTAL")?.value).toBe(15_000);
    const rate = body.rows.find((r) => r.unit === "417" && r.data === "POVERTY_RATE");
    expect(rate).toMatchObject({ value: 52.8, numerator: 7919, denominator: 15_000 });
    expect(body.rows.filter((r) => r.data === "HH_TOTAL")).toHaveLength(22);
  });

  it("lists every unknown code in one 400", async () => {
    const res = await get("dx=NOPE,HH_TOTAL,ALSO_NOPE&pe=2025,LAST_7_DAYS,2025Q9&ou=04222,00000");
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { problems: Array<{ code: string }> } };
    };
    expect(body.error.code).toBe("unknown_codes");
    expect(body.error.details.problems.map((p) => p.code)).toEqual([
      "NOPE",
      "ALSO_NOPE",
      "LAST_7_DAYS",
      "2025Q9",
      "00000",
    ]);
  });

  it("tells a commune officer that a unit code is unknown (400), not forbidden", async () => {
    const res = await get("dx=HH_TOTAL&pe=2025&ou=04222,00000", officer);
    const body = (await res.json()) as {
      error: { code: string; details: { problems: Array<{ code: string }> } };
    };
    expect([res.status, body.error.code, body.error.details.problems.map((p) => p.code)]).toEqual([
      400,
      "unknown_codes",
      ["00000"],
    ]);
  });

  it("refuses a malformed unit spec and a missing parameter with 400", async () => {
    expect((await get("dx=HH_TOTAL&pe=2025&ou=04222:grandchildren")).status).toBe(400);
    expect((await get("dx=HH_TOTAL&pe=2025")).status).toBe(400);
    expect((await get("dx=HH_TOTAL&pe=2025&ou=04222&hierarchyDate=2025-13-01")).status).toBe(400);
  });

  it("refuses too large a request with 413, the limit and advice", async () => {
    const res = await get("dx=HH_TOTAL,HH_POOR&pe=LAST_12_MONTHS,LAST_5_YEARS&ou=level:commune");
    expect(res.status).toBe(413);
    const body = (await res.json()) as {
      error: { messages: { vi: string; en: string }; details: { limit: number } };
    };
    expect(body.error.details.limit).toBe(50_000);
    expect(body.error.messages).toEqual({
      vi: expect.stringMatching(/ít đơn vị hơn/),
      en: expect.stringMatching(/fewer/),
    });
  });

  it("lets a commune officer read their commune and not another (403)", async () => {
    expect((await get("dx=HH_TOTAL&pe=2025&ou=04222", officer)).status).toBe(200);
    expect((await get("dx=HH_TOTAL&pe=2025&ou=04219", officer)).status).toBe(403);
    expect((await get("dx=HH_TOTAL&pe=2025&ou=14:level:commune", officer)).status).toBe(403);
    expect((await get("dx=HH_TOTAL&pe=2025&ou=level:commune", officer)).status).toBe(403);
  });

  it("moves the data version when a value changes, so dashboards know to fetch again", async () => {
    const version = async () =>
      (await (
        await testApp(database.db, { actor: officer }).request("/api/v1/analytics/version")
      ).json()) as {
        values: number;
      };
    const before = await version();
    await database.db.execute(
      sql`UPDATE data_values SET value = value WHERE id = (SELECT min(id) FROM data_values)`,
    );
    expect((await version()).values).toBeGreaterThan(before.values);
  });

  it("refuses an anonymous caller", async () => {
    const res = await testApp(database.db).request("/api/v1/analytics?dx=HH_TOTAL&pe=2025&ou=04222");
    expect(res.status).toBe(401);
  });

  it("exports CSV and .xlsx", async () => {
    const csv = await get("dx=HH_TOTAL&pe=2025&ou=14:children&format=csv&layout=flat");
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text).toMatch(/^\uFEFF?data,data_name,period/);
    expect(text).toContain("04222");
    const xlsx = await get("dx=HH_TOTAL&pe=2025&ou=14:children&format=xlsx&layout=flat");
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.getWorksheet("Analytics")?.rowCount).toBeGreaterThan(1);
  });
});
