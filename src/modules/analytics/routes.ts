import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { attachment } from "../../http/download.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { pivotCsv, pivotTableCsv, pivotTableXlsx, pivotXlsx } from "./files.ts";
import { dataVersion } from "./freshness.ts";
import { createReferenceEngine, type PivotQuery } from "./index.ts";
import { assertSingleFilters, dimensions, layoutTable, resolveLayout } from "./layout.ts";
import { assertUnitSpecsInScope, parseUnitSpecs, roundForOutput } from "./plan.ts";
import {
  createView,
  createViewInput,
  deleteView,
  listViews,
  updateView,
  updateViewInput,
  viewSchema,
} from "./views.ts";

const list = (max: number) =>
  safeText()
    .trim()
    .min(1)
    .max(4000)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(safeText().min(1).max(64)).min(1).max(max));

const dimensionList = z
  .string()
  .trim()
  .max(40)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(dimensions)).max(3));

export const analyticsQuery = z.object({
  dx: list(200).openapi({
    description: "Data element and indicator codes, comma-separated",
    example: "HH_TOTAL,POVERTY_RATE",
  }),
  pe: list(120).openapi({
    description:
      "Period codes (2025, 2025S1, 2025Q3, 202507) or relative periods (THIS_YEAR, LAST_YEAR, LAST_5_YEARS, THIS_QUARTER, LAST_4_QUARTERS, THIS_MONTH, LAST_12_MONTHS…), comma-separated",
    example: "2014",
  }),
  ou: list(50).openapi({
    description:
      "Row units, comma-separated: CODE (the unit), CODE:children, CODE:level:commune (a level of its subtree), level:province (the whole country)",
    example: "417:children",
  }),
  hierarchyDate: z.iso.date().optional().openapi({
    description: "Show figures in the hierarchy of this date (default today)",
    example: "2014-12-31",
  }),
  includeNumDen: z
    .enum(["true", "false"])
    .default("false")
    .openapi({ description: "Return each indicator's numerator and denominator" }),
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
  rows: dimensionList.optional().openapi({
    description:
      "Dimensions down the side (dx, pe, ou), comma-separated; default ou. Each dimension goes in exactly one of rows, columns and filter",
    example: "ou",
  }),
  columns: dimensionList.optional().openapi({
    description: "Dimensions across the top, comma-separated, the first outermost; default dx,pe",
    example: "dx",
  }),
  filter: dimensionList.optional().openapi({
    description:
      "Dimensions fixed to their one item (e.g. pe with pe=2025): neither a row nor a column; each must hold exactly one item",
    example: "pe",
  }),
  layout: z.enum(["table", "flat"]).optional().openapi({
    description:
      "table: { headers, rows: [{ keys, cells }], metadata } laid out by rows/columns/filter; flat: one row per cell. Default flat for JSON, table for CSV and .xlsx",
  }),
  lang: z
    .enum(["vi", "en"])
    .default("vi")
    .openapi({ description: "Names in the table and in CSV/.xlsx headers: Vietnamese (default) or English" }),
  emptyRows: z.enum(["show", "hide"]).default("show").openapi({
    description:
      "With layout=table: hide leaves out the rows without any figure (as the web app's table does); default show",
  }),
});

const pivotRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/analytics",
  policy: "analytics.read",
  tags: ["Analytics"],
  summary:
    "Pivot of elements and indicators by period and unit, rolled up the hierarchy of a date and across lineage (see docs/analytics.md)",
  request: { query: analyticsQuery },
  responses: {
    200: {
      description:
        "JSON: rows of { data, period, unit, value, numerator?, denominator?, incomplete? } with metadata; with layout=table, { headers: [{ dimension, items: [{ code, name }] }], rows: [{ keys: [{ dimension, code, name }], cells: (number|null)[] }], metadata (with layout, filters, incompleteCells: [row, column][]) }. CSV and .xlsx: the table, row dimensions first, one column per column combination",
      content: {
        "application/json": { schema: z.unknown() },
        "text/csv": { schema: z.string() },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
          schema: z.string().openapi({ format: "binary" }),
        },
      },
    },
    ...errorResponses,
    413: {
      description: "Too many cells: the limit and how to narrow the query",
      content: { "application/json": { schema: errorSchema } },
    },
  },
});

const viewId = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .openapi({ param: { name: "id", in: "path" }, example: "1" }),
});
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const staleVersion = {
  409: {
    description: "stale_version: the view changed since you read it; details.current is the view now",
    content: json(errorSchema),
  },
};

const versionRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/analytics/version",
  policy: "analytics.read",
  tags: ["Analytics"],
  summary:
    "Where the data stands (the last change of values, and of units and lineage): ask often, refetch figures when it moves",
  responses: {
    200: {
      description: "Two counters that only grow",
      content: json(z.object({ values: z.number().int(), dimensions: z.number().int() })),
    },
    ...errorResponses,
  },
});

const listViewsRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/analytics/views",
  policy: "analytics.read",
  tags: ["Analytics"],
  summary: "Saved views shared with a unit your scope covers, and your own; newest first",
  responses: {
    200: { description: "The views", content: json(z.object({ items: z.array(viewSchema) })) },
    ...errorResponses,
  },
});

const createViewRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/analytics/views",
  policy: "analytics.save",
  tags: ["Analytics"],
  summary:
    "Save a view (query, layout, chart) shared with a unit in your scope (default your scope unit); codes are checked as GET /analytics does",
  request: { body: { content: json(createViewInput), required: true } },
  responses: {
    201: { description: "The saved view", content: json(viewSchema) },
    ...errorResponses,
    413: { description: "The view's query asks for too many cells", content: json(errorSchema) },
  },
});

const updateViewRoute = defineRoute(apiBasePath, {
  method: "patch",
  path: "/analytics/views/{id}",
  policy: "analytics.save",
  tags: ["Analytics"],
  summary: "Change a saved view (its owner, or a system/province administrator covering its unit)",
  request: { params: viewId, body: { content: json(updateViewInput), required: true } },
  responses: {
    200: { description: "The view as changed", content: json(viewSchema) },
    ...errorResponses,
    ...staleVersion,
    413: { description: "The view's query asks for too many cells", content: json(errorSchema) },
  },
});

const deleteViewRoute = defineRoute(apiBasePath, {
  method: "delete",
  path: "/analytics/views/{id}",
  policy: "analytics.save",
  tags: ["Analytics"],
  summary: "Delete a saved view (same rights as changing it)",
  request: {
    params: viewId,
    query: z.object({
      version: z.coerce.number().int().min(1).openapi({ description: "The version you read" }),
    }),
  },
  responses: { 204: { description: "Deleted" }, ...errorResponses, ...staleVersion },
});

const requestContext = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });

export function analyticsRoutes() {
  const app = createRouter();
  app.openapi(pivotRoute, async (c) => {
    const q = c.req.valid("query");
    const deps = c.get("deps");
    const units = parseUnitSpecs(q.ou, "ou");
    const layout = resolveLayout({
      ...(q.rows ? { rows: q.rows } : {}),
      ...(q.columns ? { columns: q.columns } : {}),
      ...(q.filter ? { filter: q.filter } : {}),
    });
    assertSingleFilters(layout.filter, {
      dx: new Set(q.dx).size,
      pe: new Set(q.pe).size,
      ou: new Set(q.ou).size,
    });
    const actor = c.get("actor");
    await assertUnitSpecsInScope(deps.db, actor, units);
    const query: PivotQuery = {
      data: q.dx,
      periods: q.pe,
      units,
      includeNumeratorDenominator: q.includeNumDen === "true",
      ...(q.hierarchyDate ? { hierarchyDate: q.hierarchyDate } : {}),
    };
    const engine = deps.analytics ?? createReferenceEngine(deps.db);
    const result = roundForOutput(await engine.pivot(query));
    assertSingleFilters(layout.filter, {
      dx: result.metadata.data.length,
      pe: result.metadata.periods.length,
      ou: result.metadata.units.length,
    });
    const shape = q.layout ?? (q.format === "json" ? "flat" : "table");
    const table =
      shape === "table"
        ? layoutTable(result, layout, q.lang, { hideEmptyRows: q.emptyRows === "hide" })
        : null;
    if (q.format === "json") return table ? c.json(table, 200) : c.json(result, 200);
    const name = `analytics-${result.metadata.hierarchyDate}`;
    if (q.format === "csv")
      return c.body(table ? pivotTableCsv(table, q.lang) : pivotCsv(result), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": attachment(`${name}.csv`),
      });
    const xlsx = table ? await pivotTableXlsx(table, q.lang) : await pivotXlsx(result);
    return c.body(xlsx as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": attachment(`${name}.xlsx`),
    });
  });
  app.openapi(versionRoute, async (c) => c.json(await dataVersion(c.get("deps").db), 200));
  app.openapi(listViewsRoute, async (c) => {
    return c.json({ items: await listViews(c.get("deps").db, c.get("actor")) }, 200);
  });
  app.openapi(createViewRoute, async (c) => {
    const view = await createView(c.get("deps").db, requestContext(c), c.req.valid("json"));
    return c.json(view, 201);
  });
  app.openapi(updateViewRoute, async (c) => {
    const { id } = c.req.valid("param");
    const view = await updateView(c.get("deps").db, requestContext(c), Number(id), c.req.valid("json"));
    return c.json(view, 200);
  });
  app.openapi(deleteViewRoute, async (c) => {
    const { id } = c.req.valid("param");
    await deleteView(c.get("deps").db, requestContext(c), Number(id), c.req.valid("query").version);
    return c.body(null, 204);
  });
  return app;
}
