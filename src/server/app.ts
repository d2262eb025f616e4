import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { ZodError } from "zod";
import type { App, AppDeps, AppEnv } from "../http/context.ts";
import { AppError, errorBody, type Localized, pickLanguage, securityNoteOf } from "../http/errors.ts";
import { clientAddress } from "../http/request-info.ts";
import { apiBasePath, createRouter, declarePolicy, everywhere, invalidInput } from "../http/route.ts";
import { SESSION_COOKIE } from "../modules/access/auth.ts";
import { accessRoutes } from "../modules/access/routes.ts";
import { recordSecurityEvent, type SecurityEventKind } from "../modules/access/security-log.ts";
import { analyticsRoutes } from "../modules/analytics/routes.ts";
import { auditRoutes } from "../modules/audit/routes.ts";
import { homeRoutes } from "../modules/home/routes.ts";
import { householdsRoutes } from "../modules/households/routes.ts";
import { notificationsRoutes } from "../modules/notifications/routes.ts";
import { measureRequests, mountOperationsRoutes } from "../modules/operations/routes.ts";
import { reportingRoutes } from "../modules/reporting/routes.ts";
import { sessionsRoutes } from "../modules/sessions/routes.ts";
import { standardsRoutes } from "../modules/standards/routes.ts";
import { unitsRoutes } from "../modules/units/routes.ts";
import { projectRoot, webDistFolder } from "../paths.ts";
import { apiCompression, webCaching } from "./slow-link.ts";

const swaggerUiFolder = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const docsFolder = join(projectRoot, "src", "server", "docs");

/** PostgreSQL error codes that are the caller's fault, with what to tell them. */
const pgErrors: Record<string, { status: 409 | 422; code: string; message: Localized }> = {
  "23P01": {
    status: 422,
    code: "overlapping_interval",
    message: {
      vi: "Hai phiên bản của cùng một mã sẽ có hiệu lực cùng lúc.",
      en: "Two versions of one code would be valid at the same time.",
    },
  },
  "23505": {
    status: 409,
    code: "conflict",
    message: { vi: "Bản ghi này đã có.", en: "That record already exists." },
  },
  "23503": {
    status: 422,
    code: "reference_missing",
    message: {
      vi: "Một bản ghi mà nó tham chiếu không tồn tại.",
      en: "A record it refers to does not exist.",
    },
  },
  "23514": {
    status: 422,
    code: "check_failed",
    message: { vi: "Một giá trị vi phạm quy tắc của bản ghi.", en: "A value breaks a rule of the record." },
  },
  "40001": {
    status: 409,
    code: "write_conflict",
    message: {
      vi: "Người khác vừa thay đổi mục này cùng lúc; hãy thử lại.",
      en: "Someone else changed this at the same time; try again.",
    },
  },
};

function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Which refusals the security log keeps: forbidden actions, out-of-scope reads and writes, refused credentials. */
function securityKind(err: AppError): SecurityEventKind | undefined {
  const note = securityNoteOf(err);
  if (note) return note.kind;
  if (err.code === "csrf_failed") return "csrf_failed";
  if (err.code === "invalid_token") return "invalid_token";
  if (err.status === 403) return "forbidden";
  return undefined;
}

async function logRefusal(err: AppError, c: Context<AppEnv>) {
  const kind = securityKind(err);
  const deps = c.get("deps") as AppDeps | undefined;
  if (!kind || !deps) return;
  try {
    await recordSecurityEvent(
      deps.db,
      deps.auth.now(),
      {
        kind,
        code: err.code,
        actor: c.get("actor") ?? { kind: "anonymous" },
        address: clientAddress(c),
        method: c.req.method,
        path: c.req.path,
        unitCode: securityNoteOf(err)?.unitCode ?? null,
        requestId: c.get("requestId") ?? null,
      },
      deps.securityLogDays,
    );
  } catch (logError) {
    // The refusal itself must still reach the client; a log that cannot be written is the operator's to see.
    deps.logger.error({ err: logError }, "security log write failed");
  }
}

/** The one place errors become responses. Unknown errors are logged with the request id and hidden. */
async function handleError(err: Error, c: Context<AppEnv>) {
  const requestId = (c.get("requestId") as string | undefined) ?? "";
  const language = pickLanguage(c.req.header("accept-language"));
  if (err instanceof AppError) {
    await logRefusal(err, c);
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.status === 429 && typeof retryAfter === "number") c.header("retry-after", String(retryAfter));
    return c.json(errorBody(err.code, err.messages, err.details, language), err.status);
  }
  if (err instanceof ZodError) {
    const e = invalidInput(err.issues);
    return c.json(errorBody(e.code, e.messages, e.details, language), 400);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const body =
      status === 413
        ? errorBody(
            "too_large",
            { vi: "Yêu cầu quá lớn.", en: err.message || "The request is too large." },
            undefined,
            language,
          )
        : errorBody(
            "http_error",
            { vi: "Yêu cầu bị từ chối.", en: err.message || "Request refused." },
            undefined,
            language,
          );
    return c.json(body, status);
  }
  const known = pgErrors[pgCode(err) ?? ""];
  if (known) return c.json(errorBody(known.code, known.message, undefined, language), known.status);
  const deps = c.get("deps") as AppDeps | undefined;
  deps?.logger.error({ err, requestId }, "unhandled error");
  return c.json(
    errorBody(
      "internal",
      {
        vi: `Máy chủ gặp lỗi. Hãy báo mã yêu cầu ${requestId}.`,
        en: `Something went wrong on our side. Quote request id ${requestId}.`,
      },
      { requestId },
      language,
    ),
    500,
  );
}

