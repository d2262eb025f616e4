import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../src/config.ts";
import { todayInVietnam } from "../src/modules/units/text.ts";
import { createApp } from "../src/server/app.ts";
import { listen } from "../src/server/listen.ts";
import { createDeps, createLogger, loadDemo, openMigrated } from "../src/server/runtime.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** Sign-in name → password of the demo accounts made for this run. */
    demoPasswords: Record<string, string>;
    /** A file a browser test writes a day (YYYY-MM-DD) to, to move the server's clock for due dates; absent: today. */
    clockFile: string;
  }
}

/** Starts Grassroots as `npm start` does (embedded database, demo content, built web app) on a free port. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), "gr-e2e-"));
  const config = loadConfig({}, { dataDir, logLevel: "warn" });
  const database = await openMigrated(config);
  const demo = await loadDemo(database);
  const deps = createDeps(config, database, createLogger(config));
  // Test-only: due dates are measured against the day in clockFile when there is one. Production has no such file
  // and no route that moves the clock; this is wired here, in the test harness, not in the server.
  const clockFile = join(dataDir, "e2e-today.txt");
  deps.today = () => {
    try {
      const day = readFileSync(clockFile, "utf8").trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : todayInVietnam();
    } catch {
      return todayInVietnam();
    }
  };
  const app = createApp(deps);
  const server = await listen(app, { port: 0, host: "127.0.0.1" });
  project.provide("baseUrl", server.url);
  project.provide("clockFile", clockFile);
  project.provide("demoPasswords", Object.fromEntries(demo.accounts.map((a) => [a.username, a.password])));
  return async () => {
    await server.close();
    // The analytics replica syncs from the database on a timer: stop it first.
    await deps.analytics?.close?.();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
