import { z } from "@hono/zod-openapi";
import { badRequest } from "../../server/errors.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../server/route.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { pivotCsv, pivotXlsx } from "./files.ts";
import { createReferenceEngine, type PivotQuery, type UnitSpec } from "./index.ts";
import { parseUnitSpec } from "./plan.ts";

const list = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(1).max(64)).min(1).max(max));

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
        "Rows of { data, period, unit, value, numerator?, denominator?, incomplete? } with metadata",
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

export function analyticsRoutes() {
  const app = createRouter();
  app.openapi(pivotRoute, async (c) => {
    const q = c.req.valid("query");
    const deps = c.get("deps");
    const units: UnitSpec[] = [];
    const bad: string[] = [];
    for (const text of q.ou) {
      const spec = parseUnitSpec(text);
      if (spec) units.push(spec);
      else bad.push(text);
    }
    if (bad.length)
      throw badRequest(
        "invalid_unit_spec",
        `Not a unit spec: ${bad.join(", ")} (write CODE, CODE:children or CODE:level:commune).`,
        {
          problems: bad.map((code) => ({ field: "ou", code, message: "Not a unit spec." })),
        },
      );
    const actor = c.get("actor");
    for (const spec of units) await assertUnitInScope(deps.db, actor, spec.code ?? null);
    const query: PivotQuery = {
      data: q.dx,
      periods: q.pe,
      units,
      includeNumeratorDenominator: q.includeNumDen === "true",
      ...(q.hierarchyDate ? { hierarchyDate: q.hierarchyDate } : {}),
    };
    const engine = deps.analytics ?? createReferenceEngine(deps.db);
    const result = await engine.pivot(query);
    if (q.format === "json") return c.json(result, 200);
    const name = `analytics-${result.metadata.hierarchyDate}`;
    if (q.format === "csv")
      return c.body(pivotCsv(result), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.csv"`,
      });
    return c.body((await pivotXlsx(result)) as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${name}.xlsx"`,
    });
  });
  return app;
}
