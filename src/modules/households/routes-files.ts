import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { AppError, badRequest } from "../../http/errors.ts";
import { apiBasePath, createRouter, defineRoute } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import {
  exportDistributionSheet,
  exportPoorList,
  importSurveys,
  parseSurveyFile,
  surveyTemplate,
} from "./files-review.ts";
import { householdTemplate, importHouseholds, streamHouseholdFile } from "./import-households.ts";
import { ctxOf, idParam, responses, tags } from "./routes-kit.ts";

const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const fileBody = {
  body: {
    required: true,
    content: { "application/octet-stream": { schema: safeText().openapi({ format: "binary" }) } },
  },
};
const fileResponses = {
  ...responses,
  200: {
    description: "The .xlsx file",
    content: { [xlsxType]: { schema: safeText().openapi({ format: "binary" }) } },
  },
};
const reasonQuery = z.object({
  reason: safeText()
    .trim()
    .min(3)
    .max(300)
    .openapi({ description: "Why the list is exported (kept in the audit)" }),
  village: safeText().trim().max(32).optional(),
});

const r = {
  template: defineRoute(apiBasePath, {
    method: "get",
    path: "/household-files/template",
    policy: "households.write",
    tags,
    summary: "The household import template (.xlsx, one row per member)",
    responses: fileResponses,
  }),
  import: defineRoute(apiBasePath, {
    method: "post",
    path: "/household-files/import",
    policy: "households.write",
    tags,
    summary: "Import households and members from .xlsx: all rows or none, each bad row named",
    request: fileBody,
    responses,
  }),
  surveySheet: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-reviews/{id}/survey-sheet",
    policy: "poverty.review",
    tags,
    summary: "The review's survey sheet (.xlsx), one row per household",
    request: { params: idParam },
    responses: fileResponses,
  }),
  surveyImport: defineRoute(apiBasePath, {
    method: "post",
    path: "/poverty-reviews/{id}/survey-import",
    policy: "poverty.review",
    tags,
    summary: "Import survey results: all rows or none, then the review is classified",
    request: { params: idParam, ...fileBody },
    responses,
  }),
  poorList: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-reviews/{id}/export",
    policy: "households.export",
    tags,
    summary: "The poor and near-poor list (commune or village) in the layout the commune signs; audited",
    request: { params: idParam, query: reasonQuery },
    responses: fileResponses,
  }),
  distributionSheet: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-cycles/{id}/export",
    policy: "households.export",
    tags,
    summary: "The cycle's distribution sheet with a signature column; audited",
    request: { params: idParam, query: reasonQuery },
    responses: fileResponses,
  }),
};

async function upload(c: Context<AppEnv>): Promise<Uint8Array> {
  const data = new Uint8Array(await c.req.arrayBuffer());
  if (data.byteLength === 0) throw badRequest("empty_file", { vi: "Tệp rỗng.", en: "The file is empty." });
  if (data.byteLength > MAX_IMPORT_BYTES)
    throw new AppError(413, "too_large", {
      vi: "Tệp quá lớn (tối đa 100 MB).",
      en: "At most 100 MB per file.",
    });
  return data;
}

const xlsx = (c: Context<AppEnv>, body: Uint8Array, fileName: string) =>
  c.body(body as Uint8Array<ArrayBuffer>, 200, {
    "content-type": xlsxType,
    "content-disposition": `attachment; filename="${fileName}"`,
  });

export function householdFileRoutes() {
  const app = createRouter();
  app.openapi(r.template, async (c) => xlsx(c, await householdTemplate(), "mau-ho-gia-dinh.xlsx"));
  app.openapi(r.import, async (c) => {
    const rows = streamHouseholdFile(await upload(c));
    return c.json(await importHouseholds(c.get("deps").db, ctxOf(c), rows), 200);
  });
  app.openapi(r.surveySheet, async (c) => {
    const id = c.req.valid("param").id;
    return xlsx(c, await surveyTemplate(c.get("deps").db, ctxOf(c), id), `dieu-tra-${id}.xlsx`);
  });
  app.openapi(r.surveyImport, async (c) => {
    const rows = await parseSurveyFile(await upload(c));
    return c.json(await importSurveys(c.get("deps").db, ctxOf(c), c.req.valid("param").id, rows), 200);
  });
  app.openapi(r.poorList, async (c) => {
    const q = c.req.valid("query");
    const file = await exportPoorList(
      c.get("deps").db,
      ctxOf(c),
      c.req.valid("param").id,
      q.reason,
      q.village,
    );
    return xlsx(c, file.body, file.fileName);
  });
  app.openapi(r.distributionSheet, async (c) => {
    const q = c.req.valid("query");
    const file = await exportDistributionSheet(c.get("deps").db, ctxOf(c), c.req.valid("param").id, q.reason);
    return xlsx(c, file.body, file.fileName);
  });
  return app;
}
