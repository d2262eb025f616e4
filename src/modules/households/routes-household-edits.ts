import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import {
  correctMember,
  correctMemberInput,
  endPolicyClass,
  endPolicyClassInput,
  updateHousehold,
  updateHouseholdInput,
} from "./registry-edit.ts";
import { body, ctxOf, idParam, responses, tags } from "./routes-kit.ts";
import { standardInForce } from "./standards-in-force.ts";

const r = {
  update: defineRoute(apiBasePath, {
    method: "patch",
    path: "/households/{id}",
    policy: "households.write",
    tags,
    summary: "Change a household's address or head (optimistic version: 409 when changed meanwhile)",
    request: { params: idParam, ...body(updateHouseholdInput) },
    responses,
  }),
  correctMember: defineRoute(apiBasePath, {
    method: "patch",
    path: "/household-members/{id}",
    policy: "households.write",
    tags,
    summary:
      "Correct a current member's name, relation, birth, sex, ethnicity or citizen ID (checked; 409 naming both households when current elsewhere)",
    request: { params: idParam, ...body(correctMemberInput) },
    responses,
  }),
  endPolicyClass: defineRoute(apiBasePath, {
    method: "post",
    path: "/household-policy-classes/{id}/end",
    policy: "households.write",
    tags,
    summary: "End a policy-beneficiary classification on a date",
    request: { params: idParam, ...body(endPolicyClassInput) },
    responses,
  }),
  inForce: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-standards/in-force",
    policy: "households.counts",
    tags,
    summary:
      "The poverty standard that applies to a province's communes in a year (its own stricter one, else the national one); 422 listing the standards when none does",
    request: {
      query: z.object({
        year: z.coerce.number().int().min(2000).max(2100),
        province: safeText().trim().min(1).max(8),
      }),
    },
    responses,
  }),
};

/** Editing households and members, ending policy classes, and the standard in force for a year. */
export function householdEditRoutes() {
  const app = createRouter();
  app.openapi(r.update, async (c) =>
    c.json(
      await updateHousehold(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.correctMember, async (c) =>
    c.json(
      await correctMember(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.endPolicyClass, async (c) =>
    c.json(
      await endPolicyClass(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.inForce, async (c) => {
    const q = c.req.valid("query");
    return c.json(await standardInForce(c.get("deps").db, ctxOf(c), q.year, q.province), 200);
  });
  return app;
}
