import pino from "pino";
import type { Actor } from "../../modules/access/actor.ts";
import { anonymous } from "../../modules/access/actor.ts";
import { createApp } from "../../server/app.ts";
import type { Db } from "../client.ts";

export const systemAdmin: Actor = { kind: "user", id: "test-admin", role: "system_admin", scopeCode: null };

/** The HTTP app over a test database, acting as `actor` for every request (anonymous by default). */
export function testApp(db: Db, actor: Actor = anonymous) {
  return createApp(
    { db, logger: pino({ level: "silent" }), authenticate: async () => actor },
    { serveWeb: false },
  );
}
