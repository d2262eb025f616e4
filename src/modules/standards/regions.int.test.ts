import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor } from "../access/actor.ts";
import { currentVersionForScope } from "../access/scope.ts";
import type { CommuneEvaluation, RegionsView, RequirementEvaluation } from "./contract.ts";
import type { FrameworkInput } from "./frameworks.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let provinceAdmin: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  provinceAdmin = {
    kind: "user",
    id: "9201",
    role: "province_admin",
    scope: await currentVersionForScope(database.db, "14"),
  };
});
afterAll(async () => {
  await database.drop();
});

const app = (actor: Actor = systemAdmin) => testApp(database.db, { actor });
const send = (method: string, path: string, body: unknown, actor?: Actor) =>
  app(actor).request(`/api/v1/standards${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

type Threshold = FrameworkInput["criteria"][number]["requirements"][number]["thresholds"][number];
const framework = (code: string, thresholds: Threshold[]): FrameworkInput => ({
  code,
  kind: `kind_${code.toLowerCase()}`,
  nameVi: "Bộ thử theo vùng",
  nameEn: "Regional test set",
  validFrom: "2030-01-01",
  validTo: "2031-01-01",
  criteria: [
    {
      code: "C01",
      nameVi: "Đường",
      nameEn: "Roads",
      requirements: [{ dataCode: "ROAD_CONCRETE_PCT", comparison: ">=", thresholds }],
    },
  ],
});

async function roadThreshold(frameworkCode: string, unit: string): Promise<RequirementEvaluation> {
  const res = await app().request(
    `/api/v1/standards/frameworks/${frameworkCode}/scorecard?unit=${unit}&year=2025`,
  );
  expect(res.status).toBe(200);
  const { evaluation } = (await res.json()) as { evaluation: CommuneEvaluation };
  const r = evaluation.criteria
    .flatMap((c) => c.requirements)
    .find((x) => x.dataCode === "ROAD_CONCRETE_PCT");
  if (!r) throw new Error("no road requirement");
  return r;
}

beforeAll(async () => {
  const res = await send(
    "POST",
    "/frameworks",
    framework("REGION_FW", [
      { group: "all", value: 80, status: "demo" },
      { region: "TDMNPB", value: 50, status: "demo" },
      { region: "DBSH", value: 95, status: "demo" },
      { group: "2", value: 90, status: "demo" },
    ]),
  );
  expect(res.status).toBe(201);
});

describe("region thresholds", () => {
  it("apply to a commune without a group in a province of that region, and the scorecard says so", async () => {
    // 03688 (Sơn La, Northern Midlands and Mountains) has no commune group.
    const r = await roadThreshold("REGION_FW", "03688");
    expect(r.threshold).toMatchObject({ group: "region", region: { code: "TDMNPB" }, value: 50 });
  });

  it("give way to the commune's own group threshold", async () => {
    // 04168 (Sơn La) is in group 2 in the demo data.
    const r = await roadThreshold("REGION_FW", "04168");
    expect(r.threshold).toMatchObject({ group: "2", region: null, value: 90 });
  });

  it("give no data, not a guess, to a commune whose province has no region set", async () => {
    const onlyRegional = await send(
      "POST",
      "/frameworks",
      framework("ONLY_REGION_FW", [{ region: "TN", value: 50, status: "demo" }]),
    );
    expect(onlyRegional.status).toBe(201);
    // Gia Lai (52) ships without a region: it was formed in 2025 from provinces of two regions.
    const [commune] = rowsOf<{ code: string }>(
      await database.db.execute(sql`
        SELECT code FROM unit_versions WHERE parent_code = '52' AND level = 'commune' AND valid_to IS NULL
        ORDER BY code LIMIT 1`),
    );
    if (!commune) throw new Error("no Gia Lai commune");
    const r = await roadThreshold("ONLY_REGION_FW", commune.code);
    expect(r).toMatchObject({ threshold: null, state: "no_data", reason: "no_region" });
  });

  it("refuse a region that does not exist, naming it (422)", async () => {
    const res = await send(
      "POST",
      "/frameworks",
      framework("BAD_REGION_FW", [{ region: "ATLANTIS", value: 50, status: "demo" }]),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unknown_region");
    expect(body.error.message).toContain("ATLANTIS");
  });
});

describe("the province → region mapping", () => {
  const nghean = async () => {
    const res = await app().request("/api/v1/standards/regions");
    const view = (await res.json()) as RegionsView;
    const p = view.provinces.find((x) => x.code === "40");
    if (!p) throw new Error("no province 40");
    return p;
  };

  it("lists the six regions and places Nghệ An in the North Central and Central Coast", async () => {
    const res = await app().request("/api/v1/standards/regions");
    const view = (await res.json()) as RegionsView;
    expect(view.regions.map((r) => r.code)).toEqual(["TDMNPB", "DBSH", "BTB_DHMT", "TN", "DNB", "DBSCL"]);
    expect(view.provinces).toHaveLength(34);
    expect(await nghean()).toMatchObject({ region: "BTB_DHMT" });
  });

  it("is changed by a system administrator with an audit event naming before and after", async () => {
    const before = await nghean();
    const res = await send("PUT", "/regions/provinces/40", { region: "DBSH", version: before.version });
    expect(res.status).toBe(200);
    const audits = rowsOf<{ before: { region: string }; after: { region: string } }>(
      await database.db.execute(sql`
        SELECT before, after FROM audit_events
        WHERE action = 'standards.province_region_set' AND unit_code = '40'`),
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ before: { region: "BTB_DHMT" }, after: { region: "DBSH" } });
  });

  it("moves the province's communes to the new region's thresholds at once", async () => {
    const current = await nghean();
    await send("PUT", "/regions/provinces/40", { region: "DBSH", version: current.version });
    // A current Nghệ An commune without a group: its region threshold is the only one that can apply but "all".
    const [commune] = rowsOf<{ code: string }>(
      await database.db.execute(sql`
        SELECT code FROM unit_versions WHERE parent_code = '40' AND level = 'commune' AND commune_group IS NULL
          AND valid_to IS NULL ORDER BY code LIMIT 1`),
    );
    if (!commune) throw new Error("no Nghệ An commune without a group");
    const r = await roadThreshold("REGION_FW", commune.code);
    expect(r.threshold).toMatchObject({ group: "region", region: { code: "DBSH" }, value: 95 });
  });

  it("refuses a change made on an older version (409)", async () => {
    const current = await nghean();
    const res = await send("PUT", "/regions/provinces/40", { region: "TN", version: current.version - 1 });
    expect(res.status).toBe(409);
    expect((await nghean()).region).toBe(current.region);
  });

  it("lets only one of two changes made on the same version in", async () => {
    const current = await nghean();
    const results = await Promise.all([
      send("PUT", "/regions/provinces/40", { region: "TN", version: current.version }),
      send("PUT", "/regions/provinces/40", { region: "DNB", version: current.version }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("refuses an unknown region, naming it (422)", async () => {
    const current = await nghean();
    const res = await send("PUT", "/regions/provinces/40", { region: "ATLANTIS", version: current.version });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("ATLANTIS");
  });

  it("is not changed by a province administrator", async () => {
    const current = await nghean();
    const res = await send(
      "PUT",
      "/regions/provinces/14",
      { region: "DBSH", version: current.version },
      provinceAdmin,
    );
    expect(res.status).toBe(403);
  });
});
