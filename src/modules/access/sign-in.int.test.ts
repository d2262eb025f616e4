import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { anonymous } from "./actor.ts";
import { ADDRESS_LIMIT, backoffSeconds, NAME_BACKOFF } from "./auth.ts";
import { passwordWeakness } from "./passwords.ts";
import { purgeSecurityEvents, recordSecurityEvent } from "./security-log.ts";
import { createUser } from "./users.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
/** The clock sign-in reads; tests move it instead of waiting. */
let clock = new Date("2026-11-23T02:00:00Z");
const app = () => testApp(db(), { now: () => clock });
const advanceSeconds = (s: number) => {
  clock = new Date(clock.getTime() + s * 1000);
};

const PASSWORD = "núi-rừng-Tây-Bắc-2026";
const WRONG = "not-the-password-at-all";

beforeAll(async () => {
  database = await openTestDatabase();
  for (const username of ["owner.a", "owner.b", "owner.c", "owner.d", "owner.e", "owner.f"])
    await createUser(db(), testCtx, clock, {
      username,
      displayName: username,
      role: "viewer",
      scopeCode: "14",
      password: PASSWORD,
    });
});
afterAll(async () => {
  await database.drop();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
const json = (res: Response): Promise<any> => res.json();

async function signIn(username: string, password: string, forwardedFor: string): Promise<Response> {
  return app().request("/api/v1/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ username, password }),
  });
}

async function failures(username: string, address: string, times: number) {
  for (let i = 0; i < times; i++) await signIn(username, WRONG, address);
}

const securityEvents = async (username: string) =>
  rowsOf<{ kind: string; detail: unknown; username: string }>(
    await db().execute(
      sql`SELECT kind, detail, username FROM security_events WHERE lower(username) = ${username} ORDER BY id`,
    ),
  );

describe("per-name backoff", () => {
  it("makes the guessing address wait once the free failures are spent, even with the right password", async () => {
    await failures("owner.a", "10.1.0.1", NAME_BACKOFF.freeFailures + 1);
    const res = await signIn("owner.a", PASSWORD, "10.1.0.1");
    expect([res.status, (await json(res)).error.code]).toEqual([429, "too_many_attempts"]);
  });

  it("lets the right password through from the guessing address once the wait is over", async () => {
    await failures("owner.b", "10.1.0.2", NAME_BACKOFF.freeFailures + 1);
    advanceSeconds(backoffSeconds(NAME_BACKOFF.freeFailures + 1));
    expect((await signIn("owner.b", PASSWORD, "10.1.0.2")).status).toBe(200);
  });

  it("does not lock the owner out: the right password from another address passes while the guesser waits", async () => {
    await failures("owner.c", "10.1.0.3", NAME_BACKOFF.freeFailures + 3);
    expect((await signIn("owner.c", PASSWORD, "10.1.0.99")).status).toBe(200);
  });

  it("answers a waiting name exactly like a waiting unknown name", async () => {
    await failures("owner.d", "10.1.0.4", NAME_BACKOFF.freeFailures + 1);
    await failures("nobody.d", "10.1.0.5", NAME_BACKOFF.freeFailures + 1);
    const known = await signIn("owner.d", WRONG, "10.1.0.4");
    const unknown = await signIn("nobody.d", WRONG, "10.1.0.5");
    expect([known.status, await json(known)]).toEqual([unknown.status, await json(unknown)]);
  });

  it("doubles the wait with each further failure, up to a minute", () => {
    const free = NAME_BACKOFF.freeFailures;
    expect([free, free + 1, free + 2, free + 3, free + 20].map(backoffSeconds)).toEqual([0, 2, 4, 8, 60]);
  });
});

describe("attempts are counted before the password is checked", () => {
  it("evaluates only the free failures and one more of forty parallel wrong guesses", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => signIn("owner.e", WRONG, "10.2.0.1").then((r) => r.status)),
    );
    const evaluated = (await securityEvents("owner.e")).filter((e) => e.kind === "sign_in_failed").length;
    expect([evaluated, answers.filter((s) => s === 429).length]).toEqual([
      NAME_BACKOFF.freeFailures + 1,
      40 - NAME_BACKOFF.freeFailures - 1,
    ]);
  });

  it("holds the per-address limit under a burst of different names", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(`burst${i}`, WRONG, "10.2.0.2").then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 401).length).toBe(ADDRESS_LIMIT.failures);
  });

  it("trusts only the configured proxy's entry of X-Forwarded-For, not what the client wrote before it", async () => {
    for (let i = 0; i < ADDRESS_LIMIT.failures; i++)
      await signIn(`spoof${i}`, WRONG, `203.0.113.${i}, 10.2.0.3`);
    const res = await signIn("owner.f", PASSWORD, "198.51.100.7, 10.2.0.3");
    expect([res.status, (await json(res)).error.code]).toEqual([429, "too_many_attempts"]);
  });
});

describe("the security log of sign-ins", () => {
  it("records a failed sign-in with the name tried and never the password", async () => {
    await signIn("owner.log", "secret-guess-4711", "10.3.0.1");
    const events = await securityEvents("owner.log");
    expect([events.map((e) => e.kind), JSON.stringify(events).includes("secret-guess-4711")]).toEqual([
      ["sign_in_failed"],
      false,
    ]);
  });
});

describe("security log retention", () => {
  it("deletes events older than the retention and keeps the rest", async () => {
    const old = new Date(clock.getTime() - 200 * 86_400_000);
    await recordSecurityEvent(db(), old, {
      kind: "forbidden",
      code: "forbidden",
      actor: anonymous,
      path: "/old",
    });
    await recordSecurityEvent(db(), clock, {
      kind: "forbidden",
      code: "forbidden",
      actor: anonymous,
      path: "/new",
    });
    await purgeSecurityEvents(db(), clock, 180);
    const paths = rowsOf<{ path: string }>(
      await db().execute(sql`SELECT path FROM security_events WHERE path IN ('/old', '/new')`),
    ).map((r) => r.path);
    expect(paths).toEqual(["/new"]);
  });
});

describe("responses", () => {
  it("tells caches to keep no API answer", async () => {
    const res = await app().request("/api/v1/units?q=son%20la");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("marks the session cookie Secure when the public address is https, behind a TLS proxy", async () => {
    const res = await testApp(db(), { now: () => clock, publicUrl: "https://gr.example.vn" }).request(
      "/api/v1/auth/sign-in",
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "10.4.0.1" },
        body: JSON.stringify({ username: "owner.a", password: PASSWORD }),
      },
    );
    advanceSeconds(3600);
    expect([res.status, /;\s*Secure/i.test(res.headers.get("set-cookie") ?? "")]).toEqual([200, true]);
  });

  it("refuses an anonymous oversized body with 413 before reading it", async () => {
    const res = await app().request("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) },
      body: "{}",
    });
    const body = await json(res);
    expect([res.status, body.error.code, body.error.messages.vi.length > 0]).toEqual([
      413,
      "too_large",
      true,
    ]);
  });
});

describe("password policy", () => {
  it.each(["qwerty12345", "matkhau1234", "Vietnam2025", "mậtkhẩu2026!", "SonLa@2026"])(
    "refuses the guessable %s",
    (password) => {
      expect(passwordWeakness(password, "someone")).not.toBeNull();
    },
  );

  it("accepts a phrase of uncommon words", () => {
    expect(passwordWeakness("hoa-ban-trắng-Mường-La", "someone")).toBeNull();
  });
});
