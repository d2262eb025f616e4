/**
 * What both engines share: reading a pivot query into a plan (codes checked, relative periods resolved, row units
 * listed on the hierarchy date, size limited) and turning element cells into the result (indicators recomputed from
 * their numerator and denominator). The engines differ only in how they compute element cells (see `Core`).
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError, badRequest } from "../../server/errors.ts";
import type { Actor } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import {
  type Expr,
  evaluateExpression,
  parseExpression,
  referencedElements,
} from "../reporting/expression.ts";
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

/** The most cells (data × periods × units) one query may ask for. */
export const maxCells = 50_000;

export class AnalyticsError extends AppError {}

export type AggregationRule = "sum" | "average" | "last" | "min" | "max" | "none";

export interface PlanElement {
  id: number;
  code: string;
  rule: AggregationRule;
  nameVi: string;
  nameEn: string;
}

export interface PlanIndicator {
  code: string;
  nameVi: string;
  nameEn: string;
  numerator: Expr;
  denominator: Expr;
  factor: number;
  decimals: number;
}

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

interface UnitRow {
  id: number | string;
  code: string;
  name: string;
  level: PivotLevel;
  parent_code: string | null;
}

const validAt = (alias: string, date: string) =>
  sql`(${sql.raw(alias)}.valid_from IS NULL OR ${sql.raw(alias)}.valid_from <= ${date}::date) AND (${sql.raw(alias)}.valid_to IS NULL OR ${sql.raw(alias)}.valid_to > ${date}::date)`;

