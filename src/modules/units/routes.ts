import { z } from "@hono/zod-openapi";
import { AppError, badRequest } from "../../http/errors.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import { getUnitHistory, listUnits } from "./queries.ts";
import { recordUnitChange, unitChangeInput } from "./record-change.ts";
import { declareShareInput, declareShares, parseSharesCsv } from "./shares.ts";

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
    edgeId: z.number().int(),
    kind: z.enum(["full", "partial"]),
    share: z.number().nullable(),
    basis: z
      .string()
      .nullable()
      .openapi({ description: 'What a declared share rests on, e.g. "dân số 2024"' }),
    version: z.number().int(),
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

const edgeView = z
  .object({
    id: z.number().int(),
    kind: z.enum(["full", "partial"]),
    share: z.number().nullable(),
    basis: z.string().nullable(),
    version: z.number().int(),
    from: z.object({ code: z.string(), name: z.string(), validTo: z.string().nullable() }),
    to: z.object({ code: z.string(), name: z.string(), validFrom: z.string().nullable() }),
  })
  .openapi("LineageEdge");
const sharesRefused = {
  409: {
    description: "The edge changed since you read it",
    content: { "application/json": { schema: errorSchema } },
  },
  422: {
    description:
      "A share outside (0, 1], a share on a full edge, or shares of one predecessor above 1; `details.problems` names each edge (and CSV line)",
    content: { "application/json": { schema: errorSchema } },
  },
};

const declareShareRoute = defineRoute(apiBasePath, {
  method: "patch",
  path: "/lineage-edges/{id}",
  policy: "units.shares",
  tags: ["Units"],
  summary: "Declare (or clear, with null) the share of a partial lineage edge, with its basis",
  request: {
    params: z.object({ id: z.coerce.number().int().min(1).openapi({ example: 120 }) }),
    body: { content: { "application/json": { schema: declareShareInput } }, required: true },
  },
  responses: {
    200: { description: "The edge as declared", content: { "application/json": { schema: edgeView } } },
    ...errorResponses,
    ...sharesRefused,
  },
});

const importSharesRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/lineage-shares/import",
  policy: "units.shares",
  tags: ["Units"],
  summary: "Declare shares from a CSV (ma_cu, ma_moi, ty_le, can_cu): all rows or none",
  request: {
    body: { content: { "text/csv": { schema: z.string() } }, required: true },
    query: z.object({ reason: z.string().trim().max(2000).optional() }),
  },
  responses: {
    200: {
      description: "Every edge declared",
      content: { "application/json": { schema: z.object({ updated: z.array(edgeView) }) } },
    },
    ...errorResponses,
    ...sharesRefused,
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
  app.openapi(declareShareRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const [edge] = await declareShares(
      c.get("deps").db,
      { actor: c.get("actor"), requestId: c.get("requestId"), reason: body.reason ?? null },
      [{ edgeId: id, share: body.share, basis: body.basis, version: body.version }],
    );
    return c.json(edge as NonNullable<typeof edge>, 200);
  });
  app.openapi(importSharesRoute, async (c) => {
    const text = await c.req.text();
    if (text.length > 5_000_000)
      throw new AppError(413, "too_large", { vi: "Tệp quá 5 MB.", en: "The file is over 5 MB." });
    const { items, problems } = parseSharesCsv(text);
    if (items.length === 0 && problems.length === 0)
      throw badRequest("empty_file", { vi: "Tệp không có dòng nào.", en: "The file has no rows." });
    const updated = await declareShares(
      c.get("deps").db,
      { actor: c.get("actor"), requestId: c.get("requestId"), reason: c.req.valid("query").reason ?? null },
      items,
      problems,
    );
    return c.json({ updated }, 200);
  });
  return app;
}
