/**
 * The shapes of the public API (GET /api/v1/units…), as the OpenAPI document at /api/v1/openapi.json describes
 * them. The browser app talks only to this API, so it keeps its own copy rather than importing server code.
 */

export type UnitLevel = "province" | "district" | "commune" | "village";

export interface UnitAncestor {
  code: string;
  name: string;
  level: UnitLevel;
}

export interface UnitVersion {
  code: string;
  name: string;
  level: UnitLevel;
  /** "commune", "township", "ward"… (an unknown kind is shown as it comes). */
  kind: string;
  parentCode: string | null;
  /** First day valid; null = since before our records. */
  validFrom: string | null;
  /** First day no longer valid (exclusive); null = still valid. */
  validTo: string | null;
  isCurrent: boolean;
  attributes: Record<string, unknown>;
  /** Parent first. */
  ancestors: UnitAncestor[];
  childCount?: number;
}

export interface UnitEvent {
  id: number;
  kind: string;
  effectiveDate: string;
  document: string | null;
  clause: string | null;
  note: string | null;
}

export interface LineageLink {
  kind: "full" | "partial";
  share: number | null;
  unit: UnitVersion;
  event: UnitEvent;
}

export interface UnitHistoryEntry extends UnitVersion {
  openedBy: UnitEvent | null;
  closedBy: UnitEvent | null;
  predecessors: LineageLink[];
  successors: LineageLink[];
}

export interface UnitHistory {
  code: string;
  selected: UnitHistoryEntry;
  versions: UnitHistoryEntry[];
}

export interface UnitList {
  at: string | null;
  total: number;
  items: UnitVersion[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
