import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

/**
 * A deterministic synthetic dataset for the analytics benchmark, on the real 2025 units.
 *
 * Shape. Units are the communes of the reference dataset (data/vn-admin-2025): the 3,321 communes of today and the
 * 10,047 communes that existed until 30 June 2025. Values are monthly over `years`. A value belongs to the unit
 * version valid on the period's last day, exactly as data entry files it: months before July 2025 belong to an old
 * commune (so every figure in today's tree needs the lineage roll-up), months from July 2025 to a new one.
 *
 * Counts. Every commune reports every month of its era: the `core` elements (which carry the indicators of the
 * standard views) and `extras` further elements drawn for that commune once, from the rest of the catalogue. So a
 * commune-month holds exactly core + extras values and the total is known in closed form:
 *
 *   values = (old communes × months before 2025-07 + new communes × months from 2025-07) × (core + extras)
 *
 * Full size: 10,047 × 54 + 3,321 × 6 = 562,464 commune-months × 18 = 10,124,352 values.
 *
 * Determinism. Each commune draws from its own generator seeded by (seed, era, code), so a commune's values do not
 * depend on which other communes or provinces a size includes: the small size is a slice of the full one.
 */

export type SizeName = "full" | "small" | "tiny";
export type Rule = "sum" | "average" | "last" | "min" | "max";
export type Era = "old" | "new";

export interface SizeSpec {
  name: SizeName;
  /** New (2025) province codes included; "all" for the 34. */
  provinces: string[] | "all";
  /** First and last year, monthly values for each month in between. */
  years: [number, number];
  /** Catalogue size. */
  elements: number;
  /** Elements every commune reports every month (the indicators of the standard views are built on these). */
  core: number;
  /** Further elements each commune reports every month, drawn once per commune from the non-core ones. */
  extras: number;
  indicators: number;
  /** The province of the standard "province × 12 months × 20 indicators by commune" view. */
  viewProvince: string;
}

export const sizes: Record<SizeName, SizeSpec> = {
  full: {
    name: "full",
    provinces: "all",
    years: [2021, 2025],
    elements: 300,
    core: 10,
    extras: 8,
    indicators: 30,
    viewProvince: "40",
  },
  small: {
    name: "small",
    provinces: ["11", "12", "46"],
    years: [2021, 2025],
    elements: 300,
    core: 10,
    extras: 8,
    indicators: 30,
    viewProvince: "46",
  },
  tiny: {
    name: "tiny",
    provinces: ["12"],
    years: [2025, 2025],
    elements: 24,
    core: 10,
    extras: 3,
    indicators: 20,
    viewProvince: "12",
  },
};

/** The day the two-level government took effect: values of later months belong to the new communes. */
export const REORGANISATION_MONTH = "202507";

export interface ReferenceCommunes {
  /** Today's communes: code → province code. */
  newCommunes: Map<string, string>;
  /** Communes until 30 June 2025: code → codes of their successors (lineage.csv). */
  oldCommunes: Map<string, string[]>;
  provinces: string[];
}

/** Reads the communes and their lineage from the reference dataset (the same files the units importer loads). */
export async function readReferenceCommunes(folder: string): Promise<ReferenceCommunes> {
  const read = async (file: string) =>
    parse(await readFile(join(folder, file), "utf8"), {
      bom: true,
      columns: true,
      skip_empty_lines: true,
    }) as Array<Record<string, string>>;
  const [newRows, oldRows, edges] = await Promise.all([
    read("new_units.csv"),
    read("old_units.csv"),
    read("lineage.csv"),
  ]);
  const newCommunes = new Map<string, string>();
  const provinces: string[] = [];
  for (const r of newRows) {
    if (r.level === "commune") newCommunes.set(r.code ?? "", r.parent_code ?? "");
    if (r.level === "province") provinces.push(r.code ?? "");
  }
  const oldCommunes = new Map<string, string[]>();
  for (const r of oldRows) if (r.level === "commune") oldCommunes.set(r.code ?? "", []);
  for (const e of edges) if (e.level === "commune") oldCommunes.get(e.old_code ?? "")?.push(e.new_code ?? "");
  return { newCommunes, oldCommunes, provinces: provinces.sort() };
}

