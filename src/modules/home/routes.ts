import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { forbidden } from "../../http/errors.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import { isSignedIn } from "../access/actor.ts";
import { todayInVietnam } from "../units/text.ts";
import { listDueWork } from "./due-work.ts";
import { reminderInput, sendReportReminders } from "./reminders.ts";
import "./reports-source.ts";

const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: z.unknown() } },
});
const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });

const dueWorkRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/home/due-work",
  policy: "home.read",
  tags: ["Home"],
  summary:
    "What is due for me, from every module: overdue and returned first, then by due date (title, unit, state, due date, reason, link)",
  responses: { 200: ok("{ today, items }"), ...errorResponses },
});

const remindRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/reports/reminders",
  policy: "reports.remind",
  tags: ["Home", "Reporting"],
  summary:
    "Remind every commune of my province that is late with a form for a period (once a day per commune officer)",
  request: { body: { required: true, content: { "application/json": { schema: reminderInput } } } },
  responses: {
    200: ok("{ units, recipients }"),
    ...errorResponses,
    422: {
      description: "Nothing overdue, or not a period",
      content: { "application/json": { schema: errorSchema } },
    },
  },
});

export function homeRoutes() {
  const app = createRouter();
  app.openapi(dueWorkRoute, async (c) => {
    const actor = c.get("actor");
    if (!isSignedIn(actor)) throw forbidden();
    const today = todayInVietnam(c.get("deps").auth.now());
    const items = await listDueWork({ db: c.get("deps").db, actor, today });
    return c.json({ today, items }, 200);
  });
  app.openapi(remindRoute, async (c) =>
    c.json(
      await sendReportReminders(c.get("deps").db, ctxOf(c), c.req.valid("json"), c.get("deps").auth.now()),
      200,
    ),
  );
  return app;
}
