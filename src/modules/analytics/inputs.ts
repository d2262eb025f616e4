/**
 * What a query plan reads besides the values — unit versions, lineage edges, data elements, indicators and coverage
 * thresholds — held in memory per database handle and keyed by the dimensions counter (`analytics_dimension_version`),
 * which statement triggers bump on every change of units, lineage, shares (migration 0004) and the catalogue
 * (migration 0019). A query then costs one indexed row to learn the counter instead of a dozen reads and two
 * recursive walks of the registry; a change made by any server or writer is seen by the next query.
 *
 * The inputs are shared and read-only for callers. What is derived from them per hierarchy date (the tree of that
 * date, the communes under a unit) is memoised on the inputs object, so it goes with them when the counter moves.
 */
import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { type Expr, parseExpression } from "../reporting/expression.ts";
import type { PivotLevel } from "./index.ts";

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

export interface UnitDim {
  id: number;
  code: string;
  name: string;
  level: PivotLevel;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** Position in the order of (search_text, code), the order rows are listed in. */
  rank: number;
}

export interface EdgeDim {
  pred: number;
  succ: number;
  kind: "full" | "partial";
  share: number | null;
}

interface DateView {
  /** parent code → children valid on the date, in listing order. */
  children: Map<string, UnitDim[]>;
  /** level → units valid on the date, in listing order. */
  byLevel: Map<string, UnitDim[]>;
  /** version id → the versions of the communes under it on the date (by code), for coverage. */
  communesUnder: Map<number, UnitDim[]>;
}

export interface PlanInputs {
  version: number;
  elements: Map<string, PlanElement>;
  /** Indicator code → its parsed definition, or null when an expression does not parse. */
  indicators: Map<string, PlanIndicator | null>;
  /** element id → the highest coverage threshold among the forms that collect it. */
  thresholds: Map<number, number>;
  units: Map<number, UnitDim>;
  versionsOf: Map<string, UnitDim[]>;
  edges: EdgeDim[];
  dates: Map<string, DateView>;
}

export const validOn = (v: { validFrom: string | null; validTo: string | null }, date: string) =>
  (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || v.validTo > date);

/** The counter every change of units, lineage, shares or the catalogue bumps (one row). */
export async function dimensionsVersion(db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ version: number | string }>(
    await db.execute(sql`SELECT version FROM analytics_dimension_version WHERE id = 1`),
  );
  return Number(row?.version ?? 0);
}

const cache = new WeakMap<object, { version: number; inputs: Promise<PlanInputs> }>();

/**
 * The plan inputs at `version` (read from the counter when not given). Read from the database when the counter moved
 * since the last read on this handle; a read that fails is not kept.
 */
export async function planInputs(db: DbOrTx, version?: number): Promise<PlanInputs> {
  const v = version ?? (await dimensionsVersion(db));
  const hit = cache.get(db);
  if (hit && hit.version === v) return hit.inputs;
  const inputs = readInputs(db, v);
  cache.set(db, { version: v, inputs });
  inputs.catch(() => {
    if (cache.get(db)?.inputs === inputs) cache.delete(db);
  });
  return inputs;
}

