/**
 * What both engines share: reading a pivot query into a plan (codes checked, relative periods resolved, row units
 * listed on the hierarchy date, size limited) and turning element cells into the result (indicators recomputed from
 * their numerator and denominator). The engines differ only in how they compute element cells (see `Core`).
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest } from "../../http/errors.ts";
import type { Actor } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { evaluateExpression, referencedElements } from "../reporting/expression.ts";
import { formatPeriod, type Period, parsePeriod, resolveRelativePeriod } from "../reporting/periods.ts";
import { todayInVietnam } from "../units/text.ts";
import type {
  IncompleteUnit,
  PivotLevel,
  PivotOptions,
  PivotQuery,
  PivotResult,
  PivotRow,
  PivotUnitMeta,
  UnitSpec,
} from "./index.ts";
import {
  communesUnder,
  dateView,
  type PlanElement,
  type PlanIndicator,
  type PlanInputs,
  planInputs,
  subtreeCodes,
  type UnitDim,
  validOn,
  versionOn,
} from "./inputs.ts";

/** The most cells (data × periods × units) one query may ask for. */
export const maxCells = 50_000;

export class AnalyticsError extends AppError {}

export type { AggregationRule, PlanElement, PlanIndicator } from "./inputs.ts";

/** A period as a range of month ordinals (year × 12 + month − 1), both ends included. */
export interface PlanPeriod {
  code: string;
  ms: number;
  me: number;
  period: Period;
}

export interface PlanUnit extends PivotUnitMeta {
  /** The version valid on the hierarchy date. */
  versionId: number;
}

export interface Plan {
  today: string;
  hierarchyDate: string;
  items: Array<{ kind: "element"; element: PlanElement } | { kind: "indicator"; indicator: PlanIndicator }>;
  /** Every element whose cells are needed: asked for, or read by an asked indicator. */
  elements: PlanElement[];
  periods: PlanPeriod[];
  units: PlanUnit[];
  /** Units before this index are the rows asked for; those after are communes computed for coverage only. */
  rowUnits?: number;
  includeNumeratorDenominator: boolean;
}

/** One element's aggregated value for one period (index into plan.periods) and one row unit (index into plan.units). */
export interface ElementCell {
  elementId: number;
  period: number;
  unit: number;
  value: number | null;
  incomplete: boolean;
}

export interface CoreResult {
  cells: ElementCell[];
  /** Versions whose values fell into incomplete cells (a share-less partial edge on their way). */
  incompleteSources: number[];
}

/** How an engine computes element cells from a plan. */
export type Core = (plan: Plan) => Promise<CoreResult>;

/** Month ordinals of a period: 2025Q3 → [2025×12+6, 2025×12+8]. */
export function monthRange(p: Period): [number, number] {
  const ms = Number(p.start.slice(0, 4)) * 12 + Number(p.start.slice(5, 7)) - 1;
  const me = Number(p.end.slice(0, 4)) * 12 + Number(p.end.slice(5, 7)) - 1;
  return [ms, me];
}

const isoDate = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const levels: readonly PivotLevel[] = ["province", "district", "commune", "village"];

/**
 * Data elements declare no number of decimals; their aggregated values (a share of a split commune's households, a
 * mean) are given to this many places in API answers. Computation inside keeps full precision.
 */
export const elementDecimals = 2;

/**
 * The result as it leaves the API: every value, numerator and denominator rounded to its item's decimals (so no
 * `526.4999999999999`). The engines keep and compare full precision; only answers are rounded.
 */
export function roundForOutput(result: PivotResult): PivotResult {
  const places = new Map(result.metadata.data.map((d) => [d.code, d.decimals]));
  const r = (x: number | null | undefined, d: number) => (x === null || x === undefined ? x : roundTo(x, d));
  return {
    ...result,
    rows: result.rows.map((row) => {
      const d = places.get(row.data) ?? elementDecimals;
      const out: PivotRow = { ...row, value: r(row.value, d) ?? null };
      if (row.numerator !== undefined) out.numerator = r(row.numerator, elementDecimals) ?? null;
      if (row.denominator !== undefined) out.denominator = r(row.denominator, elementDecimals) ?? null;
      return out;
    }),
  };
}

