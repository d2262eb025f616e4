import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * Every setting Grassroots reads, checked once at start-up. A wrong value stops the process with the list of
 * what is wrong (see `loadConfig`). The README's configuration table is written from this object.
 */
const configSchema = z.object({
  /** TCP port the HTTP server listens on; 0 takes any free one (its address is logged). */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address the HTTP server binds to; 0.0.0.0 to serve the local network. */
  host: z.string().min(1).default("127.0.0.1"),
  /** PostgreSQL connection string; when empty, the embedded PGlite database in `dataDir` is used. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  /** Folder for the embedded database and other local state. */
  dataDir: z.string().min(1).default(".data"),
  /** Load demo content: `auto` loads it into a fresh database only, `on` always (idempotent), `off` never. */
  demo: z.enum(["auto", "on", "off"]).default("auto"),
  /** Minutes without a request after which a browser session ends. */
  sessionIdleMinutes: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  /** Hours after sign-in after which a browser session ends, used or not. */
  sessionMaxHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For and TLS from X-Forwarded-Proto. */
  trustProxy: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Bearer token that /metrics requires; without it (and without metricsPort) /metrics is not served. */
  metricsToken: z.string().min(16, "must be at least 16 characters").optional(),
  /** Serve /metrics on this separate port (bound to `host`) instead of behind a token on the main one. */
  metricsPort: z.coerce.number().int().min(1).max(65535).optional(),
  /** Cron pattern of the scheduled backup (e.g. "0 2 * * *", every night at 02:00); none when empty. */
  backupCron: z.string().min(9).optional(),
  /** How many scheduled backups to keep in <dataDir>/backups. */
  backupKeep: z.coerce.number().int().min(1).max(1000).default(7),
  /** On SIGTERM, how long requests in flight may take to finish before the server closes anyway. */
  shutdownTimeoutSeconds: z.coerce.number().int().min(1).max(600).default(25),
  /** /health/ready answers 503 while the analytics replica is further behind the database than this. */
  readyMaxLagSeconds: z.coerce.number().int().min(1).max(3600).default(30),
  /** pino log level. */
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = z.infer<typeof configSchema> & { pgliteDir: string };

/** Environment variable for each setting, in the order the README lists them. */
export const configEnv = {
  port: "PORT",
  host: "HOST",
  databaseUrl: "DATABASE_URL",
  dataDir: "GRASSROOTS_DATA_DIR",
  demo: "GRASSROOTS_DEMO",
  sessionIdleMinutes: "GRASSROOTS_SESSION_IDLE_MINUTES",
  sessionMaxHours: "GRASSROOTS_SESSION_MAX_HOURS",
  trustProxy: "GRASSROOTS_TRUST_PROXY",
  metricsToken: "GRASSROOTS_METRICS_TOKEN",
  metricsPort: "GRASSROOTS_METRICS_PORT",
  backupCron: "GRASSROOTS_BACKUP_CRON",
  backupKeep: "GRASSROOTS_BACKUP_KEEP",
  shutdownTimeoutSeconds: "GRASSROOTS_SHUTDOWN_TIMEOUT_SECONDS",
  readyMaxLagSeconds: "GRASSROOTS_READY_MAX_LAG_SECONDS",
  logLevel: "LOG_LEVEL",
} as const satisfies Record<keyof z.input<typeof configSchema>, string>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads settings from the environment, with explicit overrides (CLI flags) taking precedence. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof typeof configEnv, string | undefined>> = {},
): Config {
  const raw: Record<string, string | undefined> = {};
  const unreadable: string[] = [];
  for (const [key, name] of Object.entries(configEnv)) {
    let value = overrides[key as keyof typeof configEnv] ?? env[name];
    // Secrets may come from files (Docker and Kubernetes secrets): NAME_FILE holds the path.
    const file = env[`${name}_FILE`];
    if ((value === undefined || value === "") && file) {
      try {
        value = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (err: unknown) {
        unreadable.push(`${name}_FILE: cannot read ${file} (${(err as Error).message})`);
      }
    }
    raw[key] = value === "" ? undefined : value;
  }
  if (unreadable.length) throw new ConfigError(unreadable);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path[0] as keyof typeof configEnv;
        return `${configEnv[key] ?? String(key)}: ${issue.message} (got ${JSON.stringify(raw[key])})`;
      }),
    );
  }
  return { ...parsed.data, pgliteDir: resolve(parsed.data.dataDir, "pglite") };
}
