import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor, RequestContext } from "../access/actor.ts";
import { scopeOfVersion } from "../access/scope.ts";
import { createUser } from "../access/users.ts";
import { createIndicator, updateCatalogueEntry } from "./catalogue.ts";
import { DEMO_FORM } from "./demo.ts";
import { getEntry, saveValue, valueHistory } from "./entry.ts";
import { exportValues, parseCsvValues, parseDhis2Values, parseXlsxValues } from "./files.ts";
import { type ImportRow, importDataValues } from "./import-values.ts";
import { reportingStatus, transitionReport } from "./workflow.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
const actors: Record<string, RequestContext> = {};

async function actor(username: string, role: "commune_officer" | "province_officer", scopeCode: string) {
  const { user } = await createUser(db(), testCtx, new Date(), {
    username: `${username}.reporting`,
    displayName: username,
    role,
    scopeCode,
    password: "rất-dài-và-khó-đoán-1",
  });
  const [row] = rowsOf<{ scope_version_id: string }>(
    await db().execute(sql`SELECT scope_version_id FROM users WHERE id = ${user.id}`),
  );
  const a: Actor = {
    kind: "user",
    id: String(user.id),
    role,
    scope: await scopeOfVersion(db(), Number(row?.scope_version_id)),
  };
  actors[username] = { actor: a, requestId: "test" };
}

beforeAll(async () => {
  database = await openTestDatabase();
  await actor("ck", "commune_officer", "04222");
  await actor("mh", "commune_officer", "04219");
  await actor("sl", "province_officer", "14");
});
afterAll(async () => {
  await database.drop();
});

const entryOf = (unit: string, period = "2025", who = "ck") =>
  getEntry(db(), actors[who] ?? testCtx, DEMO_FORM, unit, period);
const save = (element: string, value: unknown, expectedVersion: number, unit = "04222", who = "ck") =>
  saveValue(db(), actors[who] ?? testCtx, {
    form: DEMO_FORM,
    unit,
    period: "2025",
    element,
    value: value as string,
    expectedVersion,
  });
const versionOf = async (unit: string, element: string) =>
  (await entryOf(unit, "2025", "sl")).values.find((v) => v.element === element)?.version ?? 0;

async function ratio(numerator: string, denominator: string, units: string[], period: string) {
  const [row] = rowsOf<{ r: string }>(
    await db().execute(sql`
      SELECT round(100 * sum(v.numeric_value) FILTER (WHERE e.code = ${numerator})
                 / sum(v.numeric_value) FILTER (WHERE e.code = ${denominator}), 2)::text AS r
      FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN unit_versions u ON u.id = v.unit_version_id
      WHERE v.period = ${period} AND u.code IN (${sql.join(units, sql`, `)})`),
  );
  return Number(row?.r);
}

describe("demo content", () => {
  const songMa = ["04168", "04171", "04222", "04219", "04204", "04183", "04186", "04210", "04195"];
  it("adds up to the Sông Mã article's 2025 figures", async () => {
    expect([
      await ratio("ROAD_KM_CONCRETE", "ROAD_KM_TOTAL", songMa, "2025"),
      await ratio("RURAL_RESIDENTS_CLEAN_WATER", "RURAL_RESIDENTS", songMa, "2025"),
      await ratio("URBAN_WASTE_TREATED_T", "URBAN_WASTE_T", songMa, "2025"),
      await ratio("HH_GRID", "HH_TOTAL", songMa, "2025"),
    ]).toEqual([54.5, 98.5, 79.9, 96]);
  });

  it("gives Kỳ Sơn a 52.79% poverty rate in 2014, reported by the old communes", async () => {
    const [row] = rowsOf<{ r: string; units: string }>(
      await db().execute(sql`
        SELECT round(100 * sum(v.numeric_value) FILTER (WHERE e.code = 'HH_POOR') / sum(v.numeric_value) FILTER (WHERE e.code = 'HH_TOTAL'), 2)::text AS r,
               count(DISTINCT v.unit_version_id) AS units
        FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN unit_versions u ON u.id = v.unit_version_id
        WHERE v.period = '2014' AND u.parent_code = '417'`),
    );
    expect([Number(row?.r), Number(row?.units)]).toEqual([52.79, 21]);
  });
});

