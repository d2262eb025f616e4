import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { RequestContext } from "../access/actor.ts";
import { dropAbandonedHouseholdStages, householdColumns } from "./import-households.ts";
import { searchHouseholds } from "./queries.ts";
import { startReview } from "./reviews.ts";
import { actorFor, citizenId } from "./test-fixtures.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let officer: RequestContext;

beforeAll(async () => {
  database = await openTestDatabase();
  officer = await actorFor(db(), "ck.files", "commune_officer", "04222");
});
afterAll(async () => {
  await database.drop();
});

async function xlsx(headings: string[], rows: unknown[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet("Sheet1");
  ws.addRow(headings);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
const post = (path: string, file: Uint8Array) =>
  testApp(db(), { actor: officer.actor }).request(`/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: file,
  });
const householdCount = async () =>
  Number(rowsOf<{ n: string }>(await db().execute(sql`SELECT count(*) AS n FROM households`))[0]?.n);

describe("household import", () => {
  it("stores nothing when rows are bad, and names every bad row", async () => {
    const before = await householdCount();
    const res = await post(
      "/household-files/import",
      await xlsx(
        [...householdColumns],
        [
          ["F1", "04222-01", "Lò Văn Tốt", "Chủ hộ", 1980, "Nam", "Thái", ""],
          ["F2", "04222-01", "Lò Văn Sai", "Chủ hộ", 1980, "Nam", "Thái", "123"],
          ["F3", "04222-01", "Lò Văn Thiếu", "Chủ hộ", "năm ngoái", "Nam", "Thái", ""],
        ],
      ),
    );
    const body = (await res.json()) as {
      error: { details: { problems: Array<{ row: number; column: string }> } };
    };
    expect([
      res.status,
      body.error.details.problems.map((p) => [p.row, p.column]),
      await householdCount(),
    ]).toEqual([
      422,
      [
        [3, "Số định danh cá nhân"],
        [4, "Năm sinh"],
      ],
      before,
    ]);
  });

  it("imports every household and member of a good file", async () => {
    const res = await post(
      "/household-files/import",
      await xlsx(
        [...householdColumns],
        [
          ["G1", "04222-01", "Lò Văn Một", "Chủ hộ", 1980, "Nam", "Thái", citizenId(1980, "male")],
          ["G1", "04222-01", "Lò Thị Hai", "Vợ", 1982, "Nữ", "Thái", ""],
          ["G2", "04222-02", "Cầm Văn Ba", "Chủ hộ", 1975, "Nam", "Thái", ""],
        ],
      ),
    );
    expect([res.status, await res.json()]).toEqual([200, { households: 2, members: 3, duplicatesQueued: 0 }]);
  });

  it("makes imported households findable by a given name typed without diacritics", async () => {
    const found = await searchHouseholds(db(), officer, { q: "hai" });
    expect(found.items.map((h) => h.code)).toContain("G1");
  });

  it("audits the file and each imported household", async () => {
    const events = rowsOf<{ action: string; after: { code?: string; members?: number } }>(
      await db().execute(sql`SELECT action, after FROM audit_events
        WHERE action IN ('household.import', 'household.import_file') ORDER BY id`),
    );
    expect(events.map((e) => [e.action, e.after.code ?? null, e.after.members])).toEqual([
      ["household.import", "G1", 2],
      ["household.import", "G2", 1],
      ["household.import_file", null, 3],
    ]);
  });

  it("drops at start the staging table of an import whose process died under it", async () => {
    await db().execute(sql`CREATE UNLOGGED TABLE household_import_999999 (LIKE household_import_rows)`);
    const dropped = await dropAbandonedHouseholdStages(db());
    const left = rowsOf<{ n: string | number }>(
      await db().execute(
        sql`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'household_import_999999'`,
      ),
    );
    expect([dropped, Number(left[0]?.n)]).toEqual([1, 0]);
  });

  it("refuses a household code that is already registered, naming its row, and leaves no staging table", async () => {
    const res = await post(
      "/household-files/import",
      await xlsx(
        [...householdColumns],
        [["G2", "04222-02", "Cầm Văn Bốn", "Chủ hộ", 1976, "Nam", "Thái", ""]],
      ),
    );
    const body = (await res.json()) as {
      error: { details: { problems: Array<{ row: number; column: string }> } };
    };
    const staging = rowsOf<{ n: string | number }>(
      await db().execute(
        sql`SELECT count(*) AS n FROM pg_tables WHERE tablename ~ '^household_import_[0-9]+$'`,
      ),
    );
    expect([res.status, body.error.details.problems, Number(staging[0]?.n)]).toEqual([
      422,
      [
        {
          row: 2,
          column: "Mã hộ",
          message: { vi: "mã hộ G2 đã có", en: "household code G2 already exists" },
        },
      ],
      0,
    ]);
  });

  it("names both rows that give one citizen ID twice", async () => {
    const id = citizenId(1985, "male");
    const res = await post(
      "/household-files/import",
      await xlsx(
        [...householdColumns],
        [
          ["D1", "04222-01", "Lò Văn Năm", "Chủ hộ", 1985, "Nam", "Thái", id],
          ["D2", "04222-01", "Lò Văn Sáu", "Chủ hộ", 1985, "Nam", "Thái", id],
        ],
      ),
    );
    const body = (await res.json()) as {
      error: { details: { problems: Array<{ row: number; message: { vi: string } }> } };
    };
    expect([res.status, body.error.details.problems.map((p) => [p.row, p.message.vi])]).toEqual([
      422,
      [[3, "trùng số định danh với dòng 2"]],
    ]);
  });
});

describe("survey import and the signed list", () => {
  it("classifies imported survey results, and refuses a file with a negative income", async () => {
    const review = await startReview(db(), officer, { communeCode: "04222", year: 2025 });
    const bad = await post(
      `/poverty-reviews/${review.id}/survey-import`,
      await xlsx(["Mã hộ", "Thu nhập cả năm của hộ (đồng)"], [["G1", -1]]),
    );
    const good = await post(
      `/poverty-reviews/${review.id}/survey-import`,
      await xlsx(
        ["Mã hộ", "Thu nhập cả năm của hộ (đồng)", "Bảo hiểm y tế", "Nhà tiêu hợp vệ sinh", "Dinh dưỡng"],
        [
          ["G1", 20_000_000, "x", "x", "x"],
          ["G2", 100_000_000, "", "", ""],
        ],
      ),
    );
    const classes = rowsOf<{ computed: string }>(
      await db().execute(
        sql`SELECT computed FROM poverty_surveys WHERE review_id = ${review.id} ORDER BY household_id`,
      ),
    );
    expect([bad.status, good.status, classes.map((c) => c.computed)]).toEqual([
      422,
      200,
      ["poor", "not_poor"],
    ]);
  });

  it("exports the poor list as .xlsx and audits who exported it and why", async () => {
    const [review] = rowsOf<{ id: string }>(
      await db().execute(sql`SELECT id FROM poverty_reviews WHERE year = 2025`),
    );
    const res = await testApp(db(), { actor: officer.actor }).request(
      `/api/v1/poverty-reviews/${review?.id}/export?reason=${encodeURIComponent("Niêm yết tại nhà văn hoá")}`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const [audit] = rowsOf<{ actor_id: string; reason: string }>(
      await db().execute(sql`SELECT actor_id, reason FROM audit_events WHERE action = 'household.export'`),
    );
    expect([
      sheet?.getRow(2).getCell(1).value,
      sheet?.getRow(5).getCell(3).value,
      audit?.reason,
      audit?.actor_id,
    ]).toEqual([
      "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2025",
      "Lò Văn Một",
      "Niêm yết tại nhà văn hoá",
      officer.actor.kind === "user" ? officer.actor.id : "",
    ]);
  });
});
