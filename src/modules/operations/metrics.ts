import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The Prometheus series a Grassroots server exposes at /metrics. One registry per app (not prom-client's global
 * one), so that tests can build several apps in one process.
 */
export interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  requestSeconds: Histogram<"method" | "route">;
  inFlight: Gauge;
  signInFailures: Counter;
  pivotSeconds: Histogram<"engine">;
}

export interface MetricsSources {
  /** Changes in the database the analytics replica has not applied yet, and seconds since it last caught up. */
  replica?: () => Promise<{ pending: number; lagSeconds: number } | null>;
  /** Connections the database pool may open (1 for the embedded database). */
  poolMax: number;
  /** Other queues (e.g. e-mails waiting to be sent): name → size. */
  queues?: () => Promise<Record<string, number>>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "grassroots" });
  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: "grassroots_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: "grassroots_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route pattern",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "grassroots_http_requests_in_flight",
      help: "HTTP requests being answered now",
      registers: [registry],
    }),
    signInFailures: new Counter({
      name: "grassroots_sign_in_failures_total",
      help: "Sign-in attempts refused (wrong name or password, throttled)",
      registers: [registry],
    }),
    pivotSeconds: new Histogram({
      name: "grassroots_analytics_pivot_duration_seconds",
      help: "Time to answer an analytics pivot query, by engine",
      labelNames: ["engine"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
  new Gauge({
    name: "grassroots_db_pool_max_connections",
    help: "Connections the database pool may open (1: the embedded database)",
    registers: [registry],
  }).set(sources.poolMax);
  new Gauge({
    name: "grassroots_analytics_replica_pending_changes",
    help: "Data value changes the analytics replica has not applied yet",
    registers: [registry],
    async collect() {
      const status = await sources.replica?.().catch(() => null);
      if (status) this.set(status.pending);
    },
  });
  new Gauge({
    name: "grassroots_analytics_replica_lag_seconds",
    help: "Seconds since the analytics replica was last level with the database",
    registers: [registry],
    async collect() {
      const status = await sources.replica?.().catch(() => null);
      if (status) this.set(status.lagSeconds);
    },
  });
  new Gauge({
    name: "grassroots_queue_size",
    help: "Items waiting in a background queue, by queue",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      const sizes: Record<string, number> = (await sources.queues?.().catch(() => ({}))) ?? {};
      this.reset();
      for (const [queue, size] of Object.entries(sizes)) this.set({ queue }, size);
    },
  });
  return metrics;
}
