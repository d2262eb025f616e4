import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import {
  createDisaster,
  damageInput,
  damageReportInput,
  disasterInput,
  disasterSummary,
  listDamages,
  listDisasters,
  recordDamage,
  reportDamageComplete,
} from "./disasters.ts";
import { body, communeQuery, ctxOf, idParam, responses, tags } from "./routes-kit.ts";

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
    summary: "A province's disaster events, or those that struck a commune",
    request: {
      query: z.object({
        province: safeText().trim().min(1).max(8).optional(),
        commune: safeText().trim().min(1).max(32).optional(),
      }),
    },
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
  damages: defineRoute(apiBasePath, {
    method: "get",
    path: "/disasters/{id}/damages",
    policy: "households.read",
    tags,
    summary: "A commune's affected households with their damage (named: officers only)",
    request: { params: idParam, query: communeQuery },
    responses,
  }),
  report: defineRoute(apiBasePath, {
    method: "post",
    path: "/disasters/{id}/reports",
    policy: "households.write",
    tags,
    summary: "A commune says its damage from the event is all recorded (counts towards the coverage)",
    request: { params: idParam, ...body(damageReportInput) },
    responses,
  }),
};

export function disasterRoutes() {
  const app = createRouter();
  app.openapi(r.create, async (c) =>
    c.json(await createDisaster(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.list, async (c) =>
    c.json({ items: await listDisasters(c.get("deps").db, ctxOf(c), c.req.valid("query")) }, 200),
  );
  app.openapi(r.damage, async (c) =>
    c.json(await recordDamage(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(r.summary, async (c) =>
    c.json(await disasterSummary(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.damages, async (c) =>
    c.json(
      {
        items: await listDamages(
          c.get("deps").db,
          ctxOf(c),
          c.req.valid("param").id,
          c.req.valid("query").commune,
        ),
      },
      200,
    ),
  );
  app.openapi(r.report, async (c) =>
    c.json(
      await reportDamageComplete(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  return app;
}
