import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openPglite, openPostgres } from "../client.ts";
import { seedReference } from "./seed.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: a data-dir tarball holding the seeded database. */
    pgliteSeed: string;
    /** PostgreSQL: the template database every test file copies. */
    pgTemplateUrl: string;
  }
}

/**
 * Seeds one database per run (migrations + the national reference units, ~10 s) so that each test file can start
 * from a copy of it instead of importing again: a PGlite data-dir dump, or a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
  const target = project.config.env?.GR_TEST_DB ?? "pglite";
  if (target === "pglite") {
    const dir = await mkdtemp(join(tmpdir(), "gr-seed-"));
    const database = await openPglite();
    await seedReference(database);
    const dump = await (database.client as PGlite).dumpDataDir("none");
    const file = join(dir, "seed.tar");
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide("pgliteSeed", file);
    project.provide("pgTemplateUrl", "");
    return async () => rm(dir, { recursive: true, force: true });
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error("The PostgreSQL suite needs TEST_DATABASE_URL (a server where it may create databases).");
  const template = `gr_tpl_${randomBytes(4).toString("hex")}`;
  const admin = await openPostgres(adminUrl, { max: 1 });
  await admin.db.execute(`CREATE DATABASE ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const seeded = await openPostgres(templateUrl, { max: 1 });
  await seedReference(seeded);
  await seeded.close();
  project.provide("pgliteSeed", "");
  project.provide("pgTemplateUrl", templateUrl);
  return async () => {
    await admin.db.execute(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.close();
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