export interface ElementSpec {
  code: string;
  nameVi: string;
  nameEn: string;
  rule: Rule;
  valueType: "integer" | "number";
  core: boolean;
  /** Typical magnitude per 1,000 inhabitants (sums) or the typical level (other rules). */
  scale: number;
}

export interface IndicatorSpec {
  code: string;
  nameVi: string;
  nameEn: string;
  numerator: string;
  denominator: string;
  factor: number;
}

export interface SyntheticUnit {
  code: string;
  era: Era;
  /** The 2025 province the unit rolls into (for an old commune, that of its first successor). */
  province: string;
}

export interface Plan {
  size: SizeSpec;
  seed: number;
  provinces: string[];
  units: SyntheticUnit[];
  months: string[];
  elements: ElementSpec[];
  indicators: IndicatorSpec[];
  counts: {
    newCommunes: number;
    oldCommunes: number;
    monthsOld: number;
    monthsNew: number;
    communeMonths: number;
    valuesPerCommuneMonth: number;
    values: number;
  };
}

const coreRules: Rule[] = ["sum", "sum", "sum", "sum", "sum", "sum", "sum", "average", "last", "max"];

function ruleOf(i: number): Rule {
  const core = coreRules[i];
  if (core) return core;
  const r = i % 20;
  if (r < 15) return "sum";
  if (r < 17) return "average";
  if (r < 18) return "last";
  return r === 18 ? "min" : "max";
}

export function elementCode(i: number): string {
  return `SYN_E${String(i + 1).padStart(3, "0")}`;
}

function catalogue(spec: SizeSpec): { elements: ElementSpec[]; indicators: IndicatorSpec[] } {
  const elements: ElementSpec[] = [];
  for (let i = 0; i < spec.elements; i++) {
    const rule = ruleOf(i);
    const n = String(i + 1).padStart(3, "0");
    elements.push({
      code: elementCode(i),
      nameVi: `Chỉ tiêu tổng hợp ${n} (${rule})`,
      nameEn: `Synthetic element ${n} (${rule})`,
      rule,
      valueType: rule === "sum" ? "integer" : "number",
      core: i < spec.core,
      // Deterministic spread of magnitudes: 0.5 … ~200 per 1,000 inhabitants, or a level of 1 … 100.
      scale: rule === "sum" ? 0.5 + ((i * 37) % 400) / 2 : 1 + ((i * 53) % 100),
    });
  }
  const sums = elements.filter((e) => e.rule === "sum");
  const coreSums = sums.filter((e) => e.core);
  const otherSums = sums.filter((e) => !e.core);
  const indicators: IndicatorSpec[] = [];
  for (let k = 0; k < spec.indicators; k++) {
    // The first 20 indicators stand on core elements, so every commune has their numerators and denominators.
    const pool = k < 20 || otherSums.length < 2 ? coreSums : otherSums;
    const a = pool[k % pool.length] as ElementSpec;
    const b = pool[(k + 1 + Math.floor(k / pool.length)) % pool.length] as ElementSpec;
    const c = pool[(k + 3) % pool.length] as ElementSpec;
    const numerator = k % 3 === 2 && c !== a && c !== b ? `#{${a.code}} + #{${c.code}}` : `#{${a.code}}`;
    const n = String(k + 1).padStart(2, "0");
    indicators.push({
      code: `SYN_I${n}`,
      nameVi: `Chỉ số tổng hợp ${n}`,
      nameEn: `Synthetic indicator ${n}`,
      numerator,
      denominator: `#{${b.code}}`,
      factor: k % 2 === 0 ? 100 : 1000,
    });
  }
  return { elements, indicators };
}

function monthsOf([first, last]: [number, number]): string[] {
  const months: string[] = [];
  for (let y = first; y <= last; y++)
    for (let m = 1; m <= 12; m++) months.push(`${y}${String(m).padStart(2, "0")}`);
  return months;
}

