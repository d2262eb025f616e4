import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client.ts";
import { systemAdmin, testApp } from "../../db/testing/app.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { referenceDataFolder } from "../../paths.ts";
import { importReferenceUnits } from "./import-reference.ts";
import { countUnitsAt, getUnitHistory, listUnits } from "./queries.ts";
import { recordUnitChange, type UnitChangeInput } from "./record-change.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function count(table: string): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await db().execute(sql.raw(`SELECT count(*) AS n FROM ${table}`)),
  );
  return Number(row?.n);
}

async function auditCount(): Promise<number> {
  return count("audit_events");
}

/** A village-level change under Xã Sông Mã (04168), whose demo villages are 04168-01 … 04168-06. */
function villageChange(change: Partial<UnitChangeInput> & Pick<UnitChangeInput, "kind">): UnitChangeInput {
  return { effectiveDate: "2026-01-01", document: "12/NQ-HĐND", ...change };
}
const village = (code: string, name: string) => ({
  code,
  name,
  level: "village" as const,
  parentCode: "04168",
});

describe("reference import of the 2025 reorganisation", () => {
  it("reproduces the dataset's counts before and after 1 July 2025", async () => {
    expect(await countUnitsAt(db(), "2025-06-30")).toMatchObject({
      province: 63,
      district: 696,
      commune: 10047,
    });
    expect(await countUnitsAt(db(), "2025-07-01")).toMatchObject({
      province: 34,
      district: 0,
      commune: 3321,
    });
  });

  it("records 10,667 lineage edges, 1,012 of them partial, and 460 old communes split", async () => {
    const [row] = rowsOf<{ edges: string; partial: string; split: string }>(
      await db().execute(sql`
        SELECT (SELECT count(*) FROM lineage_edges e JOIN unit_events ev ON ev.id = e.event_id
                 WHERE ev.source_key LIKE 'vn-admin-2025:%') AS edges,
               (SELECT count(*) FROM lineage_edges e JOIN unit_events ev ON ev.id = e.event_id
                 WHERE ev.source_key LIKE 'vn-admin-2025:%' AND e.kind = 'partial') AS partial,
               (SELECT count(*) FROM (SELECT e.predecessor_id FROM lineage_edges e
                 JOIN unit_versions v ON v.id = e.predecessor_id AND v.level = 'commune'
                 GROUP BY e.predecessor_id HAVING count(*) > 1) s) AS split`),
    );
    expect({ edges: Number(row?.edges), partial: Number(row?.partial), split: Number(row?.split) }).toEqual({
      edges: 10667,
      partial: 1012,
      split: 460,
    });
  });

  it("changes nothing when run a second time", async () => {
    const before = [await count("unit_versions"), await count("unit_events"), await count("lineage_edges")];
    const summary = await importReferenceUnits(db(), testCtx, referenceDataFolder);
    expect(summary.written).toEqual({ versions: 0, events: 0, edges: 0 });
    expect([await count("unit_versions"), await count("unit_events"), await count("lineage_edges")]).toEqual(
      before,
    );
  }, 120_000);

  it("applies the corrected names of a second import to the existing versions, audited, and says what it corrected", async () => {
    // A database that took the files before the correction: the source's swapped names of 912 and its communes.
    const folder = await mkdtemp(join(tmpdir(), "gr-old-names-"));
    await cp(referenceDataFolder, folder, { recursive: true });
    const old = (await readFile(join(folder, "old_units.csv"), "utf8"))
      .replace("district,912,Huyện Kiên Hải,", "district,912,Xã Hòn Tre,")
      .replace(/commune,(3110[8]|3111[145]),Xã [^,]+,912/g, "commune,$1,Huyện Kiên Hải,912");
    await writeFile(join(folder, "old_units.csv"), old);
    await importReferenceUnits(db(), testCtx, folder);
    await rm(folder, { recursive: true, force: true });
    const wrong = await getUnitHistory(db(), "31108", "2025-06-30");

    const summary = await importReferenceUnits(db(), testCtx, referenceDataFolder);
    const right = await getUnitHistory(db(), "31108", "2025-06-30");
    const audited = rowsOf<{ n: number | string }>(
      await db().execute(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'units.name_correct'
        AND unit_code IN ('912', '31108', '31111', '31114', '31115')`),
    )[0];
    expect([wrong.selected.name, right.selected.name, right.selected.kind]).toEqual([
      "Huyện Kiên Hải",
      "Xã Hòn Tre",
      "commune",
    ]);
    expect(summary.corrected.map((c) => [c.code, c.after.name]).sort()).toEqual([
      ["31108", "Xã Hòn Tre"],
      ["31111", "Xã Lại Sơn"],
      ["31114", "Xã An Sơn"],
      ["31115", "Xã Nam Du"],
      ["912", "Huyện Kiên Hải"],
    ]);
    expect([summary.written, Number(audited?.n)]).toEqual([{ versions: 0, events: 0, edges: 0 }, 10]);
  }, 240_000);

  it("records a name correction as a correction, not as a change of the map", async () => {
    const history = await getUnitHistory(db(), "912");
    expect(history.versions.map((v) => [v.name, v.validTo])).toEqual([["Huyện Kiên Hải", "2025-07-01"]]);
  });

  it("refuses a file with a bad row, naming file, line and column, and writes nothing", async () => {
    const folder = await mkdtemp(join(tmpdir(), "gr-bad-import-"));
    await cp(referenceDataFolder, folder, { recursive: true });
    const lines = (await readFile(join(folder, "lineage.csv"), "utf8")).split("\n");
    lines[41] = lines[41]?.replace(/,(full|partial),/, ",most,") ?? "";
    await writeFile(join(folder, "lineage.csv"), lines.join("\n"));
    const before = await count("unit_versions");
    const failure = importReferenceUnits(db(), testCtx, folder);
    await expect(failure).rejects.toMatchObject({
      status: 400,
      code: "import_invalid",
      details: { errors: [{ file: "lineage.csv", line: 42, column: "kind" }] },
    });
    expect(await count("unit_versions")).toBe(before);
    await rm(folder, { recursive: true, force: true });
  });

  it("keeps both units that carried code 04168, one after the other", async () => {
    const history = await getUnitHistory(db(), "04168");
    expect(history.versions.map((v) => [v.name, v.validFrom, v.validTo])).toEqual([
      ["Thị trấn Sông Mã", null, "2025-07-01"],
      ["Xã Sông Mã", "2025-07-01", null],
    ]);
  });

  it("says Xã Sông Mã was formed from Thị trấn Sông Mã and Xã Nà Nghịu under resolution 1681", async () => {
    const { selected } = await getUnitHistory(db(), "04168");
    expect(selected.predecessors.map((p) => [p.unit.name, p.kind, p.event.document])).toEqual([
      ["Thị trấn Sông Mã", "full", "1681/NQ-UBTVQH15"],
      ["Xã Nà Nghịu", "full", "1681/NQ-UBTVQH15"],
    ]);
  });

  it("shows where an old unit went, and its district as it was", async () => {
    const { selected } = await getUnitHistory(db(), "04198", "2025-06-30");
    expect(selected.ancestors.map((a) => a.name)).toEqual(["Huyện Sông Mã", "Tỉnh Sơn La"]);
    expect(selected.successors.map((s) => `${s.unit.name} (${s.unit.code})`)).toEqual(["Xã Sông Mã (04168)"]);
  });

  it("forms Mường Xén from Mường Xén township, Tà Cạ and Tây Sơn", async () => {
    const { selected } = await getUnitHistory(db(), "16813");
    expect(selected.predecessors.map((p) => p.unit.name).sort()).toEqual(
      ["Thị trấn Mường Xén", "Xã Tà Cạ", "Xã Tây Sơn"].sort(),
    );
  });
});

describe("search and trees", () => {
  it.each(["chieng khuong", "Chiềng Khương", "CHIÊNG KHUONG", "04222"])(
    "finds Xã Chiềng Khương by %s",
    async (q) => {
      const result = await listUnits(db(), { q, at: "2026-01-01", limit: 10, offset: 0 });
      expect(result.items[0]).toMatchObject({
        code: "04222",
        name: "Xã Chiềng Khương",
        ancestors: [{ name: "Tỉnh Sơn La" }],
      });
    },
  );

  it("finds the old unit of a code too when no date is given, current first", async () => {
    const result = await listUnits(db(), { q: "04168", limit: 10, offset: 0 });
    expect(result.items.slice(0, 2).map((i) => i.name)).toEqual(["Xã Sông Mã", "Thị trấn Sông Mã"]);
  });

  it("lists Sơn La's 75 communes today", async () => {
    const result = await listUnits(db(), { parent: "14", at: "2026-01-01", limit: 500, offset: 0 });
    expect(result.total).toBe(75);
  });

  it("lists the old three-level tree as of 30 June 2025", async () => {
    const provinces = await listUnits(db(), { at: "2025-06-30", limit: 100, offset: 0 });
    const districts = await listUnits(db(), { parent: "14", at: "2025-06-30", limit: 100, offset: 0 });
    const songMa = await listUnits(db(), { parent: "126", at: "2025-06-30", limit: 100, offset: 0 });
    expect([provinces.total, districts.items.map((d) => d.name)]).toEqual([
      63,
      expect.arrayContaining(["Huyện Sông Mã"]),
    ]);
    expect(songMa.items.map((c) => c.name)).toContain("Xã Nà Nghịu");
  });

  it("counts each province's communes in the tree", async () => {
    const provinces = await listUnits(db(), { at: "2026-01-01", limit: 100, offset: 0 });
    expect(provinces.items.find((p) => p.code === "14")).toMatchObject({
      name: "Tỉnh Sơn La",
      childCount: 75,
    });
  });
});

describe("recording changes to the map", () => {
  it("merges two villages in one transaction: closes them, opens the new one, links both", async () => {
    await recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "merge",
        close: ["04168-01", "04168-02"],
        open: [village("04168-21", "Bản Hợp Nhất")],
        edges: [
          { from: "04168-01", to: "04168-21", kind: "full" },
          { from: "04168-02", to: "04168-21", kind: "full" },
        ],
      }),
    );
    const merged = await getUnitHistory(db(), "04168-21");
    const old = await getUnitHistory(db(), "04168-01", "2025-12-31");
    expect([merged.selected.predecessors.map((p) => p.unit.code), old.selected.validTo]).toEqual([
      ["04168-01", "04168-02"],
      "2026-01-01",
    ]);
  });

  it("writes exactly one audit event per change, with the state before and after", async () => {
    const before = await auditCount();
    const { eventId } = await recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "rename",
        close: ["04168-03"],
        open: [village("04168-03", "Bản Púng")],
        edges: [{ from: "04168-03", to: "04168-03", kind: "full" }],
        reason: "Đổi tên theo nguyện vọng của nhân dân",
      }),
    );
    const events = rowsOf<{
      action: string;
      record_id: string;
      before: unknown;
      after: unknown;
      reason: string;
    }>(
      await db().execute(
        sql`SELECT action, record_id, before, after, reason FROM audit_events ORDER BY id DESC LIMIT 1`,
      ),
    );
    expect(await auditCount()).toBe(before + 1);
    expect(events[0]).toMatchObject({
      action: "units.rename",
      record_id: String(eventId),
      before: { versions: [{ code: "04168-03", name: "Bản 3", valid_to: null }] },
      after: {
        opened: [{ code: "04168-03", name: "Bản Púng" }],
        closed: [{ code: "04168-03", validTo: "2026-01-01" }],
      },
      reason: "Đổi tên theo nguyện vọng của nhân dân",
    });
  });

  it("refuses two versions of one code at the same time", async () => {
    const change = recordUnitChange(
      db(),
      testCtx,
      villageChange({ kind: "establish", open: [village("04168-04", "Bản Mới")] }),
    );
    await expect(change).rejects.toMatchObject({ status: 422, code: "overlapping_interval" });
  });

  it("refuses a successor that starts while its predecessor is still valid", async () => {
    const change = recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "split",
        open: [village("04168-22", "Bản Tách")],
        edges: [{ from: "04168-05", to: "04168-22", kind: "partial", share: 0.3 }],
      }),
    );
    await expect(change).rejects.toMatchObject({ status: 422, code: "successor_before_predecessor_ends" });
  });

  it("refuses shares of one predecessor that add up to more than the whole", async () => {
    const change = recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "split",
        close: ["04168-05"],
        open: [village("04168-23", "Bản Trên"), village("04168-24", "Bản Dưới")],
        edges: [
          { from: "04168-05", to: "04168-23", kind: "partial", share: 0.6 },
          { from: "04168-05", to: "04168-24", kind: "partial", share: 0.5 },
        ],
      }),
    );
    await expect(change).rejects.toMatchObject({ status: 422, code: "shares_exceed_whole" });
  });

  it("writes nothing when a change is refused", async () => {
    const before = [await count("unit_versions"), await count("lineage_edges"), await auditCount()];
    const change = recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "split",
        close: ["04168-06"],
        open: [village("04168-25", "Bản A"), village("04168-26", "Bản B")],
        edges: [
          { from: "04168-06", to: "04168-25", kind: "partial", share: 0.7 },
          { from: "04168-06", to: "04168-26", kind: "partial", share: 0.7 },
        ],
      }),
    );
    await expect(change).rejects.toMatchObject({ status: 422 });
    expect([await count("unit_versions"), await count("lineage_edges"), await auditCount()]).toEqual(before);
    expect((await getUnitHistory(db(), "04168-06")).selected.validTo).toBeNull();
  });

  it("refuses to close a commune that still has villages, unless its code carries on", async () => {
    const change = recordUnitChange(db(), testCtx, {
      kind: "abolish",
      effectiveDate: "2026-01-01",
      document: "X",
      close: ["04168"],
    });
    await expect(change).rejects.toMatchObject({ status: 422, code: "children_orphaned" });
  });

  it("refuses a parent that is not of a higher level on the effective date", async () => {
    const change = recordUnitChange(
      db(),
      testCtx,
      villageChange({
        kind: "establish",
        open: [{ code: "04222-31", name: "Bản X", level: "village", parentCode: "126" }],
      }),
    );
    await expect(change).rejects.toMatchObject({ status: 422, code: "parent_not_valid" });
  });

  it("lets only one of two concurrent changes close the same village", async () => {
    const merge = (code: string) =>
      recordUnitChange(
        db(),
        testCtx,
        villageChange({
          kind: "merge",
          effectiveDate: "2026-02-01",
          close: ["04168-06"],
          open: [village(code, `Bản ${code}`)],
          edges: [{ from: "04168-06", to: code, kind: "full" }],
        }),
      );
    const results = await Promise.allSettled([merge("04168-27"), merge("04168-28")]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const history = await getUnitHistory(db(), "04168-06", "2026-01-15");
    expect(history.selected.successors).toHaveLength(1);
  });

  it("keeps history consistent whatever sequence of changes is tried", async () => {
    let run = 0;
    const op = fc.record({
      kind: fc.constantFrom("merge", "split", "rename"),
      pick: fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }),
      day: fc.integer({ min: 1, max: 400 }),
      shares: fc.array(fc.double({ min: 0.05, max: 0.9, noNaN: true }), { minLength: 2, maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        run += 1;
        const prefix = `P${run}`;
        await recordUnitChange(db(), testCtx, {
          kind: "establish",
          effectiveDate: "2026-01-01",
          document: "test",
          open: Array.from({ length: 6 }, (_, i) => ({
            code: `${prefix}-${i}`,
            name: `Bản ${i}`,
            level: "village" as const,
            parentCode: "04219",
          })),
        });
        let next = 100;
        for (const o of ops) {
          const date = new Date(Date.UTC(2026, 0, 1 + o.day)).toISOString().slice(0, 10);
          const codes = [...new Set(o.pick.map((p) => `${prefix}-${p}`))];
          const fresh = () => `${prefix}-${next++}`;
          const a = fresh();
          const b = fresh();
          const change: UnitChangeInput =
            o.kind === "merge"
              ? {
                  kind: "merge",
                  effectiveDate: date,
                  document: "t",
                  close: codes,
                  open: [{ code: a, name: "Bản Gộp", level: "village", parentCode: "04219" }],
                  edges: codes.map((c) => ({ from: c, to: a, kind: "full" as const })),
                }
              : o.kind === "split"
                ? {
                    kind: "split",
                    effectiveDate: date,
                    document: "t",
                    close: codes.slice(0, 1),
                    open: [a, b].map((code) => ({
                      code,
                      name: "Bản Tách",
                      level: "village" as const,
                      parentCode: "04219",
                    })),
                    edges: [a, b].map((to, i) => ({
                      from: codes[0] ?? "",
                      to,
                      kind: "partial" as const,
                      share: o.shares[i] ?? 0.5,
                    })),
                  }
                : {
                    kind: "rename",
                    effectiveDate: date,
                    document: "t",
                    close: codes.slice(0, 1),
                    open: [
                      { code: codes[0] ?? "", name: "Bản Đổi Tên", level: "village", parentCode: "04219" },
                    ],
                    edges: [{ from: codes[0] ?? "", to: codes[0] ?? "", kind: "full" as const }],
                  };
          await recordUnitChange(db(), testCtx, change).catch((err: { status?: number }) => {
            if (err.status !== 422) throw err;
          });
        }
        const like = `${prefix}-%`;
        const broken = rowsOf(
          await db().execute(sql`
            SELECT 'overlap' AS problem FROM unit_versions a JOIN unit_versions b ON a.code = b.code AND a.id < b.id
              AND daterange(a.valid_from, a.valid_to) && daterange(b.valid_from, b.valid_to) WHERE a.code LIKE ${like}
            UNION ALL
            SELECT 'gap' FROM lineage_edges e JOIN unit_versions p ON p.id = e.predecessor_id
              JOIN unit_versions s ON s.id = e.successor_id WHERE p.code LIKE ${like} AND p.valid_to IS DISTINCT FROM s.valid_from
            UNION ALL
            SELECT 'shares' FROM lineage_edges e JOIN unit_versions p ON p.id = e.predecessor_id WHERE p.code LIKE ${like}
              GROUP BY e.predecessor_id HAVING sum(e.share) > 1`),
        );
        expect(broken).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });
});

describe("append-only audit trail", () => {
  it("refuses to update or delete an audit event, even in SQL", async () => {
    await expect(db().execute(sql`UPDATE audit_events SET action = 'x'`)).rejects.toThrow();
    await expect(db().execute(sql`DELETE FROM audit_events`)).rejects.toThrow();
  });
});

/** The JSON body of a response under test. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it.
const json = (res: Response): Promise<any> => res.json();

describe("HTTP API", () => {
  const get = (path: string) => testApp(db()).request(path);

  it("searches units ignoring diacritics", async () => {
    const res = await get("/api/v1/units?q=chieng%20khuong&at=2026-01-01");
    expect(res.status).toBe(200);
    expect((await json(res)).items[0]).toMatchObject({ code: "04222", name: "Xã Chiềng Khương" });
  });

  it("answers a unit's history with the version valid on the date asked", async () => {
    const res = await get("/api/v1/units/04168?at=2025-06-30");
    const body = await json(res);
    expect([res.status, body.selected.name, body.versions.length]).toEqual([200, "Thị trấn Sông Mã", 2]);
  });

  it("answers 404 naming an unknown code", async () => {
    const res = await get("/api/v1/units/99999");
    expect([res.status, await json(res)]).toEqual([
      404,
      {
        error: {
          code: "unit_not_found",
          message: "Không có đơn vị nào mã 99999.",
          messages: { vi: "Không có đơn vị nào mã 99999.", en: "No unit has code 99999." },
          details: { code: "99999" },
        },
      },
    ]);
  });

  it("answers 400 naming a malformed date", async () => {
    const res = await get("/api/v1/units?at=2025-13-45");
    const body = await json(res);
    expect([res.status, body.error.code, body.error.details.fields[0].field]).toEqual([
      400,
      "invalid_input",
      "at",
    ]);
  });

  it("answers 400 naming a malformed level", async () => {
    const res = await get("/api/v1/units?level=hamlet");
    const body = await json(res);
    expect([res.status, body.error.details.fields[0].field]).toEqual([400, "level"]);
  });

  it("refuses a change from someone not signed in", async () => {
    const res = await testApp(db()).request("/api/v1/unit-changes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(villageChange({ kind: "establish", open: [village("04168-40", "Bản Mới")] })),
    });
    expect(res.status).toBe(401);
  });

  it("records a change for a system administrator and answers 201", async () => {
    const res = await testApp(db(), { actor: systemAdmin }).request("/api/v1/unit-changes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(villageChange({ kind: "establish", open: [village("04168-41", "Bản Mới")] })),
    });
    expect([res.status, (await json(res)).opened]).toEqual([201, [{ code: "04168-41", name: "Bản Mới" }]]);
  });

  it("answers 422 naming the rule an inconsistent change breaks", async () => {
    const res = await testApp(db(), { actor: systemAdmin }).request("/api/v1/unit-changes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(villageChange({ kind: "establish", open: [village("04168-04", "Bản Trùng")] })),
    });
    const body = await json(res);
    expect([res.status, body.error.code, body.error.details.rule]).toEqual([
      422,
      "overlapping_interval",
      "overlapping_interval",
    ]);
  });

  it("answers 400 naming the field of a malformed change", async () => {
    const res = await testApp(db(), { actor: systemAdmin }).request("/api/v1/unit-changes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "merge", effectiveDate: "1/7/2025", document: "X" }),
    });
    const body = await json(res);
    expect([res.status, body.error.details.fields.map((f: { field: string }) => f.field)]).toEqual([
      400,
      ["effectiveDate"],
    ]);
  });

  it("serves health and the OpenAPI document", async () => {
    const [health, doc] = await Promise.all([get("/health"), get("/api/v1/openapi.json")]);
    const paths = Object.keys((await json(doc)).paths);
    expect([health.status, paths]).toEqual([
      200,
      expect.arrayContaining(["/api/v1/units", "/api/v1/units/{code}"]),
    ]);
  });
});
