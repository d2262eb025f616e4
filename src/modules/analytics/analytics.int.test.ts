import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import { openTestDatabase } from "../../db/testing/test-db.ts";
import { DEMO_FORM } from "../reporting/demo.ts";
import { getEntry, saveValue } from "../reporting/entry.ts";
import {
  type AnalyticsEngine,
  createReferenceEngine,
  type DuckReplica,
  openDuckReplica,
  type PivotQuery,
  type PivotResult,
} from "./index.ts";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const db = () => database.db;
let reference: AnalyticsEngine;
let duck: DuckReplica;
let folder: string;
const today = { today: "2026-01-15" };

beforeAll(async () => {
  database = await openTestDatabase();
  reference = createReferenceEngine(db());
  duck = await openDuckReplica({ db: db(), path: ":memory:", syncIntervalMs: 0 });
  folder = await mkdtemp(join(tmpdir(), "gr-analytics-"));
  for (const rule of ["sum", "average", "last", "min", "max", "none"])
    await db().execute(sql`INSERT INTO data_elements (code, name_vi, name_en, value_type, aggregation)
      VALUES (${`Z_${rule.toUpperCase()}`}, ${rule}, ${rule}, 'number', ${rule}::aggregation_rule)`);
  await db().execute(sql`INSERT INTO indicators (code, name_vi, name_en, numerator, denominator, factor, decimals,
      higher_is_better) VALUES ('Z_RATIO', 'tỷ lệ', 'ratio', '#{Z_SUM}', '#{Z_MAX}', 100, 1, true)`);
});
afterAll(async () => {
  await duck?.close();
  await database?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Both engines, same answer (within floating-point noise); returns the reference's. */
async function both(q: PivotQuery): Promise<PivotResult> {
  const a = await reference.pivot(q, today);
  const b = await duck.pivot(q, today);
  expectSame(a, b);
  return a;
}

function expectSame(a: PivotResult, b: PivotResult) {
  expect(b.metadata).toEqual(a.metadata);
  expect(b.rows.map(({ value, numerator, denominator, ...k }) => k)).toEqual(
    a.rows.map(({ value, numerator, denominator, ...k }) => k),
  );
  a.rows.forEach((row, i) => {
    const other = b.rows[i];
    for (const field of ["value", "numerator", "denominator"] as const) {
      const x = row[field];
      const y = other?.[field];
      if (x === null || x === undefined) expect(y ?? null).toBe(x ?? null);
      else expect(Math.abs(x - (y as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x)));
    }
  });
}

const cell = (r: PivotResult, data: string, period: string, unit: string) =>
  r.rows.find((x) => x.data === data && x.period === period && x.unit === unit);

async function sumOf(element: string, period: string, codes: string[], before: string) {
  const [row] = rowsOf<{ s: string }>(
    await db().execute(sql`SELECT sum(v.numeric_value)::text AS s FROM data_values v
      JOIN data_elements e ON e.id = v.element_id JOIN unit_versions u ON u.id = v.unit_version_id
      WHERE e.code = ${element} AND v.period = ${period} AND u.code IN (${sql.join(codes, sql`, `)})
        AND u.valid_to <= ${before}::date`),
  );
  return Number(row?.s);
}

describe("Kỳ Sơn 2014", () => {
  it("shows old communes' values under today's Xã Hữu Kiệm (Bảo Nam + Hữu Lập + Hữu Kiệm)", async () => {
    const r = await both({
      data: ["HH_TOTAL", "HH_POOR", "POVERTY_RATE", "INCOME_PER_CAPITA"],
      periods: ["2014"],
      units: [{ code: "16849", mode: "self" }],
      includeNumeratorDenominator: true,
    });
    const expected = await sumOf("HH_TOTAL", "2014", ["16840", "16849", "16861"], "2025-07-01");
    expect(expected).toBeGreaterThan(0);
    expect(cell(r, "HH_TOTAL", "2014", "16849")?.value).toBe(expected);
    const poor = await sumOf("HH_POOR", "2014", ["16840", "16849", "16861"], "2025-07-01");
    const rate = cell(r, "POVERTY_RATE", "2014", "16849");
    expect(rate?.numerator).toBe(poor);
    expect(rate?.denominator).toBe(expected);
    expect(rate?.value).toBe(Math.round((poor / expected) * 1000) / 10);
    const income = await sumOf("INCOME_TOTAL", "2014", ["16840", "16849", "16861"], "2025-07-01");
    const people = await sumOf("POPULATION", "2014", ["16840", "16849", "16861"], "2025-07-01");
    expect(cell(r, "INCOME_PER_CAPITA", "2014", "16849")?.value).toBe(
      Math.round((income / people) * 10) / 10,
    );
    expect(r.metadata.names["16849"]).toBe("Xã Hữu Kiệm");
  });

  it("gives huyện Kỳ Sơn the article's income of 13.8 M VND a head: total income / population", async () => {
    const r = await both({
      data: ["INCOME_PER_CAPITA"],
      periods: ["2014"],
      units: [{ code: "417", mode: "self" }],
      hierarchyDate: "2014-12-31",
    });
    expect(cell(r, "INCOME_PER_CAPITA", "2014", "417")?.value).toBe(13.8);
  });

  it("shows the 2014 tree: huyện Kỳ Sơn with its 21 communes and the article's 52.79% poverty", async () => {
    const r = await both({
      data: ["HH_TOTAL", "POVERTY_RATE"],
      periods: ["2014"],
      units: [
        { code: "40", mode: "level:district" },
        { code: "417", mode: "children" },
      ],
      hierarchyDate: "2014-12-31",
    });
    expect(cell(r, "HH_TOTAL", "2014", "417")?.value).toBe(15_000);
    expect(cell(r, "POVERTY_RATE", "2014", "417")?.value).toBe(52.8);
    expect(r.metadata.units.filter((u) => u.parentCode === "417")).toHaveLength(21);
    expect(r.rows.filter((x) => x.data === "HH_TOTAL" && x.unit !== "417")).toHaveLength(21);
  });
});

describe("coverage", () => {
  it("says Sơn La's 2025 poverty rate comes from 9 of its 75 communes, and marks it partial", async () => {
    const r = await both({
      data: ["POVERTY_RATE"],
      periods: ["2025"],
      units: [{ code: "14", mode: "self" }],
    });
    expect(cell(r, "POVERTY_RATE", "2025", "14")).toMatchObject({
      coverage: { reporting: 9, expected: 75 },
      partial: true,
    });
    expect([r.metadata.coverage.expected["14"], r.metadata.coverage.thresholds.POVERTY_RATE]).toEqual([
      75, 0.8,
    ]);
  });

  it("gives a reporting commune its own figure as whole: 1 / 1, not partial", async () => {
    const r = await both({
      data: ["POVERTY_RATE"],
      periods: ["2025"],
      units: [{ code: "04168", mode: "self" }],
    });
    const c = cell(r, "POVERTY_RATE", "2025", "04168");
    expect([c?.coverage, c?.partial]).toEqual([{ reporting: 1, expected: 1 }, undefined]);
  });

  it("counts a district whose every commune reported as whole (Kỳ Sơn 2014: 21 / 21)", async () => {
    const r = await both({
      data: ["HH_TOTAL"],
      periods: ["2014"],
      units: [{ code: "417", mode: "self" }],
      hierarchyDate: "2014-12-31",
    });
    const c = cell(r, "HH_TOTAL", "2014", "417");
    expect([c?.coverage, c?.partial]).toEqual([{ reporting: 21, expected: 21 }, undefined]);
  });
});

/** A small province of our own: writes units, edges and values straight into the tables. */
let run = 0;
interface Scenario {
  /** Districts under the province (valid throughout); a version's `parent` is the index of its district. */
  districts?: number;
  versions: Array<{ gen: 0 | 1 | 2; parent?: number }>;
  edges: Array<{ from: number; to: number; kind: "full" | "partial"; share: number | null }>;
  values: Array<{ rule: string; version: number; period: string; value: number }>;
}
const gens = [
  [null, "2020-01-01"],
  ["2020-01-01", "2025-07-01"],
  ["2025-07-01", null],
] as const;

async function build(
  database: DbOrTx,
  s: Scenario,
): Promise<{ root: string; codes: string[]; ids: number[] }> {
  run += 1;
  const root = `Z${run}`;
  await database.execute(sql`INSERT INTO unit_versions (code, name, search_text, level, kind)
    VALUES (${root}, ${`Tỉnh ${root}`}, ${root.toLowerCase()}, 'province', 'province')`);
  const [event] = rowsOf<{ id: number }>(
    await database.execute(
      sql`INSERT INTO unit_events (kind, effective_date) VALUES ('merge', '2025-07-01') RETURNING id`,
    ),
  );
  const ids: number[] = [];
  const codes: string[] = [];
  for (let d = 0; d < (s.districts ?? 0); d++)
    await database.execute(sql`INSERT INTO unit_versions (code, name, search_text, level, kind, parent_code)
      VALUES (${`${root}_D${d}`}, ${`Huyện ${root}_D${d}`}, ${`${root}_d${d}`.toLowerCase()}, 'district',
        'rural_district', ${root})`);
  for (const [i, v] of s.versions.entries()) {
    const code = `${root}_${i}`;
    const [from, to] = gens[v.gen];
    const parent = v.parent === undefined ? root : `${root}_D${v.parent}`;
    const [row] = rowsOf<{ id: number }>(
      await database.execute(sql`INSERT INTO unit_versions (code, name, search_text, level, kind, parent_code,
        valid_from, valid_to) VALUES (${code}, ${`Xã ${code}`}, ${code.toLowerCase()}, 'commune', 'commune',
        ${parent}, ${from}, ${to}) RETURNING id`),
    );
    ids.push(Number(row?.id));
    codes.push(code);
  }
  for (const e of s.edges)
    await database.execute(sql`INSERT INTO lineage_edges (predecessor_id, successor_id, kind, share, event_id)
      VALUES (${ids[e.from]}, ${ids[e.to]}, ${e.kind}::lineage_kind, ${e.share}, ${event?.id})`);
  for (const v of s.values)
    await database.execute(sql`INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value,
        updated_by) SELECT id, ${ids[v.version]}, ${v.period}, ${String(v.value)}, ${v.value}, 'test'
      FROM data_elements WHERE code = ${`Z_${v.rule.toUpperCase()}`}
      ON CONFLICT (element_id, unit_version_id, period) DO NOTHING`);
  return { root, codes, ids };
}

const zData = ["Z_SUM", "Z_AVERAGE", "Z_LAST", "Z_MIN", "Z_MAX", "Z_NONE", "Z_RATIO"];

describe("rules", () => {
  // 0 A (gen1) → 2 N full; 1 B (gen1) → N and M (3) half each; 4 C (gen1) → N and M partial without shares.
  const scenario: Scenario = {
    versions: [{ gen: 1 }, { gen: 1 }, { gen: 2 }, { gen: 2 }, { gen: 1 }],
    edges: [
      { from: 0, to: 2, kind: "full", share: null },
      { from: 1, to: 2, kind: "partial", share: 0.5 },
      { from: 1, to: 3, kind: "partial", share: 0.5 },
      { from: 4, to: 2, kind: "partial", share: null },
      { from: 4, to: 3, kind: "partial", share: null },
    ],
    values: [
      { rule: "sum", version: 0, period: "2024", value: 10 },
      { rule: "sum", version: 1, period: "2024", value: 20 },
      { rule: "average", version: 0, period: "2024", value: 10 },
      { rule: "average", version: 1, period: "2024", value: 20 },
      { rule: "last", version: 0, period: "202401", value: 5 },
      { rule: "last", version: 0, period: "202403", value: 7 },
      { rule: "last", version: 1, period: "202402", value: 4 },
      { rule: "min", version: 0, period: "2024Q1", value: 3 },
      { rule: "min", version: 1, period: "2024Q2", value: 8 },
      { rule: "max", version: 0, period: "202411", value: 3 },
      { rule: "max", version: 1, period: "2024", value: 8 },
      { rule: "none", version: 2, period: "2025", value: 42 },
      { rule: "none", version: 0, period: "2024", value: 1 },
      { rule: "sum", version: 4, period: "2025", value: 100 },
      { rule: "sum", version: 2, period: "202508", value: 1 },
    ],
  };
  let r: PivotResult;
  let codes: string[];
  let root: string;
  beforeAll(async () => {
    ({ codes, root } = await build(db(), scenario));
    r = await both({
      data: zData,
      periods: ["2024", "2025"],
      units: [
        { code: root, mode: "self" },
        { code: root, mode: "children" },
      ],
      includeNumeratorDenominator: true,
    });
  });
  const v = (data: string, period: string, unit: string) => cell(r, data, period, unit)?.value;
  const N = () => codes[2] as string;
  const M = () => codes[3] as string;

  it("sum moves full edges whole and partial edges by their share", () => {
    expect(v("Z_SUM", "2024", N())).toBe(20);
    expect(v("Z_SUM", "2024", M())).toBe(10);
    expect(v("Z_SUM", "2024", root)).toBe(30);
  });
  it("average is the mean of reporting units' values weighted by the part of each in the cell", () => {
    expect(v("Z_AVERAGE", "2024", N())).toBeCloseTo(40 / 3, 9);
    expect(v("Z_AVERAGE", "2024", M())).toBe(20);
    expect(v("Z_AVERAGE", "2024", root)).toBe(15);
  });
  it("last takes each unit's latest period inside the requested one, then sums units", () => {
    expect(v("Z_LAST", "2024", N())).toBe(7);
    expect(v("Z_LAST", "2024", M())).toBe(2);
    expect(v("Z_LAST", "2024", root)).toBe(9);
  });
  it("min and max over the values inside, months and quarters included", () => {
    expect(v("Z_MIN", "2024", N())).toBe(3);
    expect(v("Z_MIN", "2024", M())).toBe(8);
    expect(v("Z_MAX", "2024", root)).toBe(8);
  });
  it("none is shown only for the unit and period that reported it", () => {
    expect(v("Z_NONE", "2025", N())).toBe(42);
    expect(cell(r, "Z_NONE", "2025", root)).toBeUndefined();
    expect(cell(r, "Z_NONE", "2024", N())).toBeUndefined();
  });
  it("an indicator is recomputed from the aggregated numerator and denominator", () => {
    const c = cell(r, "Z_RATIO", "2024", root);
    expect(c?.numerator).toBe(30);
    expect(c?.denominator).toBe(8);
    expect(c?.value).toBe(375);
  });
  it("a partial edge without a share marks the successor's cell incomplete and names the unit, never guesses", () => {
    const c = cell(r, "Z_SUM", "2025", N());
    expect(c?.incomplete).toBe(true);
    expect(c?.value).toBe(1);
    expect(cell(r, "Z_SUM", "2025", M())?.incomplete).toBe(true);
    expect(r.metadata.incompleteUnits.map((u) => u.code)).toEqual([codes[4]]);
  });
  it("a value split without shares is counted whole at the unit that holds all of its successors", () => {
    const c = cell(r, "Z_SUM", "2025", root);
    expect(c?.incomplete).toBeUndefined();
    expect(c?.value).toBe(101);
  });
  it("in an older hierarchy the old units show their own values", async () => {
    const old = await both({
      data: ["Z_SUM"],
      periods: ["2024"],
      units: [{ code: root, mode: "level:commune" }],
      hierarchyDate: "2024-06-30",
    });
    expect(cell(old, "Z_SUM", "2024", codes[0] as string)?.value).toBe(10);
    expect(cell(old, "Z_SUM", "2024", codes[1] as string)?.value).toBe(20);
    expect(old.rows).toHaveLength(2);
  });
});

describe("a value split without shares is certain where all its successors are", () => {
  // 0 X (gen1) → 2 N and 3 N2 (both in district 0) without shares; 1 Y (gen1) → 2 N and 4 M (district 1) likewise.
  const scenario: Scenario = {
    districts: 2,
    versions: [{ gen: 1 }, { gen: 1 }, { gen: 2, parent: 0 }, { gen: 2, parent: 0 }, { gen: 2, parent: 1 }],
    edges: [
      { from: 0, to: 2, kind: "partial", share: null },
      { from: 0, to: 3, kind: "partial", share: null },
      { from: 1, to: 2, kind: "partial", share: null },
      { from: 1, to: 4, kind: "partial", share: null },
    ],
    values: [
      { rule: "sum", version: 0, period: "2024", value: 10 },
      { rule: "sum", version: 1, period: "2024", value: 20 },
    ],
  };
  let r: PivotResult;
  let root: string;
  beforeAll(async () => {
    ({ root } = await build(db(), scenario));
    r = await both({
      data: ["Z_SUM"],
      periods: ["2024"],
      units: [
        { code: root, mode: "self" },
        { code: root, mode: "level:district" },
        { code: root, mode: "level:commune" },
      ],
    });
  });

  it("counts it whole in the district that holds every successor, and incomplete in the other", () => {
    expect(cell(r, "Z_SUM", "2024", `${root}_D0`)).toMatchObject({ value: 10, incomplete: true });
    expect(cell(r, "Z_SUM", "2024", `${root}_D1`)).toMatchObject({ value: null, incomplete: true });
  });
  it("counts both whole in the province, as certain", () => {
    const c = cell(r, "Z_SUM", "2024", root);
    expect([c?.value, c?.incomplete]).toEqual([30, undefined]);
  });
  it("keeps the communes that hold only part of a split incomplete", () => {
    expect(cell(r, "Z_SUM", "2024", `${root}_3`)).toMatchObject({ value: null, incomplete: true });
  });
  it("counts a commune a split value reached as having data", () => {
    expect(cell(r, "Z_SUM", "2024", root)?.coverage).toEqual({ reporting: 3, expected: 3 });
  });
});

describe("the DuckDB replica equals the reference SQL on random hierarchies", () => {
  const periods = ["2019", "201903", "2019Q2", "2024", "202406", "2024S2", "2025", "202508"];
  const scenarioArb = fc
    .record({
      sizes: fc.tuple(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
      ),
      parents: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 11, maxLength: 11 }),
      links: fc.array(
        fc.record({
          from: fc.nat(),
          to: fc.nat(),
          split: fc.constantFrom("full", "half", "quarter", "noshare", "remainder", "unknown"),
        }),
        { maxLength: 8 },
      ),
      values: fc.array(
        fc.record({
          rule: fc.constantFrom("sum", "average", "last", "min", "max", "none"),
          version: fc.nat(),
          period: fc.constantFrom(...periods),
          value: fc.integer({ min: -50, max: 1000 }),
        }),
        { maxLength: 30 },
      ),
    })
    .map(({ sizes, parents, links, values }): Scenario => {
      const versions: Scenario["versions"] = [];
      sizes.forEach((n, gen) => {
        for (let i = 0; i < n; i++) {
          // District 2 stands for "straight under the province".
          const parent = parents[versions.length] ?? 2;
          versions.push(parent < 2 ? { gen: gen as 0 | 1 | 2, parent } : { gen: gen as 0 | 1 | 2 });
        }
      });
      const byGen = (g: number) => versions.flatMap((v, i) => (v.gen === g ? [i] : []));
      const edges: Scenario["edges"] = [];
      const used = new Set<number>();
      for (const l of links) {
        const g = l.from % 2;
        const preds = byGen(g);
        const succs = byGen(g + 1);
        const from = preds[l.from % preds.length] as number;
        if (used.has(from)) continue;
        used.add(from);
        const a = succs[l.to % succs.length] as number;
        const b = succs[(l.to + 1) % succs.length] as number;
        if (l.split === "full" || a === b) edges.push({ from, to: a, kind: "full", share: null });
        else if (l.split === "half") {
          edges.push({ from, to: a, kind: "partial", share: 0.5 });
          edges.push({ from, to: b, kind: "partial", share: 0.5 });
        } else if (l.split === "quarter") edges.push({ from, to: a, kind: "partial", share: 0.25 });
        else if (l.split === "remainder") {
          edges.push({ from, to: a, kind: "partial", share: 0.25 });
          edges.push({ from, to: b, kind: "full", share: null });
        } else if (l.split === "noshare") {
          edges.push({ from, to: a, kind: "partial", share: null });
          edges.push({ from, to: b, kind: "partial", share: 0.5 });
        } else {
          edges.push({ from, to: a, kind: "partial", share: null });
          edges.push({ from, to: b, kind: "partial", share: null });
        }
      }
      return {
        districts: 2,
        versions,
        edges,
        values: values.map((v) => ({ ...v, version: v.version % versions.length })),
      };
    });

  it("for every rule, unit mode and hierarchy date, kept in step and rebuilt", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { root } = await build(db(), s);
        const query = (hierarchyDate: string): PivotQuery => ({
          data: zData,
          periods,
          units: [
            { code: root, mode: "self" },
            { code: root, mode: "level:district" },
            { code: root, mode: "level:commune" },
          ],
          hierarchyDate,
          includeNumeratorDenominator: true,
        });
        for (const hierarchyDate of ["2019-06-30", "2022-01-01", "2026-01-15"])
          await both(query(hierarchyDate));
        // Every third scenario, the replica is rebuilt from a copy of the values (the other path into DuckDB:
        // periods turned into months by DuckDB, not by the sync) and must still agree.
        if (run++ % 3 === 2) {
          await duck.rebuild();
          await both(query("2026-01-15"));
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});

describe("freshness and rebuild", () => {
  const query: PivotQuery = {
    data: ["HH_POOR"],
    periods: ["2025"],
    units: [{ code: "04222", mode: "self" }],
  };

  it("a value saved through the reporting operation shows in the next query", async () => {
    const before = cell(await duck.pivot(query, today), "HH_POOR", "2025", "04222")?.value;
    const entry = await getEntry(db(), testCtx, DEMO_FORM, "04222", "2025");
    const version = entry.values.find((v) => v.element === "HH_POOR")?.version ?? 0;
    await saveValue(db(), testCtx, {
      form: DEMO_FORM,
      unit: "04222",
      period: "2025",
      element: "HH_POOR",
      value: "777",
      expectedVersion: version,
    });
    const after = await duck.pivot(query, today);
    expect(before).not.toBe(777);
    expect(cell(after, "HH_POOR", "2025", "04222")?.value).toBe(777);
    expectSame(await reference.pivot(query, today), after);
  });

  it("deletes and updates flow through the change sequence", async () => {
    await db().execute(sql`UPDATE data_values SET numeric_value = 778, value = '778'
      WHERE period = '2025' AND element_id = (SELECT id FROM data_elements WHERE code = 'HH_POOR')
        AND unit_version_id = (SELECT id FROM unit_versions WHERE code = '04222' AND valid_to IS NULL)`);
    expect(await duck.sync()).toBeGreaterThan(0);
    expect(cell(await duck.pivot(query, today), "HH_POOR", "2025", "04222")?.value).toBe(778);
    await db().execute(sql`DELETE FROM data_values
      WHERE period = '2025' AND element_id = (SELECT id FROM data_elements WHERE code = 'HH_POOR')
        AND unit_version_id = (SELECT id FROM unit_versions WHERE code = '04222' AND valid_to IS NULL)`);
    expect(cell(await duck.pivot(query, today), "HH_POOR", "2025", "04222")).toBeUndefined();
  });

  it("rebuilds a replica file that was deleted or corrupted, and keeps one that is fine", async () => {
    const path = join(folder, "analytics.duckdb");
    const q: PivotQuery = { data: ["HH_TOTAL"], periods: ["2014"], units: [{ code: "40", mode: "self" }] };
    const expected = await reference.pivot(q, today);
    const progress: number[] = [];
    let replica = await openDuckReplica({
      db: db(),
      path,
      syncIntervalMs: 0,
      onRebuildProgress: (done) => progress.push(done),
    });
    expect(progress.length).toBeGreaterThan(0);
    expectSame(expected, await replica.pivot(q, today));
    await replica.close();

    progress.length = 0;
    replica = await openDuckReplica({
      db: db(),
      path,
      syncIntervalMs: 0,
      onRebuildProgress: (d) => progress.push(d),
    });
    expect(progress).toEqual([]);
    expectSame(expected, await replica.pivot(q, today));
    await replica.close();

    await rm(path, { force: true });
    replica = await openDuckReplica({
      db: db(),
      path,
      syncIntervalMs: 0,
      onRebuildProgress: (d) => progress.push(d),
    });
    expect(progress.length).toBeGreaterThan(0);
    expectSame(expected, await replica.pivot(q, today));
    await replica.close();

    await writeFile(path, "this is not a DuckDB file, but it has been there a while".repeat(100));
    await rm(`${path}.wal`, { force: true });
    progress.length = 0;
    replica = await openDuckReplica({
      db: db(),
      path,
      syncIntervalMs: 0,
      onRebuildProgress: (d) => progress.push(d),
    });
    expect(progress.length).toBeGreaterThan(0);
    expectSame(expected, await replica.pivot(q, today));
    await replica.rebuild();
    expectSame(expected, await replica.pivot(q, today));
    await replica.close();
  });
});

describe("plan inputs cached by the dimensions counter", () => {
  const q: PivotQuery = {
    data: ["Z_SUM", "Z_RATIO"],
    periods: ["2025"],
    units: [{ code: "40", mode: "self" }],
  };

  it("sees a catalogue change made behind its back (plain SQL, as another server would) in the next query", async () => {
    for (const engine of [reference, duck]) await engine.pivot(q, today);
    await db().execute(sql`UPDATE data_elements SET name_vi = 'tổng đã đổi tên' WHERE code = 'Z_SUM'`);
    await db().execute(sql`UPDATE indicators SET decimals = 3 WHERE code = 'Z_RATIO'`);
    for (const engine of [reference, duck]) {
      const { metadata } = await engine.pivot(q, today);
      expect(metadata.names.Z_SUM).toBe("tổng đã đổi tên");
      expect(metadata.data.find((d) => d.code === "Z_RATIO")?.decimals).toBe(3);
    }
    await db().execute(sql`UPDATE data_elements SET name_vi = 'sum' WHERE code = 'Z_SUM'`);
    await db().execute(sql`UPDATE indicators SET decimals = 1 WHERE code = 'Z_RATIO'`);
  });

  it("sees a unit renamed behind its back in the next query", async () => {
    const before = await duck.pivot(q, today);
    const name = before.metadata.names["40"] as string;
    await db().execute(
      sql`UPDATE unit_versions SET name = 'Tỉnh Thử Đổi Tên' WHERE code = '40' AND valid_to IS NULL`,
    );
    try {
      for (const engine of [reference, duck])
        expect((await engine.pivot(q, today)).metadata.names["40"]).toBe("Tỉnh Thử Đổi Tên");
    } finally {
      await db().execute(sql`UPDATE unit_versions SET name = ${name} WHERE code = '40' AND valid_to IS NULL`);
    }
  });
});

describe("bad input", () => {
  it("lists every unknown data, period and unit code", async () => {
    await expect(
      reference.pivot({
        data: ["NOPE", "HH_TOTAL"],
        periods: ["2025Q5", "LAST_13_MONTHS"],
        units: [{ code: "99999", mode: "self" }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      details: {
        problems: [
          { field: "dx", code: "NOPE" },
          { field: "pe", code: "2025Q5" },
          { field: "pe", code: "LAST_13_MONTHS" },
          { field: "ou", code: "99999" },
        ],
      },
    });
  });
  it("refuses too large a query with 413 and the limit", async () => {
    await expect(
      duck.pivot({
        data: ["HH_TOTAL", "HH_POOR"],
        periods: ["LAST_12_MONTHS", "LAST_5_YEARS"],
        units: [{ mode: "level:commune" }],
      }),
    ).rejects.toMatchObject({ status: 413, details: { limit: 50_000 } });
  });
  it("resolves relative periods against today", async () => {
    const r = await reference.pivot(
      {
        data: ["HH_TOTAL"],
        periods: ["LAST_5_YEARS", "THIS_QUARTER"],
        units: [{ code: "14", mode: "self" }],
      },
      today,
    );
    expect(r.metadata.periods.map((p) => p.code)).toEqual(["2021", "2022", "2023", "2024", "2025", "2026Q1"]);
  });
});
