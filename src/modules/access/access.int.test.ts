import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { scopeCodesOn } from "../units/queries.ts";
import { recordUnitChange } from "../units/record-change.ts";
import { todayInVietnam } from "../units/text.ts";
import type { Role } from "./actor.ts";
import { createUser } from "./users.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
/** The clock every request of these tests reads; tests move it forward. */
let clock = new Date("2026-11-23T02:00:00Z");
const app = () => testApp(db(), { now: () => clock });
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

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
  await account("sl.officer", "province_officer", "14");
  await account("na.officer", "province_officer", "40");
  await account("ck.officer", "commune_officer", "04222");
  await account("sl.viewer", "viewer", "14");
});
afterAll(async () => {
  await database.drop();
});

interface Session {
  cookie: string;
  csrf: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
const json = (res: Response): Promise<any> => res.json();

let addressCounter = 0;
/** Each sign-in comes from its own address unless told, so that address throttling of one test spares the others. */
async function signIn(username: string, password = PASSWORD, address = `10.0.0.${++addressCounter}`) {
  return app().request("/api/v1/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ username, password }),
  });
}

async function session(username: string, password = PASSWORD): Promise<Session> {
  const res = await signIn(username, password);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { cookie, csrf: (await json(res)).csrfToken };
}

function call(
  s: Session | null,
  path: string,
  init: { method?: string; body?: unknown; csrf?: boolean } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (s) headers.cookie = s.cookie;
  if (s && init.csrf !== false) headers["x-csrf-token"] = s.csrf;
  return app().request(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

const bearer = (token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  app().request(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

describe("signing in and out", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and answers who signed in", async () => {
    const res = await signIn("ck.officer");
    const cookie = res.headers.get("set-cookie") ?? "";
    const body = await json(res);
    expect([res.status, /HttpOnly/.test(cookie), /SameSite=Lax/.test(cookie), body.user.scope.name]).toEqual([
      200,
      true,
      true,
      "Xã Chiềng Khương",
    ]);
  });

  it("answers a wrong password and an unknown name with the same 401", async () => {
    const wrong = await signIn("sl.viewer", "not-the-password-1");
    const unknown = await signIn("nobody.here", "not-the-password-1");
    expect([wrong.status, await json(wrong)]).toEqual([unknown.status, await json(unknown)]);
    expect(wrong.status).toBe(401);
  });

  it("ends the session at sign-out", async () => {
    const s = await session("ck.officer");
    const out = await call(s, "/api/v1/auth/sign-out", { method: "POST" });
    const me = await call(s, "/api/v1/auth/me");
    expect([out.status, me.status, (await json(me)).error.code]).toEqual([204, 401, "session_expired"]);
  });

  it("ends an idle session with a code the web app turns into the sign-in page", async () => {
    const s = await session("ck.officer");
    advance(121);
    const me = await call(s, "/api/v1/auth/me");
    expect([me.status, (await json(me)).error.code]).toEqual([401, "session_expired"]);
  });

  it("ends a session 12 hours after sign-in however busy it is", async () => {
    const s = await session("ck.officer");
    for (let hour = 0; hour < 11; hour++) {
      advance(60);
      expect((await call(s, "/api/v1/auth/me")).status).toBe(200);
    }
    advance(61);
    expect((await call(s, "/api/v1/auth/me")).status).toBe(401);
  });

  it("ends the browser's previous session when it signs in again", async () => {
    const first = await session("ck.officer");
    const res = await app().request("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: first.cookie, "x-forwarded-for": "10.9.9.9" },
      body: JSON.stringify({ username: "ck.officer", password: PASSWORD }),
    });
    expect([res.status, (await call(first, "/api/v1/auth/me")).status]).toEqual([200, 401]);
  });

  it("refuses a cookie-authenticated write without the CSRF token", async () => {
    const s = await session("ck.officer");
    const res = await call(s, "/api/v1/auth/sign-out", { method: "POST", csrf: false });
    expect([res.status, (await json(res)).error.code]).toEqual([403, "csrf_failed"]);
  });
});

