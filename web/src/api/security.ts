import { queryOptions } from "@tanstack/react-query";
import { getJson } from "./client.ts";

/** What the security log records (the server's `SecurityEventKind`). */
export const securityEventKinds = [
  "sign_in_failed",
  "sign_in_throttled",
  "invalid_token",
  "csrf_failed",
  "forbidden",
  "out_of_scope",
] as const;
export type SecurityEventKind = (typeof securityEventKinds)[number];

export interface SecurityEvent {
  id: number;
  at: string;
  kind: SecurityEventKind;
  code: string;
  actor: { kind: string; id: string | null; username: string | null };
  username: string | null;
  address: string | null;
  method: string | null;
  path: string | null;
  unitCode: string | null;
  scopeCode: string | null;
  requestId: string | null;
  detail: unknown;
}

export interface SecurityPage {
  total: number;
  items: SecurityEvent[];
}

export const securityPageSize = 50;

export interface SecurityFilter {
  kind?: SecurityEventKind | undefined;
  /** 1-based. */
  page?: number | undefined;
}

/** One page of the security log the signed-in administrator may read, newest first. */
export function securityQuery(filter: SecurityFilter) {
  return queryOptions({
    queryKey: ["security", filter.kind ?? "", filter.page ?? 1] as const,
    queryFn: ({ signal }) =>
      getJson<SecurityPage>(
        "/security-events",
        {
          kind: filter.kind,
          limit: securityPageSize,
          offset: ((filter.page ?? 1) - 1) * securityPageSize,
        },
        signal,
      ),
    staleTime: 0,
  });
}
