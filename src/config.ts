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
  /** Folder for files attached to working-session records (evidence of progress); default `<dataDir>/attachments`. */
  attachmentsDir: z.string().min(1).optional(),
  /** Largest attachment accepted, in megabytes (larger ones are refused with 413). */
  attachmentMaxMegabytes: z.coerce.number().min(1).max(100).default(10),
  /**
   * The address people reach Grassroots at, e.g. https://grassroots.sonla.gov.vn. When it is https the session
   * cookie is marked Secure even though the TLS ends at a proxy in front of this server.
   */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Days the security log (failed sign-ins, refused requests) is kept. */
  securityLogDays: z.coerce.number().int().min(7).max(3650).default(180),
  /** pino log level. */
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** SMTP server host for e-mail notifications; when empty, notifications stay in the app only. */
  smtpHost: z.string().min(1).optional(),
  /** SMTP port (587 submission with STARTTLS, 465 with TLS from the start, 25 relay). */
  smtpPort: z.coerce.number().int().min(1).max(65535).default(587),
  /** `true`: TLS from the start (port 465); `false`: STARTTLS when the server offers it. */
  smtpSecure: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** SMTP user name, when the server asks for one. */
  smtpUser: z.string().min(1).optional(),
  /** SMTP password (or SMTP_PASSWORD_FILE: a file holding it, e.g. a container secret). */
  smtpPassword: z.string().min(1).optional(),
  /** The sender of notification e-mails. */
  mailFrom: z.string().min(3).default("Grassroots <no-reply@localhost>"),
  /** Days before a deadline when "due soon" notifications are written. */
  dueSoonDays: z.coerce.number().int().min(0).max(60).default(3),
  /** Hour of the day (Vietnam time) from which the daily e-mail digest goes out. */
  digestHour: z.coerce.number().int().min(0).max(23).default(7),
  /** Seconds between runs of the background jobs (due-work scan, digests, e-mail sending). */
  jobIntervalSeconds: z.coerce.number().int().min(10).max(86_400).default(300),
});

export type Config = Omit<z.infer<typeof configSchema>, "attachmentsDir"> & {
  pgliteDir: string;
  attachmentsDir: string;
};

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
  attachmentsDir: "GRASSROOTS_ATTACHMENTS_DIR",
  attachmentMaxMegabytes: "GRASSROOTS_ATTACHMENT_MAX_MB",
  publicUrl: "GRASSROOTS_PUBLIC_URL",
  securityLogDays: "GRASSROOTS_SECURITY_LOG_DAYS",
  logLevel: "LOG_LEVEL",
  smtpHost: "SMTP_HOST",
  smtpPort: "SMTP_PORT",
  smtpSecure: "SMTP_SECURE",
  smtpUser: "SMTP_USER",
  smtpPassword: "SMTP_PASSWORD",
  mailFrom: "GRASSROOTS_MAIL_FROM",
  dueSoonDays: "GRASSROOTS_DUE_SOON_DAYS",
  digestHour: "GRASSROOTS_DIGEST_HOUR",
  jobIntervalSeconds: "GRASSROOTS_JOB_INTERVAL_SECONDS",
} as const satisfies Record<keyof z.input<typeof configSchema>, string>;

/** Settings whose values are never printed back in an error. */
const secretSettings = new Set<string>(["smtpPassword", "metricsToken", "databaseUrl"]);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * The value of `name`, or the contents of the file `name_FILE` names (a container secret), trailing newline removed.
 * A file that cannot be read is a configuration problem.
 */
function fromEnv(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const file = env[`${name}_FILE`];
  if (env[name] !== undefined || !file) return env[name];
  try {
    return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (err) {
    problems.push(`${name}_FILE: cannot read ${JSON.stringify(file)} (${(err as Error).message})`);
    return undefined;
  }
}

/**
 * Reads settings from the environment, with explicit overrides (CLI flags) taking precedence. Any setting may be
 * given as a file instead (`SMTP_PASSWORD_FILE=/run/secrets/smtp`), so that secrets stay out of the environment.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof typeof configEnv, string | undefined>> = {},
): Config {
  const raw: Record<string, string | undefined> = {};
  const fileProblems: string[] = [];
  for (const [key, name] of Object.entries(configEnv)) {
    const value = overrides[key as keyof typeof configEnv] ?? fromEnv(env, name, fileProblems);
    raw[key] = value === "" ? undefined : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success || fileProblems.length > 0) {
    throw new ConfigError([
      ...fileProblems,
      ...(parsed.error?.issues ?? []).map((issue) => {
        const key = issue.path[0] as keyof typeof configEnv;
        const shown = secretSettings.has(key) ? "(hidden)" : JSON.stringify(raw[key]);
        return `${configEnv[key] ?? String(key)}: ${issue.message} (got ${shown})`;
      }),
    ]);
  }
  return {
    ...parsed.data,
    pgliteDir: resolve(parsed.data.dataDir, "pglite"),
    attachmentsDir: resolve(parsed.data.attachmentsDir ?? resolve(parsed.data.dataDir, "attachments")),
  };
}
