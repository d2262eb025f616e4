import { queryOptions } from "@tanstack/react-query";
import { getJson, sendBytes, sendJson } from "../../api/client.ts";
import type { CycleStatus } from "./api.ts";

/** Support programmes, cycles' list edits and outcomes, disasters (src/modules/households/routes-support.ts, -disasters.ts). */

export type BenefitKind = "cash" | "goods" | "package";
export type NotDeliveredReason = "absent" | "moved" | "refused" | "died" | "other";
export const notDeliveredReasons: readonly NotDeliveredReason[] = [
  "absent",
  "moved",
  "refused",
  "died",
  "other",
];
export type DisasterKind = "flood" | "flash_flood" | "landslide" | "storm" | "other";
export const disasterKinds: readonly DisasterKind[] = ["flood", "flash_flood", "landslide", "storm", "other"];
export type HouseDamage = "none" | "damaged" | "destroyed";

export interface ProgrammeFields {
  name: string;
  funder: string;
  eligiblePoor: boolean;
  eligibleNearPoor: boolean;
  eligiblePolicy: boolean;
  disasterId: number | null;
  benefitKind: BenefitKind;
  benefitAmount: number;
  benefitDescription: string | null;
}

export interface Programme extends Omit<ProgrammeFields, "disasterId"> {
  id: number;
  unitCode: string;
  disaster: { id: number; name: string } | null;
  version: number;
}

export interface ProgrammeSummary extends Programme {
  unitName: string | null;
  cycles: number;
  listed: number;
  delivered: number;
}

export interface ProgrammeCycle {
  id: number;
  name: string;
  communeCode: string;
  communeName: string | null;
  eligibilityDate: string;
  status: CycleStatus;
  version: number;
  listed: number;
  delivered: number;
}

export interface ProgrammeView extends Programme {
  cycles: ProgrammeCycle[];
}

export interface CycleHeader {
  id: number;
  name: string;
  communeCode: string;
  communeName: string | null;
  eligibilityDate: string;
  status: CycleStatus;
  version: number;
  programme: {
    id: number;
    name: string;
    funder: string;
    benefitKind: BenefitKind;
    benefitAmount: number;
    benefitDescription: string | null;
  };
}

export interface ListedHousehold {
  householdId: number;
  code: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
  quantity: number;
  amount: number;
  basis: string;
  addedReason: string | null;
  notDeliveredReason: string | null;
  notDeliveredNote: string | null;
  deliveredOn: string | null;
  receivedBy: string | null;
  deliveredQuantity: number | null;
  deliveryNote: string | null;
  /** The name of a paper receipt written down before files could be kept (older deliveries). */
  evidenceFile: string | null;
  /** Files kept as evidence of the delivery (receipt photo, signed list). */
  evidence: EvidenceFile[];
}

export interface EvidenceFile {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
}

/** What the evidence picker offers: a phone's camera or gallery (image/*), PDF scans. */
export const evidenceAccept = "image/*,application/pdf,.pdf,.jpg,.jpeg,.png";

const typeByExtension: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};

/** Where an evidence file is downloaded (the server records the read). */
export const evidenceHref = (id: number) => `/api/v1/distribution-evidence/${id}`;

/**
 * Sends a file as evidence of a recorded delivery. A browser that gives a picked file no type (some Android galleries)
 * has it named from its extension, so the server's check by type, name and bytes still applies.
 */
export const uploadEvidence = (cycleId: number, householdId: number, file: File) => {
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  const body = file.type ? file : new Blob([file], { type: typeByExtension[extension] ?? "" });
  return sendBytes<EvidenceFile>(`/support-cycles/${cycleId}/entitlements/${householdId}/evidence`, body, {
    fileName: file.name,
  });
};

export interface CycleEntitlements {
  cycle: CycleHeader;
  total: number;
  items: ListedHousehold[];
  removed: Array<{ householdId: number; code: string; headName: string; reason: string; removedAt: string }>;
}

export interface CycleReconciliation {
  cycle: CycleHeader;
  status: CycleStatus;
  planned: number;
  approved: number;
  delivered: number;
  notDelivered: number;
  pending: number;
  removed: number;
  /** Deliveries with at least one evidence file (a count only). */
  deliveredWithEvidence: number;
  plannedAmount: number;
  deliveredAmount: number;
  plannedQuantity: number;
  deliveredQuantity: number;
  notDeliveredReasons: Array<{ reason: string; households: number }>;
  villages: Array<{
    villageCode: string;
    villageName: string | null;
    listed: number;
    listedAmount: number;
    listedQuantity: number;
    delivered: number;
    deliveredAmount: number;
    deliveredQuantity: number;
    notDelivered: number;
    pending: number;
  }>;
}

export interface DisasterSummary {
  id: number;
  name: string;
  kind: DisasterKind;
  startedOn: string;
  endedOn: string | null;
  unitCodes: string[];
  households: number;
  communesReported: number;
}

export interface CommuneDamage {
  communeCode: string;
  communeName: string | null;
  reported: boolean;
  households: number;
  peopleHurt: number;
  housesDestroyed: number;
  housesDamaged: number;
  cropsHa: number;
  livestockLost: number;
  reliefListed: number;
  reliefDelivered: number;
  reliefPlannedAmount: number;
  reliefDeliveredAmount: number;
}

