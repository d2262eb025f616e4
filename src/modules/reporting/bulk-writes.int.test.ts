import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { recordAudit } from "../audit/record.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { createDataElement } from "./catalogue.ts";
import { createForm } from "./form-designer.ts";
import { importDataValues } from "./import-values.ts";

/**
 * Bulk writes of values (issues 8 and 14), on both databases: other work is answered while an import runs, and the
 * keys of data_values, checked once per statement (migration 0017), hold as the foreign keys they replace did.
 */
const onPostgres = (process.env.GR_TEST_DB ?? "pglite") === "postgres";
const FORM = "BULK_TEST";
const UNITS = ["04186", "04195", "04210"];
const ELEMENTS = Array.from({ length: 10 }, (_, i) => `BULK_E${i + 1}`);

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
const elementIds: number[] = [];
let versionIds: number[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  for (const code of ELEMENTS)
    elementIds.push(
      Number(
        (
          await createDataElement(db(), testCtx, {
            code,
            nameVi: `Chỉ tiêu ${code}`,
            nameEn: `Element ${code}`,
            valueType: "number",
            aggregation: "sum",
          })
        ).id,
      ),
    );
  await createForm(db(), testCtx, {
    code: FORM,
    nameVi: "Biểu nhập nhiều",
    nameEn: "Bulk form",
    periodType: "yearly",
    sections: [{ nameVi: "Chung", nameEn: "All", elements: ELEMENTS }],
    units: UNITS,
  });
  versionIds = (await unitVersionsOn(db(), UNITS, "2025-12-31")).map((v) => v.id);
});
afterAll(async () => {
  await database.drop();
});

/** The SQLSTATE of a failed statement, through Drizzle's wrapping. */
async function sqlState(attempt: Promise<unknown>): Promise<string | null> {
  try {
    await attempt;
    return null;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? "no code";
  }
}

const count = async (query: SQL) => Number(rowsOf<{ n: string | number }>(await db().execute(query))[0]?.n);

describe("other work during an import", () => {
  it("answers a request made while an import writes, before the import ends", async () => {
    const rows = UNITS.flatMap((unit, u) =>
      ELEMENTS.map((element, e) => ({ row: u + 3, element, unit, period: "2025", value: u * 100 + e })),
    );
    let chunks = 0;
    let answeredAfter: number | null = null;
    let asked = false;
    const result = await importDataValues(db(), testCtx, rows, {
      chunkSize: 3,
      onProgress: () => {
        chunks++;
        if (asked) return;
        asked = true;
        // Another user's request, arriving while the import runs.
        setTimeout(() => {
          void db()
            .execute(sql`SELECT 1`)
            .then(() => {
              answeredAfter = chunks;
            });
        }, 0);
      },
    });
    expect([result.written, answeredAfter !== null && answeredAfter < chunks]).toEqual([30, true]);
  });
});

