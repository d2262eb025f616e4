import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { DEMO_FORM } from "./demo.ts";
import { getEntry, saveValue } from "./entry.ts";
import { parseCsvValues } from "./files.ts";
import { createForm } from "./form-designer.ts";
import { importDataValues, recoverInterruptedImports } from "./import-values.ts";
import { type Transition, transitionReport } from "./workflow.ts";

/**
 * The promise of approval under concurrency (issue 8), on both databases. On PostgreSQL the interleavings are forced:
 * a transaction of the test holds a row lock, the operations under test are started and seen waiting in
 * pg_stat_activity, then the lock is let go. PGlite has one connection and runs one transaction at a time, so there
 * the operations are raced (their awaits interleave) and the outcome is checked against the same rule.
 */
const onPostgres = (process.env.GR_TEST_DB ?? "pglite") === "postgres";
const OTHER_FORM = "HAI_BIEU";
const END = "2025-12-31";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;

beforeAll(async () => {
  database = await openTestDatabase();
  // A second form carrying two elements of the demo form, reported by the same communes.
  await createForm(db(), testCtx, {
    code: OTHER_FORM,
    nameVi: "Biểu thứ hai",
    nameEn: "Second form",
    periodType: "yearly",
    sections: [{ nameVi: "Chung", nameEn: "Shared", elements: ["VILLAGES", "LONGAN_HA", "FRUIT_HA"] }],
    units: ["04210", "04195"],
  });
});
afterAll(async () => {
  await database.drop();
});

const entry = (unit: string, form = DEMO_FORM) => getEntry(db(), testCtx, form, unit, "2025");
const current = async (unit: string, element: string) =>
  (await entry(unit)).values.find((v) => v.element === element);
const save = async (unit: string, element: string, value: unknown, form = DEMO_FORM, expected?: number) =>
  saveValue(db(), testCtx, {
    form,
    unit,
    period: "2025",
    element,
    value: value as string,
    expectedVersion: expected ?? (await current(unit, element))?.version ?? 0,
  });
const move = async (unit: string, action: Transition, form = DEMO_FORM) =>
  transitionReport(db(), testCtx, {
    form,
    unit,
    period: "2025",
    action,
    expectedVersion: (await entry(unit, form)).report.version,
    ...(action === "unlock" || action === "return" ? { reason: "Kiểm tra lại" } : {}),
  });
const importValues = (
  unit: string,
  values: Record<string, unknown>,
  chunkSize?: number,
  onProgress?: () => Promise<void>,
) =>
  importDataValues(
    db(),
    testCtx,
    Object.entries(values).map(([element, value], i) => ({
      row: i + 2,
      element,
      unit,
      period: "2025",
      value,
    })),
    { ...(chunkSize ? { chunkSize } : {}), ...(onProgress ? { onProgress } : {}) },
  );
const versionId = async (unit: string) => (await unitVersionsOn(db(), [unit], END))[0]?.id ?? 0;
const blocking = async (unit: string, form = DEMO_FORM) =>
  (await entry(unit, form)).violations.filter((v) => v.importance === "high").map((v) => v.code);
/** The audit event ids of an action on records whose id ends with `suffix`. */
const auditIds = async (action: string, suffix: string) =>
  rowsOf<{ id: string }>(
    await db().execute(
      sql`SELECT id FROM audit_events WHERE action = ${action} AND record_id LIKE ${`%${suffix}`} ORDER BY id`,
    ),
  ).map((r) => Number(r.id));

/** PostgreSQL: runs `query` in a transaction of its own and keeps it open (its locks held) until released. */
async function hold(query: SQL) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let acquired = () => {};
  const ready = new Promise<void>((resolve) => {
    acquired = resolve;
  });
  const done = db().transaction(async (tx) => {
    await tx.execute(query);
    acquired();
    await released;
  });
  await ready;
  return async () => {
    release();
    await done;
  };
}

