import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Actor, Role } from "../access/actor.ts";
import { users } from "../access/schema.ts";
import { currentVersionForScope } from "../access/scope.ts";
import type { View } from "./views.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const actors: Record<string, Actor> = {};

async function account(username: string, role: Role, scopeCode: string | null): Promise<Actor> {
  const scope = scopeCode ? await currentVersionForScope(database.db, scopeCode) : null;
  const [row] = await database.db
    .insert(users)
    .values({
      username,
      displayName: `Người dùng ${username}`,
      passwordHash: "not-a-hash",
      role,
      scopeVersionId: scope?.versionId ?? null,
    })
    .returning({ id: users.id });
  return { kind: "user", id: String(row?.id), role, scope };
}

beforeAll(async () => {
  database = await openTestDatabase();
  actors.admin = await account("v.admin", "system_admin", null);
  actors.sonlaAdmin = await account("v.sonla.admin", "province_admin", "14");
  actors.sonla = await account("v.sonla.officer", "province_officer", "14");
  actors.chiengKhuong = await account("v.chiengkhuong", "commune_officer", "04222");
  actors.other = await account("v.04219", "commune_officer", "04219");
  actors.nghean = await account("v.nghean", "province_officer", "40");
});
afterAll(async () => {
  await database.drop();
});

const call = (who: keyof typeof actors | Actor, method: string, path: string, body?: unknown) =>
  testApp(database.db, { actor: typeof who === "string" ? (actors[who] as Actor) : who }).request(
    `/api/v1/analytics/views${path}`,
    {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    },
  );

const communeQuery = {
  dx: ["ROAD_CONCRETE_PCT", "GRID_PCT"],
  pe: ["2025"],
  ou: ["04222"],
  rows: ["ou"],
  columns: ["dx"],
  filter: ["pe"],
  chart: "bar",
};
const provinceQuery = { ...communeQuery, ou: ["14:children"], chart: "table" };

async function list(who: keyof typeof actors) {
  const res = await call(who, "GET", "");
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: View[] }).items;
}

async function auditOf(id: number) {
  return rowsOf<{ action: string; before: unknown; after: unknown; unit_code: string | null }>(
    await database.db.execute(sql`SELECT action, before, after, unit_code FROM audit_events
      WHERE record_kind = 'analytics_view' AND record_id = ${String(id)} ORDER BY id`),
  );
}