describe("catalogue", () => {
  it("refuses an indicator that refers to an unknown element, naming where", async () => {
    const attempt = createIndicator(db(), testCtx, {
      code: "BAD_REF",
      nameVi: "x",
      nameEn: "x",
      numerator: "#{ROAD_KM_TOTAL} + #{NO_SUCH}",
      denominator: "1",
    });
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      code: "invalid_expression",
      details: { fields: [{ field: "numerator", code: "unknown_element", position: 19 }] },
    });
  });

  it("refuses a malformed expression with the position of the mistake", async () => {
    const attempt = createIndicator(db(), testCtx, {
      code: "BAD_SYNTAX",
      nameVi: "x",
      nameEn: "x",
      numerator: "#{ROAD_KM_TOTAL} *",
      denominator: "1",
    });
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      details: { fields: [{ field: "numerator", position: 18 }] },
    });
  });
});

describe("data entry", () => {
  it("refuses text in a number field, naming the element", async () => {
    await expect(
      save("ROAD_KM_TOTAL", "mười hai", await versionOf("04222", "ROAD_KM_TOTAL")),
    ).rejects.toMatchObject({
      status: 400,
      code: "invalid_value",
      details: { fields: [{ field: "ROAD_KM_TOTAL" }] },
    });
  });

  it("shows a negative count as a message in the form", async () => {
    const result = await save(
      "HEALTH_STATIONS_DOCTOR",
      -1,
      await versionOf("04222", "HEALTH_STATIONS_DOCTOR"),
    );
    expect(result.violations.map((v) => v.code)).toContain("negative_count");
    await save("HEALTH_STATIONS_DOCTOR", 1, result.value?.version ?? 0);
  });

  it("shows a broken rule as a message in the form", async () => {
    const total = (await entryOf("04222")).values.find((v) => v.element === "ROAD_KM_TOTAL");
    const result = await save(
      "ROAD_KM_CONCRETE",
      Number(total?.value) + 10,
      await versionOf("04222", "ROAD_KM_CONCRETE"),
    );
    expect(result.violations.map((v) => [v.code, v.message.vi])).toEqual([
      ["ROAD_CONCRETE_LE_TOTAL", "Đường đã bê tông hoá không thể dài hơn tổng chiều dài đường xã."],
    ]);
  });

  it("refuses a unit that does not report the form", async () => {
    await expect(getEntry(db(), testCtx, DEMO_FORM, "01", "2025")).rejects.toMatchObject({
      status: 422,
      code: "unit_not_assigned",
    });
  });

  it("refuses a period not yet open", async () => {
    await expect(getEntry(db(), testCtx, DEMO_FORM, "04222", "2099")).rejects.toMatchObject({
      status: 422,
      code: "period_not_open",
    });
  });

  it("refuses a period of another type than the form's", async () => {
    await expect(getEntry(db(), testCtx, DEMO_FORM, "04222", "2025Q3")).rejects.toMatchObject({
      status: 400,
      code: "period_type_mismatch",
    });
  });

  it("refuses a unit outside the officer's commune", async () => {
    await expect(save("VILLAGES", 10, 1, "04168")).rejects.toMatchObject({ status: 403 });
  });

  it("lets only one of two writers of the same version win; the other gets 409 with the current value", async () => {
    const version = await versionOf("04219", "VILLAGES");
    const results = await Promise.allSettled([
      save("VILLAGES", 27, version, "04219", "mh"),
      save("VILLAGES", 28, version, "04219", "mh"),
    ]);
    const rejected = results.find((r) => r.status === "rejected");
    expect([
      results.map((r) => r.status).sort(),
      rejected?.status === "rejected" ? rejected.reason.code : null,
    ]).toEqual([["fulfilled", "rejected"], "value_conflict"]);
  });

  it("records who changed a value and from what, in its history", async () => {
    const version = await versionOf("04219", "PARTY_CELLS");
    await save("PARTY_CELLS", 25, version, "04219", "mh");
    const history = await valueHistory(db(), actors.mh ?? testCtx, DEMO_FORM, "04219", "2025", "PARTY_CELLS");
    expect(history[0]).toMatchObject({
      actorId: actors.mh?.actor.kind === "user" ? actors.mh.actor.id : "",
      actorName: "mh",
      after: { value: "25" },
      before: { value: "26" },
    });
  });
});

