import { rm, writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { Hono } from "hono";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { DataDirInUseError } from "../db/data-dir-lock.ts";
import { AppError } from "../http/errors.ts";
import { systemActor } from "../modules/access/actor.ts";
import { revokeToken } from "../modules/access/tokens.ts";
import { createUser, disableUserByName, listUsers } from "../modules/access/users.ts";
import { openDuckReplica } from "../modules/analytics/index.ts";
import { smtpTransport } from "../modules/notifications/email.ts";
import { startNotificationJobs } from "../modules/notifications/jobs.ts";
import { createBackup } from "../modules/operations/backup.ts";
import { appVersion, attachmentsFolder, defaultBackupFile } from "../modules/operations/files.ts";
import { restoreBackup } from "../modules/operations/restore.ts";
import { metricsResponse } from "../modules/operations/routes.ts";
import { checkCron, startScheduler } from "../modules/operations/scheduler.ts";
import { exportValues, type FileFormat, formatOf, parseValuesFile } from "../modules/reporting/files.ts";
import { importDataValues } from "../modules/reporting/import-values.ts";
import { importReferenceUnits } from "../modules/units/import-reference.ts";
import type { UnitHistoryEntryView, UnitVersionView } from "../modules/units/presenters.ts";
import { getUnitHistory } from "../modules/units/queries.ts";
import { createApp } from "../server/app.ts";
import { listen } from "../server/listen.ts";
import {
  analyticsPath,
  createDeps,
  createLogger,
  type DemoSummary,
  isEmpty,
  loadDemo,
  openMigrated,
} from "../server/runtime.ts";
import { progressReporter } from "./progress.ts";

type GlobalOptions = { dataDir?: string; databaseUrl?: string; logLevel?: string };

const program = new Command("grassroots")
  .description(
    "Grassroots — hệ thống thông tin quản trị cơ sở / governance information system for local government",
  )
  .option("--data-dir <folder>", "folder of the embedded database (env GRASSROOTS_DATA_DIR, default .data)")
  .option(
    "--database-url <url>",
    "PostgreSQL connection string (env DATABASE_URL); embedded PGlite when absent",
  )
  .option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL)")
  .showHelpAfterError();

function config(extra: Partial<Record<"port" | "host" | "demo", string>> = {}): Config {
  const g = program.opts<GlobalOptions>();
  return loadConfig(process.env, {
    dataDir: g.dataDir,
    databaseUrl: g.databaseUrl,
    logLevel: g.logLevel,
    ...extra,
  });
}

async function withDatabase<T>(cfg: Config, work: (db: Database) => Promise<T>): Promise<T> {
  const database = await openMigrated(cfg);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

const fmtDate = (d: string | null) => (d ? d.split("-").reverse().join("/") : "…");
const dayBeforeLabel = (d: string | null) => {
  if (!d) return "nay";
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() - 1);
  return fmtDate(x.toISOString().slice(0, 10));
};
const line = (v: UnitVersionView) =>
  `${v.name} (${v.code}) · ${fmtDate(v.validFrom)} – ${dayBeforeLabel(v.validTo)}${v.ancestors.length ? ` · ${v.ancestors.map((a) => a.name).join(", ")}` : ""}`;

function printLineage(entry: UnitHistoryEntryView) {
  console.log(line(entry));
  for (const p of entry.predecessors)
    console.log(
      `  ← ${p.kind === "full" ? "toàn bộ" : "một phần"}${p.share ? ` ${p.share}` : ""}: ${line(p.unit)}  [${p.event.document ?? "?"}]`,
    );
  for (const s of entry.successors)
    console.log(
      `  → ${s.kind === "full" ? "toàn bộ" : "một phần"}${s.share ? ` ${s.share}` : ""}: ${line(s.unit)}  [${s.event.document ?? "?"}]`,
    );
}

/** Demo passwords exist only in this output: they are stored hashed. */
function printDemoAccounts(summary: DemoSummary) {
  if (summary.accounts.length === 0) return;
  process.stdout.write("\nTài khoản minh hoạ / demo accounts (shown once; passwords are stored hashed):\n");
  for (const a of summary.accounts)
    process.stdout.write(
      `  ${a.username.padEnd(16)} ${a.password}  ${a.role}${a.scopeCode ? ` @ ${a.scopeCode}` : ""}  (${a.displayName})\n`,
    );
  process.stdout.write("\n");
}