/** Half away from zero, at `decimals` places; what both engines use for indicators. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Resolves period codes (fixed or relative) on `today`; unknown ones are collected, not thrown. */
export function resolvePeriods(
  codes: readonly string[],
  today: string,
): { periods: Period[]; unknown: string[] } {
  const periods: Period[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const code of codes) {
    const fixed = parsePeriod(code);
    const list = fixed ? [fixed] : resolveRelativePeriod(code, today);
    if (!list) {
      unknown.push(code);
      continue;
    }
    for (const p of list) {
      if (seen.has(p.code)) continue;
      seen.add(p.code);
      periods.push(p);
    }
  }
  return { periods, unknown };
}

/** Parses `04222`, `04222:children`, `14:level:commune`, `level:province` into a unit spec; null when malformed. */
export function parseUnitSpec(text: string): UnitSpec | null {
  const match =
    /^(?:([0-9A-Za-z_.-]{1,32})(?::(self|children|level:(province|district|commune|village)))?|level:(province|district|commune|village))$/.exec(
      text.trim(),
    );
  if (!match) return null;
  if (match[4]) return { mode: `level:${match[4] as PivotLevel}` };
  const mode = (match[2] ?? "self") as UnitSpec["mode"];
  return { code: match[1] as string, mode };
}

/** Reads `ou` texts into unit specs; 400 `invalid_unit_spec` naming every one that is not a spec. */
export function parseUnitSpecs(texts: readonly string[], field: string): UnitSpec[] {
  const units: UnitSpec[] = [];
  const bad: string[] = [];
  for (const text of texts) {
    const spec = parseUnitSpec(text);
    if (spec) units.push(spec);
    else bad.push(text);
  }
  if (bad.length)
    throw badRequest(
      "invalid_unit_spec",
      {
        vi: `Không phải cách chọn đơn vị: ${bad.join(", ")} (viết MÃ, MÃ:children hoặc MÃ:level:commune).`,
        en: `Not a unit spec: ${bad.join(", ")} (write CODE, CODE:children or CODE:level:commune).`,
      },
      { problems: bad.map((code) => ({ field, code, message: "Not a unit spec." })) },
    );
  return units;
}

/**
 * Refuses (403) a unit spec whose unit lies outside the actor's scope. A code that names no unit at all is left to
 * planQuery, which answers 400 naming it: units are public, so saying a code is unknown reveals nothing.
 */
export async function assertUnitSpecsInScope(
  db: DbOrTx,
  actor: Actor,
  units: readonly UnitSpec[],
): Promise<void> {
  for (const spec of units) {
    if (spec.code !== undefined) {
      const [known] = rowsOf<{ found: number }>(
        await db.execute(sql`SELECT 1 AS found FROM unit_versions WHERE code = ${spec.code} LIMIT 1`),
      );
      if (!known) continue;
    }
    await assertUnitInScope(db, actor, spec.code ?? null);
  }
}

/**
 * Checks a query and reads everything the engines need. Unknown data, period or unit codes → 400 listing each;
 * more than `maxCells` cells → 413.
 */
export async function planQuery(db: DbOrTx, q: PivotQuery, opts: PivotOptions = {}): Promise<Plan> {
  return planFrom(await planInputs(db), q, opts);
}

