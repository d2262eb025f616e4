import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Actor } from "../modules/access/actor.ts";
import type { Authentication } from "../modules/access/auth.ts";
import type { AnalyticsEngine } from "../modules/analytics/index.ts";
import type { Readiness } from "../modules/operations/health.ts";
import type { Metrics } from "../modules/operations/metrics.ts";

/** What the server needs to know about a request to resolve who makes it. */
export interface Credentials {
  cookie?: string | undefined;
  bearer?: string | undefined;
}

/** Resolves who is making a request from its credentials. */
export type Authenticator = (credentials: Credentials) => Promise<Authentication>;

export interface AppDeps {
  db: Db;
  logger: Logger;
  authenticate: Authenticator;
  /** Session lifetimes; the clock tests move. */
  auth: { idleMinutes: number; maxHours: number; now: () => Date };
  /** Reverse proxies in front of this server whose X-Forwarded-For entry is trusted (true = 1, false = 0). */
  trustProxy: boolean | number;
  /** The address people reach the server at; https makes the session cookie Secure behind a TLS proxy. */
  publicUrl?: string | undefined;
  /** Days the security log keeps its events (default 180). */
  securityLogDays?: number;
  /** The analytics engine (the DuckDB replica); without one, analytics run on the reference SQL. */
  analytics?: AnalyticsEngine & { close?(): Promise<void> };
  /** What operators watch: readiness, and the metrics (served at /metrics only with a token). */
  operations?: {
    readiness(): Promise<Readiness>;
    metrics?: Metrics;
    metricsToken?: string | undefined;
  };
  /** Working-session attachments: the folder they are stored in and the largest accepted. */
  attachments?: { dir: string; maxBytes: number };
  /** What day it is in Vietnam (YYYY-MM-DD) for due dates; default the real one, tests move it. */
  today?: () => string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor;
    /** Why presented credentials were refused (an ended session, a revoked token). */
    authProblem: Error | undefined;
    deps: AppDeps;
  };
}

export type App = OpenAPIHono<AppEnv>;
