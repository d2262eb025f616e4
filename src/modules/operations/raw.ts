import type { PGlite, Transaction } from "@electric-sql/pglite";
import type postgres from "postgres";
import type { Database } from "../../db/client.ts";

/**
 * A transaction on the driver itself, for what Drizzle does not do: cursors over whole tables and the session
 * settings a backup needs. (COPY streams are not used: postgres-js's hang inside transactions and on errors.)
 */
export interface RawTx {
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The text form of every value is fixed for the transaction, so an archive reads the same whichever server wrote
 * it: times in UTC and ISO, floating-point numbers in their shortest exact form.
 */
const sessionSettings = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL extra_float_digits = 1",
];

/**
 * Runs `work` in one transaction. `snapshot` is read-only and repeatable-read on PostgreSQL, so every table of a
 * backup is read as of one moment while the server keeps writing; PGlite runs one transaction at a time anyway.
 */
export async function inRawTransaction<T>(
  database: Database,
  mode: "snapshot" | "write",
  work: (tx: RawTx) => Promise<T>,
): Promise<T> {
  if (database.driver === "pglite") {
    const client = database.client as PGlite;
    return client.transaction(async (tx: Transaction) => {
      for (const setting of sessionSettings) await tx.exec(setting);
      return work({
        query: async <R extends Record<string, unknown>>(text: string, params?: unknown[]) =>
          (await tx.query<R>(text, params)).rows,
      });
    });
  }
  const sql = database.client as postgres.Sql;
  const options =
    mode === "snapshot" ? "isolation level repeatable read read only" : "isolation level read committed";
  return (await sql.begin(options, async (tx) => {
    for (const setting of sessionSettings) await tx.unsafe(setting);
    return work({
      query: async <R extends Record<string, unknown>>(text: string, params?: unknown[]) =>
        (await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[] | undefined)) as unknown as R[],
    });
  })) as T;
}

/** A quoted SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