/** planQuery on inputs already at hand (no database read). */
export function planFrom(inputs: PlanInputs, q: PivotQuery, opts: PivotOptions = {}): Plan {
  const today = opts.today ?? todayInVietnam();
  const hierarchyDate = q.hierarchyDate ?? today;
  if (!isoDate.test(today) || !parsePeriod(today.slice(0, 4)))
    throw badRequest(
      "invalid_date",
      { vi: `Hôm nay ${today} không phải là ngày.`, en: `today ${today} is not a date.` },
      { field: "today" },
    );
  if (!isoDate.test(hierarchyDate) || Number.isNaN(Date.parse(hierarchyDate)))
    throw badRequest(
      "invalid_date",
      {
        vi: `Ngày của cây đơn vị ${hierarchyDate} không phải ngày (YYYY-MM-DD).`,
        en: `Hierarchy date ${hierarchyDate} is not a date (YYYY-MM-DD).`,
      },
      {
        field: "hierarchyDate",
      },
    );
  const problems: Array<{ field: string; code: string; message: string }> = [];

  // Data items.
  const codes = [...new Set(q.data)];
  const elementsByCode = new Map<string, PlanElement>();
  const indicatorsByCode = new Map<string, PlanIndicator>();
  const referenced = new Set<string>();
  for (const code of codes) {
    const element = inputs.elements.get(code);
    if (element) elementsByCode.set(code, element);
    if (!inputs.indicators.has(code)) continue;
    const indicator = inputs.indicators.get(code);
    if (!indicator) {
      problems.push({ field: "data", code, message: `Indicator ${code} has a broken expression.` });
      continue;
    }
    for (const c of [
      ...referencedElements(indicator.numerator),
      ...referencedElements(indicator.denominator),
    ])
      referenced.add(c);
    indicatorsByCode.set(code, indicator);
  }
  for (const code of codes)
    if (!elementsByCode.has(code) && !inputs.indicators.has(code))
      problems.push({ field: "dx", code, message: `No data element or indicator has code ${code}.` });
  for (const c of referenced) {
    const element = inputs.elements.get(c);
    if (element && !elementsByCode.has(c)) elementsByCode.set(c, element);
  }

  // Periods.
  const { periods, unknown } = resolvePeriods(q.periods, today);
  for (const code of unknown)
    problems.push({
      field: "pe",
      code,
      message: /^[A-Z_0-9]+$/.test(code)
        ? `${code} is not a period code nor a known relative period (THIS_YEAR, LAST_5_YEARS, LAST_12_MONTHS…).`
        : `${code} is not a period code (2025, 2025S1, 2025Q3, 202507) nor a relative period.`,
    });

  // Units.
  const units: PlanUnit[] = [];
  const seenUnits = new Set<string>();
  for (const spec of q.units) {
    if (spec.code !== undefined) {
      const versions = inputs.versionsOf.get(spec.code);
      if (!versions) {
        problems.push({ field: "ou", code: spec.code, message: `No unit has code ${spec.code}.` });
        continue;
      }
      if (!versions.some((v) => validOn(v, hierarchyDate))) {
        problems.push({
          field: "ou",
          code: spec.code,
          message: `Unit ${spec.code} did not exist on ${hierarchyDate}; choose another hierarchy date.`,
        });
        continue;
      }
    } else if (spec.mode === "self" || spec.mode === "children") {
      problems.push({ field: "ou", code: spec.mode, message: `${spec.mode} needs a unit code.` });
      continue;
    }
    if (spec.mode.startsWith("level:") && !levels.includes(spec.mode.slice(6) as PivotLevel)) {
      problems.push({ field: "ou", code: spec.mode, message: `Unknown level in ${spec.mode}.` });
      continue;
    }
    for (const r of unitsOf(inputs, spec, hierarchyDate)) {
      if (seenUnits.has(r.code)) continue;
      seenUnits.add(r.code);
      units.push({
        versionId: r.id,
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parentCode,
      });
    }
  }
  if (problems.length)
    throw new AnalyticsError(
      400,
      "unknown_codes",
      {
        vi: `Không biết hoặc không hợp lệ: ${problems.map((p) => p.code).join(", ")}`,
        en: `Unknown or invalid: ${problems.map((p) => p.code).join(", ")}`,
      },
      { problems },
    );

  const cells = codes.length * periods.length * units.length;
  if (cells > maxCells)
    throw new AnalyticsError(
      413,
      "too_many_cells",
      {
        vi: `Truy vấn này cần ${cells} ô (${codes.length} dữ liệu × ${periods.length} kỳ × ${units.length} đơn vị); giới hạn là ${maxCells}. Hãy chọn ít đơn vị hơn (cấp cao hơn, hoặc một huyện/tỉnh), ít kỳ hơn (năm thay cho tháng) hoặc ít dữ liệu hơn, hoặc chia nhỏ truy vấn.`,
        en: `This query asks for ${cells} cells (${codes.length} data × ${periods.length} periods × ${units.length} units); the limit is ${maxCells}. Ask for fewer units (a level higher, or one district/province), fewer periods (years instead of months) or fewer data items, or split the query.`,
      },
      { cells, limit: maxCells, data: codes.length, periods: periods.length, units: units.length },
    );

  const items: Plan["items"] = codes.map((code) => {
    const element = elementsByCode.get(code);
    if (element && inputs.elements.has(code)) return { kind: "element", element };
    return { kind: "indicator", indicator: indicatorsByCode.get(code) as PlanIndicator };
  });
  const needed = new Set<string>();
  for (const item of items) {
    if (item.kind === "element") needed.add(item.element.code);
    else
      for (const c of [
        ...referencedElements(item.indicator.numerator),
        ...referencedElements(item.indicator.denominator),
      ])
        needed.add(c);
  }
  return {
    today,
    hierarchyDate,
    items,
    elements: [...needed].flatMap((c) => elementsByCode.get(c) ?? []),
    periods: periods.map((p) => {
      const [ms, me] = monthRange(p);
      return { code: p.code, ms, me, period: p };
    }),
    units,
    includeNumeratorDenominator: q.includeNumeratorDenominator ?? false,
  };
}

