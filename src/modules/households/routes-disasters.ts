import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute } from "../../server/route.ts";
import { safeText } from "../../server/text.ts";
import {
  createDisaster,
  damageInput,
  disasterInput,
  disasterSummary,
  listDisasters,
  recordDamage,
} from "./disasters.ts";
import { body, ctxOf, idParam, responses, tags } from "./routes-kit.ts";

const r = {
  create: defineRoute(apiBasePath, {
    method: "post",
    path: "/disasters",
    policy: "disasters.manage",
    tags,
    summary: "Record a disaster event with its dates and the communes it struck",
    request: body(disasterInput),
    responses,
  }),
  list: defineRoute(apiBasePath, {
    method: "get",
    path: "/disasters",
    policy: "households.counts",
    tags,
    summary: "A province's disaster events",
    request: { query: z.object({ province: safeText().trim().min(1).max(8) }) },
    responses,
  }),
  damage: defineRoute(apiBasePath, {
    method: "post",
    path: "/disasters/{id}/damages",
    policy: "households.write",
    tags,
    summary: "Record a household's damage from the event",
    request: { params: idParam, ...body(damageInput) },
    responses,
  }),
  summary: defineRoute(apiBasePath, {
    method: "get",
    path: "/disasters/{id}",
    policy: "households.counts",
    tags,
    summary: "Damage and relief per commune, live",
    request: { params: idParam },
    responses,
  }),
};

export function disasterRoutes() {
  const app = createRouter();
  app.openapi(r.create, async (c) =>
    c.json(await createDisaster(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.list, async (c) =>
    c.json({ items: await listDisasters(c.get("deps").db, ctxOf(c), c.req.valid("query").province) }, 200),
  );
  app.openapi(r.damage, async (c) =>
    c.json(await recordDamage(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(r.summary, async (c) =>
    c.json(await disasterSummary(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  return app;
}
