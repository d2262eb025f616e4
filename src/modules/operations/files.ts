import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../config.ts";
import { projectRoot } from "../../paths.ts";

/** The version in package.json, written into every backup's manifest. */
export async function appVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(projectRoot, "package.json"), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

/** Where uploaded files (evidence, attachments) live (GRASSROOTS_ATTACHMENTS_DIR): backed up and restored with the database. */
export const attachmentsFolder = (config: Pick<Config, "attachmentsDir">) => config.attachmentsDir;

/** Where scheduled and default backups go. */
export const backupsFolder = (config: Pick<Config, "dataDir">) => join(config.dataDir, "backups");

/** grassroots-2026-12-01T04-50-00Z.tar.gz: sortable by name, one a second. */
export function defaultBackupFile(config: Pick<Config, "dataDir">, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, "-");
  return join(backupsFolder(config), `grassroots-${stamp}Z.tar.gz`);
}