export interface DisasterView {
  id: number;
  name: string;
  kind: DisasterKind;
  startedOn: string;
  endedOn: string | null;
  provinceCode: string;
  coverage: { expected: number; reported: number; withDamage: number };
  totals: Omit<CommuneDamage, "communeCode" | "communeName" | "reported">;
  communes: CommuneDamage[];
  programmes: Array<{
    id: number;
    name: string;
    funder: string;
    benefitKind: BenefitKind;
    benefitAmount: number;
    cycles: number;
  }>;
}

export interface DamageRow {
  householdId: number;
  code: string;
  headName: string;
  villageCode: string;
  peopleHurt: number;
  house: HouseDamage;
  cropsHa: number;
  livestockLost: number;
  note: string | null;
}

export interface FoundHousehold {
  id: number;
  code: string;
  headName: string;
  villageCode: string;
  villageName: string | null;
}

export const programmesQuery = (unit: string) =>
  queryOptions({
    queryKey: ["support-programmes", unit],
    queryFn: ({ signal }) => getJson<{ items: ProgrammeSummary[] }>("/support-programmes", { unit }, signal),
  });
export const programmeQuery = (id: number) =>
  queryOptions({
    queryKey: ["support-programme", id],
    queryFn: ({ signal }) => getJson<ProgrammeView>(`/support-programmes/${id}`, {}, signal),
  });
export const entitlementsQuery = (id: number) =>
  queryOptions({
    queryKey: ["support-cycle", id, "list"],
    queryFn: ({ signal }) =>
      getJson<CycleEntitlements>(`/support-cycles/${id}/entitlements`, { limit: 1000 }, signal),
  });
export const cycleReconciliationQuery = (id: number) =>
  queryOptions({
    queryKey: ["support-cycle", id, "reconciliation"],
    queryFn: ({ signal }) => getJson<CycleReconciliation>(`/support-cycles/${id}/reconciliation`, {}, signal),
  });
export const householdSearchQuery = (commune: string, q: string) =>
  queryOptions({
    queryKey: ["households", commune, q, "pick"],
    queryFn: ({ signal }) =>
      getJson<{ items: FoundHousehold[] }>("/households", { commune, q: q || undefined, limit: 8 }, signal),
    enabled: q.trim().length >= 2,
  });
export const disastersQuery = (where: { province?: string; commune?: string }) =>
  queryOptions({
    queryKey: ["disasters", where.province ?? "", where.commune ?? ""],
    queryFn: ({ signal }) => getJson<{ items: DisasterSummary[] }>("/disasters", where, signal),
  });
/** The province's live view: read again every 30 s while open, so the table follows the communes' entries. */
export const disasterQuery = (id: number) =>
  queryOptions({
    queryKey: ["disaster", id],
    queryFn: ({ signal }) => getJson<DisasterView>(`/disasters/${id}`, {}, signal),
    refetchInterval: 30_000,
  });
export const damagesQuery = (id: number, commune: string) =>
  queryOptions({
    queryKey: ["disaster", id, "damages", commune],
    queryFn: ({ signal }) => getJson<{ items: DamageRow[] }>(`/disasters/${id}/damages`, { commune }, signal),
  });

export const createProgramme = (body: ProgrammeFields & { unitCode: string }) =>
  sendJson<{ id: number; version: number }>("POST", "/support-programmes", body);
export const updateProgramme = (id: number, body: ProgrammeFields & { expectedVersion: number }) =>
  sendJson<{ id: number; version: number }>("PATCH", `/support-programmes/${id}`, body);
export const createCycle = (body: {
  programmeId: number;
  name: string;
  communeCode: string;
  eligibilityDate: string;
}) => sendJson<{ id: number }>("POST", "/support-cycles", body);
export const proposeList = (id: number) =>
  sendJson<{ added: number }>("POST", `/support-cycles/${id}/propose`, {});
export const addByHand = (id: number, householdId: number, reason: string) =>
  sendJson("POST", `/support-cycles/${id}/entitlements`, { householdId, reason, basis: "manual" });
export const removeFromList = (id: number, householdId: number, reason: string) =>
  sendJson("POST", `/support-cycles/${id}/entitlements/${householdId}/remove`, { reason });
export const moveCycle = (
  id: number,
  action: "submit" | "approve" | "return",
  version: number,
  reason?: string,
) => sendJson("POST", `/support-cycles/${id}/transition`, { action, expectedVersion: version, reason });
export const recordDelivered = (
  id: number,
  body: {
    householdId: number;
    deliveredOn: string;
    receivedBy: string;
    quantity?: number;
    note?: string;
    evidenceFile?: string;
  },
) => sendJson("POST", `/support-cycles/${id}/distributions`, body);
export const recordNotDelivered = (
  id: number,
  body: { householdId: number; reason: NotDeliveredReason; note?: string },
) => sendJson("POST", `/support-cycles/${id}/not-delivered`, body);
export const createDisaster = (body: {
  name: string;
  kind: DisasterKind;
  startedOn: string;
  endedOn: string | null;
  /** Left out by a commune: the province of the communes struck. */
  provinceCode?: string;
  unitCodes: string[];
}) => sendJson<{ id: number }>("POST", "/disasters", body);
export const recordDamage = (
  id: number,
  body: {
    householdId: number;
    peopleHurt: number;
    house: HouseDamage;
    cropsHa: number;
    livestockLost: number;
    note?: string;
  },
) => sendJson("POST", `/disasters/${id}/damages`, body);
export const reportDamageComplete = (id: number, communeCode: string) =>
  sendJson("POST", `/disasters/${id}/reports`, { communeCode });
