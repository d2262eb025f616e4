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

describe("numbers in answers", () => {
  it("rounds an element's mean to two places at the edge (1, 1 and 2 give 1.33, not 1.3333333333333333)", async () => {
    await database.db.execute(sql`INSERT INTO data_elements (code, name_vi, name_en, value_type, aggregation)
      VALUES ('R_MEAN', 'trung bình', 'mean', 'number', 'average')`);
    await database.db.execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value,
        updated_by)
      SELECT e.id, v.id, '2025', x.value::text, x.value, 'test'
      FROM data_elements e,
        (SELECT id, row_number() OVER (ORDER BY code) AS n FROM unit_versions
          WHERE parent_code = '14' AND valid_to IS NULL AND level = 'commune') v
        JOIN (VALUES (1, 1), (2, 1), (3, 2)) x(n, value) ON x.n = v.n
      WHERE e.code = 'R_MEAN'`);
    const res = await get("dx=R_MEAN&pe=2025&ou=14");
    const body = (await res.json()) as PivotResult;
    expect(body.rows[0]?.value).toBe(1.33);
  });
});

describe("the laid-out CSV", () => {
  it("leaves out the rows without any figure when asked, as the table on screen does", async () => {
    const all = await get("dx=POVERTY_RATE&pe=2025&ou=14:children&rows=ou&columns=dx&filter=pe&format=csv");
    const shown = await get(
      "dx=POVERTY_RATE&pe=2025&ou=14:children&rows=ou&columns=dx&filter=pe&format=csv&emptyRows=hide",
    );
    const lines = async (res: Response) => (await res.text()).trim().split(/\r?\n/).length - 1;
    expect([await lines(all), await lines(shown)]).toEqual([75, 9]);
  });
});
