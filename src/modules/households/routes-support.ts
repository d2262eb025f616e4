import { z } from "@hono/zod-openapi";
import { attachment } from "../../http/download.ts";
import { apiBasePath, createRouter, defineRoute, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { defaultAttachmentStore, readUpload } from "../documents/attachments.ts";
import {
  distributionInput,
  listEntitlements,
  notDeliveredInput,
  reconcileCycle,
  recordDistribution,
  recordNotDelivered,
} from "./distributions.ts";
import {
  attachDistributionEvidence,
  listDistributionEvidence,
  readDistributionEvidence,
} from "./evidence.ts";
import { listCycles } from "./lists.ts";
import { getProgramme, listProgrammes, programmeUpdateInput, updateProgramme } from "./programmes.ts";
import { body, communeQuery, ctxOf, idParam, ok, responses, tags } from "./routes-kit.ts";
import {
  addEntitlement,
  createCycle,
  createProgramme,
  cycleInput,
  cycleTransitionInput,
  entitlementInput,
  programmeInput,
  proposeEntitlements,
  removalInput,
  removeEntitlement,
  transitionCycle,
} from "./support.ts";

const page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});

const unitQuery = z.object({ unit: safeText().trim().min(1).max(32) });
const entitlementParams = z.object({
  id: z.coerce.number().int().positive(),
  householdId: z.coerce.number().int().positive(),
});

const refused = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});

const r = {
  programmes: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-programmes",
    policy: "households.counts",
    tags,
    summary: "Programmes a unit runs or takes part in, with counts (no household named)",
    request: { query: unitQuery },
    responses,
  }),
  programmeOne: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-programmes/{id}",
    policy: "households.counts",
    tags,
    summary: "A programme with its cycles in the reader's scope",
    request: { params: idParam },
    responses,
  }),
  programmeUpdate: defineRoute(apiBasePath, {
    method: "patch",
    path: "/support-programmes/{id}",
    policy: "support.manage",
    tags,
    summary: "Change a programme's name, funder, rule or benefit (optimistic version: 409 when stale)",
    request: { params: idParam, ...body(programmeUpdateInput) },
    responses,
  }),
  remove: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/entitlements/{householdId}/remove",
    policy: "support.distribute",
    tags,
    summary: "Take a household off a list still being drawn up, with the reason",
    request: { params: entitlementParams, ...body(removalInput) },
    responses,
  }),
  programme: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-programmes",
    policy: "support.manage",
    tags,
    summary: "Create a support programme (funder, eligibility rule, benefit)",
    request: body(programmeInput),
    responses,
  }),
  cycle: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles",
    policy: "support.manage",
    tags,
    summary: "Open a cycle of a programme for a commune, eligibility as of a date",
    request: body(cycleInput),
    responses,
  }),
  cycles: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-cycles",
    policy: "households.counts",
    tags,
    summary: "A commune's cycles with how many listed and delivered",
    request: { query: communeQuery },
    responses,
  }),
  propose: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/propose",
    policy: "support.distribute",
    tags,
    summary: "Propose the list from the registry (households already listed stay listed once)",
    request: { params: idParam },
    responses,
  }),
  add: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/entitlements",
    policy: "support.distribute",
    tags,
    summary: "Put one household on the list; 409 when it is already there",
    request: { params: idParam, ...body(entitlementInput) },
    responses,
  }),
  list: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-cycles/{id}/entitlements",
    policy: "households.read",
    tags,
    summary: "The cycle's list with deliveries",
    request: { params: idParam, query: page },
    responses,
  }),
  transition: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/transition",
    policy: "support.distribute",
    tags,
    summary: "Submit, approve or return the list",
    request: { params: idParam, ...body(cycleTransitionInput) },
    responses,
  }),
  deliver: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/distributions",
    policy: "support.distribute",
    tags,
    summary: "Record a delivery to a household on the approved list",
    request: { params: idParam, ...body(distributionInput) },
    responses,
  }),
  notDelivered: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/not-delivered",
    policy: "support.distribute",
    tags,
    summary: "Say why a listed household was not reached",
    request: { params: idParam, ...body(notDeliveredInput) },
    responses,
  }),
  attachEvidence: defineRoute(apiBasePath, {
    method: "post",
    path: "/support-cycles/{id}/entitlements/{householdId}/evidence",
    policy: "support.distribute",
    tags,
    summary:
      "Keep a file (receipt photo, signed list) as evidence of a recorded delivery: the raw file as the body, its type as Content-Type, its name in ?fileName",
    request: { params: entitlementParams, query: z.object({ fileName: z.string().min(1).max(200) }) },
    responses: {
      ...responses,
      201: ok("The stored file"),
      413: refused("Over the size limit"),
      415: refused("A type that is not accepted"),
    },
  }),
  listEvidence: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-cycles/{id}/entitlements/{householdId}/evidence",
    policy: "households.read",
    tags,
    summary: "The evidence files of a household's delivery in the cycle",
    request: { params: entitlementParams },
    responses,
  }),
  downloadEvidence: defineRoute(apiBasePath, {
    method: "get",
    path: "/distribution-evidence/{id}",
    policy: "households.read",
    tags,
    summary: "Download a delivery's evidence file (checked against its SHA-256; the read is audited)",
    request: { params: idParam },
    responses: { ...responses, 200: { description: "The file" } },
  }),
  reconcile: defineRoute(apiBasePath, {
    method: "get",
    path: "/support-cycles/{id}/reconciliation",
    policy: "households.counts",
    tags,
    summary: "Planned, approved, delivered, not delivered and why, per village",
    request: { params: idParam },
    responses,
  }),
};

