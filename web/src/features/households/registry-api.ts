import { queryOptions } from "@tanstack/react-query";
import { getJson, sendJson } from "../../api/client.ts";
import type { UnitList } from "../../api/types.ts";
import type { Classification, ReviewStatus } from "./api.ts";

/**
 * The registry's writes and the reads behind them, as these screens use them: registration, a household's edits,
 * policy classes, the village meeting's result, poverty standards and the duplicate queue
 * (src/modules/households/routes-registry.ts, routes-household-edits.ts, routes-poverty.ts).
 */

export const relations = [
  "head",
  "spouse",
  "child",
  "parent",
  "grandchild",
  "grandparent",
  "sibling",
  "in_law",
  "other",
] as const;
export type Relation = (typeof relations)[number];
export type Sex = "male" | "female";
export const joinReasons = ["registered", "birth", "marriage", "moved_in"] as const;
export type JoinReason = (typeof joinReasons)[number];
export const leaveReasons = ["death", "marriage", "moved_out"] as const;
export type LeaveReason = (typeof leaveReasons)[number];
export const policyKinds = ["meritorious_service", "martyr_family", "war_invalid", "other_policy"] as const;
export type PolicyKind = (typeof policyKinds)[number];

export interface MemberInput {
  fullName: string;
  relation: Relation;
  birthYear: number;
  birthDate?: string | null;
  sex: Sex;
  ethnicity?: string | null;
  citizenId?: string | null;
  joinedOn?: string | null;
  joinReason?: JoinReason;
}

/** A household's file as GET /households/{id} answers it (personal data masked by role). */
export interface HouseholdRecord {
  id: number;
  code: string;
  villageCode: string;
  communeCode: string;
  address: string | null;
  headName: string;
  registeredOn: string | null;
  deleted: { at: string; reason: string | null } | null;
  version: number;
  members: Array<{
    id: number;
    fullName: string;
    relation: Relation;
    birthYear: number;
    birthDate: string | null;
    sex: Sex;
    ethnicity: string | null;
    citizenId: string | null;
    joinedOn: string | null;
    joinReason: string;
    leftOn: string | null;
    leaveReason: string | null;
    isCurrent: boolean;
    masked: boolean;
  }>;
  policyClasses: Array<{
    id: number;
    kind: PolicyKind;
    validFrom: string;
    validTo: string | null;
    note: string | null;
  }>;
  years: Array<{
    year: number;
    reviewStatus: ReviewStatus;
    communeName: string;
    result: Classification | null;
  }>;
}
export type HouseholdMember = HouseholdRecord["members"][number];

export const householdRecordQuery = (id: number) =>
  queryOptions({
    queryKey: ["household", id],
    queryFn: ({ signal }) => getJson<HouseholdRecord>(`/households/${id}`, {}, signal),
  });

/** The villages of a commune valid today, for the registration form. */
export const villagesQuery = (commune: string, today: string) =>
  queryOptions({
    queryKey: ["units", "children", commune, today],
    queryFn: ({ signal }) => getJson<UnitList>("/units", { parent: commune, at: today, limit: 500 }, signal),
    staleTime: 10 * 60_000,
  });

export const registerHousehold = (body: {
  villageCode: string;
  address?: string | null;
  registeredOn?: string;
  members: MemberInput[];
}) =>
  sendJson<{ id: number; code: string; version: number; duplicatesQueued: number }>(
    "POST",
    "/households",
    body,
  );

export const updateHousehold = (
  id: number,
  body: {
    address?: string | null;
    headMemberId?: number;
    formerHeadRelation?: Relation;
    expectedVersion: number;
  },
) => sendJson<{ id: number; version: number }>("PATCH", `/households/${id}`, body);

export const addMember = (id: number, body: MemberInput & { expectedVersion: number }) =>
  sendJson<{ id: number; householdVersion: number }>("POST", `/households/${id}/members`, body);

