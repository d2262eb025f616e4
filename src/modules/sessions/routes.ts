import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { attachment } from "../../http/download.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { createReferenceEngine } from "../analytics/index.ts";
import { type AttachmentStore, defaultAttachmentStore, readUpload } from "../documents/attachments.ts";
import { renderDocx } from "../documents/docx.ts";
import { renderPdf } from "../documents/pdf.ts";
import { registerDueWorkSource } from "../home/due-work.ts";
import { todayInVietnam } from "../units/text.ts";
import { attachToReport, readAttachment } from "./attachments.ts";
import type { SessionsContext } from "./common.ts";
import {
  createDirection,
  decideExtension,
  directionSummary,
  getDirection,
  listDirections,
  pendingExtensions,
  reportProgress,
  requestExtension,
} from "./directions.ts";
import { sessionsDueWork } from "./due-work.ts";
import {
  directionInput,
  directionQuery,
  extensionDecisionInput,
  extensionInput,
  meetingInput,
  meetingPatch,
  progressInput,
  proposalActionInput,
  proposalInput,
  proposalQuery,
} from "./inputs.ts";
import { getMeeting, listMeetings, recordMeeting, updateMeeting } from "./meetings.ts";
import { conclusionNotice } from "./notice.ts";
import { actOnProposal, createProposal, getProposal, listProposals } from "./proposals.ts";

const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: z.unknown() } },
});
const refused = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});
const json = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});
const idParam = z.object({ id: z.coerce.number().int().positive() });
const tags = ["Working sessions"];

/** The day for due dates: the app's clock (tests move it), else today in Vietnam. */
export const sessionsCtx = (c: Context<AppEnv>): SessionsContext => {
  const deps = c.get("deps");
  return {
    actor: c.get("actor"),
    requestId: c.get("requestId"),
    today: deps.today?.() ?? todayInVietnam(),
  };
};

const defaultStore = (c: Context<AppEnv>): AttachmentStore =>
  defaultAttachmentStore(c.get("deps").attachments);

