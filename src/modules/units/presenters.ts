import type { UnitKind, UnitLevel } from "./text.ts";

/** A unit version as it leaves the server. `validTo` is exclusive: the first day the version no longer holds. */
export interface UnitVersionView {
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  isCurrent: boolean;
  attributes: Record<string, unknown>;
  /** Parent, grandparent… as they were on the version's reference date, nearest first. */
  ancestors: Array<{ code: string; name: string; level: UnitLevel }>;
  childCount?: number;
}

export interface UnitEventView {
  id: number;
  kind: string;
  effectiveDate: string;
  document: string | null;
  clause: string | null;
  note: string | null;
}

export interface LineageLinkView {
  edgeId: number;
  kind: "full" | "partial";
  share: number | null;
  /** What a declared share rests on ("dân số 2024"). */
  basis: string | null;
  version: number;
  unit: UnitVersionView;
  event: UnitEventView;
}

export interface UnitHistoryEntryView extends UnitVersionView {
  openedBy: UnitEventView | null;
  closedBy: UnitEventView | null;
  predecessors: LineageLinkView[];
  successors: LineageLinkView[];
}

export interface UnitHistoryView {
  code: string;
  /** The version valid on the date asked for (today by default). */
  selected: UnitHistoryEntryView;
  /** Every version that has carried this code, oldest first. */
  versions: UnitHistoryEntryView[];
}

/** Raw row shape of the version queries (snake_case, as SQL returns it). */
export interface VersionRow {
  id: number | string;
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parent_code: string | null;
  valid_from: string | Date | null;
  valid_to: string | Date | null;
  attributes: Record<string, unknown> | string | null;
  a1_code?: string | null;
  a1_name?: string | null;
  a1_level?: UnitLevel | null;
  a2_code?: string | null;
  a2_name?: string | null;
  a2_level?: UnitLevel | null;
  a3_code?: string | null;
  a3_name?: string | null;
  a3_level?: UnitLevel | null;
  child_count?: number | string | null;
}

export interface EventRow {
  id: number | string;
  kind: string;
  effective_date: string | Date;
  document: string | null;
  clause: string | null;
  note: string | null;
}

/** postgres-js and PGlite return DATE columns differently in raw queries; both leave as YYYY-MM-DD. */
export function isoDate(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value.slice(0, 10);
}

export function presentVersion(row: VersionRow): UnitVersionView {
  const ancestors: UnitVersionView["ancestors"] = [];
  for (const n of [1, 2, 3] as const) {
    const code = row[`a${n}_code`];
    const name = row[`a${n}_name`];
    const level = row[`a${n}_level`];
    if (!code || !name || !level) break;
    ancestors.push({ code, name, level });
  }
  const attributes = typeof row.attributes === "string" ? JSON.parse(row.attributes) : (row.attributes ?? {});
  const view: UnitVersionView = {
    code: row.code,
    name: row.name,
    level: row.level,
    kind: row.kind,
    parentCode: row.parent_code,
    validFrom: isoDate(row.valid_from),
    validTo: isoDate(row.valid_to),
    isCurrent: row.valid_to === null,
    attributes,
    ancestors,
  };
  if (row.child_count !== undefined && row.child_count !== null) view.childCount = Number(row.child_count);
  return view;
}

export function presentEvent(row: EventRow): UnitEventView {
  return {
    id: Number(row.id),
    kind: row.kind,
    effectiveDate: isoDate(row.effective_date) ?? "",
    document: row.document,
    clause: row.clause,
    note: row.note,
  };
}
