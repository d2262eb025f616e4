import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Actor } from "../modules/access/actor.ts";
import type { Authentication } from "../modules/access/auth.ts";

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
  trustProxy: boolean;
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
