import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { unprocessable } from "../../http/errors.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { createReferenceEngine, type UnitSpec } from "../analytics/index.ts";
import { assertUnitSpecsInScope } from "../analytics/plan.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { todayInVietnam } from "../units/text.ts";
import { type EvaluationDeps, evaluateCommunes, summarise } from "./evaluate.ts";
import { provincePdf, provinceXlsx, scorecardPdf, scorecardXlsx } from "./exports.ts";
import { createFramework, frameworkInput, getFramework, listFrameworks } from "./frameworks.ts";
import { communeGroupInput, setCommuneGroup } from "./groups.ts";
import { listRegions, provinceRegionInput, setProvinceRegion } from "./regions.ts";
import {
  createTarget,
  deleteTarget,
  listTargets,
  targetInput,
  targetPatch,
  updateTarget,
} from "./targets.ts";
import { thresholdPatch, updateThreshold } from "./thresholds.ts";

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const base = "/standards";
const frameworkParam = z.object({
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .openapi({ param: { name: "code", in: "path" }, example: "NTM_2026_2030" }),
});
const idParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/)
    .openapi({ param: { name: "id", in: "path" }, example: "1" }),
});
const evaluationQuery = z.object({
  unit: z
    .string()
    .trim()
    .regex(/^\d{2,5}$/)
    .openapi({ description: "Commune code (scorecard) or province code (overview)", example: "04168" }),
  year: z.coerce.number().int().min(1905).max(2100).openapi({ example: 2025 }),
  format: z.enum(["json", "xlsx", "pdf"]).default("json"),
  lang: z.enum(["vi", "en"]).default("vi"),
});
const fileFormats = {
  "application/json": { schema: z.unknown() },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    schema: safeText().openapi({ format: "binary" }),
  },
  "application/pdf": { schema: safeText().openapi({ format: "binary" }) },
};
const stale = {
  409: {
    description: "stale_version: changed meanwhile; details.current is how it is now",
    content: json(errorSchema),
  },
};
const invalid = {
  422: { description: "A rule refused it; details name the field", content: json(errorSchema) },
};

const listRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/frameworks`,
  policy: "standards.read",
  tags: ["Standards"],
  summary:
    "Standards (frameworks) with their validity, criteria count and how many thresholds are unverified or demo",
  responses: {
    200: { description: "The frameworks", content: json(z.object({ items: z.array(z.unknown()) })) },
    ...errorResponses,
  },
});
const getRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/frameworks/{code}`,
  policy: "standards.read",
  tags: ["Standards"],
  summary:
    "A framework with its criteria, requirements and thresholds per commune group (each verified / unverified / demo)",
  request: { params: frameworkParam },
  responses: { 200: { description: "The framework", content: json(z.unknown()) }, ...errorResponses },
});
const createRoute = defineRoute(apiBasePath, {
  method: "post",
  path: `${base}/frameworks`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary:
    "Create a framework with criteria, requirements and thresholds (422: unknown indicator, unknown group, threshold out of range, overlapping validity)",
  request: { body: { content: json(frameworkInput), required: true } },
  responses: {
    201: { description: "The framework", content: json(z.unknown()) },
    ...errorResponses,
    ...invalid,
  },
});
const thresholdRoute = defineRoute(apiBasePath, {
  method: "patch",
  path: `${base}/thresholds/{id}`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary: "Edit a threshold's value and status (audited); evaluations read it at once",
  request: { params: idParam, body: { content: json(thresholdPatch), required: true } },
  responses: {
    200: { description: "The threshold", content: json(z.unknown()) },
    ...errorResponses,
    ...stale,
    ...invalid,
  },
});
const scorecardRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/frameworks/{code}/scorecard`,
  policy: "standards.read",
  tags: ["Standards"],
  summary:
    "A commune's evaluation for a year from the live analytics (across lineage): each requirement met / not met / no data with its gap, criteria met, projections; JSON, .xlsx or PDF",
  request: { params: frameworkParam, query: evaluationQuery },
  responses: { 200: { description: "The scorecard", content: fileFormats }, ...errorResponses, ...invalid },
});
const overviewRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/frameworks/{code}/overview`,
  policy: "standards.read",
  tags: ["Standards"],
  summary:
    "A province's communes against the standard for a year: share meeting it against the programme target, distribution, closest communes, criteria most often missed; JSON, .xlsx or PDF",
  request: { params: frameworkParam, query: evaluationQuery },
  responses: { 200: { description: "The overview", content: fileFormats }, ...errorResponses, ...invalid },
});
const groupRoute = defineRoute(apiBasePath, {
  method: "put",
  path: `${base}/communes/{code}/group`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary:
    "Set the new-style rural group (1, 2, 3) of a commune's current version (audited; 409 if it changed since read)",
  request: {
    params: z.object({
      code: z
        .string()
        .regex(/^\d{5}$/)
        .openapi({ param: { name: "code", in: "path" }, example: "04168" }),
    }),
    body: { content: json(communeGroupInput), required: true },
  },
  responses: {
    200: { description: "The commune's group", content: json(z.unknown()) },
    ...errorResponses,
    ...stale,
    ...invalid,
  },
});
const regionsRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/regions`,
  policy: "standards.read",
  tags: ["Standards"],
  summary:
    "The six socio-economic regions and each current province's region (configuration, with its version)",
  responses: { 200: { description: "Regions and provinces", content: json(z.unknown()) }, ...errorResponses },
});
const provinceRegionRoute = defineRoute(apiBasePath, {
  method: "put",
  path: `${base}/regions/provinces/{code}`,
  policy: "standards.configure",
  tags: ["Standards"],
  summary:
    "Set a province's socio-economic region (system administrators; audited; 409 if it changed since read; 422 for an unknown region)",
  request: {
    params: z.object({
      code: z
        .string()
        .regex(/^\d{2}$/)
        .openapi({ param: { name: "code", in: "path" }, example: "14" }),
    }),
    body: { content: json(provinceRegionInput), required: true },
  },
  responses: {
    200: { description: "The province's region", content: json(z.unknown()) },
    ...errorResponses,
    ...stale,
    ...invalid,
  },
});
const targetsRoute = defineRoute(apiBasePath, {
  method: "get",
  path: `${base}/targets`,
  policy: "standards.read",
  tags: ["Standards"],
  summary: "Targets of indicators for units and periods",
  request: {
    query: z.object({
      unit: safeText().trim().max(400).optional().openapi({ description: "Unit codes, comma-separated" }),
      data: safeText()
        .trim()
        .max(4000)
        .optional()
        .openapi({ description: "Indicator/element codes, comma-separated" }),
    }),
  },
  responses: {
    200: { description: "The targets", content: json(z.object({ items: z.array(z.unknown()) })) },
    ...errorResponses,
  },
});
const createTargetRoute = defineRoute(apiBasePath, {
  method: "post",
  path: `${base}/targets`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary: "Set a target for an indicator, a unit in your scope and a period (audited)",
  request: { body: { content: json(targetInput), required: true } },
  responses: {
    201: { description: "The target", content: json(z.unknown()) },
    ...errorResponses,
    409: { description: "target_exists", content: json(errorSchema) },
    ...invalid,
  },
});
const updateTargetRoute = defineRoute(apiBasePath, {
  method: "patch",
  path: `${base}/targets/{id}`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary: "Change a target's value (audited)",
  request: { params: idParam, body: { content: json(targetPatch), required: true } },
  responses: {
    200: { description: "The target", content: json(z.unknown()) },
    ...errorResponses,
    ...stale,
    ...invalid,
  },
});
const deleteTargetRoute = defineRoute(apiBasePath, {
  method: "delete",
  path: `${base}/targets/{id}`,
  policy: "standards.manage",
  tags: ["Standards"],
  summary: "Delete a target (audited)",
  request: { params: idParam, query: z.object({ version: z.coerce.number().int().min(1) }) },
  responses: { 204: { description: "Deleted" }, ...errorResponses, ...stale },
});

const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
const evalDeps = (c: Context<AppEnv>): EvaluationDeps => {
  const deps = c.get("deps");
  return { db: deps.db, engine: deps.analytics ?? createReferenceEngine(deps.db) };
};
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function file(c: Context<AppEnv>, bytes: Uint8Array, type: string, filename: string) {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": type,
    "content-disposition": `attachment; filename="${filename}"`,
  });
}

export function standardsRoutes() {
  const app = createRouter();
  app.openapi(listRoute, async (c) => c.json({ items: await listFrameworks(c.get("deps").db) }, 200));
  app.openapi(getRoute, async (c) =>
    c.json(await getFramework(c.get("deps").db, c.req.valid("param").code), 200),
  );
  app.openapi(createRoute, async (c) =>
    c.json(await createFramework(c.get("deps").db, ctxOf(c), c.req.valid("json")), 201),
  );
  app.openapi(thresholdRoute, async (c) =>
    c.json(
      await updateThreshold(c.get("deps").db, ctxOf(c), Number(c.req.valid("param").id), c.req.valid("json")),
      200,
    ),
  );
  app.openapi(scorecardRoute, async (c) => {
    const q = c.req.valid("query");
    const deps = evalDeps(c);
    const framework = await getFramework(deps.db, c.req.valid("param").code);
    const spec: UnitSpec = { code: q.unit, mode: "self" };
    await assertUnitSpecsInScope(deps.db, c.get("actor"), [spec]);
    const [evaluation] = await evaluateCommunes(deps, framework, spec, q.year);
    if (!evaluation)
      throw unprocessable(
        "not_a_commune",
        { vi: `Đơn vị ${q.unit} không phải cấp xã.`, en: `Unit ${q.unit} is not a commune.` },
        { field: "unit" },
      );
    const { criteria: _c, ...summary } = framework;
    const filename = `tieu-chi-${framework.code}-${q.unit}-${q.year}`;
    if (q.format === "xlsx")
      return file(c, await scorecardXlsx(q.lang, summary, evaluation), xlsxType, `${filename}.xlsx`);
    if (q.format === "pdf")
      return file(c, await scorecardPdf(q.lang, summary, evaluation), "application/pdf", `${filename}.pdf`);
    return c.json({ framework: summary, evaluation }, 200);
  });
  app.openapi(overviewRoute, async (c) => {
    const q = c.req.valid("query");
    const deps = evalDeps(c);
    const framework = await getFramework(deps.db, c.req.valid("param").code);
    const spec: UnitSpec = { code: q.unit, mode: "level:commune" };
    await assertUnitSpecsInScope(deps.db, c.get("actor"), [spec]);
    const evaluations = await evaluateCommunes(deps, framework, spec, q.year);
    const [unit] = await unitVersionsOn(deps.db, [q.unit], todayInVietnam());
    const summary = summarise(framework, { code: q.unit, name: unit?.name ?? q.unit }, q.year, evaluations);
    const filename = `tieu-chi-${framework.code}-${q.unit}-${q.year}`;
    if (q.format === "xlsx")
      return file(c, await provinceXlsx(q.lang, summary), xlsxType, `${filename}.xlsx`);
    if (q.format === "pdf")
      return file(c, await provincePdf(q.lang, summary), "application/pdf", `${filename}.pdf`);
    return c.json(summary, 200);
  });
  app.openapi(groupRoute, async (c) =>
    c.json(
      await setCommuneGroup(c.get("deps").db, ctxOf(c), c.req.valid("param").code, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(regionsRoute, async (c) => c.json(await listRegions(c.get("deps").db), 200));
  app.openapi(provinceRegionRoute, async (c) =>
    c.json(
      await setProvinceRegion(c.get("deps").db, ctxOf(c), c.req.valid("param").code, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(targetsRoute, async (c) => {
    const q = c.req.valid("query");
    const split = (s?: string) =>
      s
        ? s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined;
    const unitCodes = split(q.unit);
    const dataCodes = split(q.data);
    return c.json(
      {
        items: await listTargets(c.get("deps").db, {
          ...(unitCodes ? { unitCodes } : {}),
          ...(dataCodes ? { dataCodes } : {}),
        }),
      },
      200,
    );
  });
  app.openapi(createTargetRoute, async (c) =>
    c.json(await createTarget(c.get("deps").db, ctxOf(c), c.req.valid("json")), 201),
  );
  app.openapi(updateTargetRoute, async (c) =>
    c.json(
      await updateTarget(c.get("deps").db, ctxOf(c), Number(c.req.valid("param").id), c.req.valid("json")),
      200,
    ),
  );
  app.openapi(deleteTargetRoute, async (c) => {
    await deleteTarget(
      c.get("deps").db,
      ctxOf(c),
      Number(c.req.valid("param").id),
      c.req.valid("query").version,
    );
    return c.body(null, 204);
  });
  return app;
}