/** Which communes, months and catalogue a size holds, and how many values that makes (closed form, see above). */
export function makePlan(reference: ReferenceCommunes, spec: SizeSpec, seed = 2025): Plan {
  const provinces = spec.provinces === "all" ? reference.provinces : [...spec.provinces].sort();
  const included = new Set(provinces);
  const units: SyntheticUnit[] = [];
  for (const [code, successors] of [...reference.oldCommunes].sort(([a], [b]) => a.localeCompare(b))) {
    const inside = successors.filter((s) => included.has(reference.newCommunes.get(s) ?? ""));
    const first = inside[0];
    if (first) units.push({ code, era: "old", province: reference.newCommunes.get(first) ?? "" });
  }
  for (const [code, province] of [...reference.newCommunes].sort(([a], [b]) => a.localeCompare(b)))
    if (included.has(province)) units.push({ code, era: "new", province });
  const months = monthsOf(spec.years);
  const monthsNew = months.filter((m) => m >= REORGANISATION_MONTH).length;
  const monthsOld = months.length - monthsNew;
  const oldCommunes = units.filter((u) => u.era === "old").length;
  const newCommunes = units.length - oldCommunes;
  const communeMonths = oldCommunes * monthsOld + newCommunes * monthsNew;
  const valuesPerCommuneMonth = spec.core + spec.extras;
  return {
    size: spec,
    seed,
    provinces,
    units,
    months,
    ...catalogue(spec),
    counts: {
      newCommunes,
      oldCommunes,
      monthsOld,
      monthsNew,
      communeMonths,
      valuesPerCommuneMonth,
      values: communeMonths * valuesPerCommuneMonth,
    },
  };
}

/** mulberry32: a small, fast, well-mixed 32-bit generator; enough for synthetic data, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, mixed with the seed: the per-commune seed. */
function hashSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Calls `emit` once per value, in a fixed order (units as in `plan.units`, months ascending, elements ascending).
 * `element` indexes `plan.elements`, `unit` indexes `plan.units`, `month` indexes `plan.months`; `value` is the
 * canonical text (an integer for sums, one decimal otherwise). Returns the number of values emitted.
 */
export function forEachValue(
  plan: Plan,
  emit: (element: number, unit: number, month: number, value: string) => void,
): number {
  const { size, elements, months } = plan;
  const nonCore = elements.length - size.core;
  const firstNew = months.findIndex((m) => m >= REORGANISATION_MONTH);
  const split = firstNew === -1 ? months.length : firstNew;
  const chosen = new Int32Array(size.core + size.extras);
  const pool = new Int32Array(nonCore);
  let emitted = 0;
  for (let u = 0; u < plan.units.length; u++) {
    const unit = plan.units[u] as SyntheticUnit;
    const rng = mulberry32(hashSeed(plan.seed, `${unit.era}:${unit.code}`));
    // Population of the commune: 2,000 … ~40,000, skewed towards small communes.
    const thousands = 2 + 38 * rng() ** 2;
    for (let i = 0; i < size.core; i++) chosen[i] = i;
    for (let i = 0; i < nonCore; i++) pool[i] = size.core + i;
    for (let i = 0; i < size.extras && i < nonCore; i++) {
      const j = i + Math.floor(rng() * (nonCore - i));
      const t = pool[i] as number;
      pool[i] = pool[j] as number;
      pool[j] = t;
      chosen[size.core + i] = pool[i] as number;
    }
    const count = size.core + Math.min(size.extras, nonCore);
    const ordered = Array.from(chosen.subarray(0, count)).sort((a, b) => a - b);
    const [from, to] = unit.era === "old" ? [0, split] : [split, months.length];
    for (let m = from; m < to; m++) {
      const season = 1 + 0.15 * Math.sin(((m % 12) / 12) * 2 * Math.PI);
      const growth = 1 + 0.01 * Math.floor(m / 12);
      for (const e of ordered) {
        const element = elements[e] as ElementSpec;
        const noise = 0.8 + 0.4 * rng();
        const value =
          element.rule === "sum"
            ? String(Math.round(element.scale * thousands * season * growth * noise))
            : (element.scale * noise * growth).toFixed(1);
        emit(e, u, m, value);
        emitted++;
      }
    }
  }
  return emitted;
}