function noRoute(c: Context) {
  return errorBody(
    "not_found",
    {
      vi: `Không có đường dẫn ${c.req.method} ${c.req.path}.`,
      en: `No route for ${c.req.method} ${c.req.path}.`,
    },
    undefined,
    pickLanguage(c.req.header("accept-language")),
  );
}

export interface CreateAppOptions {
  /** Serve the built browser app from dist/web (off in API-only tests). */
  serveWeb?: boolean;
}

/** Composes the HTTP application: middleware, every module's routes, the OpenAPI document and the web app. */
export function createApp(deps: AppDeps, options: CreateAppOptions = {}): App {
  const app = createRouter();
  if (deps.operations?.metrics) app.use("*", measureRequests(deps.operations.metrics));

  app.use(
    "*",
    everywhere(async (c, next) => {
      const incoming = c.req.header("x-request-id");
      const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      c.set("requestId", requestId);
      c.set("deps", deps);
      c.header("x-request-id", requestId);
      const started = performance.now();
      const authorization = c.req.header("authorization");
      const { actor, problem } = await deps.authenticate({
        cookie: getCookie(c, SESSION_COOKIE),
        bearer: authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined,
      });
      c.set("actor", actor);
      c.set("authProblem", problem);
      await next();
      // Nothing the API answers is for a shared cache or the browser's history: it is personal and changes.
      if (c.req.path.startsWith("/api/") && !c.req.path.startsWith("/api/docs"))
        c.header("cache-control", "no-store");
      deps.logger.info(
        {
          requestId,
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        "request",
      );
    }),
  );
  app.use(
    "*",
    everywhere(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
        },
        referrerPolicy: "strict-origin-when-cross-origin",
        xFrameOptions: "DENY",
      }),
    ),
  );
  app.use("/api/*", apiCompression());
  app.onError(handleError);
  app.notFound((c) => c.json(noRoute(c), 404));

  app.get("/health", declarePolicy("GET", "/health", "system.read"), async (c) => {
    await deps.db.execute("select 1");
    return c.json({ status: "ok" });
  });
  mountOperationsRoutes(app);

  app.route(apiBasePath, unitsRoutes());
  app.route(apiBasePath, accessRoutes());
  app.route(apiBasePath, auditRoutes());
  app.route(apiBasePath, reportingRoutes());
  app.route(apiBasePath, analyticsRoutes());
  app.route(apiBasePath, homeRoutes());
  app.route(apiBasePath, notificationsRoutes());
  app.route(apiBasePath, standardsRoutes());
  app.route(apiBasePath, sessionsRoutes());
  app.route(apiBasePath, householdsRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "token", { type: "http", scheme: "bearer" });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Grassroots API",
      version: "1",
      description:
        "Governance information for two-level local government. Sign in for a session cookie (writes then send the " +
        "CSRF token as x-csrf-token) or send an API token as `Authorization: Bearer grt_…`. " +
        "Errors are always { error: { code, message, details } }.",
    },
    security: [{ session: [] }, { token: [] }, {}],
  });
  declarePolicy("GET", "/api/v1/openapi.json", "system.read");

  app.get("/api/docs", declarePolicy("GET", "/api/docs", "system.read"), async (c) =>
    c.html(await readFile(join(docsFolder, "index.html"), "utf8")),
  );
  app.get("/api/docs/init.js", declarePolicy("GET", "/api/docs/init.js", "system.read"), async (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    return c.body(await readFile(join(docsFolder, "init.js"), "utf8"));
  });
  app.use(
    "/api/docs/assets/*",
    declarePolicy("ALL", "/api/docs/assets/*", "system.read"),
    serveStatic({ root: swaggerUiFolder, rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, "") }),
  );
  app.all("/api/*", declarePolicy("ALL", "/api/*", "system.read"), (c) => c.json(noRoute(c), 404));

  if (options.serveWeb !== false) {
    // The browser app: built files, and index.html for every client-side route.
    app.use("/*", webCaching());
    app.use(
      "/*",
      declarePolicy("ALL", "/*", "system.read"),
      serveStatic({ root: webDistFolder, precompressed: true }),
    );
    app.get(
      "*",
      declarePolicy("GET", "/*", "system.read"),
      serveStatic({ root: webDistFolder, path: "index.html", precompressed: true }),
    );
  }
  return app;
}
