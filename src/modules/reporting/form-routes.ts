import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, AppEnv } from "../../http/context.ts";
import { apiBasePath, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { entryContext } from "./entry-context.ts";
import {
  formDesign,
  formUpdateInput,
  formUsage,
  retirementInput,
  setFormRetired,
  updateForm,
} from "./form-designer.ts";

const ok = (description: string, schema: z.ZodType = z.unknown()) => ({
  description,
  content: { "application/json": { schema } },
});
const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
const formParam = z.object({ code: safeText().trim().min(1).max(64) });

const designRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/forms/{code}/design",
  policy: "catalogue.manage",
  tags: ["Reporting"],
  summary:
    "A form as the designer edits it: settings, sections (element codes) and the units the reader may assign",
  request: { params: formParam },
  responses: { 200: ok("The form's design"), ...errorResponses },
});

const usageRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/forms/{code}/usage",
  policy: "catalogue.manage",
  tags: ["Reporting"],
  summary: "How many reports a form has and how many values each of its elements holds (before changing it)",
  request: { params: formParam },
  responses: { 200: ok("Reports and values per element"), ...errorResponses },
});

const updateRoute = defineRoute(apiBasePath, {
  method: "put",
  path: "/forms/{code}",
  policy: "catalogue.manage",
  tags: ["Reporting"],
  summary:
    "Change a form (send the version you read). Reported values are kept: an element taken off keeps its values",
  request: {
    params: formParam,
    body: { required: true, content: { "application/json": { schema: formUpdateInput } } },
  },
  responses: {
    200: ok("The form's new version and the values kept for elements taken off"),
    ...errorResponses,
    409: ok("Changed by someone else meanwhile", errorSchema),
    422: ok(
      "No elements, no units, a deadline that cannot be computed, or a locked period type",
      errorSchema,
    ),
  },
});

const retirementRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/forms/{code}/retirement",
  policy: "catalogue.manage",
  tags: ["Reporting"],
  summary: "Retire a form (no new reports; what was reported stays readable) or bring it back",
  request: {
    params: formParam,
    body: { required: true, content: { "application/json": { schema: retirementInput } } },
  },
  responses: { 200: ok("The form now"), ...errorResponses, 409: ok("Changed meanwhile", errorSchema) },
});

const contextRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/data-entry/context",
  policy: "data.read",
  tags: ["Reporting"],
  summary:
    "Guardrails for an entry screen: the previous period's values, each element's usual range, the change factor and the form's validation rules",
  request: {
    query: z.object({
      form: safeText().trim().min(1).max(64),
      unit: safeText().trim().min(1).max(32),
      period: safeText().trim().min(1).max(16),
    }),
  },
  responses: { 200: ok("Previous values, usual ranges and rules"), ...errorResponses },
});

/** The form designer's routes and the entry screen's guardrails, registered on the reporting router. */
export function formDesignerRoutes(app: App) {
  app.openapi(designRoute, async (c) =>
    c.json(await formDesign(c.get("deps").db, ctxOf(c), c.req.valid("param").code), 200),
  );
  app.openapi(usageRoute, async (c) =>
    c.json(await formUsage(c.get("deps").db, c.req.valid("param").code), 200),
  );
  app.openapi(updateRoute, async (c) =>
    c.json(await updateForm(c.get("deps").db, ctxOf(c), c.req.valid("param").code, c.req.valid("json")), 200),
  );
  app.openapi(retirementRoute, async (c) =>
    c.json(
      await setFormRetired(c.get("deps").db, ctxOf(c), c.req.valid("param").code, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(contextRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await entryContext(c.get("deps").db, ctxOf(c), q.form, q.unit, q.period), 200);
  });
}
