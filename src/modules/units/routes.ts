import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../server/route.ts";
import { safeText } from "../../server/text.ts";
import { zodMessage } from "../../server/validation.ts";
import { getUnitHistory, listUnits } from "./queries.ts";
import { recordUnitChange, unitChangeInput } from "./record-change.ts";

const level = z.enum(["province", "district", "commune", "village"]);
const isoDay = z.iso
  .date(zodMessage({ vi: "một ngày dạng YYYY-MM-DD", en: "a date as YYYY-MM-DD" }))
  .openapi({ example: "2025-06-30" });

const ancestor = z.object({ code: z.string(), name: z.string(), level });
const unitVersion = z
  .object({
    code: z.string().openapi({ example: "04168" }),
    name: z.string().openapi({ example: "Xã Sông Mã" }),
    level,
    kind: z.string().openapi({ example: "commune" }),
    parentCode: z.string().nullable(),
    validFrom: z
      .string()
      .nullable()
      .openapi({ description: "First day valid; null = since before our records" }),
    validTo: z
      .string()
      .nullable()
      .openapi({ description: "First day no longer valid (exclusive); null = still valid" }),
    isCurrent: z.boolean(),
    attributes: z.record(z.string(), z.unknown()),
    ancestors: z.array(ancestor).openapi({ description: "Parent first, as on the version's reference date" }),
    childCount: z.number().int().optional(),
  })
  .openapi("UnitVersion");
const unitEvent = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    effectiveDate: z.string(),
    document: z.string().nullable().openapi({ example: "1681/NQ-UBTVQH15" }),
    clause: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi("UnitEvent");
const lineageLink = z
  .object({
    kind: z.enum(["full", "partial"]),
    share: z.number().nullable(),
    unit: unitVersion,
    event: unitEvent,
  })
  .openapi("LineageLink");
const historyEntry = unitVersion
  .extend({
    openedBy: unitEvent.nullable(),
    closedBy: unitEvent.nullable(),
    predecessors: z.array(lineageLink),
    successors: z.array(lineageLink),
  })
  .openapi("UnitHistoryEntry");

const listRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/units",
  policy: "units.read",
  tags: ["Units"],
  summary: "Search units, list a unit's children, or list the provinces",
  request: {
    query: z.object({
      q: safeText()
        .trim()
        .max(100)
        .optional()
        .openapi({ description: "Name or code; diacritics and case ignored", example: "chieng khuong" }),
      at: isoDay.optional().openapi({
        description: "Only units valid on this date (default today, or any date when searching)",
      }),
      level: level.optional(),
      parent: safeText().trim().max(32).optional().openapi({ description: "Children of this unit code" }),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "Matching unit versions",
      content: {
        "application/json": {
          schema: z.object({
            at: z.string().nullable(),
            total: z.number().int(),
            items: z.array(unitVersion),
          }),
        },
      },
    },
    400: errorResponses[400],
    404: errorResponses[404],
  },
});

const showRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/units/{code}",
  policy: "units.read",
  tags: ["Units"],
  summary: "A unit code's whole history: every version, the events that opened and closed it, its lineage",
  request: {
    params: z.object({ code: safeText().max(32).openapi({ example: "04168" }) }),
    query: z.object({
      at: isoDay.optional().openapi({ description: "Select the version valid on this date" }),
    }),
  },
  responses: {
    200: {
      description: "The history of the code, with the version valid on `at` selected",
      content: {
        "application/json": {
          schema: z
            .object({ code: z.string(), selected: historyEntry, versions: z.array(historyEntry) })
            .openapi("UnitHistory"),
        },
      },
    },
    400: errorResponses[400],
    404: errorResponses[404],
  },
});

const changeRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/unit-changes",
  policy: "units.change",
  tags: ["Units"],
  summary: "Record a merge, split, rename, change of parent, establishment or abolition",
  request: { body: { content: { "application/json": { schema: unitChangeInput } }, required: true } },
  responses: {
    201: {
      description: "The change was recorded",
      content: {
        "application/json": {
          schema: z.object({
            eventId: z.number().int(),
            closed: z.array(z.object({ code: z.string(), name: z.string() })),
            opened: z.array(z.object({ code: z.string(), name: z.string() })),
          }),
        },
      },
    },
    ...errorResponses,
    422: {
      description: "The change breaks a rule of history; `code` names it",
      content: { "application/json": { schema: errorSchema } },
    },
  },
});

export function unitsRoutes() {
  const app = createRouter();
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    return c.json(await listUnits(c.get("deps").db, query), 200);
  });
  app.openapi(showRoute, async (c) => {
    const { code } = c.req.valid("param");
    const { at } = c.req.valid("query");
    return c.json(await getUnitHistory(c.get("deps").db, code, at), 200);
  });
  app.openapi(changeRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await recordUnitChange(
      c.get("deps").db,
      { actor: c.get("actor"), requestId: c.get("requestId") },
      body,
    );
    return c.json(
      {
        eventId: result.eventId,
        closed: result.closed.map((v) => ({ code: v.code, name: v.name })),
        opened: result.opened.map((v) => ({ code: v.code, name: v.name })),
      },
      201,
    );
  });
  return app;
}
