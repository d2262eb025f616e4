import { queryOptions } from "@tanstack/react-query";
import type {
  DirectionStatus,
  ProposalAction,
  ProposalOutcome,
  ProposalStatus,
} from "../../../../src/modules/sessions/rules.ts";
import { getJson, sendBytes, sendJson } from "../../api/client.ts";

export type { DirectionStatus, ProposalAction, ProposalOutcome, ProposalStatus };

/**
 * The working-sessions API as these screens use it (src/modules/sessions/routes.ts). The statuses come from the
 * server's own rules module; the shapes are kept here, as the other features do.
 */
export type ProposalCategory =
  | "staffing_quota"
  | "public_investment"
  | "infrastructure_project"
  | "headquarters"
  | "policy"
  | "other";
export const proposalCategories: readonly ProposalCategory[] = [
  "staffing_quota",
  "public_investment",
  "infrastructure_project",
  "headquarters",
  "policy",
  "other",
];
export const proposalStatuses: readonly ProposalStatus[] = [
  "received",
  "assigned",
  "under_review",
  "answered",
  "closed",
];
export const proposalOutcomes: readonly ProposalOutcome[] = [
  "accepted",
  "partly_accepted",
  "not_accepted",
  "noted",
];
export const directionStatuses: readonly DirectionStatus[] = [
  "overdue",
  "in_progress",
  "completed_late",
  "completed_on_time",
];

export interface UnitRef {
  code: string;
  name: string;
}

export interface SnapshotItem {
  code: string;
  nameVi: string;
  nameEn: string;
  period: string | null;
  value: number | null;
  decimals: number;
}

export interface MeetingSummary {
  id: number;
  title: string;
  heldOn: string;
  place: string;
  issuerUnitCode: string;
  chair: { name: string; position: string };
  hasNotice: boolean;
  isIllustrative: boolean;
  units: UnitRef[];
}

export interface Meeting {
  id: number;
  title: string;
  heldOn: string;
  place: string;
  issuerUnitCode: string;
  issuingBody: string;
  parentBody: string;
  chair: { name: string; position: string };
  agenda: string;
  minutes: string;
  notice: {
    number: string;
    symbol: string;
    date: string;
    signerName: string;
    signerTitle: string;
    recipients: string;
  } | null;
  isIllustrative: boolean;
  version: number;
  delegates: Array<{ name: string; title: string; body: string }>;
  units: Array<
    UnitRef & {
      report: string;
      snapshot: { asOf: string; items: SnapshotItem[]; reported: number; expected: number };
    }
  >;
}

export interface MeetingInput {
  title: string;
  heldOn: string;
  place: string;
  issuerUnitCode: string;
  issuingBody: string;
  parentBody?: string;
  chairName: string;
  chairPosition: string;
  agenda?: string;
  minutes?: string;
  delegates: Array<{ name: string; title: string; body: string }>;
  units: Array<{ code: string; report?: string }>;
  notice?: {
    number: string;
    symbol: string;
    date: string;
    signerName: string;
    signerTitle: string;
    recipients?: string;
  };
}

export interface Proposal {
  id: number;
  unit: UnitRef;
  issuerUnitCode: string;
  meetingId: number | null;
  category: ProposalCategory;
  content: string;
  amount: number | null;
  amountUnit: string | null;
  receivedOn: string;
  status: ProposalStatus;
  assignedTo: string | null;
  answerDue: string | null;
  isOverdue: boolean;
  answer: { outcome: ProposalOutcome; text: string; publishedOn: string | null } | null;
  draft: { outcome: ProposalOutcome | null; text: string } | null;
  isIllustrative: boolean;
  version: number;
}

export interface ProposalDetail extends Proposal {
  history: Array<{
    at: string;
    actorId: string;
    action: string;
    fromStatus: ProposalStatus | null;
    toStatus: ProposalStatus;
    note: string | null;
  }>;
}

export interface ProposalInput {
  unitCode: string;
  issuerUnitCode: string;
  meetingId?: number;
  category: ProposalCategory;
  content: string;
  amount?: number;
  amountUnit?: string;
}

export interface Direction {
  id: number;
  parentId: number | null;
  meetingId: number | null;
  issuerUnitCode: string;
  source: { number: string; date: string; body: string };
  content: string;
  leadUnit: UnitRef;
  cooperatingUnits: UnitRef[];
  dueDate: string;
  extendedDue: string | null;
  effectiveDue: string;
  priority: "high" | "normal" | "low";
  weight: number;
  progress: number;
  completedOn: string | null;
  status: DirectionStatus;
  subTaskCount: number;
  isIllustrative: boolean;
  version: number;
}

export interface Extension {
  id: number;
  directionId: number;
  requestedDue: string;
  reason: string;
  status: "pending" | "approved" | "refused";
  requestedBy: string;
  requestedOn: string;
  decidedBy: string | null;
  decidedOn: string | null;
  decisionNote: string | null;
}

export interface DirectionDetail extends Direction {
  subTasks: Direction[];
  reports: Array<{
    id: number;
    reportedOn: string;
    percent: number;
    narrative: string;
    reason: string | null;
    reportedBy: string;
    attachments: Array<{ id: number; fileName: string; contentType: string; size: number; sha256: string }>;
  }>;
  extensions: Extension[];
  can: { report: boolean; decide: boolean };
}