describe("saved analytics views", () => {
  let communeView: View;
  let provinceView: View;

  it("saves a view shared with the saver's scope unit by default", async () => {
    const res = await call("chiengKhuong", "POST", "", {
      name: "Đường và điện",
      description: "Chiềng Khương 2025",
      query: communeQuery,
    });
    expect(res.status).toBe(201);
    communeView = (await res.json()) as View;
    expect(communeView).toMatchObject({
      name: "Đường và điện",
      description: "Chiềng Khương 2025",
      unitCode: "04222",
      unitName: expect.stringMatching(/Chiềng Khương/),
      ownerId: Number((actors.chiengKhuong as { id: string }).id),
      ownerName: "Người dùng v.chiengkhuong",
      isMine: true,
      query: communeQuery,
      version: 1,
    });

    const province = await call("sonla", "POST", "", { name: "Sơn La theo xã", query: provinceQuery });
    expect(province.status).toBe(201);
    provinceView = (await province.json()) as View;
    expect(provinceView.unitCode).toBe("14");
    expect(await auditOf(communeView.id)).toEqual([
      expect.objectContaining({
        action: "analytics.view_create",
        unit_code: "04222",
        before: null,
        after: expect.objectContaining({ name: "Đường và điện", version: 1 }),
      }),
    ]);
  });

  it("shows a view to those whose scope covers its unit, and to its owner; newest first", async () => {
    const ids = async (who: keyof typeof actors) => (await list(who)).map((v) => v.id);
    expect(await ids("chiengKhuong")).toEqual([communeView.id]);
    expect(await ids("sonla")).toEqual([provinceView.id, communeView.id]);
    expect(await ids("sonlaAdmin")).toEqual([provinceView.id, communeView.id]);
    expect(await ids("admin")).toEqual([provinceView.id, communeView.id]);
    expect(await ids("other")).toEqual([]);
    expect(await ids("nghean")).toEqual([]);
    const seen = (await list("sonla")).find((v) => v.id === communeView.id);
    expect(seen?.isMine).toBe(false);
  });

  it("refuses a unit or a query outside the saver's scope with 403", async () => {
    expect(
      (await call("chiengKhuong", "POST", "", { name: "x", unitCode: "14", query: communeQuery })).status,
    ).toBe(403);
    expect(
      (await call("chiengKhuong", "POST", "", { name: "x", query: { ...communeQuery, ou: ["04219"] } }))
        .status,
    ).toBe(403);
    expect(
      (await call("nghean", "POST", "", { name: "x", unitCode: "04222", query: communeQuery })).status,
    ).toBe(403);
  });

  it("checks the query like the analytics route: unknown codes listed, layout, shape", async () => {
    // As the system administrator, whose scope covers any code, so that the unknown unit reaches the check.
    const res = await call("admin", "POST", "", {
      name: "x",
      unitCode: "14",
      query: {
        ...provinceQuery,
        dx: ["NOPE", "GRID_PCT"],
        pe: ["2025", "LAST_7_DAYS"],
        ou: ["14", "14999"],
        columns: ["dx", "pe"],
        filter: [],
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { problems: Array<{ code: string }> } };
    };
    expect(body.error.code).toBe("unknown_codes");
    expect(body.error.details.problems.map((p) => p.code)).toEqual(["NOPE", "LAST_7_DAYS", "14999"]);

    const layout = await call("sonla", "POST", "", {
      name: "x",
      query: { ...provinceQuery, rows: ["ou"], columns: ["dx"], filter: [] },
    });
    expect(layout.status).toBe(400);
    expect(((await layout.json()) as { error: { code: string } }).error.code).toBe("invalid_layout");
    for (const query of [
      { ...provinceQuery, chart: "pie" },
      { ...provinceQuery, dx: [] },
      { ...provinceQuery, pe: Array.from({ length: 61 }, (_, i) => String(1990 + i)) },
      { ...provinceQuery, hierarchyDate: "2025-13-01" },
    ])
      expect((await call("sonla", "POST", "", { name: "x", query })).status).toBe(400);
    expect(
      (await call("sonla", "POST", "", { name: "x", query: { ...provinceQuery, ou: ["14:nope"] } })).status,
    ).toBe(400);
    // A system administrator has no scope unit to default to.
    expect((await call("admin", "POST", "", { name: "x", query: provinceQuery })).status).toBe(400);
    expect(
      (await call("admin", "POST", "", { name: "x", unitCode: "99999", query: provinceQuery })).status,
    ).toBe(400);
  });

  it("changes a view under its version: owner or administrator only, 409 when stale, 404 when not visible", async () => {
    const path = `/${communeView.id}`;
    const renamed = await call("chiengKhuong", "PATCH", path, { version: 1, name: "Đường, điện 2025" });
    expect(renamed.status).toBe(200);
    const v2 = (await renamed.json()) as View;
    expect(v2).toMatchObject({ name: "Đường, điện 2025", description: "Chiềng Khương 2025", version: 2 });

    const stale = await call("chiengKhuong", "PATCH", path, { version: 1, name: "older" });
    expect(stale.status).toBe(409);
    const conflict = (await stale.json()) as { error: { code: string; details: { current: View } } };
    expect(conflict.error.code).toBe("stale_version");
    expect(conflict.error.details.current).toMatchObject({ name: "Đường, điện 2025", version: 2 });

    // A province officer sees it but may not change it; the province administrator may.
    expect((await call("sonla", "PATCH", path, { version: 2, name: "no" })).status).toBe(403);
    expect((await call("other", "PATCH", path, { version: 2, name: "no" })).status).toBe(404);
    expect((await call("nghean", "PATCH", path, { version: 2, name: "no" })).status).toBe(404);
    expect((await call("chiengKhuong", "PATCH", "/999999", { version: 1, name: "no" })).status).toBe(404);
    const byAdmin = await call("sonlaAdmin", "PATCH", path, {
      version: 2,
      description: null,
      query: { ...communeQuery, chart: "line", columns: ["dx", "pe"], filter: [] },
    });
    expect(byAdmin.status).toBe(200);
    expect((await byAdmin.json()) as View).toMatchObject({
      description: null,
      version: 3,
      isMine: false,
      query: { chart: "line", columns: ["dx", "pe"] },
    });
    expect(
      (await call("chiengKhuong", "PATCH", path, { version: 3, query: { ...communeQuery, dx: ["NOPE"] } }))
        .status,
    ).toBe(400);

    const audit = await auditOf(communeView.id);
    expect(audit.map((a) => a.action)).toEqual([
      "analytics.view_create",
      "analytics.view_update",
      "analytics.view_update",
    ]);
    expect(audit[1]).toMatchObject({
      before: expect.objectContaining({ name: "Đường và điện", version: 1 }),
      after: expect.objectContaining({ name: "Đường, điện 2025", version: 2 }),
    });
  });

  it("deletes a view under its version, with the same rights", async () => {
    const path = `/${communeView.id}`;
    expect((await call("chiengKhuong", "DELETE", `${path}?version=2`)).status).toBe(409);
    expect((await call("sonla", "DELETE", `${path}?version=3`)).status).toBe(403);
    expect((await call("other", "DELETE", `${path}?version=3`)).status).toBe(404);
    expect((await call("chiengKhuong", "DELETE", path)).status).toBe(400);
    expect((await call("chiengKhuong", "DELETE", `${path}?version=3`)).status).toBe(204);
    expect((await list("chiengKhuong")).map((v) => v.id)).toEqual([]);
    expect((await list("sonla")).map((v) => v.id)).toEqual([provinceView.id]);
    const audit = await auditOf(communeView.id);
    expect(audit.at(-1)).toMatchObject({
      action: "analytics.view_delete",
      unit_code: "04222",
      before: expect.objectContaining({ version: 3 }),
      after: null,
    });
    expect(audit).toHaveLength(4);
  });

  it("refuses an anonymous caller", async () => {
    const res = await testApp(database.db).request("/api/v1/analytics/views");
    expect(res.status).toBe(401);
  });
});