describe("the keys of data_values, checked per statement", () => {
  const insert = (element: number, version: number, period = "2019") =>
    db().execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, updated_by)
      VALUES (${element}, ${version}, ${period}, '1', 1, 'test')`);

  it("refuses a value of an element that does not exist, as a foreign key does (23503)", async () => {
    expect(await sqlState(insert(987654321, versionIds[0] ?? 0))).toBe("23503");
  });

  it("refuses a value of a unit version that does not exist (23503)", async () => {
    expect(await sqlState(insert(elementIds[0] ?? 0, 987654321))).toBe("23503");
  });

  it("writes nothing of a many-row statement when one of its rows names a missing key", async () => {
    const element = elementIds[1] ?? 0;
    const attempt = db().execute(sql`
      INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, updated_by)
      SELECT ${element}, v, '2018', '1', 1, 'test'
      FROM unnest(${sql.raw(`ARRAY[${[...versionIds, 987654321].join(",")}]::bigint[]`)}) v`);
    expect([
      await sqlState(attempt),
      await count(sql`SELECT count(*) AS n FROM data_values
      WHERE element_id = ${element} AND period = '2018'`),
    ]).toEqual(["23503", 0]);
  });

  it("refuses to point a value at a missing element by an update", async () => {
    const element = elementIds[2] ?? 0;
    await insert(element, versionIds[0] ?? 0, "2017");
    const attempt = db().execute(
      sql`UPDATE data_values SET element_id = 987654321 WHERE element_id = ${element} AND period = '2017'`,
    );
    expect(await sqlState(attempt)).toBe("23503");
  });

  it("refuses to delete an element that values still name, and deletes one they do not", async () => {
    const used = elementIds[3] ?? 0;
    await insert(used, versionIds[1] ?? 0, "2016");
    const unused = await createDataElement(db(), testCtx, {
      code: "BULK_UNUSED",
      nameVi: "Không dùng",
      nameEn: "Unused",
      valueType: "number",
      aggregation: "sum",
    });
    expect([
      await sqlState(db().execute(sql`DELETE FROM data_elements WHERE id = ${used}`)),
      await sqlState(db().execute(sql`DELETE FROM data_elements WHERE id = ${unused.id}`)),
    ]).toEqual(["23503", null]);
  });

  it("refuses to delete a unit version that values still name", async () => {
    await insert(elementIds[4] ?? 0, versionIds[2] ?? 0, "2015");
    expect(
      await sqlState(db().execute(sql`DELETE FROM unit_versions WHERE id = ${versionIds[2] ?? 0}`)),
    ).toBe("23503");
  });

  it("never keeps a value whose element a concurrent transaction deleted", async () => {
    const element = await createDataElement(db(), testCtx, {
      code: "BULK_RACE",
      nameVi: "Đua",
      nameEn: "Race",
      valueType: "number",
      aggregation: "sum",
    });
    if (onPostgres) {
      // The value's writer holds its transaction open; the delete must wait for it, then refuse.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let wrote = () => {};
      const written = new Promise<void>((resolve) => {
        wrote = resolve;
      });
      const writer = db().transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, updated_by)
          VALUES (${element.id}, ${versionIds[0] ?? 0}, '2014', '1', 'test')`);
        wrote();
        await released;
      });
      await written;
      const deletion = sqlState(db().execute(sql`DELETE FROM data_elements WHERE id = ${element.id}`));
      await waitForLockWaiters(1);
      release();
      await writer;
      expect(await deletion).toBe("23503");
    } else {
      // One connection, one transaction at a time: the two are raced and whichever comes second is refused.
      const outcomes = await Promise.all([
        sqlState(
          db().execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, updated_by)
            VALUES (${element.id}, ${versionIds[0] ?? 0}, '2014', '1', 'test')`),
        ),
        sqlState(db().execute(sql`DELETE FROM data_elements WHERE id = ${element.id}`)),
      ]);
      expect(outcomes.filter((o) => o === null)).toHaveLength(1);
    }
    const orphans = await count(sql`SELECT count(*) AS n FROM data_values d
      WHERE NOT EXISTS (SELECT 1 FROM data_elements e WHERE e.id = d.element_id)`);
    expect(orphans).toBe(0);
  });

  it("logs every value of a many-row statement for the analytics replica, after what was logged before", async () => {
    const element = elementIds[5] ?? 0;
    const before = await count(sql`SELECT coalesce(max(seq), 0) AS n FROM data_value_changes`);
    await db().execute(sql`
      INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, updated_by)
      SELECT ${element}, v, '2013', '1', 1, 'test'
      FROM unnest(${sql.raw(`ARRAY[${versionIds.join(",")}]::bigint[]`)}) v`);
    const logged = rowsOf<{ data_value_id: string | number }>(
      await db().execute(
        sql`SELECT data_value_id FROM data_value_changes WHERE seq > ${before} AND op = 'I'`,
      ),
    ).map((r) => Number(r.data_value_id));
    const ids = rowsOf<{ id: string | number }>(
      await db().execute(sql`SELECT id FROM data_values WHERE element_id = ${element} AND period = '2013'`),
    ).map((r) => Number(r.id));
    expect(logged.sort()).toEqual(ids.sort());
  });
});

describe("the units an audit event touches", () => {
  const unitsOf = async (recordId: string) =>
    rowsOf<{ unit_codes: string[] }>(
      await db().execute(sql`SELECT unit_codes FROM audit_events WHERE record_id = ${recordId}`),
    )[0]?.unit_codes;

  it("still finds the units named deep in an event's before and after", async () => {
    await recordAudit(db(), testCtx, {
      action: "test.units",
      recordKind: "form",
      recordId: "bulk-units-1",
      unitCode: "04186",
      after: { form: { units: ["04210", "04195"] }, note: "unit" },
    });
    expect(await unitsOf("bulk-units-1")).toEqual(["04186", "04195", "04210"]);
  });

  it("lists only the event's own unit when its before and after name none", async () => {
    await recordAudit(db(), testCtx, {
      action: "test.units",
      recordKind: "data_value",
      recordId: "bulk-units-2",
      unitCode: "04186",
      before: { value: "04210", comment: '"units" in a comment', version: 1 },
      after: { value: "2", comment: null, version: 2 },
    });
    expect(await unitsOf("bulk-units-2")).toEqual(["04186"]);
  });
});

/** PostgreSQL: waits until `n` sessions of this database wait for a lock. */
async function waitForLockWaiters(n: number) {
  for (let i = 0; i < 400; i++) {
    const waiting = await count(sql`SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (waiting >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never saw ${n} sessions waiting for a lock`);
}
