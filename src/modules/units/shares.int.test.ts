import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor } from "../access/actor.ts";
import { currentVersionForScope } from "../access/scope.ts";
import { createReferenceEngine } from "../analytics/index.ts";
import { declareShares } from "./shares.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let sonLaAdmin: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  sonLaAdmin = {
    kind: "user",
    id: "9100",
    role: "province_admin",
    scope: await currentVersionForScope(db(), "14"),
  };
  await db().execute(sql`INSERT INTO data_elements (code, name_vi, name_en, value_type, aggregation)
    VALUES ('S_PEOPLE', 'dân số', 'people', 'number', 'sum')`);
});
afterAll(async () => {
  await database.drop();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
const json = (res: Response): Promise<any> => res.json();
const request = (actor: Actor, path: string, init: { method: string; body: string; type?: string }) =>
  testApp(db(), { actor }).request(path, {
    method: init.method,
    headers: { "content-type": init.type ?? "application/json" },
    body: init.body,
  });

/** The edges from old `from` (its version that ended on 1 July 2025) by successor code. */
async function edgesOf(from: string): Promise<Record<string, { id: number; version: number; kind: string }>> {
  const rows = rowsOf<{ id: number | string; version: number; kind: string; to: string }>(
    await db().execute(sql`SELECT e.id, e.version, e.kind, s.code AS to FROM lineage_edges e
      JOIN unit_versions p ON p.id = e.predecessor_id JOIN unit_versions s ON s.id = e.successor_id
      WHERE p.code = ${from} AND p.valid_to = '2025-07-01'`),
  );
  return Object.fromEntries(rows.map((r) => [r.to, { id: Number(r.id), version: r.version, kind: r.kind }]));
}

const patch = (actor: Actor, id: number, body: Record<string, unknown>) =>
  request(actor, `/api/v1/lineage-edges/${id}`, { method: "PATCH", body: JSON.stringify(body) });

describe("declaring shares on partial edges", () => {
  it("moves the figure of a split commune into its successor and audits the declaration", async () => {
    // Old 04111 (Sơn La) was split between today's 03943 and 04123, with no shares.
    await db().execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, updated_by)
      SELECT e.id, v.id, '2024', '1000', 1000, 'test' FROM data_elements e, unit_versions v
      WHERE e.code = 'S_PEOPLE' AND v.code = '04111' AND v.valid_to = '2025-07-01'`);
    const engine = createReferenceEngine(db());
    const query = {
      data: ["S_PEOPLE"],
      periods: ["2024"],
      units: [{ code: "03943", mode: "self" as const }],
    };
    const before = await engine.pivot(query);
    const edge = (await edgesOf("04111"))["03943"];
    const res = await patch(sonLaAdmin, edge?.id ?? 0, {
      share: 0.6,
      basis: "dân số 2024",
      version: edge?.version,
    });
    const after = await engine.pivot(query);
    const audit = rowsOf<{ after: { share: number; basis: string } }>(
      await db().execute(sql`SELECT after FROM audit_events WHERE action = 'units.share_declare'
        AND record_id = ${String(edge?.id)}`),
    );
    expect([res.status, before.rows[0]?.value ?? null, before.rows[0]?.incomplete]).toEqual([
      200,
      null,
      true,
    ]);
    // The rest (0.4) can only have gone to 04123, the one successor still without a share: 03943 is now complete.
    expect([after.rows[0]?.value, after.rows[0]?.incomplete]).toEqual([600, undefined]);
    expect(audit.map((a) => a.after)).toEqual([{ edge: "04111 → 03943", share: 0.6, basis: "dân số 2024" }]);
  });

  it("shows the declared share and its basis on the unit page's history", async () => {
    const res = await testApp(db()).request("/api/v1/units/04111?at=2025-06-30");
    const body = await json(res);
    const link = body.selected.successors.find((s: { unit: { code: string } }) => s.unit.code === "03943");
    expect([link.share, link.basis]).toEqual([0.6, "dân số 2024"]);
  });

  it("refuses shares of one predecessor that would add up to more than 1, naming the edge", async () => {
    const edge = (await edgesOf("04111"))["04123"];
    const res = await patch(sonLaAdmin, edge?.id ?? 0, {
      share: 0.5,
      basis: "dân số 2024",
      version: edge?.version,
    });
    const body = await json(res);
    expect([res.status, body.error.code, body.error.details.problems[0].edge]).toEqual([
      422,
      "shares_exceed_whole",
      "04111 → 04123",
    ]);
  });

  it.each([[0], [-0.2], [1.5]])(
    "refuses a share of %s (outside (0, 1]) with 422 naming the edge",
    async (share) => {
      const edge = (await edgesOf("04012"))["03980"];
      const res = await patch(systemAdmin, edge?.id ?? 0, {
        share,
        basis: "diện tích",
        version: edge?.version,
      });
      const body = await json(res);
      expect([res.status, body.error.code, body.error.details.problems[0].edge]).toEqual([
        422,
        "share_out_of_range",
        "04012 → 03980",
      ]);
    },
  );

  it("refuses a share on a full edge", async () => {
    const [row] = rowsOf<{ id: number | string; version: number }>(
      await db().execute(sql`SELECT id, version FROM lineage_edges WHERE kind = 'full' ORDER BY id LIMIT 1`),
    );
    const res = await patch(systemAdmin, Number(row?.id), { share: 0.5, basis: "x", version: row?.version });
    expect([res.status, (await json(res)).error.code]).toEqual([422, "share_on_full_edge"]);
  });

  it("refuses (403) a province administrator declaring for another province's split", async () => {
    // Old 00016 (Hà Nội) went partly to today's 00004.
    const edge = (await edgesOf("00016"))["00004"];
    const res = await patch(sonLaAdmin, edge?.id ?? 0, {
      share: 0.3,
      basis: "diện tích",
      version: edge?.version,
    });
    expect(res.status).toBe(403);
  });

  it("refuses a declaration on a version already changed (409)", async () => {
    const edge = (await edgesOf("04111"))["03943"];
    const res = await patch(sonLaAdmin, edge?.id ?? 0, { share: 0.4, basis: "diện tích", version: 1 });
    expect([res.status, (await json(res)).error.code]).toEqual([409, "stale_version"]);
  });
});

describe("a shares CSV", () => {
  const upload = (csv: string, actor: Actor = systemAdmin) =>
    request(actor, "/api/v1/lineage-shares/import", { method: "POST", body: csv, type: "text/csv" });
  const shareOf = async (from: string, to: string) => {
    const [row] = rowsOf<{ share: string | null }>(
      await db().execute(sql`SELECT e.share::text AS share FROM lineage_edges e
        JOIN unit_versions p ON p.id = e.predecessor_id JOIN unit_versions s ON s.id = e.successor_id
        WHERE p.code = ${from} AND s.code = ${to}`),
    );
    return row?.share === null || row?.share === undefined ? null : Number(row.share);
  };

  it("with one bad row stores nothing and names every bad row", async () => {
    const res = await upload(
      "ma_cu,ma_moi,ty_le,can_cu\n04012,03980,0.7,diện tích\n04012,04078,abc,diện tích\n99999,03980,0.1,x\n",
    );
    const body = await json(res);
    expect([res.status, body.error.details.problems.map((p: { line: number }) => p.line)]).toEqual([
      422,
      [3, 4],
    ]);
    expect(await shareOf("04012", "03980")).toBeNull();
  });

  it("names an unknown edge by its line, and stores nothing", async () => {
    const res = await upload("ma_cu,ma_moi,ty_le,can_cu\n04012,03980,70%,diện tích\n99999,03980,0,1,x\n");
    const body = await json(res);
    expect([
      res.status,
      body.error.details.problems.map((p: { line: number; code: string }) => [p.line, p.code]),
    ]).toEqual([422, [[3, "edge_not_found"]]]);
    expect(await shareOf("04012", "03980")).toBeNull();
  });

  it("declares every row, with the basis, in one go", async () => {
    const res = await upload(
      'ma_cu,ma_moi,ty_le,can_cu\n04012,03980,"0,7",diện tích\n04012,04078,30%,diện tích\n',
    );
    expect([res.status, await shareOf("04012", "03980"), await shareOf("04012", "04078")]).toEqual([
      200, 0.7, 0.3,
    ]);
  });
});

describe("two declarers at once", () => {
  it("lets only one of two concurrent declarations push a predecessor's shares past 1", async () => {
    // 03943 holds 0.6 of old 04111: 0.4 for 04123 fits beside it, 0.9 for 03943 fits alone, both together do not.
    const edges = await edgesOf("04111");
    const a = edges["04123"]?.id ?? 0;
    const b = edges["03943"]?.id ?? 0;
    const results = await Promise.allSettled([
      declareShares(db(), testCtx, [{ edgeId: a, share: 0.4, basis: "dân số" }]),
      declareShares(db(), testCtx, [{ edgeId: b, share: 0.9, basis: "dân số" }]),
    ]);
    const total = rowsOf<{ s: string }>(
      await db().execute(sql`SELECT sum(share)::text AS s FROM lineage_edges WHERE id IN (${a}, ${b})`),
    )[0];
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(Number(total?.s)).toBeLessThanOrEqual(1);
  });
});