describe("submission and approval", () => {
  const step = async (
    action: "submit" | "withdraw" | "approve" | "return" | "unlock",
    who: string,
    reason?: string,
  ) => {
    const report = (await entryOf("04204", "2025", "sl")).report;
    return transitionReport(db(), actors[who] ?? testCtx, {
      form: DEMO_FORM,
      unit: "04204",
      period: "2025",
      action,
      expectedVersion: report.version,
      ...(reason ? { reason } : {}),
    });
  };

  beforeAll(async () => {
    await actor("ckh", "commune_officer", "04204");
  });

  it("refuses submission while a rule of high importance fails", async () => {
    const version = await versionOf("04204", "LONGAN_HA");
    await save("LONGAN_HA", 99_999, version, "04204", "ckh");
    await expect(step("submit", "ckh")).rejects.toMatchObject({ status: 422, code: "validation_failed" });
    await save("LONGAN_HA", 1000, await versionOf("04204", "LONGAN_HA"), "04204", "ckh");
  });

  it("submits, then refuses edits until the report is returned or withdrawn", async () => {
    const submitted = await step("submit", "ckh");
    await expect(
      save("VILLAGES", 31, await versionOf("04204", "VILLAGES"), "04204", "ckh"),
    ).rejects.toMatchObject({ status: 409, code: "report_submitted" });
    expect(submitted.status).toBe("submitted");
  });

  it("does not let the commune approve its own report", async () => {
    await expect(step("approve", "ckh")).rejects.toMatchObject({ status: 403 });
  });

  it("approves as a province officer and locks the values", async () => {
    const approved = await step("approve", "sl");
    await expect(
      save("VILLAGES", 31, await versionOf("04204", "VILLAGES"), "04204", "ckh"),
    ).rejects.toMatchObject({ status: 409, code: "report_locked" });
    expect([approved.status, approved.isLocked]).toEqual(["approved", true]);
    // Screens say who submitted and who approved by name, not by account number.
    expect([approved.submittedByName, approved.decidedByName]).toEqual(["ckh", "sl"]);
  });

  it("unlocks only with a reason, and then the commune can correct it", async () => {
    await expect(step("unlock", "sl")).rejects.toMatchObject({ status: 400, code: "reason_required" });
    const unlocked = await step("unlock", "sl", "Sai số liệu đường giao thông");
    const saved = await save("ROAD_KM_TOTAL", 90, await versionOf("04204", "ROAD_KM_TOTAL"), "04204", "ckh");
    expect([unlocked.status, unlocked.returnReason, saved.value?.value]).toEqual([
      "returned",
      "Sai số liệu đường giao thông",
      "90",
    ]);
  });

  it("lists Kỳ Sơn's 21 communes of 2014 to Nghệ An, though 9 of them were merged away in 2025", async () => {
    await actor("na", "province_officer", "40");
    const status = await reportingStatus(db(), actors.na ?? testCtx, DEMO_FORM, "2014");
    expect([status.rows.length, status.rows.some((r) => r.unit.name === "Xã Bảo Nam")]).toEqual([21, true]);
  });

  it("lists the province's communes with who has submitted", async () => {
    await step("submit", "ckh");
    const status = await reportingStatus(db(), actors.sl ?? testCtx, DEMO_FORM, "2025");
    const row = status.rows.find((r) => r.unit.code === "04204");
    expect([status.rows.length, row?.status, row?.timeliness]).toEqual([9, "submitted", "late"]);
  });
});

