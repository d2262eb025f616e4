import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Cron } from "croner";
import type { Logger } from "pino";
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { pruneChangeLog } from "../analytics/replica-position.ts";
import { createBackup } from "./backup.ts";
import { appVersion, attachmentsFolder, backupsFolder, defaultBackupFile } from "./files.ts";
import { runJobOnce, slotOf } from "./jobs.ts";

/** Checks a cron pattern at start-up (so a typo stops the server with its name, not at 2 a.m.). */
export function checkCron(pattern: string): string | null {
  try {
    new Cron(pattern, { paused: true }).stop();
    return null;
  } catch (err: unknown) {
    return (err as Error).message;
  }
}

/** Keeps the newest `keep` scheduled backups, deleting older ones. */
export async function pruneBackups(folder: string, keep: number): Promise<string[]> {
  const names = (await readdir(folder).catch(() => [] as string[]))
    .filter((n) => /^grassroots-.*\.tar\.gz$/.test(n))
    .sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) await rm(join(folder, name), { force: true });
  return old;
}

/**
 * The server's background jobs: pruning the analytics change log every hour and, when GRASSROOTS_BACKUP_CRON is
 * set, the scheduled backup. Each runs once per slot however many servers share the database (runJobOnce).
 */
export function startScheduler(
  database: Database,
  config: Pick<Config, "dataDir" | "attachmentsDir" | "backupCron" | "backupKeep">,
  logger: Logger,
): { stop(): void } {
  const jobs: Cron[] = [];
  jobs.push(
    new Cron("17 * * * *", { protect: true, unref: true }, async () => {
      try {
        const outcome = await runJobOnce(
          database.db,
          "prune-analytics-changes",
          slotOf(new Date(), 60),
          async (tx) => JSON.stringify(await pruneChangeLog(tx)),
        );
        if (outcome.ran) logger.info({ job: "prune-analytics-changes", result: outcome.result }, "job ran");
      } catch (err: unknown) {
        logger.error({ err, job: "prune-analytics-changes" }, "job failed");
      }
    }),
  );
  const pattern = config.backupCron;
  if (pattern) {
    jobs.push(
      new Cron(pattern, { protect: true, unref: true }, async (self: Cron) => {
        const slotTime = self.currentRun() ?? new Date();
        const slot = slotTime.toISOString().slice(0, 19);
        try {
          // The slot is claimed first and the backup made after: a backup is a long read of its own, not a step
          // inside the claim's transaction (on the embedded database that would wait on itself).
          const claim = await runJobOnce(database.db, "scheduled-backup", slot, async () => "claimed");
          if (!claim.ran) return;
          const summary = await createBackup(database, {
            // Named by its slot: two servers backing up one slot would write the same name.
            out: defaultBackupFile(config, slotTime),
            attachmentsDir: attachmentsFolder(config),
            appVersion: await appVersion(),
          });
          const removed = await pruneBackups(backupsFolder(config), config.backupKeep);
          logger.info({ job: "scheduled-backup", ...summary, removed }, "backup written");
        } catch (err: unknown) {
          logger.error({ err, job: "scheduled-backup" }, "scheduled backup failed");
        }
      }),
    );
  }
  return {
    stop: () => {
      for (const job of jobs) job.stop();
    },
  };
}
