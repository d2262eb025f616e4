import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor } from "../access/actor.ts";
import { currentVersionForScope } from "../access/scope.ts";
import { pdfText } from "../documents/read-back.ts";
import { recordUnitChange } from "../units/record-change.ts";
import type { CommuneEvaluation, ProvinceSummary, RequirementEvaluation } from "./evaluate.ts";
import type { FrameworkInput, FrameworkView } from "./frameworks.ts";
import { setCommuneGroup } from "./groups.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let provinceAdmin: Actor;
let officer: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  provinceAdmin = {
    kind: "user",
    id: "9101",
    role: "province_admin",
    scope: await currentVersionForScope(database.db, "14"),
  };
  officer = {
    kind: "user",
    id: "9102",
    role: "commune_officer",
    scope: await currentVersionForScope(database.db, "04222"),
  };
});
afterAll(async () => {
  await database.drop();
});

const app = (actor: Actor = systemAdmin) => testApp(database.db, { actor });
const get = (path: string, actor?: Actor) => app(actor).request(`/api/v1/standards${path}`);
const send = (method: string, path: string, body: unknown, actor?: Actor) =>
  app(actor).request(`/api/v1/standards${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function scorecard(unit: string, year: number, framework = "NTM_2026_2030", actor?: Actor) {
  const res = await get(`/frameworks/${framework}/scorecard?unit=${unit}&year=${year}`, actor);
  expect(res.status).toBe(200);
  return ((await res.json()) as { evaluation: CommuneEvaluation }).evaluation;
}
const requirement = (e: CommuneEvaluation, dataCode: string): RequirementEvaluation => {
  const r = e.criteria.flatMap((c) => c.requirements).find((x) => x.dataCode === dataCode);
  if (!r) throw new Error(`no requirement ${dataCode}`);
  return r;
};

const framework = (over: Partial<FrameworkInput> = {}): FrameworkInput => ({
  code: "TEST_FW",
  kind: "test_kind",
  nameVi: "Bộ thử",
  nameEn: "Test set",
  validFrom: "2030-01-01",
  validTo: "2031-01-01",
  criteria: [
    {
      code: "C01",
      nameVi: "Đường",
      nameEn: "Roads",
      requirements: [
        {
          dataCode: "ROAD_CONCRETE_PCT",
          comparison: ">=",
          thresholds: [{ group: "all", value: 80, status: "demo" }],
        },
      ],
    },
  ],
  ...over,
});

describe("shipped frameworks", () => {
  it("ship the 2026–2030 set with 10 criteria, the 2021–2025 set with 19 and the health station set", async () => {
    const res = await get("/frameworks");
    const { items } = (await res.json()) as { items: Array<{ code: string; criteriaCount: number }> };
    expect(Object.fromEntries(items.map((f) => [f.code, f.criteriaCount]))).toMatchObject({
      NTM_2026_2030: 10,
      NTM_2021_2025: 19,
      YTX_2020: 10,
    });
  });

  it("mark the thresholds that could not be verified", async () => {
    const body = (await (await get("/frameworks/NTM_2026_2030")).json()) as FrameworkView;
    const statuses = body.criteria.flatMap((c) =>
      c.requirements.flatMap((r) => r.thresholds.map((t) => t.status)),
    );
    expect(statuses).not.toContain("verified");
    expect(body.unverifiedThresholds).toBeGreaterThan(0);
  });
});

describe("evaluation of a commune", () => {
  it("applies the threshold of the commune's group", async () => {
    const [group2, group3] = [await scorecard("04168", 2025), await scorecard("04222", 2025)];
    expect(requirement(group2, "ROAD_CONCRETE_PCT").threshold).toMatchObject({ group: "2", value: 90 });
    expect(requirement(group3, "ROAD_CONCRETE_PCT").threshold).toMatchObject({ group: "3", value: 70 });
  });

  it("judges a yes/no element", async () => {
    const [yes, no] = [await scorecard("04168", 2025), await scorecard("04210", 2025)];
    expect(requirement(yes, "NTM26_DIGITAL")).toMatchObject({ value: 1, state: "met" });
    expect(requirement(no, "NTM26_DIGITAL")).toMatchObject({ value: 0, state: "not_met" });
  });

  it("reports no data, not 'not met', for a commune that has not reported", async () => {
    const e = await scorecard("03688", 2025);
    expect(e.standard).toBe("no_data");
    expect(e.notMetCount).toBe(0);
    expect(requirement(e, "HEALTH_STANDARD_PCT")).toMatchObject({
      state: "no_data",
      reason: "no_value",
      gap: null,
    });
  });

  it("gives the gap in the indicator's units", async () => {
    const r = requirement(await scorecard("04210", 2025), "ROAD_CONCRETE_PCT");
    expect(r.state).toBe("not_met");
    expect(r.gap).toBeCloseTo(70 - (r.value as number), 3);
  });

  it("evaluates a merged commune on its predecessors' roll-up for a year before the merge", async () => {
    const e = await scorecard("04222", 2024);
    const values = rowsOf<{ code: string; element: string; value: string }>(
      await database.db.execute(sql`
        SELECT v.code, e.code AS element, d.numeric_value::text AS value FROM data_values d
        JOIN unit_versions v ON v.id = d.unit_version_id JOIN data_elements e ON e.id = d.element_id
        WHERE d.period = '2024' AND v.code IN ('04213', '04222') AND e.code IN ('ROAD_KM_CONCRETE', 'ROAD_KM_TOTAL')`),
    );
    const sum = (el: string) =>
      values.filter((v) => v.element === el).reduce((s, v) => s + Number(v.value), 0);
    expect(e.coverage).toMatchObject({ reported: 2, expected: 2 });
    expect(requirement(e, "ROAD_CONCRETE_PCT").value).toBeCloseTo(
      (sum("ROAD_KM_CONCRETE") / sum("ROAD_KM_TOTAL")) * 100,
      1,
    );
  });

  it("projects the year a rising requirement is met, across the merge", async () => {
    const r = requirement(await scorecard("04222", 2025), "ROAD_CONCRETE_PCT");
    expect(r.projection).toMatchObject({ kind: "year", basedOn: [2022, 2023, 2024, 2025] });
  });

  it("says 'not at this pace' for a requirement whose series is flat", async () => {
    const e = await scorecard("04210", 2025);
    expect(requirement(e, "ROAD_CONCRETE_PCT").projection).toMatchObject({ kind: "not_at_this_pace" });
    expect(e.projection).toMatchObject({ kind: "not_at_this_pace" });
    expect((e.projection as { blocking: string[] }).blocking).toContain("C02");
  });

  it("refuses a commune outside the reader's scope", async () => {
    const res = await get("/frameworks/NTM_2026_2030/scorecard?unit=04168&year=2025", officer);
    expect(res.status).toBe(403);
  });

  it("exports the scorecard to .xlsx with the commune and its count of criteria met", async () => {
    const res = await get("/frameworks/NTM_2026_2030/scorecard?unit=04222&year=2025&format=xlsx");
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const text = JSON.stringify(wb.worksheets[0]?.getSheetValues());
    expect(text).toContain("Phiếu đánh giá tiêu chí");
    expect(text).toMatch(/Đạt \d+\/10 tiêu chí/);
  });

  it("exports the scorecard to a PDF that reads back in Vietnamese with the commune and its coverage", async () => {
    const res = await get("/frameworks/NTM_2026_2030/scorecard?unit=04222&year=2025&format=pdf");
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const { text } = await pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain("Phiếu đánh giá tiêu chí");
    expect(text).toContain("(04222)");
    expect(text).toMatch(/Đạt \d+\/10 tiêu chí/);
  });
});

describe("province overview", () => {
  it("counts the communes meeting the standard against all the province's communes", async () => {
    const res = await get("/frameworks/NTM_2026_2030/overview?unit=14&year=2025");
    const s = (await res.json()) as ProvinceSummary;
    expect(s.communes).toBe(s.evaluations.length);
    expect(s.communes).toBeGreaterThan(9);
    expect(s.distribution.reduce((n, d) => n + d.communes, 0)).toBe(s.communes);
    expect(s.mostMissed).toHaveLength(10);
  });

  it("lists the communes closest to the standard first", async () => {
    const s = (await (
      await get("/frameworks/NTM_2026_2030/overview?unit=14&year=2025")
    ).json()) as ProvinceSummary;
    const counts = s.closest.map((c) => c.metCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBeGreaterThan(0);
  });
});

describe("threshold edits", () => {
  it("are audited and change the evaluation", async () => {
    const before = requirement(await scorecard("04210", 2025), "ROAD_CONCRETE_PCT");
    expect(before.state).toBe("not_met");
    const fw = (await (await get("/frameworks/NTM_2026_2030")).json()) as FrameworkView;
    const t = fw.criteria
      .flatMap((c) => c.requirements)
      .find((r) => r.dataCode === "ROAD_CONCRETE_PCT")
      ?.thresholds.find((x) => x.group === "3");
    if (!t) throw new Error("no group 3 threshold");
    const res = await send(
      "PATCH",
      `/thresholds/${t.id}`,
      { version: t.version, value: 30, status: "verified" },
      provinceAdmin,
    );
    expect(res.status).toBe(200);
    const after = requirement(await scorecard("04210", 2025), "ROAD_CONCRETE_PCT");
    expect(after).toMatchObject({ state: "met", threshold: { value: 30, status: "verified" } });
    const [audit] = rowsOf<{ before: { value: number }; after: { value: number } }>(
      await database.db.execute(sql`
        SELECT before, after FROM audit_events WHERE action = 'standards.threshold_update' AND record_id = ${String(t.id)}`),
    );
    expect([audit?.before.value, audit?.after.value]).toEqual([70, 30]);
    await send(
      "PATCH",
      `/thresholds/${t.id}`,
      { version: t.version + 1, value: 70, status: "unverified" },
      provinceAdmin,
    );
  });

  it("refuses an edit made on an older version (409)", async () => {
    const fw = (await (await get("/frameworks/NTM_2026_2030")).json()) as FrameworkView;
    const t = fw.criteria[1]?.requirements[0]?.thresholds[0];
    if (!t) throw new Error("no threshold");
    const res = await send("PATCH", `/thresholds/${t.id}`, {
      version: t.version + 5,
      value: 50,
      status: "unverified",
    });
    expect(res.status).toBe(409);
  });

  it("lets only one of two edits made on the same version in", async () => {
    const fw = (await (await get("/frameworks/NTM_2026_2030")).json()) as FrameworkView;
    const t = fw.criteria[2]?.requirements[0]?.thresholds[0];
    if (!t) throw new Error("no threshold");
    const results = await Promise.all(
      [61, 62].map((value) =>
        send(
          "PATCH",
          `/thresholds/${t.id}`,
          { version: t.version, value, status: "unverified" },
          provinceAdmin,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("refuses a percentage threshold of 140 (422)", async () => {
    const fw = (await (await get("/frameworks/NTM_2026_2030")).json()) as FrameworkView;
    const t = fw.criteria[1]?.requirements[0]?.thresholds[0];
    if (!t) throw new Error("no threshold");
    const res = await send("PATCH", `/thresholds/${t.id}`, {
      version: t.version,
      value: 140,
      status: "unverified",
    });
    expect(res.status).toBe(422);
  });

  it("are refused to a commune officer", async () => {
    const res = await send(
      "PATCH",
      "/thresholds/1",
      { version: 1, value: 50, status: "unverified" },
      officer,
    );
    expect(res.status).toBe(403);
  });
});

describe("bad frameworks", () => {
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  it("refuses a requirement on an unknown indicator (422)", async () => {
    const fw = framework();
    const req = fw.criteria[0]?.requirements[0];
    if (req) req.dataCode = "NO_SUCH_INDICATOR";
    const res = await send("POST", "/frameworks", fw);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe("unknown_indicator");
  });

  it("refuses a percentage threshold of 140 (422)", async () => {
    const fw = framework();
    const t = fw.criteria[0]?.requirements[0]?.thresholds[0];
    if (t) t.value = 140;
    const res = await send("POST", "/frameworks", fw);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe("threshold_out_of_range");
  });

  it("refuses a commune group that does not exist, naming it (422)", async () => {
    const fw = framework();
    const t = fw.criteria[0]?.requirements[0]?.thresholds[0];
    if (t) t.group = "4";
    const res = await send("POST", "/frameworks", fw);
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe("unknown_group");
    expect(error.message).toContain('"4"');
  });

  it("refuses a framework whose validity overlaps another of the same kind (422)", async () => {
    const res = await send(
      "POST",
      "/frameworks",
      framework({ code: "TEST_NTM", kind: "ntm_commune", validFrom: "2025-06-01" }),
    );
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe("overlapping_validity");
  });

  it("lets only one of two overlapping frameworks saved at once in", async () => {
    const results = await Promise.all([
      send("POST", "/frameworks", framework({ code: "RACE_A", kind: "race_kind" })),
      send("POST", "/frameworks", framework({ code: "RACE_B", kind: "race_kind" })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
  });
});

describe("commune groups", () => {
  it("refuse a group that does not exist, naming it (422)", async () => {
    const res = await send("PUT", "/communes/03688/group", { group: 4, expected: null }, provinceAdmin);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("4");
  });

  it("are set by a province administrator with an audit event", async () => {
    const ok = await send("PUT", "/communes/03688/group", { group: 3, expected: null }, provinceAdmin);
    expect(ok.status).toBe(200);
    const [audit] = rowsOf<{ n: number }>(
      await database.db.execute(sql`
        SELECT count(*)::int AS n FROM audit_events WHERE action = 'standards.commune_group_set' AND unit_code = '03688'`),
    );
    expect(audit?.n).toBe(1);
  });

  it("are not inherited by a commune formed by a merge: its group is set afresh", async () => {
    await setCommuneGroup(database.db, testCtx, "03703", { group: 3, expected: null });
    await setCommuneGroup(database.db, testCtx, "03712", { group: 3, expected: null });
    await recordUnitChange(database.db, testCtx, {
      kind: "merge",
      effectiveDate: "2026-11-01",
      document: "99/NQ-UBTVQH15",
      close: ["03703", "03712"],
      open: [{ code: "03703", name: "Xã Quỳnh Nhai", level: "commune", parentCode: "14" }],
      edges: [
        { from: "03703", to: "03703", kind: "full" },
        { from: "03712", to: "03703", kind: "full" },
      ],
    });
    const e = await scorecard("03703", 2025);
    expect(e.unit.communeGroup).toBeNull();
  });

  it("refuse a change made against a group that has changed since (409)", async () => {
    await setCommuneGroup(database.db, testCtx, "03694", { group: 2, expected: null });
    const res = await send("PUT", "/communes/03694/group", { group: 3, expected: null }, provinceAdmin);
    expect(res.status).toBe(409);
  });
});

describe("targets", () => {
  it("lists the province plan's target for roads", async () => {
    const res = await get("/targets?unit=14&data=ROAD_CONCRETE_PCT");
    const { items } = (await res.json()) as { items: Array<{ period: string; value: number }> };
    expect(items).toEqual([expect.objectContaining({ period: "2027", value: 60 })]);
  });

  it("refuse a target outside the indicator's range (422)", async () => {
    const res = await send(
      "POST",
      "/targets",
      { dataCode: "ROAD_CONCRETE_PCT", unitCode: "04168", period: "2028", value: 140 },
      provinceAdmin,
    );
    expect(res.status).toBe(422);
  });

  it("are created by a province administrator with an audit event", async () => {
    const res = await send(
      "POST",
      "/targets",
      { dataCode: "CLEAN_WATER_PCT", unitCode: "04222", period: "2028", value: 99 },
      provinceAdmin,
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const [audit] = rowsOf<{ after: { value: number } }>(
      await database.db.execute(sql`
        SELECT after FROM audit_events WHERE action = 'standards.target_create' AND record_id = ${String(id)}`),
    );
    expect(audit?.after.value).toBe(99);
  });

  it("refuse a second target for the same indicator, unit and period (409)", async () => {
    const body = { dataCode: "GRID_PCT", unitCode: "04222", period: "2028", value: 99 };
    expect((await send("POST", "/targets", body, provinceAdmin)).status).toBe(201);
    expect((await send("POST", "/targets", body, provinceAdmin)).status).toBe(409);
  });
});
