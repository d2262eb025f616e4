import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { SONG_MA_COMMUNES } from "../reporting/demo.ts";
import type { PivotResult } from "./index.ts";
import type { PivotTable } from "./layout.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const get = (query: string) =>
  testApp(database.db, { actor: systemAdmin }).request(`/api/v1/analytics?${query}`);
const songMa = "dx=ROAD_CONCRETE_PCT,GRID_PCT&pe=2025&ou=14:children";

interface ErrorBody {
  error: { code: string; message: string; details: { problems: Array<{ field: string; code: string }> } };
}

describe("GET /api/v1/analytics with a layout", () => {
  it("lays out Sông Mã 2025 as units × indicators with the year as a filter", async () => {
    const res = await get(`${songMa}&rows=ou&columns=dx&filter=pe&layout=table`);
    expect(res.status).toBe(200);
    const table = (await res.json()) as PivotTable;
    expect(table.headers).toEqual([
      {
        dimension: "dx",
        items: [
          { code: "ROAD_CONCRETE_PCT", name: "Tỷ lệ đường xã được bê tông hoá" },
          { code: "GRID_PCT", name: "Tỷ lệ hộ dùng điện lưới quốc gia" },
        ],
      },
    ]);
    expect(table.metadata.filters).toEqual([{ dimension: "pe", code: "2025", name: expect.any(String) }]);
    expect(table.metadata.layout).toEqual({ rows: ["ou"], columns: ["dx"], filter: ["pe"] });
    expect(table.metadata.incompleteCells).toEqual([]);
    // Every commune of Sơn La is a row; the nine of Sông Mã have both values, the others none.
    expect(table.rows.length).toBe(table.metadata.units.length);
    expect(table.rows.length).toBeGreaterThan(9);
    const filled = table.rows.filter((r) => r.cells.every((v) => v !== null));
    expect(filled.map((r) => r.keys[0]?.code).sort()).toEqual([...SONG_MA_COMMUNES].sort());
    for (const r of table.rows) {
      expect(r.keys).toHaveLength(1);
      expect(r.keys[0]?.dimension).toBe("ou");
      expect(r.cells).toHaveLength(2);
    }
    expect(table.rows.filter((r) => r.cells.every((v) => v === null)).length).toBe(table.rows.length - 9);

    // The cells are the flat result's values.
    const flat = (await (await get(songMa)).json()) as PivotResult;
    const chiengKhuong = table.rows.find((r) => r.keys[0]?.code === "04222");
    expect(chiengKhuong?.keys[0]?.name).toMatch(/Chiềng Khương/);
    expect(chiengKhuong?.cells).toEqual([
      flat.rows.find((r) => r.unit === "04222" && r.data === "ROAD_CONCRETE_PCT")?.value,
      flat.rows.find((r) => r.unit === "04222" && r.data === "GRID_PCT")?.value,
    ]);
    expect(chiengKhuong?.cells.every((v) => typeof v === "number")).toBe(true);
  });

  it("lays out several dimensions: columns are their cartesian product, first outermost", async () => {
    const res = await get(
      "dx=HH_TOTAL,HH_POOR&pe=2014,2015&ou=16849,16840&hierarchyDate=2014-12-31&rows=ou&columns=dx,pe&layout=table&lang=en",
    );
    expect(res.status).toBe(200);
    const table = (await res.json()) as PivotTable;
    expect(table.headers.map((h) => h.dimension)).toEqual(["dx", "pe"]);
    expect(table.headers[0]?.items[0]?.name).toBe("Households, total");
    expect(table.rows.map((r) => r.keys[0]?.code)).toEqual(["16849", "16840"]);
    const flat = (await (
      await get("dx=HH_TOTAL,HH_POOR&pe=2014,2015&ou=16849,16840&hierarchyDate=2014-12-31")
    ).json()) as PivotResult;
    const value = (data: string, period: string, unit: string) =>
      flat.rows.find((r) => r.data === data && r.period === period && r.unit === unit)?.value ?? null;
    for (const [i, unit] of ["16849", "16840"].entries())
      expect(table.rows[i]?.cells).toEqual([
        value("HH_TOTAL", "2014", unit),
        value("HH_TOTAL", "2015", unit),
        value("HH_POOR", "2014", unit),
        value("HH_POOR", "2015", unit),
      ]);
    expect(table.rows[0]?.cells[0]).toEqual(expect.any(Number));
    expect(table.rows[0]?.cells[1]).toBeNull();
  });

  it("keeps the flat JSON without layout=table", async () => {
    const body = (await (await get(`${songMa}&filter=pe`)).json()) as PivotResult;
    expect(body.rows[0]).toHaveProperty("data");
    expect(body.rows[0]).toHaveProperty("unit");
  });

  it("exports the layout as CSV: row dimensions first, a readable header per column, a value", async () => {
    const res = await get(`${songMa}&rows=ou&columns=dx&filter=pe&format=csv`);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Đơn vị,Mã đơn vị,Tỷ lệ đường xã được bê tông hoá,Tỷ lệ hộ dùng điện lưới quốc gia",
    );
    const flat = (await (await get(songMa)).json()) as PivotResult;
    const road = flat.rows.find((r) => r.unit === "04222" && r.data === "ROAD_CONCRETE_PCT")?.value;
    const line = lines.find((l) => l.includes(",04222,"));
    expect(line).toMatch(/^Xã Chiềng Khương,04222,/);
    expect(line?.split(",")[2]).toBe(String(road));

    const en = await (await get(`${songMa}&rows=ou&columns=dx,pe&format=csv&lang=en`)).text();
    expect(en.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
      "Unit,Unit code,% commune roads concreted – 2025,% households on the grid – 2025",
    );
  });

  it("exports the layout as .xlsx with the filters on a second sheet", async () => {
    const res = await get(`${songMa}&rows=ou&columns=dx&filter=pe&format=xlsx`);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet("Phân tích");
    expect(sheet?.getRow(1).getCell(3).value).toBe("Tỷ lệ đường xã được bê tông hoá");
    expect(workbook.getWorksheet("Bộ lọc")?.getRow(2).getCell(2).value).toBe("2025");
  });

  it("keeps the long CSV with layout=flat", async () => {
    const text = await (await get(`${songMa}&format=csv&layout=flat`)).text();
    expect(text).toMatch(/^\uFEFF?data,data_name,period/);
  });

  it("refuses a misplaced dimension with 400 naming it", async () => {
    const cases: Array<[string, string, string]> = [
      ["rows=ou,dx&columns=dx", "invalid_layout", "dx"],
      ["rows=ou&columns=dx&filter=ou", "invalid_layout", "ou"],
      ["rows=ou&columns=dx", "invalid_layout", "pe"],
      ["rows=ou,ou&columns=dx,pe", "invalid_layout", "ou"],
    ];
    for (const [layout, code, dim] of cases) {
      const res = await get(`${songMa}&${layout}&layout=table`);
      expect(res.status, layout).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.details.problems.map((p) => p.code)).toContain(dim);
    }
    const unknown = await get(`${songMa}&rows=xx&layout=table`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe("invalid_input");
  });

  it("refuses a filter of more than one item with 400", async () => {
    const many = await get(`${songMa}&rows=ou&columns=pe&filter=dx&layout=table`);
    expect(many.status).toBe(400);
    const body = (await many.json()) as ErrorBody;
    expect(body.error.code).toBe("invalid_layout");
    expect(body.error.details.problems).toEqual([expect.objectContaining({ field: "filter", code: "dx" })]);
    // One spec that resolves to many units, and one relative period that resolves to five years.
    expect((await get(`${songMa}&columns=dx,pe&filter=ou&layout=table`)).status).toBe(400);
    expect(
      (await get("dx=GRID_PCT&pe=LAST_5_YEARS&ou=14&rows=ou&columns=dx&filter=pe&layout=table")).status,
    ).toBe(400);
  });
});