const r = {
  listMeetings: defineRoute(apiBasePath, {
    method: "get",
    path: "/meetings",
    policy: "sessions.read",
    tags,
    summary: "Working sessions the caller reads (the province that held them, or a unit that took part)",
    request: { query: z.object({ unit: z.string().max(8).optional() }) },
    responses: { 200: ok("Meetings, newest first"), ...errorResponses },
  }),
  recordMeeting: defineRoute(apiBasePath, {
    method: "post",
    path: "/meetings",
    policy: "sessions.manage",
    tags,
    summary:
      "Record a meeting: delegation, units with their reports (indicators snapshotted on the date), minutes",
    request: json(meetingInput),
    responses: { 201: ok("The meeting"), ...errorResponses, 422: refused("Unknown unit, or listed twice") },
  }),
  getMeeting: defineRoute(apiBasePath, {
    method: "get",
    path: "/meetings/{id}",
    policy: "sessions.read",
    tags,
    summary: "A meeting with its delegation, units, reports and indicator snapshots",
    request: { params: idParam },
    responses: { 200: ok("The meeting"), ...errorResponses },
  }),
  updateMeeting: defineRoute(apiBasePath, {
    method: "patch",
    path: "/meetings/{id}",
    policy: "sessions.manage",
    tags,
    summary:
      "Change the agenda, minutes or the conclusion notice's number, date and signer (send the version seen)",
    request: { params: idParam, ...json(meetingPatch) },
    responses: { 200: ok("The meeting"), ...errorResponses, 409: refused("Changed meanwhile") },
  }),
  notice: defineRoute(apiBasePath, {
    method: "get",
    path: "/meetings/{id}/notice",
    policy: "sessions.read",
    tags,
    summary: "The conclusion notice as DOCX or PDF, in the layout of Decree 30/2020/NĐ-CP",
    request: { params: idParam, query: z.object({ format: z.enum(["docx", "pdf"]).default("pdf") }) },
    responses: {
      200: { description: "The document" },
      ...errorResponses,
      422: refused("No notice number yet"),
    },
  }),
  listProposals: defineRoute(apiBasePath, {
    method: "get",
    path: "/proposals",
    policy: "sessions.read",
    tags,
    summary: "Proposals the caller reads; overdue=true: awaiting an answer past their due date",
    request: { query: proposalQuery },
    responses: { 200: ok("Proposals"), ...errorResponses },
  }),
  createProposal: defineRoute(apiBasePath, {
    method: "post",
    path: "/proposals",
    policy: "sessions.report",
    tags,
    summary: "Raise a proposal of a unit (a commune for itself, or the province recording a meeting)",
    request: json(proposalInput),
    responses: { 201: ok("The proposal"), ...errorResponses, 422: refused("Unknown unit or meeting") },
  }),
  getProposal: defineRoute(apiBasePath, {
    method: "get",
    path: "/proposals/{id}",
    policy: "sessions.read",
    tags,
    summary: "A proposal with its history (the proposing unit sees the answer once it is published)",
    request: { params: idParam },
    responses: { 200: ok("The proposal"), ...errorResponses },
  }),
  actOnProposal: defineRoute(apiBasePath, {
    method: "post",
    path: "/proposals/{id}/actions",
    policy: "sessions.manage",
    tags,
    summary: "Assign, review, draft the answer, publish it, close (send the version seen)",
    request: { params: idParam, ...json(proposalActionInput) },
    responses: {
      200: ok("The proposal"),
      ...errorResponses,
      409: refused("Changed meanwhile, or not allowed from its state"),
      422: refused("Due date before receipt"),
    },
  }),
  listDirections: defineRoute(apiBasePath, {
    method: "get",
    path: "/directions",
    policy: "sessions.read",
    tags,
    summary:
      "Directions the caller reads, with status computed today (in progress, overdue, completed on time/late)",
    request: { query: directionQuery },
    responses: { 200: ok("Directions"), ...errorResponses },
  }),
  summary: defineRoute(apiBasePath, {
    method: "get",
    path: "/directions/summary",
    policy: "sessions.read",
    tags,
    summary: "Directions counted by status per lead unit and per issuing body",
    request: { query: directionQuery },
    responses: { 200: ok("Counts"), ...errorResponses },
  }),
  createDirection: defineRoute(apiBasePath, {
    method: "post",
    path: "/directions",
    policy: "sessions.manage",
    tags,
    summary: "Issue a direction (or a weighted sub-task of one) from a source document",
    request: json(directionInput),
    responses: { 201: ok("The direction"), ...errorResponses, 422: refused("Due date before issue date") },
  }),
  getDirection: defineRoute(apiBasePath, {
    method: "get",
    path: "/directions/{id}",
    policy: "sessions.read",
    tags,
    summary: "A direction with its sub-tasks, progress reports, evidence and extension requests",
    request: { params: idParam },
    responses: { 200: ok("The direction"), ...errorResponses },
  }),
  reportProgress: defineRoute(apiBasePath, {
    method: "post",
    path: "/directions/{id}/progress",
    policy: "sessions.report",
    tags,
    summary: "Report progress (the lead unit; going down needs a reason; send the version seen)",
    request: { params: idParam, ...json(progressInput) },
    responses: {
      201: ok("The report and the direction"),
      ...errorResponses,
      409: refused("Changed meanwhile"),
      422: refused("Above 100, or going down without a reason"),
    },
  }),
  requestExtension: defineRoute(apiBasePath, {
    method: "post",
    path: "/directions/{id}/extensions",
    policy: "sessions.report",
    tags,
    summary: "Ask the issuer for a later due date (the lead unit)",
    request: { params: idParam, ...json(extensionInput) },
    responses: { 201: ok("The request"), ...errorResponses, 409: refused("One is already pending") },
  }),
  pendingExtensions: defineRoute(apiBasePath, {
    method: "get",
    path: "/extensions",
    policy: "sessions.read",
    tags,
    summary: "Extension requests waiting for the caller's decision",
    responses: { 200: ok("Pending requests"), ...errorResponses },
  }),
  decideExtension: defineRoute(apiBasePath, {
    method: "post",
    path: "/extensions/{id}/decision",
    policy: "sessions.manage",
    tags,
    summary: "Approve (the new due date replaces the old) or refuse an extension request",
    request: { params: idParam, ...json(extensionDecisionInput) },
    responses: { 200: ok("The decided request"), ...errorResponses, 409: refused("Already decided") },
  }),
  attach: defineRoute(apiBasePath, {
    method: "post",
    path: "/progress-reports/{id}/attachments",
    policy: "sessions.report",
    tags,
    summary:
      "Attach evidence to a progress report: the raw file as the body, its type as Content-Type, its name in ?fileName",
    request: { params: idParam, query: z.object({ fileName: z.string().min(1).max(200) }) },
    responses: {
      201: ok("The stored attachment with its SHA-256"),
      ...errorResponses,
      413: refused("Over the size limit"),
      415: refused("A type that is not accepted"),
    },
  }),
  download: defineRoute(apiBasePath, {
    method: "get",
    path: "/attachments/{id}",
    policy: "sessions.read",
    tags,
    summary: "Download an attachment (checked against its SHA-256)",
    request: { params: idParam },
    responses: { 200: { description: "The file" }, ...errorResponses },
  }),
};

