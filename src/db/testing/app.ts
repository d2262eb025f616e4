import pino from "pino";
import type { Actor } from "../../modules/access/actor.ts";
import { authenticate } from "../../modules/access/auth.ts";
import { createApp } from "../../server/app.ts";
import type { Db } from "../client.ts";

export const systemAdmin: Actor = { kind: "user", id: "0", role: "system_admin", scope: null };

export interface TestAppOptions {
  /** Act as this actor on every request instead of reading cookies and tokens. */
  actor?: Actor;
  /** The clock sessions and lockouts read. */
  now?: () => Date;
  /** The day due dates are measured against (working sessions), YYYY-MM-DD. */
  today?: () => string;
  /** Where working-session attachments go, and the largest accepted. */
  attachments?: { dir: string; maxBytes: number };
  /** Trusted reverse proxies (default 1: tests write X-Forwarded-For as the proxy would). */
  trustProxy?: boolean | number;
  /** The public address the operator configured (https makes the cookie Secure). */
  publicUrl?: string;
}

/** The HTTP app over a test database, with real authentication unless an actor is given. */
export function testApp(db: Db, options: TestAppOptions = {}) {
  const auth = { idleMinutes: 120, maxHours: 12, now: options.now ?? (() => new Date()) };
  return createApp(
    {
      db,
      logger: pino({ level: "silent" }),
      auth,
      trustProxy: options.trustProxy ?? true,
      publicUrl: options.publicUrl,
      ...(options.today ? { today: options.today } : {}),
      ...(options.attachments ? { attachments: options.attachments } : {}),
      authenticate: async (credentials) =>
        options.actor ? { actor: options.actor } : authenticate(db, auth, credentials),
    },
    { serveWeb: false },
  );
}
