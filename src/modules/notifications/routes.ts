import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { apiBasePath, createRouter, defineRoute, errorResponses, errorSchema } from "../../http/route.ts";
import {
  countUnread,
  getSettings,
  listInput,
  listNotifications,
  markRead,
  saveSettings,
  settingsInput,
} from "./operations.ts";

const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: z.unknown() } },
});
const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
const tags = ["Notifications"];

const listRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/notifications",
  policy: "notifications.self",
  tags,
  summary: "My notifications, newest first, with the unread count",
  request: { query: listInput },
  responses: { 200: ok("Notifications"), ...errorResponses },
});

const unreadRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/notifications/unread-count",
  policy: "notifications.self",
  tags,
  summary: "How many of my notifications are unread (the bell)",
  responses: { 200: ok("{ unread }"), ...errorResponses },
});

const readRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/notifications/{id}/read",
  policy: "notifications.self",
  tags,
  summary: "Mark one of my notifications read",
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: { 200: ok("{ unread }"), ...errorResponses },
});

const readAllRoute = defineRoute(apiBasePath, {
  method: "post",
  path: "/notifications/read-all",
  policy: "notifications.self",
  tags,
  summary: "Mark all my notifications read",
  responses: { 200: ok("{ unread: 0 }"), ...errorResponses },
});

const settingsRoute = defineRoute(apiBasePath, {
  method: "get",
  path: "/notifications/settings",
  policy: "notifications.self",
  tags,
  summary: "My e-mail address for notifications and which kinds reach me by e-mail",
  responses: { 200: ok("Settings"), ...errorResponses },
});

const saveSettingsRoute = defineRoute(apiBasePath, {
  method: "put",
  path: "/notifications/settings",
  policy: "notifications.self",
  tags,
  summary: "Choose my e-mail address and which kinds reach me by e-mail (send the version read)",
  request: { body: { required: true, content: { "application/json": { schema: settingsInput } } } },
  responses: {
    200: ok("Settings now"),
    ...errorResponses,
    409: { description: "Changed meanwhile", content: { "application/json": { schema: errorSchema } } },
  },
});

export function notificationsRoutes() {
  const app = createRouter();
  app.openapi(listRoute, async (c) =>
    c.json(await listNotifications(c.get("deps").db, ctxOf(c), c.req.valid("query")), 200),
  );
  app.openapi(unreadRoute, async (c) => c.json(await countUnread(c.get("deps").db, ctxOf(c)), 200));
  app.openapi(readAllRoute, async (c) =>
    c.json(await markRead(c.get("deps").db, ctxOf(c), "all", c.get("deps").auth.now()), 200),
  );
  app.openapi(readRoute, async (c) =>
    c.json(
      await markRead(c.get("deps").db, ctxOf(c), c.req.valid("param").id, c.get("deps").auth.now()),
      200,
    ),
  );
  app.openapi(settingsRoute, async (c) => c.json(await getSettings(c.get("deps").db, ctxOf(c)), 200));
  app.openapi(saveSettingsRoute, async (c) =>
    c.json(await saveSettings(c.get("deps").db, ctxOf(c), c.req.valid("json")), 200),
  );
  return app;
}