export const correctMember = (
  memberId: number,
  body: Omit<MemberInput, "relation" | "joinedOn" | "joinReason"> & {
    relation?: Relation;
    expectedVersion: number;
  },
) => sendJson<{ id: number; householdVersion: number }>("PATCH", `/household-members/${memberId}`, body);

export const recordLeave = (
  memberId: number,
  body: { leftOn: string; reason: LeaveReason; expectedVersion: number },
) => sendJson<{ householdVersion: number }>("POST", `/household-members/${memberId}/leave`, body);

export const deleteHousehold = (id: number, body: { reason: string; expectedVersion: number }) =>
  sendJson<{ deleted: boolean }>("DELETE", `/households/${id}`, body);

export const addPolicyClass = (
  id: number,
  body: {
    kind: PolicyKind;
    validFrom: string;
    validTo?: string | null;
    note?: string | null;
    expectedVersion: number;
  },
) => sendJson<{ id: number; householdVersion: number }>("POST", `/households/${id}/policy-classes`, body);

export const endPolicyClass = (classId: number, body: { validTo: string; expectedVersion: number }) =>
  sendJson<{ id: number; householdVersion: number }>(
    "POST",
    `/household-policy-classes/${classId}/end`,
    body,
  );

/** One household's survey in a review, with the computed class, the meeting's result and why. */
export interface MeetingRow {
  householdId: number;
  code: string;
  headName: string;
  villageCode: string;
  incomePerPersonMonth: number | null;
  lacking: string[];
  computed: Classification | null;
  meetingResult: Classification | null;
  meetingNote: string | null;
  result: Classification | null;
  explanation: {
    threshold: number;
    incomePerPersonMonth: number;
    lacking: string[];
    lackingCount: number;
    poorMinLacking: number;
    notInStandard: string[];
  } | null;
}

export const meetingRowsQuery = (reviewId: number) =>
  queryOptions({
    queryKey: ["poverty-review", reviewId, "households", "meeting"],
    queryFn: ({ signal }) =>
      getJson<{ items: MeetingRow[] }>(`/poverty-reviews/${reviewId}/households`, { limit: 1000 }, signal),
  });

export const recordMeetingResult = (
  reviewId: number,
  body: { householdId: number; result: Classification; note?: string },
) => sendJson("POST", `/poverty-reviews/${reviewId}/meeting`, body);

export interface Standard {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  legalBasis: string;
  provinceCode: string | null;
  fromYear: number;
  toYear: number;
  ruralThreshold: number;
  urbanThreshold: number;
  indicators: string[];
  poorMinLacking: number;
}

export const standardsQuery = () =>
  queryOptions({
    queryKey: ["poverty-standards"],
    queryFn: ({ signal }) => getJson<{ items: Standard[] }>("/poverty-standards", {}, signal),
  });

export const standardInForceQuery = (year: number, province: string) =>
  queryOptions({
    queryKey: ["poverty-standards", "in-force", year, province],
    queryFn: ({ signal }) =>
      getJson<{ year: number; applies: Standard; national: Standard | null; isLocal: boolean }>(
        "/poverty-standards/in-force",
        { year, province },
        signal,
      ),
    retry: false,
  });

export const createLocalStandard = (body: Omit<Standard, "id">) =>
  sendJson<Standard>("POST", "/poverty-standards", body);

export interface DuplicatePairView {
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

export const duplicatePairsQuery = (commune: string) =>
  queryOptions({
    queryKey: ["household-duplicates", commune],
    queryFn: ({ signal }) =>
      getJson<{ items: DuplicatePairView[] }>("/household-duplicates", { commune }, signal),
  });

export type DuplicateDecision =
  | { decision: "keep_both"; note?: string }
  | { decision: "merge"; keepHouseholdId: number; note?: string }
  | { decision: "move_member"; memberId: number; toHouseholdId: number; note?: string };

export const decidePair = (pair: DuplicatePairView, decision: DuplicateDecision) =>
  sendJson<{ id: number; status: string }>("POST", `/household-duplicates/${pair.id}/decision`, {
    ...decision,
    expectedVersion: pair.version,
  });
