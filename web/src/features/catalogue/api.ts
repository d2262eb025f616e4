import { queryOptions } from "@tanstack/react-query";
import { ApiError, getJson, sendJson } from "../../api/client.ts";
import type { Role, UnitHistory } from "../../api/types.ts";

/**
 * The catalogue API as these screens use it (src/modules/reporting/routes.ts and catalogue.ts). The browser keeps
 * its own copy of the shapes; only the expression language is shared with the server (./expression.ts).
 */

export const valueTypes = ["number", "integer", "percentage", "boolean", "text"] as const;
export type ValueType = (typeof valueTypes)[number];
export const aggregations = ["sum", "average", "last", "min", "max", "none"] as const;
export type Aggregation = (typeof aggregations)[number];
export const ruleOperators = ["==", "!=", "<", "<=", ">", ">="] as const;
export type RuleOperator = (typeof ruleOperators)[number];
export const importances = ["high", "medium", "low"] as const;
export type Importance = (typeof importances)[number];
export type PeriodType = "yearly" | "sixMonthly" | "quarterly" | "monthly";

export interface DataElement {
  code: string;
  nameVi: string;
  nameEn: string;
  valueType: ValueType;
  unitOfMeasure: string | null;
  aggregation: Aggregation;
  description: string | null;
  /** The owning province's code; null: national. */
  ownerUnitCode?: string | null;
  version: number;
}

export interface Indicator {
  code: string;
  nameVi: string;
  nameEn: string;
  numerator: string;
  denominator: string;
  factor: number;
  decimals: number;
  higherIsBetter: boolean;
  version: number;
}

export interface ValidationRule {
  code: string;
  left: string;
  operator: RuleOperator;
  right: string;
  importance: Importance;
  messageVi: string;
  messageEn: string;
  version: number;
}

export interface FormSummary {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  deadlineDays: number;
  isIllustrative: boolean;
  /** The owning province's code; null: national (only the system administrator changes it). */
  ownerUnitCode?: string | null;
  retiredAt?: string | null;
  version: number;
}

export interface Catalogue {
  dataElements: DataElement[];
  indicators: Indicator[];
  validationRules: ValidationRule[];
  forms: FormSummary[];
}

export interface FormElement {
  code: string;
  nameVi: string;
  nameEn: string;
  valueType: ValueType;
  unitOfMeasure: string | null;
}

export interface FormDetail {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  deadlineDays: number;
  isIllustrative: boolean;
  ownerUnitCode?: string | null;
  retiredAt?: string | null;
  deadlineRule?: "days_after_end" | "day_of_next_month";
  version?: number;
  unitCount: number;
  sections: Array<{ nameVi: string; nameEn: string; elements: FormElement[] }>;
}

export const catalogueKeys = {
  all: ["catalogue"] as const,
  list: ["catalogue", "list"] as const,
  form: (code: string) => ["catalogue", "form", code] as const,
  /** GET /forms is the reporting screens' list too: changing a form's units must refresh it there as well. */
  formsInScope: ["reporting", "forms"] as const,
};

/** The whole catalogue: a few dozen entries, loaded once and searched in the browser. */
export function catalogueQuery() {
  return queryOptions({
    queryKey: catalogueKeys.list,
    queryFn: ({ signal }) => getJson<Catalogue>("/catalogue", {}, signal),
    // Someone else may add an indicator meanwhile: a minute old is fine for reading, and a save refreshes it.
    staleTime: 60_000,
  });
}

export function formQuery(code: string) {
  return queryOptions({
    queryKey: catalogueKeys.form(code),
    queryFn: ({ signal }) => getJson<FormDetail>(`/forms/${encodeURIComponent(code)}`, {}, signal),
  });
}

/**
 * The units that report each form, as far as the caller's scope reaches (GET /forms). GET /forms/{code} gives only
 * the count, so this is the one place the codes come from; a province administrator sees the units of the province.
 */
export function formsInScopeQuery() {
  return queryOptions({
    queryKey: catalogueKeys.formsInScope,
    queryFn: ({ signal }) =>
      getJson<{ items: Array<{ code: string; units: string[] }> }>("/forms", {}, signal),
  });
}

