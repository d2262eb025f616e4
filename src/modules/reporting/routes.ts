import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { attachment } from "../../http/download.ts";
import { AppError, badRequest } from "../../http/errors.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { subtreeCodes } from "../access/scope.ts";
import {
  createDataElement,
  createIndicator,
  createValidationRule,
  dataElementInput,
  dataElementPatch,
  getForm,
  indicatorInput,
  indicatorPatch,
  listCatalogue,
  updateCatalogueEntry,
  validationRuleInput,
  validationRulePatch,
} from "./catalogue.ts";
import { getEntry, saveValue, saveValueInput, valueHistory } from "./entry.ts";
import { checkReferences, parseComparison, parseExpression } from "./expression.ts";
import { exportValues, parseValuesFile } from "./files.ts";
import { createForm, formInput, formUnitsInput, setFormUnits } from "./form-designer.ts";
import { formDesignerRoutes } from "./form-routes.ts";
import { importDataValues } from "./import-values.ts";
import { dataElements, forms, formUnits } from "./schema.ts";
import { reportingStatus, transitionInput, transitionReport } from "./workflow.ts";

const ok = (description: string, schema: z.ZodType = z.unknown()) => ({
  description,
  content: { "application/json": { schema } },
});
const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
const target = z.object({
  form: safeText().trim().min(1).max(64).openapi({ example: "KTXH_XA" }),
  unit: safeText().trim().min(1).max(32).openapi({ example: "04222" }),
  period: safeText().trim().min(1).max(16).openapi({ example: "2025" }),
});
const conflict = { 409: ok("Changed by someone else meanwhile, or locked; details say which", errorSchema) };
const refused = { 422: ok("The unit does not report the form, or the period is not open", errorSchema) };

const catalogueRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/catalogue",
  policy: "catalogue.read",
  tags: ["Reporting"],
  summary: "Data elements, indicators, validation rules and forms",
  responses: { 200: ok("The catalogue"), ...errorResponses },
});

const createRoutes = [
  ["/data-elements", dataElementInput, createDataElement, "Create a data element"],
  [
    "/indicators",
    indicatorInput,
    createIndicator,
    "Create an indicator (numerator and denominator expressions)",
  ],
  [
    "/validation-rules",
    validationRuleInput,
    createValidationRule,
    "Create a validation rule (left operator right)",
  ],
  [
    "/forms",
    formInput,
    createForm,
    "Create a report form with its sections, deadline rule and reporting units (a province administrator: its own)",
  ],
] as const;

const checkRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/expressions/check",
  policy: "catalogue.read",
  tags: ["Reporting"],
  summary:
    "Check an expression or a comparison as it is typed: the first problem with its position, and unknown elements",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            text: safeText({ multiLine: true }).max(2000),
            kind: z.enum(["expression", "comparison"]).default("expression"),
          }),
        },
      },
    },
  },
  responses: { 200: ok("Problems (empty when fine)"), ...errorResponses },
});

const formRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/forms/{code}",
  policy: "catalogue.read",
  tags: ["Reporting"],
  summary: "A form with its sections and elements",
  request: { params: z.object({ code: safeText().max(64) }) },
  responses: { 200: ok("The form"), ...errorResponses },
});

const myFormsRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/forms",
  policy: "catalogue.read",
  tags: ["Reporting"],
  summary: "Forms reported by units in the caller's scope, with those units",
  responses: { 200: ok("Forms and their units in scope"), ...errorResponses },
});

const entryRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/data-entry",
  policy: "data.read",
  tags: ["Reporting"],
  summary: "One form for one unit and period: structure, values, report status, failed checks",
  request: { query: target },
  responses: { 200: ok("The entry"), ...errorResponses, ...refused },
});

const saveRoute = defineRoute(apiBasePath, {
  method: "put",
  path: "/data-values",
  policy: "data.write",
  tags: ["Reporting"],
  summary: "Save one value (send the version you saw; 409 with the current value when it changed meanwhile)",
  request: { body: { required: true, content: { "application/json": { schema: saveValueInput } } } },
  responses: {
    200: ok("Saved; with the checks this value now fails"),
    ...errorResponses,
    ...conflict,
    ...refused,
  },
});

const historyRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/data-values/history",
  policy: "data.read",
  tags: ["Reporting"],
  summary: "Who changed a value, when, from what to what",
  request: { query: target.extend({ element: safeText().trim().min(1).max(64) }) },
  responses: { 200: ok("Changes, newest first"), ...errorResponses },
});

const transitionRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/reports/transition",
  policy: "data.transition",
  tags: ["Reporting"],
  summary: "Submit, withdraw, approve, return (with a reason) or unlock (with a reason) a report",
  request: { body: { required: true, content: { "application/json": { schema: transitionInput } } } },
  responses: { 200: ok("The report now"), ...errorResponses, ...conflict, ...refused },
});

const statusRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/reports/status",
  policy: "data.read",
  tags: ["Reporting"],
  summary: "Which units have submitted a form for a period: on time, late, overdue or pending",
  request: {
    query: z.object({
      form: safeText().trim().min(1).max(64),
      period: safeText().trim().min(1).max(16),
      parent: safeText().trim().max(32).optional(),
    }),
  },
  responses: { 200: ok("Status per unit"), ...errorResponses },
});

const fileQuery = z.object({
  form: safeText().trim().min(1).max(64),
  period: safeText().trim().min(1).max(16),
  unit: safeText().trim().max(32).optional().openapi({ description: "Only this unit and those under it" }),
  format: z.enum(["xlsx", "csv", "dhis2"]).default("xlsx"),
});
const fileResponse = {
  description: "The file",
  content: {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
      schema: z.string().openapi({ format: "binary" }),
    },
    "text/csv": { schema: z.string() },
    "application/json": { schema: z.unknown() },
  },
};

const exportRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/data-export",
  policy: "data.read",
  tags: ["Reporting"],
  summary: "Entered values of a form for a period, as .xlsx, CSV or DHIS2 dataValueSets JSON",
  request: { query: fileQuery },
  responses: { 200: fileResponse, ...errorResponses },
});

const templateRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/data-template",
  policy: "data.read",
  tags: ["Reporting"],
  summary: "The empty sheet of a form to fill in (one row per reporting unit, one column per element)",
  request: { query: fileQuery },
  responses: { 200: fileResponse, ...errorResponses },
});

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** A form with the units that report it (up to 20,000 codes) is larger than the usual JSON body. */
const FORM_BODY_LIMIT = 1024 * 1024;

