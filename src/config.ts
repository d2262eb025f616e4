import { resolve } from "node:path";
import { z } from "zod";

/**
 * Every setting Grassroots reads, checked once at start-up. A wrong value stops the process with the list of
 * what is wrong (see `loadConfig`). The README's configuration table is written from this object.
 */
const configSchema = z.object({
  /** TCP port the HTTP server listens on. */
  port: z.coerce.number().int().min(1).max(65535).default(3000),
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
  /**
   * Behind reverse proxies: how many of them to trust. `false` (or 0): the socket's address is the client's. `true`
   * (1) or a number n: the client address is the n-th entry from the right of X-Forwarded-For — each proxy appends
   * the address it saw, so entries to the left of those are whatever the client wrote, and are never trusted.
   * TLS is then also read from X-Forwarded-Proto.
   */
  trustProxy: z
    .string()
    .regex(/^(true|false|[0-5])$/, "must be true, false or a number of proxies from 0 to 5")
    .default("false")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v))),
  /**
   * The address people reach Grassroots at, e.g. https://grassroots.sonla.gov.vn. When it is https the session
   * cookie is marked Secure even though the TLS ends at a proxy in front of this server.
   */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Days the security log (failed sign-ins, refused requests) is kept. */
  securityLogDays: z.coerce.number().int().min(7).max(3650).default(180),
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
  publicUrl: "GRASSROOTS_PUBLIC_URL",
  securityLogDays: "GRASSROOTS_SECURITY_LOG_DAYS",
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
  for (const [key, name] of Object.entries(configEnv)) {
    const value = overrides[key as keyof typeof configEnv] ?? env[name];
    raw[key] = value === "" ? undefined : value;
  }
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
