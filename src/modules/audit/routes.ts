import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute, errorResponses } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import { listAuditEvents } from "./queries.ts";

const isoDay = z.iso.date(zodMessage({ vi: "một ngày dạng YYYY-MM-DD", en: "a date as YYYY-MM-DD" }));

const auditEvent = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ kind: z.string(), id: z.string(), username: z.string().nullable() }),
    action: z.string().openapi({ example: "users.create" }),
    recordKind: z.string().openapi({ example: "user" }),
    recordId: z.string(),
    unitCode: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi("AuditEvent");

const listRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/audit",
  policy: "audit.read",
  tags: ["Audit"],
  summary: "Every change in the caller's scope, newest first, with before → after",
  request: {
    query: z.object({
      user: safeText().trim().max(32).optional().openapi({ description: "Actor id (a user id)" }),
      unit: safeText().trim().max(32).optional(),
      kind: safeText()
        .trim()
        .max(64)
        .optional()
        .openapi({ description: "Record kind: user, unit_event, api_token, session…" }),
      from: isoDay.optional(),
      to: isoDay.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "Audit events",
      content: {
        "application/json": { schema: z.object({ total: z.number().int(), items: z.array(auditEvent) }) },
      },
    },
    ...errorResponses,
  },
});

export function auditRoutes() {
  const app = createRouter();
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const result = await listAuditEvents(
      c.get("deps").db,
      { actor: c.get("actor"), requestId: c.get("requestId") },
      {
        actorId: q.user,
        unit: q.unit,
        recordKind: q.kind,
        from: q.from,
        to: q.to,
        limit: q.limit,
        offset: q.offset,
      },
    );
    return c.json(result, 200);
  });
  return app;
}
