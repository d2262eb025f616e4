import { apiBasePath, createRouter, defineRoute } from "../../http/route.ts";
import { decideDuplicate, decideInput, listDuplicates } from "./duplicates.ts";
import { addPolicyClass, policyClassInput } from "./policy-classes.ts";
import { getHousehold, householdCounts, searchHouseholds, searchInput } from "./queries.ts";
import {
  addMember,
  addMemberInput,
  createHousehold,
  deleteHousehold,
  deleteInput,
  householdInput,
  leaveInput,
  moveInput,
  moveMember,
  recordLeave,
} from "./registry.ts";
import { body, communeQuery, ctxOf, idParam, responses, tags } from "./routes-kit.ts";

const r = {
  create: defineRoute(apiBasePath, {
    method: "post",
    path: "/households",
    policy: "households.write",
    tags,
    summary: "Register a household with its members (citizen IDs checked; near-identical households queued)",
    request: body(householdInput),
    responses,
  }),
  search: defineRoute(apiBasePath, {
    method: "get",
    path: "/households",
    policy: "households.read",
    tags,
    summary: "Search households by a member's name (diacritics optional), citizen ID, village or commune",
    request: { query: searchInput },
    responses,
  }),
  counts: defineRoute(apiBasePath, {
    method: "get",
    path: "/household-counts",
    policy: "households.counts",
    tags,
    summary: "How many households and members a commune has (no names: what a viewer sees)",
    request: { query: communeQuery },
    responses,
  }),
  get: defineRoute(apiBasePath, {
    method: "get",
    path: "/households/{id}",
    policy: "households.read",
    tags,
    summary: "A household's file (personal data masked by role; the reading is recorded)",
    request: { params: idParam },
    responses,
  }),
  addMember: defineRoute(apiBasePath, {
    method: "post",
    path: "/households/{id}/members",
    policy: "households.write",
    tags,
    summary:
      "Add a member (birth, marriage, moving in); 409 naming both households when they are current elsewhere",
    request: { params: idParam, ...body(addMemberInput) },
    responses,
  }),
  leave: defineRoute(apiBasePath, {
    method: "post",
    path: "/household-members/{id}/leave",
    policy: "households.write",
    tags,
    summary: "End a membership on a date (death, marriage, moving out)",
    request: { params: idParam, ...body(leaveInput) },
    responses,
  }),
  move: defineRoute(apiBasePath, {
    method: "post",
    path: "/household-members/{id}/move",
    policy: "households.write",
    tags,
    summary: "Move a member to another household on a date",
    request: { params: idParam, ...body(moveInput) },
    responses,
  }),
  policyClass: defineRoute(apiBasePath, {
    method: "post",
    path: "/households/{id}/policy-classes",
    policy: "households.write",
    tags,
    summary: "Add a dated policy-beneficiary classification (war invalid, martyr's family …)",
    request: { params: idParam, ...body(policyClassInput) },
    responses,
  }),
  remove: defineRoute(apiBasePath, {
    method: "delete",
    path: "/households/{id}",
    policy: "households.write",
    tags,
    summary: "Soft-delete a household with a reason",
    request: { params: idParam, ...body(deleteInput) },
    responses,
  }),
  duplicates: defineRoute(apiBasePath, {
    method: "get",
    path: "/household-duplicates",
    policy: "households.read",
    tags,
    summary: "Suspected duplicate households of a commune awaiting a decision",
    request: { query: communeQuery },
    responses,
  }),
  decide: defineRoute(apiBasePath, {
    method: "post",
    path: "/household-duplicates/{id}/decision",
    policy: "households.write",
    tags,
    summary: "Decide a suspected pair: keep both, merge, or move a member (audited)",
    request: { params: idParam, ...body(decideInput) },
    responses,
  }),
};

export function householdRegistryRoutes() {
  const app = createRouter();
  app.openapi(r.create, async (c) =>
    c.json(await createHousehold(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.search, async (c) =>
    c.json(await searchHouseholds(c.get("deps").db, ctxOf(c), c.req.valid("query")), 200),
  );
  app.openapi(r.counts, async (c) =>
    c.json(await householdCounts(c.get("deps").db, ctxOf(c), c.req.valid("query").commune), 200),
  );
  app.openapi(r.get, async (c) =>
    c.json(await getHousehold(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.addMember, async (c) =>
    c.json(await addMember(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(r.leave, async (c) =>
    c.json(await recordLeave(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(r.move, async (c) =>
    c.json(await moveMember(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(r.policyClass, async (c) =>
    c.json(
      await addPolicyClass(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.remove, async (c) =>
    c.json(
      await deleteHousehold(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.duplicates, async (c) =>
    c.json({ items: await listDuplicates(c.get("deps").db, ctxOf(c), c.req.valid("query").commune) }, 200),
  );
  app.openapi(r.decide, async (c) =>
    c.json(
      await decideDuplicate(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  return app;
}