export interface DirectionInput {
  meetingId?: number;
  parentId?: number;
  issuerUnitCode: string;
  sourceNumber: string;
  sourceDate: string;
  sourceBody: string;
  content: string;
  leadUnitCode: string;
  cooperatingUnitCodes: string[];
  dueDate: string;
  priority: "high" | "normal" | "low";
  weight?: number;
}

export type StatusCounts = Record<DirectionStatus | "total", number>;
export interface DirectionSummary {
  today: string;
  byUnit: Array<UnitRef & { counts: StatusCounts }>;
  byIssuer: Array<{ body: string; counts: StatusCounts }>;
}

export interface DirectionFilter {
  unit?: string | undefined;
  issuer?: string | undefined;
  meeting?: number | undefined;
  status?: DirectionStatus | undefined;
  open?: "true" | undefined;
}

export interface ProposalFilter {
  unit?: string | undefined;
  meeting?: number | undefined;
  status?: ProposalStatus | undefined;
  overdue?: "true" | undefined;
  open?: "true" | undefined;
}

export const sessionKeys = {
  all: ["sessions"] as const,
  meetings: () => [...sessionKeys.all, "meetings"] as const,
  meeting: (id: number) => [...sessionKeys.all, "meeting", id] as const,
  proposals: (f: ProposalFilter) => [...sessionKeys.all, "proposals", f] as const,
  proposal: (id: number) => [...sessionKeys.all, "proposal", id] as const,
  directions: (f: DirectionFilter) => [...sessionKeys.all, "directions", f] as const,
  summary: (f: DirectionFilter) => [...sessionKeys.all, "summary", f] as const,
  direction: (id: number) => [...sessionKeys.all, "direction", id] as const,
  extensions: () => [...sessionKeys.all, "extensions"] as const,
};

export const meetingsQuery = () =>
  queryOptions({
    queryKey: sessionKeys.meetings(),
    queryFn: ({ signal }) => getJson<{ items: MeetingSummary[] }>("/meetings", {}, signal),
  });
export const meetingQuery = (id: number) =>
  queryOptions({
    queryKey: sessionKeys.meeting(id),
    queryFn: ({ signal }) => getJson<Meeting>(`/meetings/${id}`, {}, signal),
  });
export const proposalsQuery = (f: ProposalFilter) =>
  queryOptions({
    queryKey: sessionKeys.proposals(f),
    queryFn: ({ signal }) => getJson<{ items: Proposal[] }>("/proposals", { ...f }, signal),
  });
export const proposalQuery = (id: number) =>
  queryOptions({
    queryKey: sessionKeys.proposal(id),
    queryFn: ({ signal }) => getJson<ProposalDetail>(`/proposals/${id}`, {}, signal),
  });
export const directionsQuery = (f: DirectionFilter) =>
  queryOptions({
    queryKey: sessionKeys.directions(f),
    queryFn: ({ signal }) => getJson<{ today: string; items: Direction[] }>("/directions", { ...f }, signal),
  });
export const summaryQuery = (f: DirectionFilter) =>
  queryOptions({
    queryKey: sessionKeys.summary(f),
    queryFn: ({ signal }) => getJson<DirectionSummary>("/directions/summary", { ...f }, signal),
  });
export const directionQuery = (id: number) =>
  queryOptions({
    queryKey: sessionKeys.direction(id),
    queryFn: ({ signal }) => getJson<DirectionDetail>(`/directions/${id}`, {}, signal),
  });
export const extensionsQuery = () =>
  queryOptions({
    queryKey: sessionKeys.extensions(),
    queryFn: ({ signal }) =>
      getJson<{ items: Array<Extension & { direction: { id: number; content: string; leadUnit: string } }> }>(
        "/extensions",
        {},
        signal,
      ),
  });

export const recordMeeting = (input: MeetingInput) => sendJson<Meeting>("POST", "/meetings", input);
export const createProposal = (input: ProposalInput) => sendJson<Proposal>("POST", "/proposals", input);
export const actOnProposal = (
  id: number,
  input: {
    action: ProposalAction;
    expectedVersion: number;
    assignedTo?: string;
    answerDue?: string;
    outcome?: ProposalOutcome;
    answer?: string;
    note?: string;
  },
) => sendJson<Proposal>("POST", `/proposals/${id}/actions`, input);
export const createDirection = (input: DirectionInput) => sendJson<Direction>("POST", "/directions", input);
export const reportProgress = (
  id: number,
  input: { expectedVersion: number; percent: number; narrative: string; reason?: string },
) => sendJson<{ reportId: number; direction: Direction }>("POST", `/directions/${id}/progress`, input);
export const attachEvidence = (reportId: number, file: File) =>
  sendBytes<{ id: number; sha256: string }>(`/progress-reports/${reportId}/attachments`, file, {
    fileName: file.name,
  });
export const requestExtension = (id: number, input: { requestedDue: string; reason: string }) =>
  sendJson<Extension>("POST", `/directions/${id}/extensions`, input);
export const decideExtension = (id: number, input: { decision: "approved" | "refused"; note?: string }) =>
  sendJson<Extension>("POST", `/extensions/${id}/decision`, input);

/** Mirrors sessions.manage in src/modules/access/policies.ts; the server decides, this only hides buttons. */
export const canManageSessions = (role: string | undefined) =>
  role === "system_admin" || role === "province_admin" || role === "province_officer";
