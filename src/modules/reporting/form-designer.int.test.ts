import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor, RequestContext, Role } from "../access/actor.ts";
import { scopeOfVersion } from "../access/scope.ts";
import { createUser } from "../access/users.ts";
import { createDataElement, updateCatalogueEntry } from "./catalogue.ts";
import { DEMO_FORM, KY_SON_COMMUNES, SONG_MA_COMMUNES } from "./demo.ts";
import { saveValue } from "./entry.ts";
import { entryContext } from "./entry-context.ts";
import {
  createForm,
  type FormInput,
  formDesign,
  setFormRetired,
  setFormUnits,
  updateForm,
} from "./form-designer.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
const as: Record<string, RequestContext> = {};

async function account(username: string, role: Role, scopeCode: string) {
  const { user } = await createUser(db(), testCtx, new Date(), {
    username: `${username}.forms`,
    displayName: username,
    role,
    scopeCode,
    password: "rất-dài-và-khó-đoán-1",
  });
  const [row] = rowsOf<{ scope_version_id: string }>(
    await db().execute(sql`SELECT scope_version_id FROM users WHERE id = ${user.id}`),
  );
  const actor: Actor = {
    kind: "user",
    id: String(user.id),
    role,
    scope: await scopeOfVersion(db(), Number(row?.scope_version_id)),
  };
  as[username] = { actor, requestId: "test" };
}
const ctx = (who: string): RequestContext => {
  const found = as[who];
  if (!found) throw new Error(`no account ${who}`);
  return found;
};

let sonLaCommunes: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  await account("sonla", "province_admin", "14");
  await account("nghean", "province_admin", "40");
  await account("chiengkhuong", "commune_officer", "04222");
  sonLaCommunes = rowsOf<{ code: string }>(
    await db().execute(sql`
      SELECT code FROM unit_versions WHERE parent_code = '14' AND level = 'commune' AND valid_to IS NULL
      ORDER BY code`),
  ).map((r) => r.code);
});
afterAll(async () => {
  await database.drop();
});

const monthlyForm = (code: string, overrides: Partial<FormInput> = {}): FormInput => ({
  code,
  nameVi: "Báo cáo tháng về đường giao thông",
  nameEn: "Monthly roads report",
  periodType: "monthly",
  deadlineRule: "day_of_next_month",
  deadlineDays: 20,
  sections: [{ nameVi: "Đường", nameEn: "Roads", elements: ["ROAD_KM_TOTAL", "ROAD_KM_CONCRETE"] }],
  units: sonLaCommunes.slice(0, 5),
  ...overrides,
});

