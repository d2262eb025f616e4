import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import { inject } from "vitest";
import { type Database, type Db, openPostgres } from "../client.ts";
import * as schema from "../schema.ts";
import { takeTurns } from "../turns.ts";
import { withDatabase } from "./global-setup.ts";

/**
 * A database of its own for one test file, seeded with the national reference units: a PGlite copy of the seed,
 * or a PostgreSQL database made from the template. Which one comes from GR_TEST_DB (pglite | postgres).
 */
export async function openTestDatabase(): Promise<Database & { drop(): Promise<void> }> {
  if ((process.env.GR_TEST_DB ?? "pglite") === "pglite") {
    const seed = await readFile(inject("pgliteSeed"));
    const client = await PGlite.create({
      loadDataDir: new Blob([seed]),
      extensions: { btree_gist, pg_trgm },
    });
    // As openPglite does: statements take turns with the event loop (src/db/turns.ts).
    takeTurns(client);
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      driver: "pglite",
      client,
      migrate: async () => {},
      close: () => client.close(),
      drop: () => client.close(),
    };
  }
  const templateUrl = inject("pgTemplateUrl");
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `gr_t_${randomBytes(4).toString("hex")}`;
  const admin = await openPostgres(withDatabase(templateUrl, "postgres"), { max: 1 });
  await admin.db.execute(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const database = await openPostgres(withDatabase(templateUrl, name), { max: 5 });
  return {
    ...database,
    drop: async () => {
      await database.close();
      await admin.db.execute(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}
