import { queryOptions } from "@tanstack/react-query";
import { getJson } from "./client.ts";
import type { AuditPage } from "./types.ts";

export const auditPageSize = 50;

export interface AuditFilter {
  /** The acting user's id. */
  user?: string | undefined;
  unit?: string | undefined;
  kind?: string | undefined;
  /** ISO days, both inclusive (Vietnam time). */
  from?: string | undefined;
  to?: string | undefined;
  /** 1-based. */
  page?: number | undefined;
}

export const auditKeys = {
  all: ["audit"] as const,
  page: (filter: AuditFilter) =>
    [
      "audit",
      filter.user ?? "",
      filter.unit ?? "",
      filter.kind ?? "",
      filter.from ?? "",
      filter.to ?? "",
      filter.page ?? 1,
    ] as const,
};

/** One page of the audit trail the signed-in person may read, newest first. */
export function auditQuery(filter: AuditFilter) {
  return queryOptions({
    queryKey: auditKeys.page(filter),
    queryFn: ({ signal }) =>
      getJson<AuditPage>(
        "/audit",
        {
          user: filter.user,
          unit: filter.unit,
          kind: filter.kind,
          from: filter.from,
          to: filter.to,
          limit: auditPageSize,
          offset: ((filter.page ?? 1) - 1) * auditPageSize,
        },
        signal,
      ),
    // The trail grows with every write: always ask again when the page is opened.
    staleTime: 0,
  });
}
