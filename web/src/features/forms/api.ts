import { queryOptions } from "@tanstack/react-query";
import { getJson, sendJson } from "../../api/client.ts";
import type { PeriodType } from "../catalogue/api.ts";

/** The form designer's calls (src/modules/reporting/form-routes.ts and form-designer.ts). */

export type DeadlineRule = "days_after_end" | "day_of_next_month";

/** Which units report: a list of codes, every commune of a province, or every village of a commune. */
export type UnitSelection = string[] | { communesOf: string } | { villagesOf: string };

export interface FormDesignInput {
  nameVi: string;
  nameEn: string;
  periodType: PeriodType;
  deadlineRule: DeadlineRule;
  deadlineDays: number;
  coverageThreshold: number;
  changeFactor: number;
  sections: Array<{ nameVi: string; nameEn: string; elements: string[] }>;
  units: UnitSelection;
}

export interface FormDesign extends Omit<FormDesignInput, "units"> {
  code: string;
  ownerUnitCode: string | null;
  retiredAt: string | null;
  version: number;
  /** The units this reader may assign. */
  units: string[];
  otherUnitCount: number;
}

export interface FormUsage {
  reports: number;
  valuesByElement: Record<string, number>;
}

export const formsKeys = {
  design: (code: string) => ["forms", "design", code] as const,
  usage: (code: string) => ["forms", "usage", code] as const,
};

export function formDesignQuery(code: string) {
  return queryOptions({
    queryKey: formsKeys.design(code),
    queryFn: ({ signal }) => getJson<FormDesign>(`/forms/${encodeURIComponent(code)}/design`, {}, signal),
    staleTime: 0,
  });
}

export function formUsageQuery(code: string) {
  return queryOptions({
    queryKey: formsKeys.usage(code),
    queryFn: ({ signal }) => getJson<FormUsage>(`/forms/${encodeURIComponent(code)}/usage`, {}, signal),
    staleTime: 0,
  });
}

export const createForm = (input: FormDesignInput & { code: string }) =>
  sendJson<{ code: string }>("POST", "/forms", input);

export const updateForm = (code: string, input: FormDesignInput & { version: number }) =>
  sendJson<{ code: string; version: number; keptValues: Array<{ element: string; values: number }> }>(
    "PUT",
    `/forms/${encodeURIComponent(code)}`,
    input,
  );

export const setRetired = (code: string, retired: boolean, version: number) =>
  sendJson<{ code: string; version: number; retiredAt: string | null }>(
    "POST",
    `/forms/${encodeURIComponent(code)}/retirement`,
    { retired, version },
  );

/** Whether this account may change the form (mirrors authority.ts; the server decides). */
export function mayDesign(
  user: { role: string; scope: { code: string } | null } | null | undefined,
  ownerUnitCode: string | null,
): boolean {
  if (user?.role === "system_admin") return true;
  return user?.role === "province_admin" && ownerUnitCode !== null && user.scope?.code === ownerUnitCode;
}