program
  .command("serve")
  .description(
    "start the HTTP server and the web app (loads demo content into a fresh database unless --demo off)",
  )
  .option("-p, --port <port>", "port (env PORT, default 3000)")
  .option("--host <host>", "address to bind (env HOST, default 127.0.0.1)")
  .addOption(
    new Option("--demo <mode>", "auto: demo into a fresh database; on; off (env GRASSROOTS_DEMO)").choices([
      "auto",
      "on",
      "off",
    ]),
  )
  .action(async (opts: { port?: string; host?: string; demo?: string }) => {
    const cfg = config({ port: opts.port, host: opts.host, demo: opts.demo });
    const cronProblem = cfg.backupCron ? checkCron(cfg.backupCron) : null;
    if (cronProblem)
      throw new ConfigError([`GRASSROOTS_BACKUP_CRON: ${cronProblem} (got "${cfg.backupCron}")`]);
    const logger = createLogger(cfg);
    const database = await openMigrated(cfg);
    if (cfg.demo === "on" || (cfg.demo === "auto" && (await isEmpty(database)))) {
      logger.info("loading demo content (national units, demo villages)…");
      const progress = progressReporter();
      const summary = await loadDemo(database, progress.onProgress);
      progress.stop();
      logger.info({ counts: summary.units.counts, villages: summary.villages }, "demo content loaded");
      printDemoAccounts(summary);
    }
    const deps = createDeps(cfg, database, logger);
    const app = createApp(deps);
    const server = await listen(app, { port: cfg.port, host: cfg.host });
    logger.info({ url: server.url, database: database.driver }, "Grassroots is running");
    const jobs = startNotificationJobs(database, {
      intervalSeconds: cfg.jobIntervalSeconds,
      dueSoonDays: cfg.dueSoonDays,
      digestHour: cfg.digestHour,
      mailFrom: cfg.mailFrom,
      publicUrl: cfg.publicUrl,
      transport: cfg.smtpHost
        ? smtpTransport({
            host: cfg.smtpHost,
            port: cfg.smtpPort,
            secure: cfg.smtpSecure,
            user: cfg.smtpUser,
            password: cfg.smtpPassword,
          })
        : null,
      logger,
    });
    if (!cfg.smtpHost) logger.info("SMTP_HOST is not set: notifications stay in the app, no e-mail is sent");
    const metrics = deps.operations?.metrics;
    const metricsServer =
      cfg.metricsPort && metrics
        ? await listen(
            new Hono().get("/metrics", (c) => metricsResponse(c, metrics)),
            { port: cfg.metricsPort, host: cfg.host },
          )
        : undefined;
    if (metricsServer) logger.info({ url: `${metricsServer.url}/metrics` }, "metrics served");
    const scheduler = startScheduler(database, cfg, logger);
    let stopping = false;
    // SIGTERM: readiness turns false (load balancers stop sending traffic), no new connections, requests in flight
    // are answered (up to the timeout), then the replica and the database close. A request that got its 2xx is
    // committed before the database closes.
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      deps.lifecycle.draining = true;
      logger.info({ signal }, "shutting down: answering the requests in flight");
      const finished = await server.drain(cfg.shutdownTimeoutSeconds * 1000);
      scheduler.stop();
      await jobs.stop();
      await metricsServer?.close();
      await deps.analytics?.close?.();
      await database.close();
      logger.info({ finished }, "stopped");
      process.exit(0);
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
  });

program
  .command("migrate")
  .description("apply the database migrations that are not applied yet")
  .action(async () => {
    await withDatabase(config(), async (db) => console.log(`Migrations applied (${db.driver}).`));
  });

program
  .command("backup")
  .description(
    "write one consistent archive of the database and the attachments (a .tar.gz with a manifest and checksums); " +
      "on PostgreSQL the server keeps serving meanwhile",
  )
  .option("--out <file>", "the archive to write (default <data dir>/backups/grassroots-<time>.tar.gz)")
  .action(async (opts: { out?: string }) => {
    const cfg = config();
    await withDatabase(cfg, async (database) => {
      const progress = progressReporter();
      const summary = await createBackup(database, {
        out: opts.out ?? defaultBackupFile(cfg),
        attachmentsDir: attachmentsFolder(cfg),
        appVersion: await appVersion(),
        onProgress: progress.onProgress,
      });
      progress.stop();
      console.log(JSON.stringify(summary, null, 2));
    });
  });

