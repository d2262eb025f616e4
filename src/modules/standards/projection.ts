/**
 * Pure evaluation rules of a standard: a value against a threshold, and when a commune would reach it at its pace.
 * No database here, so the rules are tested on known series.
 */
import type { Comparison, Projection, RequirementState, StandardProjection, YearValue } from "./contract.ts";

export type { Projection, RequirementState, StandardProjection, YearValue } from "./contract.ts";

/** Whether `value` satisfies `comparison threshold`; yes/no values are 1 (yes) and 0 (no). */
export function satisfies(value: number, comparison: Comparison, threshold: number): boolean {
  if (comparison === ">=") return value >= threshold - 1e-9;
  if (comparison === "<=") return value <= threshold + 1e-9;
  return Math.abs(value - threshold) < 1e-9;
}

/**
 * How far the value is from the threshold, in the indicator's own units, always ≥ 0 (0 when met): 45.5 % against
 * ≥ 100 % is a gap of 54.5 percentage points; a poverty rate of 12 % against ≤ 6 % a gap of 6 points.
 */
export function gapOf(value: number, comparison: Comparison, threshold: number): number {
  if (comparison === ">=") return Math.max(0, threshold - value);
  if (comparison === "<=") return Math.max(0, value - threshold);
  return Math.abs(value - threshold);
}

/** How many years back the trend looks, and how far ahead a projection may reach before it says "not at this pace". */
export const trendYears = 5;
export const projectionHorizon = 30;

/**
 * The year a requirement not met in `year` would be met, extending the least-squares line through the commune's
 * values of its last `trendYears` years (up to and including `year`). A series that rises 5 points a year from 40
 * (2023) reaches ≥ 60 in 2027; a flat or falling one answers "not at this pace".
 */
export function projectYear(
  series: readonly YearValue[],
  comparison: Comparison,
  threshold: number,
  year: number,
  isYesNo = false,
): Projection {
  const points = series
    .filter((p) => p.year <= year && p.year > year - trendYears && Number.isFinite(p.value))
    .sort((a, b) => a.year - b.year);
  const basedOn = points.map((p) => p.year);
  if (isYesNo || comparison === "==") return { kind: "cannot_project", reason: "yes_no", basedOn };
  if (points.length < 2) return { kind: "cannot_project", reason: "too_few_years", basedOn };
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.year, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.year - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.year - mx) * (p.value - my), 0);
  const slope = sxy / sxx;
  const towards = comparison === ">=" ? slope > 1e-9 : slope < -1e-9;
  const rounded = Math.round(slope * 1000) / 1000;
  if (!towards) return { kind: "not_at_this_pace", slopePerYear: rounded, basedOn };
  // Where the fitted line crosses the threshold; never earlier than the year after the one evaluated (it is unmet).
  const crossing = mx + (threshold - my) / slope;
  const reached = Math.max(year + 1, Math.ceil(crossing - 1e-9));
  if (reached > year + projectionHorizon) return { kind: "not_at_this_pace", slopePerYear: rounded, basedOn };
  return { kind: "year", year: reached, slopePerYear: rounded, basedOn };
}

export interface CriterionOutcome {
  code: string;
  state: RequirementState;
  /** The projected year of each unmet requirement; null when one of them cannot be met at this pace or has no data. */
  projectedYear: number | null;
  /** Some unmet requirement is not met at this pace (or cannot be projected). */
  blocked: boolean;
}

/**
 * A criterion is met when all its requirements are; not met as soon as one is not met; otherwise (one lacks data)
 * it is unknown. A criterion without requirements is unknown: it has nothing to be judged on.
 */
export function criterionState(states: readonly RequirementState[]): RequirementState {
  if (states.length === 0) return "no_data";
  if (states.includes("not_met")) return "not_met";
  if (states.includes("no_data")) return "no_data";
  return "met";
}

/**
 * The year the whole standard would be met: the latest projected year of the criteria not yet met, naming the
 * binding ones (those that finish last). None when a criterion cannot be met at this pace or lacks data.
 */
export function standardProjection(criteria: readonly CriterionOutcome[]): StandardProjection {
  const open = criteria.filter((c) => c.state !== "met");
  if (open.length === 0) return { kind: "met" };
  const blocked = open.filter((c) => c.state === "not_met" && (c.blocked || c.projectedYear === null));
  if (blocked.length > 0) return { kind: "not_at_this_pace", blocking: blocked.map((c) => c.code) };
  const missing = open.filter((c) => c.state === "no_data");
  if (missing.length > 0) return { kind: "no_data", missing: missing.map((c) => c.code) };
  const year = Math.max(...open.map((c) => c.projectedYear as number));
  return { kind: "year", year, binding: open.filter((c) => c.projectedYear === year).map((c) => c.code) };
}
