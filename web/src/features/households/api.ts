import { queryOptions } from "@tanstack/react-query";
import { getJson, sendBytes, sendJson } from "../../api/client.ts";

/** The households API as these screens use it (src/modules/households/routes-*.ts). */

export type Classification = "poor" | "near_poor" | "not_poor";
export type ReviewStatus = "surveying" | "awaiting_approval" | "approved";
export type CycleStatus = "draft" | "awaiting_approval" | "approved";

export interface HouseholdRow {
  id: number;
  code: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
  members: number;
}

export interface ReviewSummary {
  id: number;
  year: number;
  status: ReviewStatus;
  version: number;
  standard: string;
  total: number;
  poor: number;
  nearPoor: number;
}

export interface ReviewView {
  id: number;
  communeCode: string;
  year: number;
  asOf: string;
  status: ReviewStatus;
  area: "rural" | "urban";
  version: number;
  reopenReason: string | null;
  standard: { code: string; nameVi: string; nameEn: string; threshold: number; indicators: string[] } | null;
  totals: { total: number; poor: number; nearPoor: number; unsurveyed: number; noMeetingResult: number };
  villages: Array<{
    villageCode: string;
    villageName: string | null;
    total: number;
    poor: number;
    nearPoor: number;
    unsurveyed: number;
    noMeetingResult: number;
  }>;
}

export interface SurveyRow {
  householdId: number;
  code: string;
  headName: string;
  villageCode: string;
  membersCounted: number;
  incomePerPersonMonth: number | null;
  lacking: string[];
  result: Classification | null;
  movement: "newly_poor" | "fell_back" | "escaped" | "stayed_poor" | null;
  explanation: {
    threshold: number;
    lackingCount: number;
    poorMinLacking: number;
    notInStandard: string[];
  } | null;
}

export interface CycleSummary {
  id: number;
  name: string;
  status: CycleStatus;
  version: number;
  eligibilityDate: string;
  programme: { id: number; name: string; funder: string; benefitKind: string; benefitAmount: number };
  listed: number;
  delivered: number;
}

export interface EntitlementRow {
  householdId: number;
  code: string;
  headName: string;
  villageCode: string;
  quantity: number;
  amount: number;
  basis: string;
  notDeliveredReason: string | null;
  deliveredOn: string | null;
  receivedBy: string | null;
}

export interface CycleList {
  cycle: {
    id: number;
    name: string;
    communeCode: string;
    eligibilityDate: string;
    status: CycleStatus;
    version: number;
    programme: { id: number; name: string; funder: string; benefitKind: string };
  };
  items: EntitlementRow[];
}

export interface Reconciliation {
  planned: number;
  approved: number;
  delivered: number;
  notDelivered: number;
  plannedAmount: number;
  deliveredAmount: number;
  notDeliveredReasons: Array<{ reason: string | null; households: number }>;
}

export const householdsQuery = (commune: string, q: string) =>
  queryOptions({
    queryKey: ["households", commune, q],
    queryFn: ({ signal }) =>
      getJson<{ items: HouseholdRow[] }>("/households", { commune, q: q || undefined, limit: 50 }, signal),
  });
export interface HouseholdFile {
  id: number;
  code: string;
  villageCode: string;
  communeCode: string;
  headName: string;
  deleted: { at: string; reason: string | null } | null;
  version: number;
  members: Array<{
    id: number;
    fullName: string;
    relation: string;
    birthYear: number;
    birthDate: string | null;
    citizenId: string | null;
    joinedOn: string | null;
    leftOn: string | null;
    isCurrent: boolean;
    masked: boolean;
  }>;
  years: Array<{
    year: number;
    reviewStatus: ReviewStatus;
    communeName: string;
    result: Classification | null;
  }>;
}

export const householdQuery = (id: number) =>
  queryOptions({
    queryKey: ["household", id],
    queryFn: ({ signal }) => getJson<HouseholdFile>(`/households/${id}`, {}, signal),
  });
