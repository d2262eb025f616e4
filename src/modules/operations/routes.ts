import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { App, AppEnv } from "../../http/context.ts";
import { errorBody, pickLanguage } from "../../http/errors.ts";
import { declarePolicy, everywhere } from "../../http/route.ts";
import type { Metrics } from "./metrics.ts";

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Counts and times every request by its route pattern (never the raw path: one series per route, not per id). */
export function measureRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return everywhere(async (c, next) => {
    const end = metrics.requestSeconds.startTimer();
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      metrics.inFlight.dec();
      // After next(), the route index points at the handler that answered.
      const route = routePath(c) || "unmatched";
      end({ method: c.req.method, route });
      metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      if (route.endsWith("/auth/sign-in") && c.res.status >= 400 && c.res.status !== 400)
        metrics.signInFailures.inc();
    }
  });
}

/** The metrics page, for Prometheus: text format, all series of this server. */
export async function metricsResponse(c: Context, metrics: Metrics): Promise<Response> {
  c.header("content-type", metrics.registry.contentType);
  c.header("cache-control", "no-store");
  return c.body(await metrics.registry.metrics());
}

/**
 * /health/live (the process answers), /health/ready (it should get traffic: see readiness()), and /metrics behind
 * the operator's token when one is configured. Probes are public: they say nothing about the data.
 */
export function mountOperationsRoutes(app: App): void {
  app.get("/health/live", declarePolicy("GET", "/health/live", "system.read"), (c) =>
    c.json({ status: "ok" }),
  );
  app.get("/health/ready", declarePolicy("GET", "/health/ready", "system.read"), async (c) => {
    const operations = c.get("deps").operations;
    if (!operations) return c.json({ ready: true, checks: {} });
    const result = await operations.readiness();
    c.header("cache-control", "no-store");
    return c.json(result, result.ready ? 200 : 503);
  });
  app.get("/metrics", declarePolicy("GET", "/metrics", "system.read"), async (c) => {
    const operations = c.get("deps").operations;
    const language = pickLanguage(c.req.header("accept-language"));
    if (!operations?.metrics || !operations.metricsToken)
      return c.json(
        errorBody(
          "not_found",
          {
            vi: "Trang số đo không được bật ở cổng này.",
            en: "Metrics are not served on this port.",
          },
          undefined,
          language,
        ),
        404,
      );
    const header = c.req.header("authorization");
    const given = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    if (!tokenMatches(given, operations.metricsToken))
      return c.json(
        errorBody(
          "metrics_token_invalid",
          {
            vi: "Thiếu hoặc sai mã truy cập trang số đo (Authorization: Bearer …).",
            en: "The metrics token is missing or wrong (Authorization: Bearer …).",
          },
          undefined,
          language,
        ),
        401,
      );
    return metricsResponse(c, operations.metrics);
  });
}
