import { queryOptions } from "@tanstack/react-query";
import { ApiError, getJson, sendBytes, sendJson } from "../../api/client.ts";

/**
 * The reporting API as the screens use it (src/modules/reporting/routes.ts). The browser keeps its own copy of the
 * shapes rather than importing server code.
 */

export type PeriodType = "yearly" | "sixMonthly" | "quarterly" | "monthly";
export type ValueType = "number" | "integer" | "percentage" | "boolean" | "text";
export type ReportStatus = "draft" | "submitted" | "approved" | "returned";
export type Transition = "submit" | "withdraw" | "approve" | "return" | "unlock";
export type Timeliness = "on_time" | "late" | "overdue" | "pending";

export interface FormSummary {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  isIllustrative: boolean;
  /** Codes of the units in the caller's scope that report this form. */
  units: string[];
}

export interface FormElement {
  code: string;
  nameVi: string;
  nameEn: string;
  valueType: ValueType;
  unitOfMeasure: string | null;
}

export interface FormSection {
  nameVi: string;
  nameEn: string;
  elements: FormElement[];
}

export interface FormView {
  code: string;
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  deadlineDays: number;
  isIllustrative: boolean;
  sections: FormSection[];
}

export interface Report {
  status: ReportStatus;
  submittedAt: string | null;
  submittedBy: string | null;
  /** Display names of the accounts; null for the system or an account since removed. */
  submittedByName: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  returnReason: string | null;
  /** 0 until the report row exists (the first save creates it). */
  version: number;
  isLocked: boolean;
}

export interface StoredValue {
  element: string;
  /** As the server stores it: "348.8", "true", free text. */
  value: string;
  comment: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  updatedByName: string | null;
}

export interface Violation {
  code: string;
  importance: "high" | "medium" | "low";
  message: { vi: string; en: string };
  elements: string[];
  left?: number | null;
  right?: number | null;
}

export interface Entry {
  form: FormView;
  unit: { code: string; name: string };
  period: { code: string; type: PeriodType; start: string; end: string; deadline: string };
  report: Report;
  values: StoredValue[];
  violations: Violation[];
  /** Elements locked from outside this report: another form's submitted or approved report, or an import. */
  lockedElements: Array<{
    element: string;
    form: { code: string; nameVi: string; nameEn: string } | null;
    status: "submitted" | "approved" | "importing";
  }>;
}

/** Which form, unit and period a screen is about. */
export interface Target {
  form: string;
  unit: string;
  period: string;
}

export type RawValue = number | string | boolean | null;

export interface SaveInput extends Target {
  element: string;
  value: RawValue;
  comment?: string | null;
  expectedVersion: number;
}

export interface SaveResult {
  value: StoredValue | null;
  /** The checks touching this element that now fail. */
  violations: Violation[];
  report: Report;
}

/** details.current of a 409 value_conflict: the value someone else saved meanwhile (null: they cleared it). */
export type CurrentValue = Omit<StoredValue, "element"> | null;

export interface HistoryItem {
  at: string;
  actorKind: string;
  actorId: string;
  actorName: string | null;
  before: { value: string; comment: string | null; version: number } | null;
  after: { value: string; comment: string | null; version: number } | null;
}

export interface StatusRow {
  unit: { code: string; name: string };
  status: ReportStatus | "not_started";
  submittedAt: string | null;
  timeliness: Timeliness;
}

export interface StatusView {
  form: string;
  period: string;
  deadline: string;
  rows: StatusRow[];
}

export type FileFormat = "xlsx" | "csv" | "dhis2";

export interface ImportResult {
  rows: number;
  written: number;
  unchanged: number;
  dryRun: boolean;
}

export interface ImportRowError {
  row: number;
  column: string;
  field: string;
  message: string;
  /** The same in Vietnamese; the English one when an older server sent none. */
  messageVi: string;
}

export const reportingKeys = {
  all: ["reporting"] as const,
  forms: ["reporting", "forms"] as const,
  entry: (t: Target) => ["reporting", "entry", t.form, t.unit, t.period] as const,
  history: (t: Target, element: string) =>
    ["reporting", "history", t.form, t.unit, t.period, element] as const,
  status: (form: string, period: string) => ["reporting", "status", form, period] as const,
};

export function formsQuery() {
  return queryOptions({
    queryKey: reportingKeys.forms,
    queryFn: ({ signal }) => getJson<{ items: FormSummary[] }>("/forms", {}, signal),
  });
}

/** The entry screen's data. Never cached for long: values change under other people's hands. */
export function entryQuery(target: Target) {
  return queryOptions({
    queryKey: reportingKeys.entry(target),
    queryFn: ({ signal }) => getJson<Entry>("/data-entry", { ...target }, signal),
    staleTime: 0,
    gcTime: 60_000,
  });
}

export function historyQuery(target: Target, element: string) {
  return queryOptions({
    queryKey: reportingKeys.history(target, element),
    queryFn: ({ signal }) =>
      getJson<{ items: HistoryItem[] }>("/data-values/history", { ...target, element }, signal),
    staleTime: 0,
  });
}