/** Where coverage is counted: for each row unit, the indices (into the units the core computed) of its communes. */
export interface CoveragePlan {
  byRow: number[][];
  thresholds: Record<string, number>;
}

/** Element cells → the result: rows in order, indicators recomputed, metadata with names and incomplete units. */
export function assemble(
  inputs: PlanInputs,
  plan: Plan,
  core: CoreResult,
  coverage: CoveragePlan = { byRow: plan.units.map((_, u) => [u]), thresholds: {} },
): PivotResult {
  // Cells by a numeric key (element index, period, unit): a province view looks up tens of thousands of them.
  const elementIndex = new Map(plan.elements.map((e, i) => [e.id, i]));
  const codeIndex = new Map(plan.elements.map((e, i) => [e.code, i]));
  const nP = Math.max(1, plan.periods.length);
  let nU = plan.units.length;
  for (const cell of core.cells) if (cell.unit >= nU) nU = cell.unit + 1;
  for (const list of coverage.byRow) for (const c of list) if (c >= nU) nU = c + 1;
  const keyOf = (ei: number, p: number, u: number) => (ei * nP + p) * nU + u;
  const byKey = new Map<number, ElementCell>();
  for (const cell of core.cells) {
    const ei = elementIndex.get(cell.elementId);
    if (ei !== undefined) byKey.set(keyOf(ei, cell.period, cell.unit), cell);
  }
  const cellOf = (elementId: number, p: number, u: number) => {
    const ei = elementIndex.get(elementId);
    return ei === undefined ? undefined : byKey.get(keyOf(ei, p, u));
  };
  const evaluate = (ind: PlanIndicator, p: number, u: number) => {
    let incomplete = false;
    const lookup = (code: string) => {
      const ei = codeIndex.get(code);
      const cell = ei === undefined ? undefined : byKey.get(keyOf(ei, p, u));
      if (cell?.incomplete) incomplete = true;
      return cell?.value ?? null;
    };
    const numerator = evaluateExpression(ind.numerator, lookup);
    const denominator = evaluateExpression(ind.denominator, lookup);
    const value =
      numerator !== null && denominator !== null && denominator !== 0
        ? roundTo((numerator / denominator) * ind.factor, ind.decimals)
        : null;
    return { numerator, denominator, value, incomplete };
  };
  /** A commune has data when a value reached it, certain or not (part of a split commune's value is data too). */
  const hasValue = (item: Plan["items"][number], p: number, u: number) => {
    if (item.kind === "indicator") {
      const ev = evaluate(item.indicator, p, u);
      return ev.value !== null || ev.incomplete;
    }
    const cell = cellOf(item.element.id, p, u);
    return cell !== undefined && (cell.value !== null || cell.incomplete);
  };
  const coverageOf = (item: Plan["items"][number], p: number, u: number) => {
    const communes = coverage.byRow[u] ?? [u];
    // A commune row counts itself: its own cell, already in hand, says whether it has a value.
    if (communes.length === 1 && communes[0] === u) return { reporting: 1, expected: 1 };
    let reporting = 0;
    for (const c of communes) if (hasValue(item, p, c)) reporting++;
    return { reporting, expected: communes.length };
  };
  const isPartial = (code: string, c: { reporting: number; expected: number }) =>
    c.expected > 0 &&
    c.reporting < c.expected * (coverage.thresholds[code] ?? defaultCoverageThreshold) - 1e-9;
  const rows: PivotRow[] = [];
  for (const item of plan.items)
    for (let p = 0; p < plan.periods.length; p++)
      for (let u = 0; u < plan.units.length; u++) {
        const period = plan.periods[p]?.code as string;
        const unit = plan.units[u]?.code as string;
        if (item.kind === "element") {
          const cell = cellOf(item.element.id, p, u);
          if (!cell || (cell.value === null && !cell.incomplete)) continue;
          const cov = coverageOf(item, p, u);
          const row: PivotRow = { data: item.element.code, period, unit, value: cell.value, coverage: cov };
          if (cell.incomplete) row.incomplete = true;
          if (isPartial(item.element.code, cov)) row.partial = true;
          rows.push(row);
          continue;
        }
        const ind = item.indicator;
        const { numerator, denominator, value, incomplete } = evaluate(ind, p, u);
        if (value === null && !incomplete) continue;
        const cov = coverageOf(item, p, u);
        const row: PivotRow = { data: ind.code, period, unit, value, coverage: cov };
        if (plan.includeNumeratorDenominator) {
          row.numerator = numerator;
          row.denominator = denominator;
        }
        if (incomplete) row.incomplete = true;
        if (isPartial(ind.code, cov)) row.partial = true;
        rows.push(row);
      }

  const incompleteUnits: IncompleteUnit[] = [...new Set(core.incompleteSources)]
    .flatMap((id) => {
      const u = inputs.units.get(id);
      return u ? [u] : [];
    })
    .sort(
      (a, b) =>
        compareText(a.code, b.code) ||
        (a.validFrom === b.validFrom
          ? 0
          : a.validFrom === null
            ? 1
            : b.validFrom === null
              ? -1
              : compareText(a.validFrom, b.validFrom)),
    )
    .map((u) => ({
      versionId: u.id,
      code: u.code,
      name: u.name,
      validFrom: u.validFrom,
      validTo: u.validTo,
    }));

  const names: Record<string, string> = {};
  const data = plan.items.map((item) => {
    const x = item.kind === "element" ? item.element : item.indicator;
    names[x.code] = x.nameVi;
    const decimals = item.kind === "indicator" ? item.indicator.decimals : elementDecimals;
    return { code: x.code, kind: item.kind, nameVi: x.nameVi, nameEn: x.nameEn, decimals };
  });
  const periods = plan.periods.map((p) => {
    const nameVi = formatPeriod(p.period, "vi");
    names[p.code] = nameVi;
    return { code: p.code, nameVi, nameEn: formatPeriod(p.period, "en") };
  });
  for (const u of plan.units) names[u.code] = u.name;
  return {
    rows,
    metadata: {
      today: plan.today,
      hierarchyDate: plan.hierarchyDate,
      data,
      periods,
      units: plan.units.map(({ code, name, level, parentCode }) => ({ code, name, level, parentCode })),
      names,
      incompleteUnits,
      coverage: {
        expected: Object.fromEntries(plan.units.map((u, i) => [u.code, (coverage.byRow[i] ?? [i]).length])),
        thresholds: Object.fromEntries(
          plan.items.map((item) => {
            const code = item.kind === "element" ? item.element.code : item.indicator.code;
            return [code, coverage.thresholds[code] ?? defaultCoverageThreshold];
          }),
        ),
      },
    },
  };
}