export function supportRoutes() {
  const app = createRouter();
  app.openapi(r.programmes, async (c) =>
    c.json({ items: await listProgrammes(c.get("deps").db, ctxOf(c), c.req.valid("query").unit) }, 200),
  );
  app.openapi(r.programmeOne, async (c) =>
    c.json(await getProgramme(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.programmeUpdate, async (c) =>
    c.json(
      await updateProgramme(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.remove, async (c) => {
    const p = c.req.valid("param");
    return c.json(
      await removeEntitlement(c.get("deps").db, ctxOf(c), p.id, p.householdId, c.req.valid("json")),
      200,
    );
  });
  app.openapi(r.programme, async (c) =>
    c.json(await createProgramme(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.cycle, async (c) =>
    c.json(await createCycle(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.cycles, async (c) =>
    c.json({ items: await listCycles(c.get("deps").db, ctxOf(c), c.req.valid("query").commune) }, 200),
  );
  app.openapi(r.propose, async (c) =>
    c.json(await proposeEntitlements(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.add, async (c) =>
    c.json(
      await addEntitlement(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.list, async (c) => {
    const q = c.req.valid("query");
    return c.json(
      await listEntitlements(c.get("deps").db, ctxOf(c), c.req.valid("param").id, q.limit, q.offset),
      200,
    );
  });
  app.openapi(r.transition, async (c) =>
    c.json(
      await transitionCycle(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.deliver, async (c) =>
    c.json(
      await recordDistribution(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.notDelivered, async (c) =>
    c.json(
      await recordNotDelivered(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.attachEvidence, async (c) => {
    const p = c.req.valid("param");
    const store = defaultAttachmentStore(c.get("deps").attachments);
    const file = await readUpload(c.req, store, c.req.valid("query").fileName);
    return c.json(
      await attachDistributionEvidence(c.get("deps").db, ctxOf(c), store, p.id, p.householdId, file),
      201,
    );
  });
  app.openapi(r.listEvidence, async (c) => {
    const p = c.req.valid("param");
    return c.json(await listDistributionEvidence(c.get("deps").db, ctxOf(c), p.id, p.householdId), 200);
  });
  app.openapi(r.downloadEvidence, async (c) => {
    const file = await readDistributionEvidence(
      c.get("deps").db,
      ctxOf(c),
      defaultAttachmentStore(c.get("deps").attachments),
      c.req.valid("param").id,
    );
    return c.body(new Uint8Array(file.bytes), 200, {
      "content-type": file.contentType,
      "content-disposition": attachment(file.fileName),
      "x-content-type-options": "nosniff",
    });
  });
  app.openapi(r.reconcile, async (c) =>
    c.json(await reconcileCycle(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  return app;
}
