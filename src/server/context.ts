import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Actor } from "../modules/access/actor.ts";

/** Resolves who is making a request (session cookie, API token…); the accounts module supplies the real one. */
export type Authenticator = (request: Request) => Promise<Actor>;

export interface AppDeps {
  db: Db;
  logger: Logger;
  authenticate: Authenticator;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor;
    deps: AppDeps;
  };
}

export type App = OpenAPIHono<AppEnv>;