const importRoute = defineRoute(apiBasePath, {
  bodyLimit: MAX_IMPORT_BYTES,
  method: "post",
  path: "/data-import",
  policy: "data.write",
  tags: ["Reporting"],
  summary: "Import a filled sheet (.xlsx, CSV) or DHIS2 JSON: all rows or none, each bad row named",
  request: {
    query: z.object({
      format: z.enum(["xlsx", "csv", "dhis2"]),
      dryRun: z
        .enum(["true", "false"])
        .default("false")
        .openapi({ description: "Check only, write nothing" }),
    }),
    body: {
      required: true,
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
  },
  responses: { 200: ok("What was taken"), ...errorResponses },
});

export function reportingRoutes() {
  const app = createRouter();
  app.openapi(catalogueRoute, async (c) => c.json(await listCatalogue(c.get("deps").db), 200));
  for (const [path, schema, create, summary] of createRoutes) {
    const route = defineRoute(apiBasePath, {
      method: "post",
      path,
      policy: "catalogue.manage",
      bodyLimit: FORM_BODY_LIMIT,
      tags: ["Reporting"],
      summary,
      request: { body: { required: true, content: { "application/json": { schema } } } },
      responses: {
        201: ok("Created"),
        ...errorResponses,
        409: ok("The code is taken", errorSchema),
        422: ok("Refers to something unknown", errorSchema),
      },
    });
    app.openapi(route, async (c) => {
      const created = await (
        create as (db: unknown, ctx: unknown, raw: unknown) => Promise<{ code: string }>
      )(c.get("deps").db, ctxOf(c), await c.req.json());
      return c.json({ code: created.code }, 201);
    });
  }
  for (const [path, kind, schema] of [
    ["/data-elements/{code}", "data_element", dataElementPatch],
    ["/indicators/{code}", "indicator", indicatorPatch],
    ["/validation-rules/{code}", "validation_rule", validationRulePatch],
  ] as const) {
    const route = defineRoute(apiBasePath, {
      method: "patch",
      path,
      policy: "catalogue.manage",
      tags: ["Reporting"],
      summary: `Change a ${kind.replace("_", " ")} (send the version you read)`,
      request: {
        params: z.object({ code: safeText().max(64) }),
        body: { required: true, content: { "application/json": { schema } } },
      },
      responses: {
        200: ok("The entry now"),
        ...errorResponses,
        409: ok("Changed by someone else meanwhile", errorSchema),
      },
    });
    app.openapi(route, async (c) =>
      c.json(
        await updateCatalogueEntry(
          c.get("deps").db,
          ctxOf(c),
          kind,
          c.req.param("code") ?? "",
          await c.req.json(),
        ),
        200,
      ),
    );
  }
  const unitsRoute = defineRoute(apiBasePath, {
    method: "put",
    path: "/forms/{code}/units",
    policy: "catalogue.manage",
    bodyLimit: FORM_BODY_LIMIT,
    tags: ["Reporting"],
    summary:
      "Set the units that report a form (a province administrator: only its own province's units; the others stay)",
    request: {
      params: z.object({ code: safeText().max(64) }),
      body: { required: true, content: { "application/json": { schema: formUnitsInput } } },
    },
    responses: {
      200: ok("The form's units now"),
      ...errorResponses,
      409: ok("Changed meanwhile", errorSchema),
      422: ok("Unknown unit", errorSchema),
    },
  });
  app.openapi(unitsRoute, async (c) =>
    c.json(
      await setFormUnits(c.get("deps").db, ctxOf(c), c.req.valid("param").code, c.req.valid("json")),
      200,
    ),
  );
  formDesignerRoutes(app);
  app.openapi(checkRoute, async (c) => {
    const { text, kind } = c.req.valid("json");
    const known = new Set(
      (await c.get("deps").db.select({ code: dataElements.code }).from(dataElements)).map((r) => r.code),
    );
    if (kind === "comparison") {
      const parsed = parseComparison(text);
      if (!parsed.ok) return c.json({ problems: [parsed.error] }, 200);
      return c.json(
        { problems: [...checkReferences(parsed.left, known), ...checkReferences(parsed.right, known)] },
        200,
      );
    }
    const parsed = parseExpression(text);
    return c.json({ problems: parsed.ok ? checkReferences(parsed.expr, known) : [parsed.error] }, 200);
  });
  app.openapi(formRoute, async (c) => {
    const { id: _id, ...form } = await getForm(c.get("deps").db, c.req.valid("param").code);
    return c.json(form, 200);
  });
  app.openapi(myFormsRoute, async (c) => {
    const db = c.get("deps").db;
    const actor = c.get("actor");
    const scope = actor.kind === "user" || actor.kind === "token" ? actor.scope : null;
    const codes = scope ? [...(await subtreeCodes(db, scope))] : null;
    const rows = await db
      .select({ form: forms, unitCode: formUnits.unitCode })
      .from(formUnits)
      .innerJoin(forms, eq(forms.id, formUnits.formId))
      .where(
        and(
          isNull(forms.retiredAt),
          codes ? inArray(formUnits.unitCode, codes.length ? codes : [""]) : undefined,
        ),
      )
      // A stable order: the pickers preselect the first form, which must not change from one request to the next.
      .orderBy(asc(forms.code), asc(formUnits.unitCode));
    const byForm = new Map<
      string,
      {
        code: string;
        nameVi: string;
        nameEn: string;
        periodType: string;
        isIllustrative: boolean;
        units: string[];
      }
    >();
    for (const { form, unitCode } of rows) {
      const entry = byForm.get(form.code) ?? {
        code: form.code,
        nameVi: form.nameVi,
        nameEn: form.nameEn,
        periodType: form.periodType,
        isIllustrative: form.isIllustrative,
        units: [],
      };
      entry.units.push(unitCode);
      byForm.set(form.code, entry);
    }
    return c.json({ items: [...byForm.values()] }, 200);
  });
  app.openapi(entryRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await getEntry(c.get("deps").db, ctxOf(c), q.form, q.unit, q.period), 200);
  });
  app.openapi(saveRoute, async (c) =>
    c.json(await saveValue(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(historyRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(
      { items: await valueHistory(c.get("deps").db, ctxOf(c), q.form, q.unit, q.period, q.element) },
      200,
    );
  });
  app.openapi(transitionRoute, async (c) =>
    c.json(await transitionReport(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(statusRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await reportingStatus(c.get("deps").db, ctxOf(c), q.form, q.period, q.parent), 200);
  });
  const download = async (c: Context<AppEnv>, template: boolean) => {
    const q = fileQuery.parse(c.req.query());
    const file = await exportValues(
      c.get("deps").db,
      ctxOf(c),
      { form: q.form, period: q.period, unit: q.unit },
      q.format,
      template,
    );
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": file.contentType,
      "content-disposition": attachment(file.fileName),
    });
  };
  app.openapi(exportRoute, (c) => download(c, false));
  app.openapi(templateRoute, (c) => download(c, true));
  app.openapi(importRoute, async (c) => {
    const q = c.req.valid("query");
    const data = new Uint8Array(await c.req.arrayBuffer());
    if (data.byteLength === 0) throw badRequest("empty_file", { vi: "Tệp rỗng.", en: "The file is empty." });
    if (data.byteLength > MAX_IMPORT_BYTES)
      throw new AppError(413, "too_large", {
        vi: `Tệp tối đa ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
        en: `At most ${MAX_IMPORT_BYTES / 1024 / 1024} MB per file.`,
      });
    const rows = parseValuesFile(q.format, data);
    return c.json(
      await importDataValues(c.get("deps").db, ctxOf(c), rows, { dryRun: q.dryRun === "true" }),
      200,
    );
  });
  return app;
}