export interface DuplicatePair {
  id: number;
  reason: string;
  version: number;
  households: Array<{
    id: number;
    code: string;
    headName: string;
    headBirthYear: number | null;
    villageCode: string;
  }>;
}
export const duplicatesQuery = (commune: string) =>
  queryOptions({
    queryKey: ["household-duplicates", commune],
    queryFn: ({ signal }) =>
      getJson<{ items: DuplicatePair[] }>("/household-duplicates", { commune }, signal),
  });
export const decideDuplicate = (
  pair: DuplicatePair,
  decision: { decision: "keep_both" } | { decision: "merge"; keepHouseholdId: number },
) =>
  sendJson("POST", `/household-duplicates/${pair.id}/decision`, {
    ...decision,
    expectedVersion: pair.version,
  });

export const countsQuery = (commune: string) =>
  queryOptions({
    queryKey: ["household-counts", commune],
    queryFn: ({ signal }) =>
      getJson<{ households: number; members: number }>("/household-counts", { commune }, signal),
  });
export const reviewsQuery = (commune: string) =>
  queryOptions({
    queryKey: ["poverty-reviews", commune],
    queryFn: ({ signal }) => getJson<{ items: ReviewSummary[] }>("/poverty-reviews", { commune }, signal),
  });
export const reviewQuery = (id: number) =>
  queryOptions({
    queryKey: ["poverty-review", id],
    queryFn: ({ signal }) => getJson<ReviewView>(`/poverty-reviews/${id}`, {}, signal),
  });
export const surveysQuery = (id: number, result?: Classification) =>
  queryOptions({
    queryKey: ["poverty-review", id, "households", result ?? "all"],
    queryFn: ({ signal }) =>
      getJson<{ items: SurveyRow[] }>(`/poverty-reviews/${id}/households`, { result, limit: 200 }, signal),
  });
export const cyclesQuery = (commune: string) =>
  queryOptions({
    queryKey: ["support-cycles", commune],
    queryFn: ({ signal }) => getJson<{ items: CycleSummary[] }>("/support-cycles", { commune }, signal),
  });
export const cycleQuery = (id: number) =>
  queryOptions({
    queryKey: ["support-cycle", id],
    queryFn: ({ signal }) => getJson<CycleList>(`/support-cycles/${id}/entitlements`, {}, signal),
  });
export const reconciliationQuery = (id: number) =>
  queryOptions({
    queryKey: ["support-cycle", id, "reconciliation"],
    queryFn: ({ signal }) => getJson<Reconciliation>(`/support-cycles/${id}/reconciliation`, {}, signal),
  });

export const importHouseholds = (file: Blob) =>
  sendBytes<{ households: number; members: number; duplicatesQueued: number }>(
    "/household-files/import",
    file,
  );
export const startReview = (communeCode: string, year: number) =>
  sendJson<{ id: number }>("POST", "/poverty-reviews", { communeCode, year });
export const importSurveys = (id: number, file: Blob) =>
  sendBytes<{ households: number }>(`/poverty-reviews/${id}/survey-import`, file);
export const agreeAll = (id: number) =>
  sendJson("POST", `/poverty-reviews/${id}/meeting`, { agreeAll: true });
export const transitionReview = (
  id: number,
  action: "submit" | "approve" | "reopen",
  version: number,
  reason?: string,
) => sendJson("POST", `/poverty-reviews/${id}/transition`, { action, expectedVersion: version, reason });
export const recordDistribution = (
  id: number,
  body: { householdId: number; deliveredOn: string; receivedBy: string },
) => sendJson("POST", `/support-cycles/${id}/distributions`, body);
export const transitionCycle = (id: number, action: "submit" | "approve" | "return", version: number) =>
  sendJson("POST", `/support-cycles/${id}/transition`, { action, expectedVersion: version });

/** Import problems a 422 carries: row, column and message in both languages. */
export function importProblems(
  error: unknown,
): Array<{ row: number; column: string; message: { vi: string; en: string } }> {
  const details = (error as { details?: { problems?: unknown } } | null)?.details;
  return Array.isArray(details?.problems) ? (details.problems as ReturnType<typeof importProblems>) : [];
}