async function readInputs(db: DbOrTx, version: number): Promise<PlanInputs> {
  const units = new Map<number, UnitDim>();
  const versionsOf = new Map<string, UnitDim[]>();
  const unitRows = rowsOf<{
    id: number | string;
    code: string;
    name: string;
    level: PivotLevel;
    parent_code: string | null;
    valid_from: string | null;
    valid_to: string | null;
  }>(
    await db.execute(sql`SELECT id, code, name, level, parent_code, valid_from::text AS valid_from,
      valid_to::text AS valid_to FROM unit_versions ORDER BY search_text, code, id`),
  );
  unitRows.forEach((r, rank) => {
    const u: UnitDim = {
      id: Number(r.id),
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent_code,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      rank,
    };
    units.set(u.id, u);
    const list = versionsOf.get(u.code);
    if (list) list.push(u);
    else versionsOf.set(u.code, [u]);
  });
  const edges = rowsOf<{
    predecessor_id: number | string;
    successor_id: number | string;
    kind: "full" | "partial";
    share: string | null;
  }>(
    await db.execute(
      sql`SELECT predecessor_id, successor_id, kind, share::text AS share FROM lineage_edges ORDER BY id`,
    ),
  ).map((e) => ({
    pred: Number(e.predecessor_id),
    succ: Number(e.successor_id),
    kind: e.kind,
    share: e.share === null ? null : Number(e.share),
  }));
  const elements = new Map(
    rowsOf<{
      id: number | string;
      code: string;
      aggregation: AggregationRule;
      name_vi: string;
      name_en: string;
    }>(await db.execute(sql`SELECT id, code, aggregation, name_vi, name_en FROM data_elements`)).map((r) => [
      r.code,
      { id: Number(r.id), code: r.code, rule: r.aggregation, nameVi: r.name_vi, nameEn: r.name_en },
    ]),
  );
  const indicators = new Map<string, PlanIndicator | null>();
  for (const r of rowsOf<{
    code: string;
    name_vi: string;
    name_en: string;
    numerator: string;
    denominator: string;
    factor: string | number;
    decimals: number;
  }>(
    await db.execute(sql`SELECT code, name_vi, name_en, numerator, denominator, factor::text AS factor, decimals
      FROM indicators`),
  )) {
    const num = parseExpression(r.numerator);
    const den = parseExpression(r.denominator);
    indicators.set(
      r.code,
      num.ok && den.ok
        ? {
            code: r.code,
            nameVi: r.name_vi,
            nameEn: r.name_en,
            numerator: num.expr,
            denominator: den.expr,
            factor: Number(r.factor),
            decimals: r.decimals,
          }
        : null,
    );
  }
  const thresholds = new Map(
    rowsOf<{ element_id: number | string; t: number | string | null }>(
      await db.execute(sql`SELECT fe.element_id, max(f.coverage_threshold)::float8 AS t
        FROM form_elements fe JOIN forms f ON f.id = fe.form_id GROUP BY fe.element_id`),
    ).flatMap((r) => (r.t === null ? [] : [[Number(r.element_id), Number(r.t)] as const])),
  );
  return { version, elements, indicators, thresholds, units, versionsOf, edges, dates: new Map() };
}

/** The tree of one hierarchy date, memoised on the inputs (a few dates at most are in use at once). */
export function dateView(inputs: PlanInputs, date: string): DateView {
  const known = inputs.dates.get(date);
  if (known) return known;
  const children = new Map<string, UnitDim[]>();
  const byLevel = new Map<string, UnitDim[]>();
  // units are in listing order already (read ORDER BY search_text, code).
  for (const u of inputs.units.values()) {
    if (!validOn(u, date)) continue;
    if (u.parentCode !== null) {
      const list = children.get(u.parentCode);
      if (list) list.push(u);
      else children.set(u.parentCode, [u]);
    }
    const list = byLevel.get(u.level);
    if (list) list.push(u);
    else byLevel.set(u.level, [u]);
  }
  const view: DateView = { children, byLevel, communesUnder: new Map() };
  if (inputs.dates.size >= 16) inputs.dates.clear();
  inputs.dates.set(date, view);
  return view;
}

/** The version of `code` valid on `date`, if any. */
export function versionOn(inputs: PlanInputs, code: string, date: string): UnitDim | undefined {
  return inputs.versionsOf.get(code)?.find((v) => validOn(v, date));
}

/** Codes reachable downwards from `code` on `date` (itself included), at most `maxDepth` levels down. */
export function subtreeCodes(inputs: PlanInputs, code: string, date: string, maxDepth = 8): Set<string> {
  const view = dateView(inputs, date);
  const seen = new Set<string>([code]);
  const stack: Array<[string, number]> = [[code, 0]];
  while (stack.length) {
    const [c, depth] = stack.pop() as [string, number];
    if (depth >= maxDepth) continue;
    for (const child of view.children.get(c) ?? [])
      if (!seen.has(child.code)) {
        seen.add(child.code);
        stack.push([child.code, depth + 1]);
      }
  }
  return seen;
}

/**
 * The communes under a province or district version on `date` (walking down through units that are not communes),
 * ordered by code: those whose figures the coverage of that row counts.
 */
export function communesUnder(inputs: PlanInputs, unit: UnitDim, date: string): UnitDim[] {
  const view = dateView(inputs, date);
  const known = view.communesUnder.get(unit.id);
  if (known) return known;
  const found = new Map<string, UnitDim>();
  const stack: Array<[UnitDim, number]> = [[unit, 0]];
  while (stack.length) {
    const [u, depth] = stack.pop() as [UnitDim, number];
    if (u.level === "commune") {
      const v = versionOn(inputs, u.code, date);
      if (v) found.set(v.code, v);
      continue;
    }
    if (depth >= 8) continue;
    for (const child of view.children.get(u.code) ?? []) stack.push([child, depth + 1]);
  }
  const list = [...found.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  view.communesUnder.set(unit.id, list);
  return list;
}