program
  .command("restore <file>")
  .description(
    "restore an archive written by 'grassroots backup' into an empty database (PGlite or PostgreSQL, whichever " +
      "it came from); the analytics replica rebuilds itself",
  )
  .option("--force", "restore over a database that holds data (its contents are dropped first)")
  .action(async (file: string, opts: { force?: boolean }) => {
    const cfg = config();
    const database = await openDatabase(cfg);
    try {
      const progress = progressReporter();
      const summary = await restoreBackup(database, file, {
        force: Boolean(opts.force),
        attachmentsDir: attachmentsFolder(cfg),
        onProgress: progress.onProgress,
      });
      progress.stop();
      // This process's replica file belongs to the data before the restore; servers elsewhere see the database's
      // new identity and rebuild theirs.
      await rm(analyticsPath(cfg), { force: true });
      console.log(JSON.stringify(summary, null, 2));
    } finally {
      await database.close();
    }
  });

const units = program.command("units").description("administrative units with their history and lineage");

units
  .command("import <folder>")
  .description(
    "import a reference dataset folder (old_units.csv, new_units.csv, lineage.csv); running it twice changes nothing",
  )
  .action(async (folder: string) => {
    await withDatabase(config(), async (database) => {
      const progress = progressReporter();
      const started = performance.now();
      const summary = await importReferenceUnits(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        folder,
        progress.onProgress,
      );
      progress.stop();
      console.log(
        JSON.stringify({ ...summary, seconds: +((performance.now() - started) / 1000).toFixed(1) }, null, 2),
      );
    });
  });

units
  .command("show <code>")
  .description("show the unit with this code (today, or on --at DATE)")
  .option("--at <date>", "YYYY-MM-DD")
  .option("--json", "print JSON")
  .action(async (code: string, opts: { at?: string; json?: boolean }) => {
    if (opts.at && !/^\d{4}-\d{2}-\d{2}$/.test(opts.at))
      throw new AppError(400, "invalid_input", {
        vi: `--at: "${opts.at}" không phải ngày dạng YYYY-MM-DD`,
        en: `--at: "${opts.at}" is not a date as YYYY-MM-DD`,
      });
    await withDatabase(config(), async (database) => {
      const history = await getUnitHistory(database.db, code, opts.at);
      if (opts.json) return console.log(JSON.stringify(history.selected, null, 2));
      const v = history.selected;
      console.log(line(v));
      console.log(`  cấp / level: ${v.level} · loại / kind: ${v.kind}`);
      if (history.versions.length > 1) {
        console.log("  lịch sử mã / code history:");
        for (const h of history.versions) console.log(`    ${line(h)}`);
      }
    });
  });

units
  .command("lineage <code>")
  .description("show where each unit that carried this code came from and went to")
  .option("--json", "print JSON")
  .action(async (code: string, opts: { json?: boolean }) => {
    await withDatabase(config(), async (database) => {
      const history = await getUnitHistory(database.db, code);
      if (opts.json) return console.log(JSON.stringify(history.versions, null, 2));
      history.versions.forEach(printLineage);
    });
  });

const usersCommand = program.command("users").description("accounts");

usersCommand
  .command("create-admin")
  .description("create a system administrator (the first account outside demo mode)")
  .requiredOption("--username <name>", "sign-in name")
  .option("--display-name <name>", "name shown in the app", "Quản trị hệ thống")
  .option("--password-stdin", "read the password from standard input instead of generating one")
  .action(async (opts: { username: string; displayName: string; passwordStdin?: boolean }) => {
    const password = opts.passwordStdin ? (await readStdin()).replace(/\r?\n$/, "") : undefined;
    await withDatabase(config(), async (database) => {
      const result = await createUser(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        new Date(),
        {
          username: opts.username,
          displayName: opts.displayName,
          role: "system_admin",
          scopeCode: null,
          ...(password === undefined ? {} : { password }),
        },
      );
      console.log(`Created system administrator ${result.user.username} (id ${result.user.id}).`);
      if (result.initialPassword)
        console.log(`Password (shown once, stored hashed): ${result.initialPassword}`);
    });
  });

usersCommand
  .command("list")
  .description("list accounts")
  .option("--json", "print JSON")
  .action(async (opts: { json?: boolean }) => {
    await withDatabase(config(), async (database) => {
      const list = await listUsers(database.db, { actor: systemActor("cli"), requestId: null }, new Date());
      if (opts.json) return console.log(JSON.stringify(list, null, 2));
      for (const u of list)
        console.log(
          `${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role.padEnd(17)} ${(u.scope ? `${u.scope.name} (${u.scope.code})` : "—").padEnd(32)} ${u.isDisabled ? "disabled" : "active"}${u.needsRescope ? "  NEEDS RE-SCOPING" : ""}`,
        );
    });
  });