async function unitsOf(db: DbOrTx, spec: UnitSpec, date: string): Promise<UnitRow[]> {
  const cols = sql`v.id, v.code, v.name, v.level, v.parent_code`;
  if (spec.mode === "self")
    return rowsOf<UnitRow>(
      await db.execute(
        sql`SELECT ${cols} FROM unit_versions v WHERE v.code = ${spec.code} AND ${validAt("v", date)}`,
      ),
    );
  if (spec.mode === "children")
    return rowsOf<UnitRow>(
      await db.execute(sql`SELECT ${cols} FROM unit_versions v
        WHERE v.parent_code = ${spec.code} AND ${validAt("v", date)} ORDER BY v.search_text, v.code`),
    );
  const level = spec.mode.slice("level:".length);
  if (spec.code === undefined)
    return rowsOf<UnitRow>(
      await db.execute(sql`SELECT ${cols} FROM unit_versions v
        WHERE v.level = ${level}::unit_level AND ${validAt("v", date)} ORDER BY v.search_text, v.code`),
    );
  return rowsOf<UnitRow>(
    await db.execute(sql`
      WITH RECURSIVE sub(code, depth) AS (
        SELECT ${spec.code}::text, 0
        UNION
        SELECT v.code, s.depth + 1 FROM unit_versions v JOIN sub s ON v.parent_code = s.code
        WHERE ${validAt("v", date)} AND s.depth < 8)
      SELECT ${cols} FROM unit_versions v JOIN sub s ON s.code = v.code
      WHERE v.level = ${level}::unit_level AND ${validAt("v", date)} ORDER BY v.search_text, v.code`),
  );
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
  const elementRows = codes.length
    ? rowsOf<{
        id: number | string;
        code: string;
        aggregation: AggregationRule;
        name_vi: string;
        name_en: string;
      }>(
        await db.execute(sql`SELECT id, code, aggregation, name_vi, name_en FROM data_elements
          WHERE code IN (${sql.join(codes, sql`, `)})`),
      )
    : [];
  const indicatorRows = codes.length
    ? rowsOf<{
        code: string;
        name_vi: string;
        name_en: string;
        numerator: string;
        denominator: string;
        factor: string | number;
        decimals: number;
      }>(
        await db.execute(sql`SELECT code, name_vi, name_en, numerator, denominator, factor::text AS factor, decimals
          FROM indicators WHERE code IN (${sql.join(codes, sql`, `)})`),
      )
    : [];
  const toElement = (r: (typeof elementRows)[number]): PlanElement => ({
    id: Number(r.id),
    code: r.code,
    rule: r.aggregation,
    nameVi: r.name_vi,
    nameEn: r.name_en,
  });
  const elementsByCode = new Map(elementRows.map((r) => [r.code, toElement(r)]));
  const indicatorsByCode = new Map<string, PlanIndicator>();
  const referenced = new Set<string>();
  for (const r of indicatorRows) {
    const num = parseExpression(r.numerator);
    const den = parseExpression(r.denominator);
    if (!num.ok || !den.ok) {
      problems.push({ field: "data", code: r.code, message: `Indicator ${r.code} has a broken expression.` });
      continue;
    }
    for (const c of [...referencedElements(num.expr), ...referencedElements(den.expr)]) referenced.add(c);
    indicatorsByCode.set(r.code, {
      code: r.code,
      nameVi: r.name_vi,
      nameEn: r.name_en,
      numerator: num.expr,
      denominator: den.expr,
      factor: Number(r.factor),
      decimals: r.decimals,
    });
  }
  for (const code of codes)
    if (
      !elementsByCode.has(code) &&
      !indicatorsByCode.has(code) &&
      !indicatorRows.some((r) => r.code === code)
    )
      problems.push({ field: "dx", code, message: `No data element or indicator has code ${code}.` });
  const missingRefs = [...referenced].filter((c) => !elementsByCode.has(c));
  if (missingRefs.length)
    for (const r of rowsOf<(typeof elementRows)[number]>(
      await db.execute(sql`SELECT id, code, aggregation, name_vi, name_en FROM data_elements
        WHERE code IN (${sql.join(missingRefs, sql`, `)})`),
    ))
      elementsByCode.set(r.code, toElement(r));

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
      const exists = rowsOf<{ valid: boolean }>(
        await db.execute(sql`SELECT bool_or(${validAt("v", hierarchyDate)}) AS valid FROM unit_versions v
          WHERE v.code = ${spec.code}`),
      )[0];
      if (!exists || exists.valid === null) {
        problems.push({ field: "ou", code: spec.code, message: `No unit has code ${spec.code}.` });
        continue;
      }
      if (!exists.valid) {
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
    for (const r of await unitsOf(db, spec, hierarchyDate)) {
      if (seenUnits.has(r.code)) continue;
      seenUnits.add(r.code);
      units.push({
        versionId: Number(r.id),
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parent_code,
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
    if (element && q.data.includes(code) && elementRows.some((r) => r.code === code))
      return { kind: "element", element };
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
export async function assemble(
  db: DbOrTx,
  plan: Plan,
  core: CoreResult,
  coverage: CoveragePlan = { byRow: plan.units.map((_, u) => [u]), thresholds: {} },
): Promise<PivotResult> {
  const byKey = new Map<string, ElementCell>();
  for (const cell of core.cells) byKey.set(`${cell.elementId}|${cell.period}|${cell.unit}`, cell);
  const elementIds = new Map(plan.elements.map((e) => [e.code, e.id]));
  const evaluate = (ind: PlanIndicator, p: number, u: number) => {
    let incomplete = false;
    const lookup = (code: string) => {
      const id = elementIds.get(code);
      const cell = id === undefined ? undefined : byKey.get(`${id}|${p}|${u}`);
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
    const cell = byKey.get(`${item.element.id}|${p}|${u}`);
    return cell !== undefined && (cell.value !== null || cell.incomplete);
  };
  const coverageOf = (item: Plan["items"][number], p: number, u: number) => {
    const communes = coverage.byRow[u] ?? [u];
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
          const cell = byKey.get(`${item.element.id}|${p}|${u}`);
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

  let incompleteUnits: IncompleteUnit[] = [];
  const ids = [...new Set(core.incompleteSources)].sort((a, b) => a - b);
  if (ids.length)
    incompleteUnits = rowsOf<{
      id: number | string;
      code: string;
      name: string;
      valid_from: string | null;
      valid_to: string | null;
    }>(
      await db.execute(sql`SELECT id, code, name, valid_from::text AS valid_from, valid_to::text AS valid_to
        FROM unit_versions WHERE id IN (${sql.join(ids, sql`, `)}) ORDER BY code, valid_from`),
    ).map((r) => ({
      versionId: Number(r.id),
      code: r.code,
      name: r.name,
      validFrom: r.valid_from,
      validTo: r.valid_to,
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

const thresholdColumn = new WeakMap<object, boolean>();

/**
 * The coverage threshold of each asked item: the highest `forms.coverage_threshold` (0–1, set per form by the form
 * designer) among the forms that collect its elements, where that column exists; else `defaultCoverageThreshold`.
 * The one place that reads it.
 */
export async function coverageThresholds(db: DbOrTx, plan: Plan): Promise<Record<string, number>> {
  let present = thresholdColumn.get(db);
  if (present === undefined) {
    present =
      rowsOf<{ found: number }>(
        await db.execute(sql`SELECT 1 AS found FROM information_schema.columns
          WHERE table_name = 'forms' AND column_name = 'coverage_threshold'`),
      ).length > 0;
    thresholdColumn.set(db, present);
  }
  const out: Record<string, number> = {};
  if (!present || plan.elements.length === 0) return out;
  const byElement = new Map(
    rowsOf<{ element_id: number | string; t: number | string | null }>(
      await db.execute(sql`SELECT fe.element_id, max(f.coverage_threshold)::float8 AS t
        FROM form_elements fe JOIN forms f ON f.id = fe.form_id
        WHERE fe.element_id IN (${sql.join(
          plan.elements.map((e) => e.id),
          sql`, `,
        )}) GROUP BY fe.element_id`),
    ).map((r) => [Number(r.element_id), r.t === null ? null : Number(r.t)]),
  );
  const ids = new Map(plan.elements.map((e) => [e.code, e.id]));
  for (const item of plan.items) {
    const codes =
      item.kind === "element"
        ? [item.element.code]
        : [
            ...referencedElements(item.indicator.numerator),
            ...referencedElements(item.indicator.denominator),
          ];
    const found = codes
      .map((c) => byElement.get(ids.get(c) ?? -1))
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
export async function coverageUnits(
  db: DbOrTx,
  plan: Plan,
): Promise<{ units: PlanUnit[]; byRow: number[][] }> {
  const units = [...plan.units];
  const byRow: number[][] = plan.units.map((_, u) => [u]);
  const above = plan.units.flatMap((u, i) => (u.level === "province" || u.level === "district" ? [i] : []));
  if (above.length === 0) return { units, byRow };
  const h = plan.hierarchyDate;
  const outu = sql.join(
    above.map((i) => sql`(${i}::int, ${plan.units[i]?.versionId ?? 0}::bigint)`),
    sql`, `,
  );
  const rows = rowsOf<UnitRow & { ui: number }>(
    await db.execute(sql`
      WITH RECURSIVE sub(ui, code, level, depth) AS (
        SELECT o.ui, v.code, v.level, 0 FROM (VALUES ${outu}) o(ui, vid) JOIN unit_versions v ON v.id = o.vid
        UNION ALL
        SELECT s.ui, v.code, v.level, s.depth + 1 FROM sub s JOIN unit_versions v ON v.parent_code = s.code
        WHERE ${validAt("v", h)} AND s.depth < 8 AND s.level <> 'commune')
      SELECT s.ui, v.id, v.code, v.name, v.level, v.parent_code FROM sub s
      JOIN unit_versions v ON v.code = s.code AND ${validAt("v", h)}
      WHERE s.level = 'commune' ORDER BY s.ui, v.code`),
  );
  const index = new Map(plan.units.map((u, i) => [u.versionId, i]));
  for (const i of above) byRow[i] = [];
  for (const r of rows) {
    const id = Number(r.id);
    let at = index.get(id);
    if (at === undefined) {
      at = units.length;
      index.set(id, at);
      units.push({ versionId: id, code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });
    }
    byRow[Number(r.ui)]?.push(at);
  }
  return { units, byRow };
}

/** An engine from a way of computing element cells. */
export function engineOf(db: DbOrTx, core: Core, before?: () => Promise<unknown>) {
  return {
    async pivot(q: PivotQuery, opts?: PivotOptions): Promise<PivotResult> {
      const plan = await planQuery(db, q, opts);
      if (before) await before();
      const thresholds = await coverageThresholds(db, plan);
      const { units, byRow } = await coverageUnits(db, plan);
      if (plan.elements.length === 0 || plan.periods.length === 0 || plan.units.length === 0)
        return assemble(db, plan, { cells: [], incompleteSources: [] }, { byRow, thresholds });
      const result = await core({ ...plan, units, rowUnits: plan.units.length });
      return assemble(db, plan, result, { byRow, thresholds });
    },
  };
}
