import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { referenceDataFolder } from "../../src/paths.ts";
import { forEachValue, makePlan, type ReferenceCommunes, readReferenceCommunes, sizes } from "./generator.ts";

let reference: ReferenceCommunes;
beforeAll(async () => {
  reference = await readReferenceCommunes(referenceDataFolder);
});

function digest(plan: ReturnType<typeof makePlan>) {
  const hash = createHash("sha256");
  const keys = new Set<string>();
  let duplicates = 0;
  const n = forEachValue(plan, (e, u, m, v) => {
    const key = `${e}/${u}/${m}`;
    if (keys.has(key)) duplicates++;
    keys.add(key);
    hash.update(`${key}=${v}\n`);
  });
  return { n, duplicates, hash: hash.digest("hex") };
}

describe("synthetic analytics dataset", () => {
  it("reads the real 2025 communes and their lineage", () => {
    expect(reference.provinces).toHaveLength(34);
    expect(reference.newCommunes.size).toBe(3321);
    expect(reference.oldCommunes.size).toBe(10047);
  });

  it("claims the full size in closed form: ≥ 10 M values", () => {
    const plan = makePlan(reference, sizes.full);
    expect(plan.counts).toMatchObject({ newCommunes: 3321, oldCommunes: 10047, monthsOld: 54, monthsNew: 6 });
    expect(plan.counts.values).toBe((10047 * 54 + 3321 * 6) * 18);
    expect(plan.counts.values).toBeGreaterThanOrEqual(10_000_000);
    expect(plan.elements).toHaveLength(300);
    const rules = new Set(plan.elements.map((e) => e.rule));
    expect([...rules].sort()).toEqual(["average", "last", "max", "min", "sum"]);
  });

  it("emits exactly the values it claims at the tiny size, each key once, on old and new communes", () => {
    const plan = makePlan(reference, sizes.tiny);
    const { n, duplicates } = digest(plan);
    expect(n).toBe(plan.counts.values);
    expect(duplicates).toBe(0);
    expect(plan.counts.oldCommunes).toBeGreaterThan(0);
    expect(plan.counts.newCommunes).toBeGreaterThan(0);
    expect(plan.counts.monthsOld).toBe(6);
    expect(plan.counts.monthsNew).toBe(6);
    expect(plan.counts.values).toBe(
      (plan.counts.oldCommunes * 6 + plan.counts.newCommunes * 6) * (sizes.tiny.core + sizes.tiny.extras),
    );
  });

  it("is deterministic: the same seed gives the same values, another seed others", () => {
    const a = digest(makePlan(reference, sizes.tiny, 7));
    const b = digest(makePlan(reference, sizes.tiny, 7));
    const c = digest(makePlan(reference, sizes.tiny, 8));
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it("indicators reference elements of the catalogue, the first 20 only core elements", () => {
    const plan = makePlan(reference, sizes.small);
    const core = new Set(plan.elements.filter((e) => e.core).map((e) => e.code));
    const all = new Set(plan.elements.map((e) => e.code));
    const refs = (text: string) => [...text.matchAll(/#\{([A-Z0-9_]+)\}/g)].map((m) => m[1] as string);
    plan.indicators.forEach((ind, k) => {
      const codes = [...refs(ind.numerator), ...refs(ind.denominator)];
      expect(codes.every((c) => all.has(c))).toBe(true);
      if (k < 20) expect(codes.every((c) => core.has(c))).toBe(true);
      expect(refs(ind.numerator)).not.toContain(refs(ind.denominator)[0]);
    });
  });
});