describe("import", () => {
  it("takes nothing from a file with three bad rows and names each", async () => {
    const before = await versionOf("04171", "VILLAGES");
    const attempt = importDataValues(db(), testCtx, [
      { row: 2, element: "VILLAGES", unit: "04171", period: "2025", value: 23 },
      { row: 3, element: "NO_SUCH", unit: "04171", period: "2025", value: 1 },
      { row: 4, element: "VILLAGES", unit: "01", period: "2025", value: 1 },
      { row: 5, element: "HH_TOTAL", unit: "04171", period: "2025", value: "nhiều" },
    ]);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      details: {
        errors: [
          { row: 3, column: "element" },
          { row: 4, column: "unit" },
          { row: 5, column: "value" },
        ],
      },
    });
    expect(await versionOf("04171", "VILLAGES")).toBe(before);
  });

  it("refuses a negative count as a bad row, and says what is wrong with each row in both languages", async () => {
    const attempt = importDataValues(db(), testCtx, [
      { row: 2, element: "HH_POOR", unit: "04171", period: "2025", value: -5 },
      { row: 3, element: "HH_TOTAL", unit: "04171", period: "2025", value: "nhiều" },
    ]);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      details: {
        errors: [
          { row: 2, field: "value", message: "Poor households: a count cannot be negative" },
          { row: 3, field: "value", messageVi: "HH_TOTAL (Tổng số hộ): cần nhập một số." },
        ],
      },
    });
  });

  it("writes every row of a good file and audits each changed value", async () => {
    const [before] = rowsOf<{ n: string }>(
      await db().execute(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'data.import'`),
    );
    const result = await importDataValues(db(), testCtx, [
      { row: 2, element: "VILLAGES", unit: "04171", period: "2025", value: 23 },
      { row: 3, element: "PARTY_CELLS", unit: "04171", period: "2025", value: 23 },
    ]);
    const [after] = rowsOf<{ n: string }>(
      await db().execute(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'data.import'`),
    );
    expect([result.written, Number(after?.n) - Number(before?.n)]).toEqual([2, 2]);
  });
});

describe("HTTP", () => {
  it("answers 400 naming the element for text in a number field", async () => {
    const app = testApp(db(), { actor: actors.ck?.actor });
    const res = await app.request("/api/v1/data-values", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        form: DEMO_FORM,
        unit: "04222",
        period: "2025",
        element: "HH_TOTAL",
        value: "abc",
        expectedVersion: 1,
      }),
    });
    const body = (await res.json()) as {
      error: { code: string; details: { fields: Array<{ field: string }> } };
    };
    expect([res.status, body.error.code, body.error.details.fields[0]?.field]).toEqual([
      400,
      "invalid_value",
      "HH_TOTAL",
    ]);
  });

  it("gives a form's entry with its values to the commune", async () => {
    const app = testApp(db(), { actor: actors.ck?.actor });
    const res = await app.request(`/api/v1/data-entry?form=${DEMO_FORM}&unit=04222&period=2025`);
    const body = (await res.json()) as {
      unit: { name: string };
      values: unknown[];
      form: { isIllustrative: boolean };
    };
    expect([res.status, body.unit.name, body.values.length > 10, body.form.isIllustrative]).toEqual([
      200,
      "Xã Chiềng Khương",
      true,
      true,
    ]);
  });
});