describe("passwords", () => {
  it("refuses a weak new password saying why", async () => {
    await account("pw.weak", "viewer", "14");
    const s = await session("pw.weak");
    const res = await call(s, "/api/v1/auth/password", {
      method: "POST",
      body: { currentPassword: PASSWORD, newPassword: "12345" },
    });
    expect([res.status, (await json(res)).error]).toEqual([
      400,
      expect.objectContaining({
        code: "weak_password",
        messages: { vi: expect.stringContaining("10 ký tự"), en: expect.stringContaining("10 characters") },
      }),
    ]);
  });

  it("changes the password: the old one stops working, the new one works", async () => {
    await account("pw.change", "viewer", "14");
    const s = await session("pw.change");
    const res = await call(s, "/api/v1/auth/password", {
      method: "POST",
      body: { currentPassword: PASSWORD, newPassword: "bản-làng-mới-2027" },
    });
    expect([
      res.status,
      (await signIn("pw.change")).status,
      (await signIn("pw.change", "bản-làng-mới-2027")).status,
    ]).toEqual([204, 401, 200]);
  });

  it("refuses a change with the wrong current password", async () => {
    const s = await session("sl.viewer");
    const res = await call(s, "/api/v1/auth/password", {
      method: "POST",
      body: { currentPassword: "guess-guess-guess", newPassword: "another-long-password" },
    });
    expect([res.status, (await json(res)).error.code]).toEqual([400, "wrong_current_password"]);
  });
});

describe("API tokens", () => {
  it("works as a bearer token and stops working once revoked", async () => {
    const s = await session("sl.admin");
    const created = await json(
      await call(s, "/api/v1/tokens", { method: "POST", body: { name: "đồng bộ DHIS2" } }),
    );
    const before = await bearer(created.secret, "/api/v1/users");
    const revoke = await call(s, `/api/v1/tokens/${created.token.id}`, { method: "DELETE" });
    const after = await bearer(created.secret, "/api/v1/users");
    expect([before.status, revoke.status, after.status, (await json(after)).error.code]).toEqual([
      200,
      200,
      401,
      "invalid_token",
    ]);
  });

  it("stores only a hash and records when it was last used", async () => {
    const s = await session("sl.admin");
    const { token, secret } = await json(
      await call(s, "/api/v1/tokens", { method: "POST", body: { name: "báo cáo" } }),
    );
    await bearer(secret, "/api/v1/users");
    const rows = rowsOf<{ token_hash: string; last_used_at: unknown }>(
      await db().execute(sql`SELECT token_hash, last_used_at FROM api_tokens WHERE id = ${token.id}`),
    );
    expect([rows[0]?.token_hash.includes(secret), rows[0]?.last_used_at === null]).toEqual([false, false]);
  });

  it("cannot be wider than the person who makes it", async () => {
    const s = await session("ck.officer");
    const res = await call(s, "/api/v1/tokens", { method: "POST", body: { name: "x", scopeCode: "14" } });
    expect(res.status).toBe(403);
  });
});

describe("scope matrix", () => {
  it.each([
    ["ck.officer", "GET", "/api/v1/users"],
    ["ck.officer", "GET", "/api/v1/audit"],
    ["sl.viewer", "GET", "/api/v1/users"],
    ["sl.viewer", "GET", "/api/v1/audit"],
    ["sl.officer", "GET", "/api/v1/users"],
    ["sl.admin", "POST", "/api/v1/unit-changes"],
  ])("%s gets 403 for %s %s", async (username, method, path) => {
    const s = await session(username);
    const res = await call(s, path, { method, ...(method === "POST" ? { body: {} } : {}) });
    expect([res.status, (await json(res)).error.code]).toEqual([403, "forbidden"]);
  });

  it("a commune officer cannot create accounts, even in their own commune", async () => {
    const s = await session("ck.officer");
    const res = await call(s, "/api/v1/users", {
      method: "POST",
      body: { username: "ck.two", displayName: "x", role: "viewer", scopeCode: "04222" },
    });
    expect(res.status).toBe(403);
  });

  it("a Sơn La administrator cannot create an account in Nghệ An", async () => {
    const s = await session("sl.admin");
    const res = await call(s, "/api/v1/users", {
      method: "POST",
      body: { username: "na.viewer", displayName: "x", role: "viewer", scopeCode: "40" },
    });
    expect([res.status, (await json(res)).error.code]).toEqual([403, "forbidden"]);
  });

  it("a Sơn La administrator cannot give the province administrator role", async () => {
    const s = await session("sl.admin");
    const res = await call(s, "/api/v1/users", {
      method: "POST",
      body: { username: "sl.admin2", displayName: "x", role: "province_admin", scopeCode: "14" },
    });
    expect(res.status).toBe(403);
  });

  it("a Sơn La administrator does not see Nghệ An's accounts: 404, not the account", async () => {
    const s = await session("sl.admin");
    const one = await call(s, `/api/v1/users/${ids["na.officer"]}`);
    const list = await json(await call(s, "/api/v1/users"));
    expect([one.status, list.items.map((u: { username: string }) => u.username)]).toEqual([
      404,
      expect.not.arrayContaining(["na.officer"]),
    ]);
  });

  it("a Sơn La administrator cannot change a Nghệ An account", async () => {
    const s = await session("sl.admin");
    const res = await call(s, `/api/v1/users/${ids["na.officer"]}`, {
      method: "PATCH",
      body: { version: 1, isDisabled: true },
    });
    expect(res.status).toBe(404);
  });

  it("a province officer reads the audit trail of their province only", async () => {
    await account("na.viewer2", "viewer", "40");
    await account("sl.viewer2", "viewer", "04222");
    const sl = await json(await call(await session("sl.officer"), "/api/v1/audit?kind=user&limit=500"));
    const na = await json(await call(await session("na.officer"), "/api/v1/audit?kind=user&limit=500"));
    const codes = (body: { items: Array<{ unitCode: string }> }) =>
      [...new Set(body.items.map((i) => i.unitCode))].sort();
    expect([codes(sl), codes(na)]).toEqual([["04222", "14"], ["40"]]);
  });
});

