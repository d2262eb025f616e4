import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import type { Role } from "./actor.ts";
import { currentVersionForScope } from "./scope.ts";
import { createUser, updateUser } from "./users.ts";

/**
 * Who may do what, tried over HTTP: each role at its level, with a session and with a token of the same powers, and
 * what happens to a token when its maker is demoted or moved.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
const clock = new Date("2026-11-23T02:00:00Z");
const app = () => testApp(db(), { now: () => clock });
const PASSWORD = "núi-rừng-Tây-Bắc-2026";
const ids: Record<string, number> = {};

async function account(username: string, role: Role, scopeCode: string | null) {
  const { user } = await createUser(db(), testCtx, clock, {
    username,
    displayName: username,
    role,
    scopeCode,
    password: PASSWORD,
  });
  ids[username] = user.id;
}

beforeAll(async () => {
  database = await openTestDatabase();
  await account("root", "system_admin", null);
  await account("sl.admin", "province_admin", "14");
  await account("sl.admin2", "province_admin", "14");
  await account("sl.officer", "province_officer", "14");
  await account("ck.officer", "commune_officer", "04222");
  await account("sl.viewer", "viewer", "14");
  await account("na.officer", "province_officer", "40");
});
afterAll(async () => {
  await database.drop();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
const json = (res: Response): Promise<any> => res.json();
let addressCounter = 0;

interface Caller {
  headers: Record<string, string>;
}

async function session(username: string): Promise<Caller> {
  const res = await app().request("/api/v1/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.8.0.${++addressCounter}` },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { headers: { cookie, "x-csrf-token": (await json(res)).csrfToken } };
}

async function token(maker: Caller, body: Record<string, unknown> = {}): Promise<Caller> {
  const res = await call(maker, "POST", "/api/v1/tokens", { name: "matrix", ...body });
  const created = await json(res);
  if (res.status !== 201) throw new Error(`token refused: ${JSON.stringify(created)}`);
  return { headers: { authorization: `Bearer ${created.secret}` } };
}

function call(caller: Caller, method: string, path: string, body?: unknown) {
  return app().request(path, {
    method,
    headers: { "content-type": "application/json", ...caller.headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const valueIn = (unit: string) => ({
  form: "KTXH_XA",
  unit,
  period: "2025",
  element: "NO_SUCH_ELEMENT",
  value: 1,
  expectedVersion: 0,
});

/** Each action, and whether it is refused (403) for each role; a permitted one answers anything but 401/403. */
const actions: Array<[string, string, string, unknown, Record<string, boolean>]> = [
  ["list accounts", "GET", "/api/v1/users", undefined, { root: true, "sl.admin": true }],
  [
    "read the audit trail",
    "GET",
    "/api/v1/audit",
    undefined,
    { root: true, "sl.admin": true, "sl.officer": true },
  ],
  ["read the security log", "GET", "/api/v1/security-events", undefined, { root: true, "sl.admin": true }],
  ["record a unit change", "POST", "/api/v1/unit-changes", {}, { root: true }],
  ["change the catalogue", "POST", "/api/v1/data-elements", {}, { root: true, "sl.admin": true }],
  [
    "type a value in its commune",
    "PUT",
    "/api/v1/data-values",
    valueIn("04222"),
    { root: true, "ck.officer": true },
  ],
  ["type a value in another commune", "PUT", "/api/v1/data-values", valueIn("04168"), { root: true }],
  [
    "read its own commune's form",
    "GET",
    "/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2025",
    undefined,
    {
      root: true,
      "sl.admin": true,
      "sl.officer": true,
      "ck.officer": true,
      "sl.viewer": true,
    },
  ],
  [
    "read a Nghệ An commune's form",
    "GET",
    "/api/v1/data-entry?form=KTXH_XA&unit=16813&period=2025",
    undefined,
    {
      root: true,
    },
  ],
];
const people = ["root", "sl.admin", "sl.officer", "ck.officer", "sl.viewer"];

describe.each(["session", "token"] as const)("the authority matrix, signed in with a %s", (via) => {
  it.each(people)("%s may do exactly what its role and scope allow", async (username) => {
    const person = await session(username);
    const caller = via === "session" ? person : await token(person);
    const outcome: Record<string, boolean> = {};
    const expected: Record<string, boolean> = {};
    for (const [name, method, path, body, allowed] of actions) {
      const res = await call(caller, method, path, body);
      outcome[name] = res.status !== 403 && res.status !== 401;
      expected[name] = allowed[username] === true;
    }
    expect(outcome).toEqual(expected);
  });
});