export function statusQuery(form: string, period: string) {
  return queryOptions({
    queryKey: reportingKeys.status(form, period),
    queryFn: ({ signal }) => getJson<StatusView>("/reports/status", { form, period }, signal),
    staleTime: 30_000,
  });
}

export function saveValue(input: SaveInput): Promise<SaveResult> {
  return sendJson<SaveResult>("PUT", "/data-values", input);
}

export function transitionReport(
  input: Target & { action: Transition; reason?: string; expectedVersion: number },
): Promise<Report> {
  return sendJson<Report>("POST", "/reports/transition", input);
}

/** Checks (dryRun) or imports a file as the server reads it: the raw bytes, format told by the query. */
export function importFile(file: Blob, format: FileFormat, dryRun: boolean): Promise<ImportResult> {
  return sendBytes<ImportResult>("/data-import", file, { format, dryRun: String(dryRun) });
}

/** The format the server expects from a file's name, or null for a file it cannot read. */
export function formatOfFile(name: string): FileFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith(".xlsx")) return "xlsx";
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "dhis2";
  return null;
}

/** The bad rows of a 400 import_invalid answer, checked field by field: details are loosely typed. */
export function importErrors(error: unknown): ImportRowError[] {
  if (!(error instanceof ApiError) || error.code !== "import_invalid") return [];
  const details = error.details;
  if (typeof details !== "object" || details === null || !("errors" in details)) return [];
  const { errors } = details as { errors: unknown };
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) => {
    if (typeof e !== "object" || e === null) return [];
    const { row, column, field, message, messageVi } = e as Record<string, unknown>;
    if (typeof row !== "number" || typeof message !== "string") return [];
    return [
      {
        row,
        column: String(column ?? ""),
        field: String(field ?? ""),
        message,
        messageVi: typeof messageVi === "string" ? messageVi : message,
      },
    ];
  });
}

/** details.current of a 409 value_conflict, or undefined when the answer is not one. */
export function conflictCurrent(error: unknown): CurrentValue | undefined {
  if (!(error instanceof ApiError) || error.code !== "value_conflict") return undefined;
  const details = error.details;
  if (typeof details !== "object" || details === null || !("current" in details)) return null;
  const { current } = details as { current: unknown };
  if (typeof current !== "object" || current === null) return null;
  const { value, comment, version, updatedAt, updatedBy, updatedByName } = current as Record<string, unknown>;
  if (typeof value !== "string" || typeof version !== "number") return null;
  return {
    value,
    comment: typeof comment === "string" ? comment : null,
    version,
    updatedAt: typeof updatedAt === "string" ? updatedAt : "",
    updatedBy: typeof updatedBy === "string" ? updatedBy : "",
    updatedByName: typeof updatedByName === "string" ? updatedByName : null,
  };
}

/** details.violations of a 422 validation_failed answer to a submission. */
export function blockingViolations(error: unknown): Violation[] {
  if (!(error instanceof ApiError) || error.code !== "validation_failed") return [];
  const details = error.details;
  if (typeof details !== "object" || details === null || !("violations" in details)) return [];
  const { violations } = details as { violations: unknown };
  return Array.isArray(violations) ? (violations as Violation[]) : [];
}

/**
 * Downloads a template or an export through fetch, so that a refusal shows as a message on the page instead of
 * replacing it with the server's JSON, and saves it under the name the server gives.
 */
export async function downloadFile(
  kind: "template" | "export",
  params: { form: string; period: string; unit?: string; format: FileFormat },
): Promise<void> {
  const query = new URLSearchParams({ form: params.form, period: params.period, format: params.format });
  if (params.unit) query.set("unit", params.unit);
  const path = kind === "template" ? "/api/v1/data-template" : "/api/v1/data-export";
  let response: Response;
  try {
    response = await fetch(`${path}?${query}`, { credentials: "same-origin" });
  } catch (err: unknown) {
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `${response.status} ${response.statusText}`,
    );
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${params.form}_${params.period}`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GET /data-entry/context: what the entry screen shows beside each field to catch a slip (entry-context.ts). */
export interface EntryContext {
  previousPeriod: string | null;
  changeFactor: number;
  elements: Record<string, { previous: string | null; usualMin: number | null; usualMax: number | null }>;
  rules: Array<{
    code: string;
    left: string;
    operator: "==" | "!=" | "<" | "<=" | ">" | ">=";
    right: string;
    importance: "high" | "medium" | "low";
    message: { vi: string; en: string };
  }>;
}

export function entryContextQuery(target: Target) {
  return queryOptions({
    queryKey: ["reporting", "entry-context", target.form, target.unit, target.period] as const,
    queryFn: ({ signal }) => getJson<EntryContext>("/data-entry/context", { ...target }, signal),
    staleTime: 5 * 60_000,
  });
}