/** Working sessions' routes; also registers the module's items in the officers' home list. */
export function sessionsRoutes() {
  registerSessionsDueWork();
  const app = createRouter();
  app.openapi(r.listMeetings, async (c) =>
    c.json({ items: await listMeetings(c.get("deps").db, sessionsCtx(c), c.req.valid("query")) }, 200),
  );
  app.openapi(r.recordMeeting, async (c) => {
    const deps = c.get("deps");
    const engine = deps.analytics ?? createReferenceEngine(deps.db);
    return c.json(await recordMeeting(deps.db, sessionsCtx(c), engine, c.req.valid("json")), 201);
  });
  app.openapi(r.getMeeting, async (c) =>
    c.json(await getMeeting(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.updateMeeting, async (c) =>
    c.json(
      await updateMeeting(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.notice, async (c) => {
    const { id } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const doc = await conclusionNotice(c.get("deps").db, sessionsCtx(c), id);
    const bytes = format === "docx" ? await renderDocx(doc) : await renderPdf(doc);
    return c.body(new Uint8Array(bytes), 200, {
      "content-type":
        format === "docx"
          ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          : "application/pdf",
      "content-disposition": `attachment; filename="thong-bao-ket-luan-${id}.${format}"`,
    });
  });
  app.openapi(r.listProposals, async (c) => {
    const q = c.req.valid("query");
    return c.json(
      {
        items: await listProposals(c.get("deps").db, sessionsCtx(c), {
          ...(q.unit ? { unit: q.unit } : {}),
          ...(q.meeting ? { meeting: q.meeting } : {}),
          ...(q.status ? { status: q.status } : {}),
          overdue: q.overdue === "true",
          open: q.open === "true",
        }),
      },
      200,
    );
  });
  app.openapi(r.createProposal, async (c) =>
    c.json(await createProposal(c.get("deps").db, sessionsCtx(c), c.req.valid("json")), 201),
  );
  app.openapi(r.getProposal, async (c) =>
    c.json(await getProposal(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.actOnProposal, async (c) =>
    c.json(
      await actOnProposal(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  const directionFilter = (q: z.output<typeof directionQuery>) => ({
    ...(q.unit ? { unit: q.unit } : {}),
    ...(q.issuer ? { issuer: q.issuer } : {}),
    ...(q.meeting ? { meeting: q.meeting } : {}),
    ...(q.status ? { status: q.status } : {}),
    open: q.open === "true",
  });
  app.openapi(r.listDirections, async (c) => {
    const ctx = sessionsCtx(c);
    const items = await listDirections(c.get("deps").db, ctx, directionFilter(c.req.valid("query")));
    return c.json({ today: ctx.today, items }, 200);
  });
  app.openapi(r.summary, async (c) =>
    c.json(
      await directionSummary(c.get("deps").db, sessionsCtx(c), directionFilter(c.req.valid("query"))),
      200,
    ),
  );
  app.openapi(r.createDirection, async (c) =>
    c.json(await createDirection(c.get("deps").db, sessionsCtx(c), c.req.valid("json")), 201),
  );
  app.openapi(r.getDirection, async (c) =>
    c.json(await getDirection(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.reportProgress, async (c) =>
    c.json(
      await reportProgress(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id, c.req.valid("json")),
      201,
    ),
  );
  app.openapi(r.requestExtension, async (c) =>
    c.json(
      await requestExtension(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id, c.req.valid("json")),
      201,
    ),
  );
  app.openapi(r.pendingExtensions, async (c) =>
    c.json({ items: await pendingExtensions(c.get("deps").db, sessionsCtx(c)) }, 200),
  );
  app.openapi(r.decideExtension, async (c) =>
    c.json(
      await decideExtension(c.get("deps").db, sessionsCtx(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.attach, async (c) => {
    const store = defaultStore(c);
    const file = await readUpload(c.req, store, c.req.valid("query").fileName);
    const view = await attachToReport(c.get("deps").db, sessionsCtx(c), store, c.req.valid("param").id, file);
    return c.json(view, 201);
  });
  app.openapi(r.download, async (c) => {
    const file = await readAttachment(
      c.get("deps").db,
      sessionsCtx(c),
      defaultStore(c),
      c.req.valid("param").id,
    );
    return c.body(new Uint8Array(file.bytes), 200, {
      "content-type": file.contentType,
      "content-disposition": attachment(file.fileName),
      "x-content-type-options": "nosniff",
    });
  });
  return app;
}

/** The module's contributions to the officers' home list ("Việc cần làm"). */
export function registerSessionsDueWork(): void {
  for (const [name, source] of Object.entries(sessionsDueWork)) registerDueWorkSource(name, source);
}
