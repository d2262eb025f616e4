/**
 * Live analytics: the pivot query, its result, and the two engines that answer it with the same semantics
 * (docs/analytics.md): the reference engine in plain SQL on PostgreSQL/PGlite, and the DuckDB replica.
 *
 * This file is the module's public interface; its names stay stable (the benchmark is written against them).
 */
import type { Db } from "../../db/client.ts";

/** The levels a unit spec may ask for under its root. */
export type PivotLevel = "province" | "district" | "commune" | "village";

/**
 * Which units make the rows: `self` the unit itself, `children` the units directly under it, `level:<level>` every
 * unit of that level in its subtree. Without `code`, the root is the whole country (only `level:…` makes sense).
 * Units are those valid on the hierarchy date.
 */
export interface UnitSpec {
  code?: string;
  mode: "self" | "children" | `level:${PivotLevel}`;
}

export interface PivotQuery {
  /** Data element codes and indicator codes, in the order the result lists them. */
  data: string[];
  /** Fixed codes (2025, 2025S1, 2025Q3, 202507) and relative ones (THIS_YEAR, LAST_12_MONTHS…), resolved on today. */
  periods: string[];
  units: UnitSpec[];
  /** The hierarchy the figures are shown in, YYYY-MM-DD; default today (e.g. 2014-12-31 for the 2014 tree). */
  hierarchyDate?: string;
  /** Return the numerator and denominator of indicator cells too. */
  includeNumeratorDenominator?: boolean;
}

export interface PivotRow {
  /** Element or indicator code. */
  data: string;
  /** A fixed period code (relative periods are resolved). */
  period: string;
  /** Unit code (codes are unique on the hierarchy date). */
  unit: string;
  /** The value; null only when the cell is incomplete and nothing certain could be counted. */
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  /** Some value belonging here could not be placed: a partial lineage edge on its way lacks a share. */
  incomplete?: true;
  /**
   * How many of the communes expected under the row unit on the hierarchy date have a value for this item and
   * period ("9 / 75 xã"); a commune or village row expects itself.
   */
  coverage: CellCoverage;
  /** The coverage is below the item's threshold (`metadata.coverage.thresholds`): the figure is not the whole. */
  partial?: true;
}

export interface CellCoverage {
  reporting: number;
  expected: number;
}

export interface PivotUnitMeta {
  code: string;
  name: string;
  level: PivotLevel;
  parentCode: string | null;
}

/** A unit version whose values could not be placed because a partial lineage edge on their way lacks a share. */
export interface IncompleteUnit {
  versionId: number;
  code: string;
  name: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface PivotResult {
  /** Only cells that have a value or are incomplete, ordered by data (as asked), period (as resolved), unit. */
  rows: PivotRow[];
  metadata: {
    today: string;
    hierarchyDate: string;
    /** Requested data items in order, with their names. */
    data: Array<{
      code: string;
      kind: "element" | "indicator";
      nameVi: string;
      nameEn: string;
      /** Places the API rounds this item's values to (an indicator's own; elements `elementDecimals`). */
      decimals: number;
    }>;
    /** Resolved periods in order. */
    periods: Array<{ code: string; nameVi: string; nameEn: string }>;
    /** The row units in order. */
    units: PivotUnitMeta[];
    /** Code → display name, for data, periods (Vietnamese) and units. */
    names: Record<string, string>;
    incompleteUnits: IncompleteUnit[];
    coverage: {
      /** Row unit code → communes expected under it (1 for a commune or village row). */
      expected: Record<string, number>;
      /** Data code → the share of expected communes below which a figure is marked partial (default 0.8). */
      thresholds: Record<string, number>;
    };
  };
}

export interface PivotOptions {
  /** YYYY-MM-DD against which relative periods and the default hierarchy date resolve; default today in Vietnam. */
  today?: string;
}

export interface AnalyticsEngine {
  pivot(q: PivotQuery, opts?: PivotOptions): Promise<PivotResult>;
}

export interface DuckReplica extends AnalyticsEngine {
  /** Drops and reloads everything from PostgreSQL. */
  rebuild(onProgress?: (done: number, total: number) => void): Promise<void>;
  /** Applies pending changes from the change sequence; returns how many were applied. */
  sync(): Promise<number>;
  /** Changes not applied yet, and seconds since it was last level with the database. */
  status(): Promise<{ pending: number; lagSeconds: number }>;
  close(): Promise<void>;
}

export interface OpenDuckReplicaOptions {
  db: Db;
  /** File of the DuckDB database, or ":memory:". */
  path: string;
  /** Background sync interval in ms (0 = none; queries still catch up first). Default 500. */
  syncIntervalMs?: number;
  /** Called on rebuild with progress (the automatic one on open included). */
  onRebuildProgress?: (done: number, total: number) => void;
  /** Told about background sync failures (they are retried on the next tick). */
  onError?: (err: unknown) => void;
}

export { openDuckReplica } from "./duck.ts";
export { AnalyticsError, maxCells } from "./plan.ts";
export { createReferenceEngine } from "./reference.ts";