usersCommand
  .command("disable <username>")
  .description("disable an account (its sessions end, its tokens stop working)")
  .action(async (username: string) => {
    await withDatabase(config(), async (database) => {
      const user = await disableUserByName(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        new Date(),
        username,
      );
      console.log(`Disabled ${user.username}.`);
    });
  });

program
  .command("tokens")
  .description("API tokens")
  .command("revoke <id>")
  .description("revoke an API token by its id")
  .action(async (id: string) => {
    if (!/^\d+$/.test(id))
      throw new AppError(400, "invalid_input", {
        vi: `"${id}" không phải số hiệu mã truy cập (một số)`,
        en: `"${id}" is not a token id (a number)`,
      });
    await withDatabase(config(), async (database) => {
      const token = await revokeToken(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        new Date(),
        Number(id),
      );
      console.log(`Revoked token ${token.id} (${token.name}, ${token.prefix}…).`);
    });
  });

const data = program.command("data").description("reported values: import and export");

data
  .command("import <file>")
  .description(
    "import values from .xlsx or .csv (a form's sheet) or .json (DHIS2 dataValueSets); all rows or none",
  )
  .option("--dry-run", "check every row and write nothing")
  .action(async (file: string, opts: { dryRun?: boolean }) => {
    const rows = parseValuesFile(formatOf(file), { path: file });
    await withDatabase(config(), async (database) => {
      const progress = progressReporter();
      const result = await importDataValues(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        rows,
        {
          dryRun: Boolean(opts.dryRun),
          onProgress: (done, total) => progress.onProgress("values", done, total),
        },
      );
      progress.stop();
      console.log(JSON.stringify(result, null, 2));
    });
  });

data
  .command("export")
  .description("export entered values of a form for a period")
  .requiredOption("--form <code>", "form code, e.g. KTXH_XA")
  .requiredOption("--period <period>", "period code: 2025, 2025S1, 2025Q3, 202507")
  .option("--unit <code>", "only this unit and those under it")
  .addOption(new Option("--format <format>", "file format").choices(["xlsx", "csv", "dhis2"]).default("xlsx"))
  .option("--out <file>", "where to write (default: a file named after the form and period)")
  .action(async (opts: { form: string; period: string; unit?: string; format: FileFormat; out?: string }) => {
    await withDatabase(config(), async (database) => {
      const file = await exportValues(
        database.db,
        { actor: systemActor("cli"), requestId: null },
        opts,
        opts.format,
      );
      const out = opts.out ?? file.fileName;
      await writeFile(out, file.body);
      console.log(`Wrote ${out} (${file.body.byteLength} bytes).`);
    });
  });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

program
  .command("demo")
  .description("demo content")
  .command("load")
  .description("load the national reference units and demo villages (idempotent)")
  .action(async () => {
    await withDatabase(config(), async (database) => {
      const progress = progressReporter();
      const summary = await loadDemo(database, progress.onProgress);
      progress.stop();
      console.log(JSON.stringify({ ...summary, accounts: undefined }, null, 2));
      printDemoAccounts(summary);
    });
  });

program
  .command("analytics")
  .description("the analytics replica (a DuckDB cache of data values beside the database)")
  .command("rebuild")
  .description("rebuild the analytics replica from the database, with a progress bar")
  .action(async () => {
    const cfg = config();
    await withDatabase(cfg, async (database) => {
      const progress = progressReporter();
      let rebuilt = false;
      const onProgress = (done: number, total: number) => {
        rebuilt = true;
        progress.onProgress("analytics", done, total);
      };
      const replica = await openDuckReplica({
        db: database.db,
        path: analyticsPath(cfg),
        syncIntervalMs: 0,
        onRebuildProgress: onProgress,
      });
      try {
        if (!rebuilt) await replica.rebuild(onProgress);
      } finally {
        progress.stop();
        await replica.close();
      }
      console.log(`Analytics replica rebuilt: ${analyticsPath(cfg)}`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DataDirInUseError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    if (err.details) console.error(JSON.stringify(err.details, null, 2));
    process.exit(1);
  }
  throw err;
}