/** Below this share of expected communes with a value, a figure is marked partial, unless its form says otherwise. */
export const defaultCoverageThreshold = 0.8;

/**
 * The coverage threshold of each asked item: the highest `forms.coverage_threshold` (0–1, set per form by the form
 * designer) among the forms that collect its elements; else `defaultCoverageThreshold`. The one place that reads it.
 */
export function coverageThresholds(inputs: PlanInputs, plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of plan.items) {
    const codes =
      item.kind === "element"
        ? [item.element.code]
        : [
            ...referencedElements(item.indicator.numerator),
            ...referencedElements(item.indicator.denominator),
          ];
    const found = codes
      .map((c) => {
        const id = inputs.elements.get(c)?.id;
        return id === undefined ? undefined : inputs.thresholds.get(id);
      })
      .filter((t): t is number => typeof t === "number");
    const code = item.kind === "element" ? item.element.code : item.indicator.code;
    if (found.length) out[code] = Math.max(...found);
  }
  return out;
}

/**
 * The units the engines compute for a query with coverage: the row units, then the communes under each row unit
 * on the hierarchy date that are not rows already. `byRow[u]` lists the indices of row u's communes (a commune or
 * village row: itself).
 */
export function coverageUnits(inputs: PlanInputs, plan: Plan): { units: PlanUnit[]; byRow: number[][] } {
  const units = [...plan.units];
  const byRow: number[][] = plan.units.map((_, u) => [u]);
  const index = new Map(plan.units.map((u, i) => [u.versionId, i]));
  plan.units.forEach((row, i) => {
    if (row.level !== "province" && row.level !== "district") return;
    const unit = inputs.units.get(row.versionId);
    const list: number[] = [];
    byRow[i] = list;
    if (!unit) return;
    for (const c of communesUnder(inputs, unit, plan.hierarchyDate)) {
      let at = index.get(c.id);
      if (at === undefined) {
        at = units.length;
        index.set(c.id, at);
        units.push({ versionId: c.id, code: c.code, name: c.name, level: c.level, parentCode: c.parentCode });
      }
      list.push(at);
    }
  });
  return { units, byRow };
}