/** One unit's name and status as of today (or its last day), for the list of a form's reporting units. */
export function unitQuery(code: string) {
  return queryOptions({
    // The units pages' own key (api/units.ts unitKeys.history): both share what either has loaded.
    queryKey: ["units", "history", code, ""] as const,
    queryFn: ({ signal }) => getJson<UnitHistory>(`/units/${encodeURIComponent(code)}`, {}, signal),
    staleTime: 5 * 60_000,
  });
}

/** Units valid on `at` whose name or code matches `q`: candidates to add to a form. */
export type DataElementInput = Omit<DataElement, "version">;
export type IndicatorInput = Omit<Indicator, "version">;
export type ValidationRuleInput = Omit<ValidationRule, "version">;

export const createDataElement = (input: DataElementInput) =>
  sendJson<{ code: string }>("POST", "/data-elements", input);
export const createIndicator = (input: IndicatorInput) =>
  sendJson<{ code: string }>("POST", "/indicators", input);
export const createValidationRule = (input: ValidationRuleInput) =>
  sendJson<{ code: string }>("POST", "/validation-rules", input);

/** A change: the fields that differ from what was read, and the version read. */
export type Patch<T> = Partial<Omit<T, "code" | "version">> & { version: number };

export const updateDataElement = (code: string, patch: Patch<DataElement>) =>
  sendJson<DataElement>("PATCH", `/data-elements/${encodeURIComponent(code)}`, patch);
export const updateIndicator = (code: string, patch: Patch<Indicator>) =>
  sendJson<Indicator>("PATCH", `/indicators/${encodeURIComponent(code)}`, patch);
export const updateValidationRule = (code: string, patch: Patch<ValidationRule>) =>
  sendJson<ValidationRule>("PATCH", `/validation-rules/${encodeURIComponent(code)}`, patch);

export const setFormUnits = (code: string, units: string[], version: number) =>
  sendJson<{ code: string; units: string[]; version: number }>(
    "PUT",
    `/forms/${encodeURIComponent(code)}/units`,
    { units, version },
  );

/** Mirrors catalogue.manage in src/modules/access/policies.ts; the server decides, this only hides buttons. */
export const canManageCatalogue = (user: { role: Role } | null | undefined): boolean =>
  user?.role === "system_admin" || user?.role === "province_admin";

/** One expression problem the server found on saving (400 invalid_expression). */
export interface ServerExpressionProblem {
  field: string;
  position: number;
  length: number;
  code: string;
  message: { vi: string; en: string };
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;

/** The expression problems of a 400 invalid_expression answer, each tied to its field; none for other errors. */
export function expressionProblemsOf(error: unknown): ServerExpressionProblem[] {
  if (!(error instanceof ApiError) || error.code !== "invalid_expression") return [];
  const fields = record(error.details)?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f: unknown) => {
    const r = record(f);
    if (!r || typeof r.field !== "string" || typeof r.position !== "number") return [];
    const en = typeof r.message === "string" ? r.message : "";
    const vi = typeof r.messageVi === "string" ? r.messageVi : en;
    return [
      {
        field: r.field,
        position: r.position,
        length: typeof r.length === "number" ? r.length : 0,
        code: typeof r.code === "string" ? r.code : "",
        message: { vi, en },
      },
    ];
  });
}

/**
 * The entry as it is now, from a 409 stale_version answer. The server sends its stored row, so the fields are read
 * one by one against the entry we had (a numeric factor may come as a string) rather than trusted whole.
 */
export function currentEntryOf<T extends { version: number }>(error: unknown, mine: T): T | null {
  if (!(error instanceof ApiError) || error.code !== "stale_version") return null;
  const current = record(record(error.details)?.current);
  if (!current || typeof current.version !== "number") return null;
  const merged: Record<string, unknown> = { ...mine };
  for (const [key, had] of Object.entries(mine)) {
    const value = current[key];
    const expected = typeof had;
    if (expected === "number" && typeof value === "string" && value.trim() !== "")
      merged[key] = Number(value);
    else if (value === null || typeof value === expected || (had === null && typeof value === "string"))
      merged[key] = value;
  }
  return merged as T;
}