describe("administrators are managed from above", () => {
  it("refuses a province administrator resetting another province administrator's password", async () => {
    const s = await session("sl.admin");
    const target = await json(await call(s, "GET", `/api/v1/users/${ids["sl.admin2"]}`));
    const res = await call(s, "PATCH", `/api/v1/users/${ids["sl.admin2"]}`, {
      version: target.version,
      password: "một-mật-khẩu-mới-rất-dài",
    });
    expect([res.status, (await json(res)).error.code]).toEqual([403, "forbidden"]);
  });

  it("refuses a province administrator disabling another province administrator", async () => {
    const s = await session("sl.admin");
    const target = await json(await call(s, "GET", `/api/v1/users/${ids["sl.admin2"]}`));
    const res = await call(s, "PATCH", `/api/v1/users/${ids["sl.admin2"]}`, {
      version: target.version,
      isDisabled: true,
    });
    expect(res.status).toBe(403);
  });

  it("lets the system administrator reset a province administrator's password", async () => {
    const s = await session("root");
    const target = await json(await call(s, "GET", `/api/v1/users/${ids["sl.admin2"]}`));
    const res = await call(s, "PATCH", `/api/v1/users/${ids["sl.admin2"]}`, {
      version: target.version,
      password: "hoa-ban-trắng-Mường-La",
    });
    expect(res.status).toBe(200);
  });

  it("lets a province administrator manage the province's officers", async () => {
    const s = await session("sl.admin");
    const target = await json(await call(s, "GET", `/api/v1/users/${ids["sl.viewer"]}`));
    const res = await call(s, "PATCH", `/api/v1/users/${ids["sl.viewer"]}`, {
      version: target.version,
      displayName: "Người xem Sơn La",
    });
    expect(res.status).toBe(200);
  });
});

describe("tokens", () => {
  it("refuses a token whose role is not valid at its scope's level", async () => {
    const s = await session("sl.admin");
    const res = await call(s, "POST", "/api/v1/tokens", {
      name: "x",
      role: "commune_officer",
      scopeCode: "14",
    });
    expect([res.status, (await json(res)).error.details.fields[0].field]).toEqual([400, "scopeCode"]);
  });

  it("gives a token made before that rule no more than a viewer's reading", async () => {
    const secret = "grt_legacy-commune-officer-over-a-province";
    const scope = await currentVersionForScope(db(), "14");
    await db().execute(sql`
      INSERT INTO api_tokens (name, token_hash, prefix, user_id, role, scope_version_id, created_at)
      VALUES ('legacy', ${createHash("sha256").update(secret).digest("hex")}, 'grt_le', ${ids["sl.admin"]},
              'commune_officer', ${scope.versionId}, now())`);
    const res = await call(
      { headers: { authorization: `Bearer ${secret}` } },
      "PUT",
      "/api/v1/data-values",
      valueIn("04168"),
    );
    expect(res.status).toBe(403);
  });

  it("answers GET /auth/me with the token's own role and scope, not its maker's", async () => {
    const t = await token(await session("sl.admin"), { role: "viewer", scopeCode: "04222" });
    const me = await json(await call(t, "GET", "/api/v1/auth/me"));
    expect([me.user.role, me.user.scope.code, me.token.name]).toEqual(["viewer", "04222", "matrix"]);
  });

  it("loses its maker's old powers at the maker's demotion, on the very next request", async () => {
    await account("demote.me", "province_officer", "14");
    const t = await token(await session("demote.me"));
    const before = (await call(t, "GET", "/api/v1/audit")).status;
    await updateUser(db(), testCtx, clock, ids["demote.me"] ?? 0, { version: 1, role: "viewer" });
    const after = await call(t, "GET", "/api/v1/audit");
    const me = await json(await call(t, "GET", "/api/v1/auth/me"));
    expect([before, after.status, me.user.role]).toEqual([200, 403, "viewer"]);
  });

  it("stops working when its maker is moved to another province", async () => {
    await account("move.me", "province_officer", "14");
    const t = await token(await session("move.me"));
    await updateUser(db(), testCtx, clock, ids["move.me"] ?? 0, { version: 1, scopeCode: "40" });
    const res = await call(t, "GET", "/api/v1/auth/me");
    expect([res.status, (await json(res)).error.code]).toEqual([401, "invalid_token"]);
  });
});

describe("the audit list", () => {
  it("hides from a province an event naming a unit outside it, though its main unit is inside", async () => {
    await account("moved.in", "viewer", "40");
    await updateUser(db(), testCtx, clock, ids["moved.in"] ?? 0, { version: 1, scopeCode: "14" });
    const s = await session("sl.officer");
    const slEvents = await json(await call(s, "GET", `/api/v1/audit?kind=user&limit=500`));
    const rootEvents = await json(
      await call(await session("root"), "GET", `/api/v1/audit?kind=user&limit=500`),
    );
    const about = (items: Array<{ recordId: string; action: string }>) =>
      items.filter((e) => e.recordId === String(ids["moved.in"]) && e.action === "users.update").length;
    expect([about(slEvents.items), about(rootEvents.items)]).toEqual([0, 1]);
  });
});

describe("the security log", () => {
  it("records an out-of-scope read with the unit it asked for", async () => {
    const s = await session("na.officer");
    await call(s, "GET", "/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2025");
    const rows = rowsOf<{ kind: string; unit_code: string }>(
      await db().execute(
        sql`SELECT kind, unit_code FROM security_events WHERE actor_id = ${String(ids["na.officer"])} ORDER BY id DESC LIMIT 1`,
      ),
    );
    expect(rows[0]).toEqual({ kind: "out_of_scope", unit_code: "04222" });
  });

  it("shows a province administrator the refusals in its province, not another province's", async () => {
    const na = await session("na.officer");
    await call(na, "GET", "/api/v1/users");
    const seen = async (username: string) => {
      const log = await json(await call(await session(username), "GET", "/api/v1/security-events?limit=500"));
      return log.items.filter(
        (e: { actor: { id: string }; path: string }) =>
          e.actor.id === String(ids["na.officer"]) && e.path === "/api/v1/users",
      ).length;
    };
    expect([await seen("sl.admin"), await seen("root")]).toEqual([0, 1]);
  });
});