/**
 * An engine from a way of computing element cells. `prepare` runs first (the replica catches up there) and may hand
 * over the plan inputs it read; otherwise they come from the cache by the dimensions counter.
 */
export function engineOf(db: DbOrTx, core: Core, prepare?: () => Promise<PlanInputs>) {
  return {
    async pivot(q: PivotQuery, opts?: PivotOptions): Promise<PivotResult> {
      const inputs = prepare ? await prepare() : await planInputs(db);
      const plan = planFrom(inputs, q, opts);
      const thresholds = coverageThresholds(inputs, plan);
      const { units, byRow } = coverageUnits(inputs, plan);
      if (plan.elements.length === 0 || plan.periods.length === 0 || plan.units.length === 0)
        return assemble(inputs, plan, { cells: [], incompleteSources: [] }, { byRow, thresholds });
      const result = await core({ ...plan, units, rowUnits: plan.units.length });
      return assemble(inputs, plan, result, { byRow, thresholds });
    },
  };
}

/** Code order as PostgreSQL's C collation has it (codes are ASCII digits). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The units a spec names on `date`, in listing order. */
function unitsOf(inputs: PlanInputs, spec: UnitSpec, date: string): UnitDim[] {
  if (spec.mode === "self") {
    const v = spec.code === undefined ? undefined : versionOn(inputs, spec.code, date);
    return v ? [v] : [];
  }
  const view = dateView(inputs, date);
  if (spec.mode === "children") return spec.code === undefined ? [] : (view.children.get(spec.code) ?? []);
  const level = spec.mode.slice("level:".length);
  const all = view.byLevel.get(level) ?? [];
  if (spec.code === undefined) return all;
  const codes = subtreeCodes(inputs, spec.code, date);
  return all.filter((u) => codes.has(u.code));
}
