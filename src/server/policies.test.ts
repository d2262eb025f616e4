import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Db } from "../db/client.ts";
import { declaredPolicies, globalMiddleware, policyKey } from "../http/route.ts";
import { anonymous } from "../modules/access/actor.ts";
import { can } from "../modules/access/policies.ts";
import { createApp } from "./app.ts";

describe("route policies", () => {
  it("every registered route declares a policy", () => {
    const app = createApp({
      db: {} as Db,
      logger: pino({ level: "silent" }),
      auth: { idleMinutes: 1, maxHours: 1, now: () => new Date() },
      trustProxy: false,
      authenticate: async () => ({ actor: anonymous }),
    });
    const undeclared = app.routes
      .filter((route) => !globalMiddleware.has(route.handler))
      .map((route) => policyKey(route.method, route.path))
      .filter((key) => !declaredPolicies.has(key));
    expect(undeclared).toEqual([]);
  });

  it("denies an action no rule names", () => {
    expect(can({ kind: "system", id: "cli" }, "no.such.action" as never)).toBe(false);
  });

  it("lets nobody anonymous change the map", () => {
    expect(can(anonymous, "units.change")).toBe(false);
  });
});