describe("files", () => {
  const selection = { form: DEMO_FORM, period: "2025", unit: "04171" };

  it("round-trips DHIS2 dataValueSets: exporting then importing changes nothing", async () => {
    const file = await exportValues(db(), testCtx, selection, "dhis2");
    const json = JSON.parse(new TextDecoder().decode(file.body)) as {
      dataValues: Array<{ dataElement: string; orgUnit: string; value: string }>;
    };
    const result = await importDataValues(db(), testCtx, parseDhis2Values(JSON.stringify(json)));
    expect([
      json.dataValues.length > 10,
      json.dataValues[0]?.orgUnit,
      result.written,
      result.unchanged,
    ]).toEqual([true, "04171", 0, json.dataValues.length]);
  });

  it("imports a DHIS2 value that changed and only that one", async () => {
    const file = await exportValues(db(), testCtx, selection, "dhis2");
    const json = JSON.parse(new TextDecoder().decode(file.body)) as {
      dataValues: Array<{ dataElement: string; value: string }>;
    };
    const changed = json.dataValues.map((v) =>
      v.dataElement === "FRUIT_HA" ? { ...v, value: "1300.5" } : v,
    );
    const result = await importDataValues(
      db(),
      testCtx,
      parseDhis2Values(JSON.stringify({ dataValues: changed })),
    );
    expect([
      result.written,
      (await entryOf("04171", "2025", "sl")).values.find((v) => v.element === "FRUIT_HA")?.value,
    ]).toEqual([1, "1300.5"]);
  });

  it("takes a filled Excel template", async () => {
    const template = await exportValues(db(), testCtx, selection, "xlsx", true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(1) as ExcelJS.Worksheet;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const row = sheet.getRow(3);
    row.getCell(header.indexOf("HEALTH_STATIONS")).value = 2;
    row.getCell(header.indexOf("HEALTH_STATIONS_STANDARD")).value = 2;
    const filled = new Uint8Array(await workbook.xlsx.writeBuffer());
    const rows: ImportRow[] = [];
    for await (const row of parseXlsxValues(filled)) rows.push(row);
    const result = await importDataValues(db(), testCtx, rows);
    expect([rows.length, row.getCell(1).value, result.written]).toEqual([2, "04171", 2]);
  });

  it("names each bad row of a CSV by line and column, and takes none", async () => {
    const csv = [
      "unit,unit_name,period,VILLAGES,HH_TOTAL",
      "04171,Xã Bó Sinh,2025,24,abc",
      "04171,Xã Bó Sinh,2099,24,",
      "99999,Không có,2025,3,",
    ].join("\n");
    const attempt = importDataValues(db(), testCtx, parseCsvValues(csv));
    await expect(attempt).rejects.toMatchObject({
      details: {
        errors: [
          { row: 2, column: "E (HH_TOTAL)" },
          { row: 3, column: "C (period)" },
          { row: 4, column: "A (unit)" },
        ],
      },
    });
  });

  it("exports the province's communes with their values as CSV", async () => {
    const file = await exportValues(db(), actors.sl ?? testCtx, { form: DEMO_FORM, period: "2025" }, "csv");
    const lines = new TextDecoder().decode(file.body).trim().split(/\r\n/);
    expect([lines.length, lines[0]?.replace("\uFEFF", "").split(",").slice(0, 4)]).toEqual([
      10,
      ["unit", "unit_name", "period", "ROAD_KM_TOTAL"],
    ]);
  });
});

describe("managing the catalogue", () => {
  it("changes an indicator's expression and refuses an edit of an older version", async () => {
    const changed = await updateCatalogueEntry(db(), testCtx, "indicator", "GRID_PCT", {
      version: 1,
      decimals: 2,
    });
    const stale = updateCatalogueEntry(db(), testCtx, "indicator", "GRID_PCT", { version: 1, decimals: 0 });
    await expect(stale).rejects.toMatchObject({ status: 409, code: "stale_version" });
    expect([changed.decimals, changed.version]).toEqual([2, 2]);
  });

  it("changes only the fields a change names: the English name alone leaves factor, direction and importance", async () => {
    const before = await updateCatalogueEntry(db(), testCtx, "indicator", "POVERTY_RATE", {
      version: 1,
      factor: 100,
      higherIsBetter: false,
    });
    const after = await updateCatalogueEntry(db(), testCtx, "indicator", "POVERTY_RATE", {
      version: before.version,
      nameEn: "Poverty rate (renamed)",
    });
    const rule = await updateCatalogueEntry(db(), testCtx, "validation_rule", "LONGAN_LE_FRUIT", {
      version: 1,
      importance: "low",
    });
    const renamedRule = await updateCatalogueEntry(db(), testCtx, "validation_rule", "LONGAN_LE_FRUIT", {
      version: rule.version,
      messageEn: "Longan area cannot exceed the fruit area",
    });
    expect([
      after.nameEn,
      after.factor,
      after.higherIsBetter,
      after.denominator,
      renamedRule.importance,
    ]).toEqual(["Poverty rate (renamed)", before.factor, false, before.denominator, "low"]);
  });

  it("refuses a changed rule that names an unknown element", async () => {
    const attempt = updateCatalogueEntry(db(), testCtx, "validation_rule", "LONGAN_LE_FRUIT", {
      version: 1,
      right: "#{FRUIT}",
    });
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      details: { fields: [{ field: "right", code: "unknown_element" }] },
    });
  });

  it("answers 403 to a commune officer who tries to change the catalogue", async () => {
    const app = testApp(db(), { actor: actors.ck?.actor });
    const res = await app.request("/api/v1/indicators/GRID_PCT", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ version: 2, decimals: 3 }),
    });
    expect(res.status).toBe(403);
  });
});