/** PostgreSQL: waits until `n` sessions of this database wait for a lock. */
async function waiters(n: number) {
  for (let i = 0; i < 400; i++) {
    const [row] = rowsOf<{ n: string }>(
      await db().execute(sql`SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`),
    );
    if (Number(row?.n) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never saw ${n} sessions waiting for a lock`);
}

const reportRowLock = async (unit: string, form = DEMO_FORM) =>
  sql`SELECT 1 FROM reports r JOIN forms f ON f.id = r.form_id
    WHERE f.code = ${form} AND r.unit_version_id = ${await versionId(unit)} AND r.period = '2025' FOR UPDATE OF r`;

describe("an approval and an import serialise on the report", () => {
  it("refuses to import into an approved report, naming the row, and changes nothing", async () => {
    const before = await current("04168", "VILLAGES");
    await move("04168", "submit");
    await move("04168", "approve");
    await expect(importValues("04168", { VILLAGES: 200_000 })).rejects.toMatchObject({
      status: 400,
      code: "import_invalid",
      details: { errors: [{ row: 2, field: "value", message: expect.stringContaining("approved") }] },
    });
    expect(await current("04168", "VILLAGES")).toEqual(before);
  });

  it.runIf(onPostgres)(
    "an import that started before an approval and checks after it refuses the approved values",
    async () => {
      const before = await current("04171", "VILLAGES");
      await move("04171", "submit");
      const letGo = await hold(await reportRowLock("04171"));
      const approval = move("04171", "approve");
      await waiters(1);
      const attempt = importValues("04171", { VILLAGES: 200_000 });
      await waiters(2);
      await letGo();
      const [approved, imported] = await Promise.allSettled([approval, attempt]);
      expect([
        approved.status,
        imported.status === "rejected" ? imported.reason.details.errors[0].message : "imported",
        (await current("04171", "VILLAGES"))?.value,
      ]).toEqual(["fulfilled", expect.stringContaining("approved"), before?.value]);
    },
  );

  it("refuses to submit a report while an import is writing its values, and takes it afterwards", async () => {
    let during: unknown = null;
    const result = await importValues("04222", { VILLAGES: 60, FRUIT_HA: 99_999 }, 1, async () => {
      during ??= await move("04222", "submit").catch((err: unknown) => err);
    });
    expect([
      result.written,
      (during as { code?: string }).code,
      (await move("04222", "submit")).status,
    ]).toEqual([2, "import_in_progress", "submitted"]);
  });

  it("never leaves an approved report whose values an import changed after it was submitted", async () => {
    for (const value of [301, 302, 303]) {
      await Promise.allSettled([
        importValues("04219", { VILLAGES: value }),
        (async () => {
          await move("04219", "submit");
          await move("04219", "approve");
        })(),
      ]);
      const [submitted] = (await auditIds("report.submit", "/04219/2025")).slice(-1);
      const [imported] = (await auditIds("data.import", "/04219/2025")).slice(-1);
      expect((await entry("04219")).report.status !== "approved" || (imported ?? 0) < (submitted ?? 0)).toBe(
        true,
      );
      if ((await entry("04219")).report.status === "approved") await move("04219", "unlock");
    }
  });
});

describe("submission checks the blocking rules on the values under lock", () => {
  it.runIf(onPostgres)(
    "a save that waits for a submission in flight is refused; the rules hold",
    async () => {
      await save("04204", "VILLAGES", 40);
      const letGo = await hold(await reportRowLock("04204"));
      const submission = move("04204", "submit");
      await waiters(1);
      const breaking = save("04204", "LONGAN_HA", 99_999);
      await waiters(2);
      await letGo();
      const [submitted, saved] = await Promise.allSettled([submission, breaking]);
      expect([
        submitted.status,
        saved.status === "rejected" ? saved.reason.code : "saved",
        await blocking("04204"),
      ]).toEqual(["fulfilled", "report_submitted", []]);
    },
  );

  it.runIf(onPostgres)(
    "a submission that waits for a save in flight sees the saved value and refuses",
    async () => {
      const letGo = await hold(
        sql`SELECT 1 FROM data_values d JOIN data_elements e ON e.id = d.element_id
        WHERE e.code = 'LONGAN_HA' AND d.unit_version_id = ${await versionId("04183")} AND d.period = '2025'
        FOR UPDATE OF d`,
      );
      const breaking = save("04183", "LONGAN_HA", 99_999);
      await waiters(1);
      const submission = move("04183", "submit");
      await waiters(2);
      await letGo();
      const [saved, submitted] = await Promise.allSettled([breaking, submission]);
      expect([
        saved.status,
        submitted.status === "rejected" ? submitted.reason.code : "submitted",
        (await entry("04183")).report.status,
      ]).toEqual(["fulfilled", "validation_failed", "draft"]);
    },
  );

  it("never leaves a submitted report that breaks a blocking rule when a save races the submission", async () => {
    for (let round = 0; round < 4; round++) {
      await Promise.allSettled([save("04186", "LONGAN_HA", 99_999), move("04186", "submit")]);
      const { report } = await entry("04186");
      expect(report.status !== "submitted" || (await blocking("04186")).length === 0).toBe(true);
      if (report.status === "submitted") await move("04186", "withdraw");
      await save("04186", "LONGAN_HA", 100);
    }
  });
});

describe("a value is locked whichever form asks", () => {
  it("refuses a save and an import through one form of a value another form's approved report holds", async () => {
    const before = await current("04210", "VILLAGES");
    await move("04210", "submit", OTHER_FORM);
    await move("04210", "approve", OTHER_FORM);
    const saved = save("04210", "VILLAGES", 99).catch((err: { status: number; code: string }) => [
      err.status,
      err.code,
    ]);
    const imported = importValues("04210", { VILLAGES: 99 }).catch(
      (err: { details: { errors: Array<{ message: string }> } }) => err.details.errors[0]?.message,
    );
    expect([await saved, await imported, (await current("04210", "VILLAGES"))?.value]).toEqual([
      [409, "value_locked"],
      expect.stringContaining(`form ${OTHER_FORM}) is approved`),
      before?.value,
    ]);
  });

  it("shows the entry screen which of its values another form's approved report locks", async () => {
    const { lockedElements } = await entry("04210");
    expect(lockedElements.map((l) => [l.element, l.form?.code, l.status]).sort()).toEqual([
      ["FRUIT_HA", OTHER_FORM, "approved"],
      ["LONGAN_HA", OTHER_FORM, "approved"],
      ["VILLAGES", OTHER_FORM, "approved"],
    ]);
  });

  it.runIf(onPostgres)(
    "a save through one form that waits for another form's submission is refused",
    async () => {
      await save("04195", "FRUIT_HA", 5_000, OTHER_FORM);
      const letGo = await hold(await reportRowLock("04195", OTHER_FORM));
      const submission = move("04195", "submit", OTHER_FORM);
      await waiters(1);
      const saving = save("04195", "FRUIT_HA", 1);
      await waiters(2);
      await letGo();
      const [submitted, saved] = await Promise.allSettled([submission, saving]);
      expect([submitted.status, saved.status === "rejected" ? saved.reason.code : "saved"]).toEqual([
        "fulfilled",
        "value_locked",
      ]);
    },
  );

  it("never changes a value through one form after another form's report covering it was submitted", async () => {
    await move("04210", "unlock", OTHER_FORM);
    for (const value of [11, 12, 13]) {
      const [saved] = await Promise.allSettled([
        save("04210", "VILLAGES", value),
        move("04210", "submit", OTHER_FORM),
      ]);
      const [submitted] = (await auditIds("report.submit", `${OTHER_FORM}/04210/2025`)).slice(-1);
      const [written] = (await auditIds("data.save", "VILLAGES/04210/2025")).slice(-1);
      expect(saved.status === "rejected" ? saved.reason.code : (written ?? 0) < (submitted ?? 0)).toSatisfy(
        (v: unknown) => v === "value_locked" || v === true,
      );
      await move("04210", "withdraw", OTHER_FORM).catch(() => undefined);
    }
  });
});

describe("versions never go back", () => {
  it("answers 409 to a writer who saw a value that was cleared and typed again since", async () => {
    const seen = await current("04183", "PARTY_CELLS");
    await save("04183", "PARTY_CELLS", null);
    const retyped = await save("04183", "PARTY_CELLS", 27, DEMO_FORM, 0);
    const stale = save("04183", "PARTY_CELLS", 99, DEMO_FORM, seen?.version ?? 0);
    await expect(stale).rejects.toMatchObject({ status: 409, code: "value_conflict" });
    expect((retyped.value?.version ?? 0) > (seen?.version ?? 0)).toBe(true);
  });

  it("continues the version of a cleared value when an import brings it back", async () => {
    const seen = await current("04183", "FRUIT_HA");
    await save("04183", "FRUIT_HA", null);
    await importValues("04183", { FRUIT_HA: 123 });
    expect(((await current("04183", "FRUIT_HA"))?.version ?? 0) > (seen?.version ?? 0)).toBe(true);
  });
});

describe("imports, all or nothing", () => {
  it("undoes the values an import wrote when it stops half-way, and releases the report", async () => {
    const before = await current("04186", "VILLAGES");
    const attempt = importValues("04186", { VILLAGES: 777, HH_TOTAL: 1 }, 1, async () => {
      throw new Error("the server stopped");
    });
    await expect(attempt).rejects.toThrow("the server stopped");
    const after = await current("04186", "VILLAGES");
    expect([
      after?.value,
      (after?.version ?? 0) > (before?.version ?? 0),
      (await auditIds("data.import.undo", "VILLAGES/04186/2025")).length,
    ]).toEqual([before?.value, true, 1]);
  });

  it("undoes an import whose process stopped half-way when the database is opened again", async () => {
    const before = await current("04186", "PARTY_CELLS");
    // The import stops for good after its first chunk (as if its process died): its claim stays, its rows stay.
    await new Promise<void>((reached) => {
      void importValues("04186", { PARTY_CELLS: 1, HH_POOR: 2 }, 1, () => {
        reached();
        return new Promise<void>(() => {});
      });
    });
    const undone = await recoverInterruptedImports(db(), { staleAfterSeconds: 0 });
    const after = await current("04186", "PARTY_CELLS");
    expect([undone, after?.value, (await entry("04186")).lockedElements]).toEqual([1, before?.value, []]);
  });

  it("names a cell holding a NUL character as a bad row, in both languages", async () => {
    const csv = "unit,unit_name,period,VILLAGES\n04186,Xã,2025,12\n04\u000095,Xã,2025,13\n";
    await expect(importDataValues(db(), testCtx, parseCsvValues(csv))).rejects.toMatchObject({
      status: 400,
      details: {
        errors: [
          {
            row: 3,
            column: "A (unit)",
            message: expect.stringContaining("control character"),
            messageVi: expect.stringContaining("ký tự điều khiển"),
          },
        ],
      },
    });
  });
});
