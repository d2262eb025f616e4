import { z } from "@hono/zod-openapi";
import { apiBasePath, createRouter, defineRoute } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";
import { listReviews } from "./lists.ts";
import { startReview, startReviewInput, transitionInput, transitionReview } from "./reviews.ts";
import { body, communeQuery, ctxOf, idParam, responses, tags } from "./routes-kit.ts";
import { createLocalStandard, listStandards, localStandardInput } from "./standards.ts";
import { getReview, meetingInput, recordMeeting, recordSurvey, surveyInput, surveyRows } from "./surveys.ts";

const surveyQuery = z.object({
  village: safeText().trim().max(32).optional(),
  result: z.enum(["poor", "near_poor", "not_poor"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});

const r = {
  standards: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-standards",
    policy: "households.counts",
    tags,
    summary: "Poverty standards with the years they are in force",
    responses,
  }),
  createStandard: defineRoute(apiBasePath, {
    method: "post",
    path: "/poverty-standards",
    policy: "poverty.standards.manage",
    tags,
    summary: "A province's own standard (at least as strict as the national one)",
    request: body(localStandardInput),
    responses,
  }),
  start: defineRoute(apiBasePath, {
    method: "post",
    path: "/poverty-reviews",
    policy: "poverty.review",
    tags,
    summary: "Open a commune's review for a year under the standard in force",
    request: body(startReviewInput),
    responses,
  }),
  list: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-reviews",
    policy: "households.counts",
    tags,
    summary: "A commune's reviews with their counts",
    request: { query: communeQuery },
    responses,
  }),
  get: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-reviews/{id}",
    policy: "households.counts",
    tags,
    summary: "A review: standard, status, counts by village",
    request: { params: idParam },
    responses,
  }),
  households: defineRoute(apiBasePath, {
    method: "get",
    path: "/poverty-reviews/{id}/households",
    policy: "households.read",
    tags,
    summary: "Each household's survey, computed class with its explanation, meeting result and movement",
    request: { params: idParam, query: surveyQuery },
    responses,
  }),
  survey: defineRoute(apiBasePath, {
    method: "put",
    path: "/poverty-reviews/{id}/households/{householdId}",
    policy: "poverty.review",
    tags,
    summary: "Save a household's survey (income, lacking indicators); classified at once",
    request: {
      params: z.object({
        id: z.coerce.number().int().positive(),
        householdId: z.coerce.number().int().positive(),
      }),
      ...body(surveyInput),
    },
    responses,
  }),
  meeting: defineRoute(apiBasePath, {
    method: "post",
    path: "/poverty-reviews/{id}/meeting",
    policy: "poverty.review",
    tags,
    summary:
      "Record the village meeting's result for a household, or its agreement with every computed result",
    request: { params: idParam, ...body(meetingInput) },
    responses,
  }),
  transition: defineRoute(apiBasePath, {
    method: "post",
    path: "/poverty-reviews/{id}/transition",
    policy: "poverty.review",
    tags,
    summary: "Submit, approve (locks the year, writes the counts to reporting) or reopen (with a reason)",
    request: { params: idParam, ...body(transitionInput) },
    responses,
  }),
};

export function povertyRoutes() {
  const app = createRouter();
  app.openapi(r.standards, async (c) => c.json({ items: await listStandards(c.get("deps").db) }, 200));
  app.openapi(r.createStandard, async (c) =>
    c.json(await createLocalStandard(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.start, async (c) =>
    c.json(await startReview(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  app.openapi(r.list, async (c) =>
    c.json({ items: await listReviews(c.get("deps").db, ctxOf(c), c.req.valid("query").commune) }, 200),
  );
  app.openapi(r.get, async (c) =>
    c.json(await getReview(c.get("deps").db, ctxOf(c), c.req.valid("param").id), 200),
  );
  app.openapi(r.households, async (c) => {
    const db = c.get("deps").db;
    const id = c.req.valid("param").id;
    await getReview(db, ctxOf(c), id);
    const q = c.req.valid("query");
    const items = await surveyRows(db, id, {
      villageCode: q.village,
      result: q.result,
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ items }, 200);
  });
  app.openapi(r.survey, async (c) => {
    const p = c.req.valid("param");
    return c.json(
      await recordSurvey(c.get("deps").db, ctxOf(c), p.id, p.householdId, c.req.valid("json")),
      200,
    );
  });
  app.openapi(r.meeting, async (c) =>
    c.json(
      await recordMeeting(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  app.openapi(r.transition, async (c) =>
    c.json(
      await transitionReview(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.req.valid("json")),
      200,
    ),
  );
  return app;
}