describe("scope across the 2025 reorganisation", () => {
  const today = "2026-11-23";

  it("covers the old communes a commune was formed from: Xã Hữu Kiệm reads old Bảo Nam and Hữu Lập", async () => {
    const codes = await scopeCodesOn(db(), "16849", today);
    // 16849 is today's Hữu Kiệm and was Hữu Lập's code; 16840 Bảo Nam and 16861 the old Hữu Kiệm merged into it.
    expect(["16849", "16840", "16861"].every((c) => codes.has(c))).toBe(true);
  });

  it("keeps a province's old communes in its scope, and no other province's", async () => {
    const ngheAn = await scopeCodesOn(db(), "40", today);
    const sonLa = await scopeCodesOn(db(), "14", today);
    expect([ngheAn.has("16840"), sonLa.has("16840"), sonLa.has("04222")]).toEqual([true, false, true]);
  });

  it("covers a province's old districts, which have no lineage of their own, and no other's", async () => {
    const ngheAn = await scopeCodesOn(db(), "40", today);
    const sonLa = await scopeCodesOn(db(), "14", today);
    const huuKiem = await scopeCodesOn(db(), "16849", today);
    expect([ngheAn.has("417"), sonLa.has("126"), sonLa.has("417"), huuKiem.has("417")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("lets Nghệ An's province officer and a viewer token scoped to 40 read old district 417 in the 2014 tree", async () => {
    const path = "/api/v1/analytics?dx=HH_TOTAL&pe=2014&hierarchyDate=2014-12-31&ou=417,417:children";
    const officer = await call(await session("na.officer"), path);
    await account("na.reader", "viewer", "40");
    const s = await session("na.reader");
    const created = await json(
      await call(s, "/api/v1/tokens", { method: "POST", body: { name: "đọc 2014" } }),
    );
    const token = await bearer(created.secret, path);
    expect([officer.status, token.status]).toEqual([200, 200]);
  });

  it("lets Sơn La's viewer read old district 126 (Sông Mã) and refuses Nghệ An's 417", async () => {
    const s = await session("sl.viewer");
    const own = await call(s, "/api/v1/analytics?dx=HH_TOTAL&pe=2014&hierarchyDate=2014-12-31&ou=126");
    const other = await call(s, "/api/v1/analytics?dx=HH_TOTAL&pe=2014&hierarchyDate=2014-12-31&ou=417");
    expect([own.status, other.status]).toEqual([200, 403]);
  });

  it("sees a merge recorded a moment ago: the cached scope is read again once the units change", async () => {
    const before = await scopeCodesOn(db(), "04168", today);
    const [a, b] = [...before].filter((c) => c.startsWith("04168-")).sort();
    await recordUnitChange(db(), testCtx, {
      kind: "merge",
      effectiveDate: "2026-02-01",
      document: "15/NQ-HĐND",
      close: [a as string, b as string],
      open: [{ code: "04168-90", name: "Bản Hợp Nhất", level: "village", parentCode: "04168" }],
      edges: [
        { from: a as string, to: "04168-90", kind: "full" },
        { from: b as string, to: "04168-90", kind: "full" },
      ],
    });
    const after = await scopeCodesOn(db(), "04168", today);
    expect([before.has("04168-90"), after.has("04168-90")]).toEqual([false, true]);
  });

  it("does not reach a code in use elsewhere through a partial predecessor", async () => {
    // Old 00025 was split between today's 00008, 00025 and 00199: 00008's scope must not cover today's 00025.
    const codes = await scopeCodesOn(db(), "00008", today);
    expect([codes.has("00008"), codes.has("00025")]).toEqual([true, false]);
  });
});

describe("managing accounts", () => {
  it("creates an account with a generated password shown once, and audits it", async () => {
    const s = await session("sl.admin");
    const res = await call(s, "/api/v1/users", {
      method: "POST",
      body: {
        username: "ck.viewer",
        displayName: "Người xem Chiềng Khương",
        role: "viewer",
        scopeCode: "04222",
      },
    });
    const body = await json(res);
    const audit = await json(await call(s, `/api/v1/audit?kind=user&unit=04222`));
    expect([
      res.status,
      typeof body.initialPassword,
      (await signIn("ck.viewer", body.initialPassword)).status,
    ]).toEqual([201, "string", 200]);
    expect(audit.items.find((e: { recordId: string }) => e.recordId === String(body.user.id))).toMatchObject({
      action: "users.create",
      actor: { username: "sl.admin" },
      after: { role: "viewer", scope: "04222" },
    });
  });

  it("writes one audit event per change with the account before and after", async () => {
    await account("to.rescope", "viewer", "04222");
    const s = await session("sl.admin");
    const res = await call(s, `/api/v1/users/${ids["to.rescope"]}`, {
      method: "PATCH",
      body: { version: 1, scopeCode: "04168", reason: "Chuyển công tác" },
    });
    const audit = await json(await call(s, `/api/v1/audit?kind=user&limit=500`));
    const events = audit.items.filter((e: { recordId: string }) => e.recordId === String(ids["to.rescope"]));
    expect([res.status, events.length, events[0]]).toEqual([
      200,
      2,
      expect.objectContaining({
        action: "users.update",
        before: expect.objectContaining({ scope: "04222" }),
        after: expect.objectContaining({ scope: "04168" }),
        reason: "Chuyển công tác",
      }),
    ]);
  });

  it("never loses an update: the second of two edits of one version gets 409 with the current account", async () => {
    await account("edit.twice", "viewer", "14");
    const s = await session("sl.admin");
    const id = ids["edit.twice"];
    const [a, b] = await Promise.all([
      call(s, `/api/v1/users/${id}`, { method: "PATCH", body: { version: 1, displayName: "Tên A" } }),
      call(s, `/api/v1/users/${id}`, { method: "PATCH", body: { version: 1, displayName: "Tên B" } }),
    ]);
    const statuses = [a.status, b.status].sort();
    const loser = a.status === 409 ? await json(a) : await json(b);
    expect([statuses, loser.error.code, loser.error.details.current.version]).toEqual([
      [200, 409],
      "stale_version",
      2,
    ]);
  });

  it("disabling an account ends its sessions", async () => {
    await account("to.disable", "viewer", "14");
    const victim = await session("to.disable");
    const admin = await session("sl.admin");
    await call(admin, `/api/v1/users/${ids["to.disable"]}`, {
      method: "PATCH",
      body: { version: 1, isDisabled: true },
    });
    expect([(await call(victim, "/api/v1/auth/me")).status, (await signIn("to.disable")).status]).toEqual([
      401, 401,
    ]);
  });

  it("flags an account whose unit was merged away, without widening it to the new unit", async () => {
    await account("village.viewer", "viewer", "04222-01");
    await recordUnitChange(db(), testCtx, {
      kind: "merge",
      effectiveDate: todayInVietnam(),
      document: "15/NQ-HĐND",
      close: ["04222-01", "04222-02"],
      open: [{ code: "04222-21", name: "Bản Hợp Thành", level: "village", parentCode: "04222" }],
      edges: [
        { from: "04222-01", to: "04222-21", kind: "full" },
        { from: "04222-02", to: "04222-21", kind: "full" },
      ],
    });
    const me = await json(await call(await session("village.viewer"), "/api/v1/auth/me"));
    const listed = await json(await call(await session("sl.admin"), "/api/v1/users?q=village.viewer"));
    expect([me.user.needsRescope, me.user.scope.code, listed.items[0]?.needsRescope]).toEqual([
      true,
      "04222-01",
      true,
    ]);
  });

  it("refuses a taken sign-in name with 409", async () => {
    const s = await session("sl.admin");
    const res = await call(s, "/api/v1/users", {
      method: "POST",
      body: { username: "SL.VIEWER", displayName: "x", role: "viewer", scopeCode: "14" },
    });
    expect([res.status, (await json(res)).error.code]).toEqual([409, "username_taken"]);
  });
});
