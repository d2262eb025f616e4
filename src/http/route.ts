import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type Action, can } from "../modules/access/policies.ts";
import type { AppEnv } from "./context.ts";
import { AppError, badRequest, forbidden, unauthorized } from "./errors.ts";
import { localizedIssue } from "./validation.ts";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Where the versioned API is mounted. */
export const apiBasePath = "/api/v1";

/** method + Hono path → the action it declared. The route walker test reads this. */
export const declaredPolicies = new Map<string, Action>();

export const policyKey = (method: string, honoPath: string) => `${method.toUpperCase()} ${honoPath}`;

/** `/units/{code}` (OpenAPI) → `/units/:code` (Hono). */
export const toHonoPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ":$1");

/** The check every route runs before its handler: deny by default, 401 for nobody, 403 for the wrong somebody. */
export function authorize(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get("actor");
    if (!can(actor, action))
      throw actor.kind === "anonymous" ? (c.get("authProblem") ?? unauthorized()) : forbidden();
    // A browser session's writes must echo its CSRF token, which a cross-site page cannot read. Signing in acts on
    // no session (it replaces whatever the browser had), so it is the one write that needs none.
    if (
      actor.kind === "user" &&
      actor.csrfToken &&
      action !== "auth.sign_in" &&
      !safeMethods.has(c.req.method)
    ) {
      if (c.req.header("x-csrf-token") !== actor.csrfToken)
        throw new AppError(403, "csrf_failed", {
          vi: "Yêu cầu này thiếu mã CSRF của trang; hãy tải lại trang rồi thử lại.",
          en: "This request lacks the page's CSRF token; reload the page and try again.",
        });
    }
    await next();
  };
}

/** Middleware that runs for every request (request id, headers) and so is not a route needing a policy. */
export const globalMiddleware = new WeakSet<MiddlewareHandler<AppEnv>>();

export function everywhere(handler: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  globalMiddleware.add(handler);
  return handler;
}

/** Declares a policy for a route that is not described in the OpenAPI document (health, docs, the web app). */
export function declarePolicy(method: string, honoPath: string, action: Action) {
  declaredPolicies.set(policyKey(method, honoPath), action);
  return authorize(action);
}

type RouteConfig = Parameters<typeof createRoute>[0];

/** The largest body a route reads unless it declares its own (`defineRoute({ bodyLimit })`). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Refuses a body larger than `maxBytes` with 413 before reading it: by its Content-Length when it declares one,
 * else while streaming it, so that an anonymous 64 MB request costs the server nothing.
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      const size =
        maxBytes >= 1024 * 1024
          ? `${Math.round(maxBytes / 1024 / 1024)} MB`
          : `${Math.round(maxBytes / 1024)} KB`;
      throw new AppError(
        413,
        "too_large",
        { vi: `Yêu cầu quá lớn: tối đa ${size}.`, en: `The request is too large: at most ${size}.` },
        { maxBytes },
      );
    },
  });
}

/**
 * An OpenAPI route with its policy. `basePath` is where the router is mounted, so that the declared key matches
 * the path the app registers.
 */
export function defineRoute<const R extends Omit<RouteConfig, "middleware">>(
  basePath: string,
  config: R & { policy: Action; bodyLimit?: number },
) {
  const { policy, bodyLimit: maxBytes, ...route } = config;
  declaredPolicies.set(policyKey(route.method, basePath + toHonoPath(route.path)), policy);
  return createRoute({
    ...route,
    middleware: [limitBody(maxBytes ?? DEFAULT_BODY_LIMIT), authorize(policy)] as const,
  });
}

/** The error body every route documents. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "unit_not_found" }),
      message: z
        .string()
        .openapi({ description: "In the reader's language (Accept-Language; Vietnamese first)" }),
      messages: z.object({ vi: z.string(), en: z.string() }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const errorResponses = {
  400: {
    description: "Bad input: the fields named in details",
    content: { "application/json": { schema: errorSchema } },
  },
  401: { description: "Not signed in", content: { "application/json": { schema: errorSchema } } },
  403: { description: "Not allowed", content: { "application/json": { schema: errorSchema } } },
  404: { description: "Not found", content: { "application/json": { schema: errorSchema } } },
} as const;

/** Every router is made here, so that a request that fails validation always answers the same way. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error.issues, result.target);
    },
  });
}

/** 400 naming each bad field: `{ field: "at", message: "…", messages: { vi, en } }`. */
export function invalidInput(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  target?: string,
) {
  const fields = issues.slice(0, 50).map((issue) => ({
    field: issue.path.map(String).join(".") || target || "body",
    message: issue.message,
    messages: localizedIssue(issue.message),
  }));
  const list = (language: "vi" | "en") =>
    fields.map((f) => `${f.field} (${f.messages[language]})`).join("; ");
  return badRequest(
    "invalid_input",
    { vi: `Dữ liệu không hợp lệ: ${list("vi")}`, en: `Invalid ${list("en")}` },
    {
      target,
      fields,
    },
  );
}