describe("designing a province's form", () => {
  it("lets a province administrator create a monthly form for five of its communes, owned by the province", async () => {
    await createForm(db(), ctx("sonla"), monthlyForm("SL_ROADS_MONTHLY"));
    const design = await formDesign(db(), ctx("sonla"), "SL_ROADS_MONTHLY");
    expect([
      design.ownerUnitCode,
      design.units.length,
      design.deadlineRule,
      design.coverageThreshold,
    ]).toEqual(["14", 5, "day_of_next_month", 0.8]);
  });

  it("assigns every commune of the province when asked for all of them", async () => {
    await createForm(db(), ctx("sonla"), monthlyForm("SL_ALL_COMMUNES", { units: { communesOf: "14" } }));
    const design = await formDesign(db(), ctx("sonla"), "SL_ALL_COMMUNES");
    expect(design.units).toEqual(sonLaCommunes);
  });

  it("refuses a form with no elements (422)", async () => {
    await expect(
      createForm(
        db(),
        ctx("sonla"),
        monthlyForm("SL_EMPTY", { sections: [{ nameVi: "A", nameEn: "A", elements: [] }] }),
      ),
    ).rejects.toMatchObject({ status: 422, code: "form_without_elements" });
  });

  it("refuses a form with no reporting units (422)", async () => {
    await expect(
      createForm(db(), ctx("sonla"), monthlyForm("SL_NOBODY", { units: [] })),
    ).rejects.toMatchObject({
      status: 422,
      code: "form_without_units",
    });
  });

  it("refuses a deadline that does not exist in every month, naming the rule", async () => {
    const attempt = createForm(db(), ctx("sonla"), monthlyForm("SL_DAY_30", { deadlineDays: 30 }));
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      code: "deadline_not_computable",
      messages: { en: expect.stringContaining("day 30 of the month after the period") },
    });
  });

  it("refuses a province administrator assigning a commune of another province (403)", async () => {
    const attempt = createForm(
      db(),
      ctx("sonla"),
      monthlyForm("SL_WITH_KY_SON", { units: [...sonLaCommunes.slice(0, 2), KY_SON_COMMUNES[0] ?? ""] }),
    );
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a commune officer creating a form (403)", async () => {
    await expect(createForm(db(), ctx("chiengkhuong"), monthlyForm("XA_FORM"))).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe("authority over forms and the catalogue", () => {
  it("refuses a province administrator changing a national form (403)", async () => {
    const national = await formDesign(db(), testCtx, DEMO_FORM);
    const attempt = updateForm(db(), ctx("sonla"), DEMO_FORM, { ...national, version: national.version });
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a province administrator changing another province's form (403)", async () => {
    await createForm(db(), ctx("sonla"), monthlyForm("SL_PRIVATE"));
    const design = await formDesign(db(), ctx("sonla"), "SL_PRIVATE");
    const attempt = updateForm(db(), ctx("nghean"), "SL_PRIVATE", { ...design, nameVi: "Của Nghệ An" });
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("lets a province administrator add its other communes to a national form, keeping the other provinces' units", async () => {
    const design = await formDesign(db(), ctx("sonla"), DEMO_FORM);
    const extra = sonLaCommunes.filter((c) => !SONG_MA_COMMUNES.includes(c)).slice(0, 3);
    await setFormUnits(db(), ctx("sonla"), DEMO_FORM, {
      units: [...design.units, ...extra],
      version: design.version,
    });
    const after = await formDesign(db(), testCtx, DEMO_FORM);
    expect([
      extra.every((c) => after.units.includes(c)),
      KY_SON_COMMUNES.every((c) => after.units.includes(c)),
    ]).toEqual([true, true]);
  });

  it("refuses a province administrator naming another province's unit on a national form (403)", async () => {
    const design = await formDesign(db(), ctx("sonla"), DEMO_FORM);
    const attempt = setFormUnits(db(), ctx("sonla"), DEMO_FORM, {
      units: [...design.units, KY_SON_COMMUNES[0] ?? ""],
      version: design.version,
    });
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("refuses a province administrator changing a national data element (403)", async () => {
    const attempt = updateCatalogueEntry(db(), ctx("nghean"), "data_element", "ROAD_KM_TOTAL", {
      version: 1,
      nameVi: "Đổi tên",
    });
    await expect(attempt).rejects.toMatchObject({ status: 403 });
  });

  it("lets a province administrator change a data element of its own province", async () => {
    await createDataElement(db(), ctx("nghean"), {
      code: "NA_TEA_HA",
      nameVi: "Diện tích chè",
      nameEn: "Tea area",
      valueType: "number",
      unitOfMeasure: "ha",
      aggregation: "sum",
    });
    const changed = await updateCatalogueEntry(db(), ctx("nghean"), "data_element", "NA_TEA_HA", {
      version: 1,
      nameVi: "Diện tích chè (ha)",
    });
    expect([changed.nameVi, changed.ownerUnitCode]).toEqual(["Diện tích chè (ha)", "40"]);
  });

  it("refuses another province's data element in a province's form (422)", async () => {
    const attempt = createForm(
      db(),
      ctx("sonla"),
      monthlyForm("SL_TEA", { sections: [{ nameVi: "Chè", nameEn: "Tea", elements: ["NA_TEA_HA"] }] }),
    );
    await expect(attempt).rejects.toMatchObject({ status: 422, code: "foreign_element" });
  });
});

describe("changing a form that has data", () => {
  it("keeps the values of an element taken off the form and says how many", async () => {
    const design = await formDesign(db(), testCtx, DEMO_FORM);
    const sections = design.sections.map((s) => ({
      ...s,
      elements: s.elements.filter((e) => e !== "LONGAN_HA"),
    }));
    const result = await updateForm(db(), testCtx, DEMO_FORM, { ...design, sections });
    const [stored] = rowsOf<{ n: string }>(
      await db().execute(sql`
        SELECT count(*) AS n FROM data_values v JOIN data_elements e ON e.id = v.element_id
        WHERE e.code = 'LONGAN_HA'`),
    );
    expect([result.keptValues.map((k) => k.element), Number(stored?.n) > 0]).toEqual([["LONGAN_HA"], true]);
  });

  it("refuses a change made from an old version (409), so two designers never overwrite each other", async () => {
    await createForm(db(), ctx("sonla"), monthlyForm("SL_RACE"));
    const design = await formDesign(db(), ctx("sonla"), "SL_RACE");
    const results = await Promise.allSettled([
      updateForm(db(), ctx("sonla"), "SL_RACE", { ...design, nameVi: "Bản của người thứ nhất" }),
      updateForm(db(), ctx("sonla"), "SL_RACE", { ...design, nameVi: "Bản của người thứ hai" }),
    ]);
    const statuses = results.map((r) =>
      r.status === "fulfilled" ? 200 : (r.reason as { status?: number }).status,
    );
    expect(statuses.sort()).toEqual([200, 409]);
  });

  it("takes a retired form off the reports list of a commune and keeps its design readable", async () => {
    const app = (await import("../../db/testing/app.ts")).testApp(db(), { actor: ctx("chiengkhuong").actor });
    await createForm(db(), ctx("sonla"), monthlyForm("SL_RETIRED", { units: ["04222"] }));
    const before = (await (await app.request("/api/v1/forms")).json()) as { items: Array<{ code: string }> };
    const design = await formDesign(db(), ctx("sonla"), "SL_RETIRED");
    await setFormRetired(db(), ctx("sonla"), "SL_RETIRED", { retired: true, version: design.version });
    const after = (await (await app.request("/api/v1/forms")).json()) as { items: Array<{ code: string }> };
    expect([
      before.items.some((f) => f.code === "SL_RETIRED"),
      after.items.some((f) => f.code === "SL_RETIRED"),
    ]).toEqual([true, false]);
  });
});

describe("entry guardrails", () => {
  it("gives the previous period's value of each element beside the field", async () => {
    await createForm(db(), ctx("sonla"), monthlyForm("SL_PREVIOUS", { units: ["04222"] }));
    await saveValue(db(), testCtx, {
      form: "SL_PREVIOUS",
      unit: "04222",
      period: "202509",
      element: "ROAD_KM_TOTAL",
      value: "12.5",
      expectedVersion: 0,
    });
    const context = await entryContext(db(), ctx("chiengkhuong"), "SL_PREVIOUS", "04222", "202510");
    expect([context.previousPeriod, context.elements.ROAD_KM_TOTAL?.previous, context.changeFactor]).toEqual([
      "202509",
      "12.5",
      2,
    ]);
  });

  it("gives the rules of the form so the browser checks them without a connection", async () => {
    const context = await entryContext(db(), ctx("chiengkhuong"), "SL_PREVIOUS", "04222", "202510");
    expect(context.rules.map((r) => r.code)).toContain("ROAD_CONCRETE_LE_TOTAL");
  });

  it("refuses the guardrails of a unit outside the reader's scope (403)", async () => {
    await expect(entryContext(db(), ctx("chiengkhuong"), DEMO_FORM, "04219", "2025")).rejects.toMatchObject({
      status: 403,
    });
  });
});
