import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { createApp } from "../../server/app.ts";
import { createDeps } from "../../server/runtime.ts";
import { readiness } from "./health.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let deps: ReturnType<typeof createDeps>;
let app: ReturnType<typeof createApp>;
const token = "a-metrics-token-of-the-operator";

beforeAll(async () => {
  database = await openTestDatabase();
  deps = createDeps(
    { sessionIdleMinutes: 120, sessionMaxHours: 12, trustProxy: 0, metricsToken: token },
    database,
    pino({ level: "silent" }),
  );
  app = createApp(deps, { serveWeb: false });
});
afterAll(async () => {
  await database.drop();
});

describe("health probes", () => {
  it("says the process is alive", async () => {
    const res = await app.request("/health/live");
    expect(res.status).toBe(200);
  });

  it("says the server is ready when the database answers and every migration is applied", async () => {
    const res = await app.request("/health/ready");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ready: boolean; checks: { migrations: { applied: number } } };
    expect(body.ready).toBe(true);
    expect(body.checks.migrations.applied).toBeGreaterThan(0);
  });

  it("is not ready while it shuts down", async () => {
    deps.lifecycle.draining = true;
    try {
      const res = await app.request("/health/ready");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ready: false, checks: { accepting: { ok: false } } });
    } finally {
      deps.lifecycle.draining = false;
    }
  });

  it("is not ready while a migration is pending", async () => {
    await database.db.execute(sql`CREATE TEMP TABLE kept AS SELECT * FROM drizzle.__drizzle_migrations
      WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)`);
    await database.db.execute(
      sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)`,
    );
    try {
      const res = await app.request("/health/ready");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { migrations: { ok: false } } });
    } finally {
      await database.db.execute(sql`INSERT INTO drizzle.__drizzle_migrations SELECT * FROM kept`);
      await database.db.execute(sql`DROP TABLE kept`);
    }
  });

  it("is not ready while the analytics replica is further behind than allowed", async () => {
    const result = await readiness({
      db: database.db,
      replica: async () => ({ pending: 120, lagSeconds: 45 }),
      maxLagSeconds: 30,
      isDraining: () => false,
    });
    expect(result).toMatchObject({ ready: false, checks: { analytics: { ok: false, lagSeconds: 45 } } });
  });

  it("is ready with a replica a few seconds behind", async () => {
    const result = await readiness({
      db: database.db,
      replica: async () => ({ pending: 3, lagSeconds: 2 }),
      maxLagSeconds: 30,
      isDraining: () => false,
    });
    expect(result.ready).toBe(true);
  });
});

describe("metrics", () => {
  it("refuses a wrong token with 401", async () => {
    const res = await app.request("/metrics", { headers: { authorization: "Bearer not-the-token-at-all!" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "metrics_token_invalid" } });
  });

  it("refuses a request without a token", async () => {
    expect((await app.request("/metrics")).status).toBe(401);
  });

  it("exposes requests by route pattern, latency, sign-in failures and the pool in Prometheus format", async () => {
    await app.request("/api/v1/units/04222");
    await app.request("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "nobody", password: "wrong-password-1" }),
    });
    const res = await app.request("/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      /grassroots_http_requests_total\{[^}]*route="\/api\/v1\/units\/:code"[^}]*status="200"/,
    );
    expect(text).not.toMatch(/route="\/api\/v1\/units\/04222"/);
    expect(text).toMatch(/grassroots_http_request_duration_seconds_bucket/);
    expect(text).toMatch(/grassroots_sign_in_failures_total\{app="grassroots"\} 1/);
    expect(text).toMatch(/grassroots_db_pool_max_connections/);
    expect(text).toMatch(/grassroots_analytics_pivot_duration_seconds/);
  });

  it("is not served without a configured token", async () => {
    const open = createApp(
      createDeps(
        { sessionIdleMinutes: 120, sessionMaxHours: 12, trustProxy: 0 },
        database,
        pino({ level: "silent" }),
      ),
      { serveWeb: false },
    );
    expect((await open.request("/metrics")).status).toBe(404);
  });
});
