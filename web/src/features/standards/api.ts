import { queryOptions } from "@tanstack/react-query";
import type {
  CommuneEvaluation,
  FrameworkSummary,
  FrameworkView,
  ProvinceSummary,
  TargetView,
  ThresholdStatus,
  ThresholdView,
} from "../../../../src/modules/standards/contract.ts";
import { ApiError, getJson, sendJson } from "../../api/client.ts";

export type {
  CommuneEvaluation,
  CriterionEvaluation,
  FrameworkSummary,
  FrameworkView,
  ProvinceSummary,
  RequirementEvaluation,
  TargetView,
  ThresholdStatus,
  ThresholdView,
} from "../../../../src/modules/standards/contract.ts";

/** The standards API (src/modules/standards/routes.ts); the shapes come from the server's contract file. */
export const standardsKeys = {
  all: ["standards"] as const,
  frameworks: ["standards", "frameworks"] as const,
  framework: (code: string) => ["standards", "frameworks", code] as const,
  scorecard: (code: string, unit: string, year: number) =>
    ["standards", "scorecard", code, unit, year] as const,
  overview: (code: string, unit: string, year: number) =>
    ["standards", "overview", code, unit, year] as const,
  targets: (unit: string) => ["standards", "targets", unit] as const,
};

const noRetryOn4xx = (count: number, error: unknown) =>
  !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2;

export const frameworksQuery = () =>
  queryOptions({
    queryKey: standardsKeys.frameworks,
    queryFn: ({ signal }) => getJson<{ items: FrameworkSummary[] }>("/standards/frameworks", {}, signal),
    staleTime: 60_000,
  });

export const frameworkQuery = (code: string) =>
  queryOptions({
    queryKey: standardsKeys.framework(code),
    queryFn: ({ signal }) => getJson<FrameworkView>(`/standards/frameworks/${code}`, {}, signal),
  });

export const scorecardQuery = (code: string, unit: string, year: number) =>
  queryOptions({
    queryKey: standardsKeys.scorecard(code, unit, year),
    queryFn: ({ signal }) =>
      getJson<{ framework: FrameworkSummary; evaluation: CommuneEvaluation }>(
        `/standards/frameworks/${code}/scorecard`,
        { unit, year: String(year) },
        signal,
      ),
    retry: noRetryOn4xx,
  });

export const overviewQuery = (code: string, unit: string, year: number) =>
  queryOptions({
    queryKey: standardsKeys.overview(code, unit, year),
    queryFn: ({ signal }) =>
      getJson<ProvinceSummary>(
        `/standards/frameworks/${code}/overview`,
        { unit, year: String(year) },
        signal,
      ),
    retry: noRetryOn4xx,
  });

export const targetsQuery = (unit: string) =>
  queryOptions({
    queryKey: standardsKeys.targets(unit),
    queryFn: ({ signal }) => getJson<{ items: TargetView[] }>("/standards/targets", { unit }, signal),
    staleTime: 60_000,
  });

/** The address of an export (the browser downloads it with the session cookie). */
export const exportHref = (
  kind: "scorecard" | "overview",
  code: string,
  unit: string,
  year: number,
  format: "xlsx" | "pdf",
  lang: "vi" | "en",
) =>
  `/api/v1/standards/frameworks/${code}/${kind}?${new URLSearchParams({ unit, year: String(year), format, lang })}`;

export const updateThreshold = (
  id: number,
  body: { version: number; value: number; status: ThresholdStatus },
) => sendJson<ThresholdView>("PATCH", `/standards/thresholds/${id}`, body);

export const setCommuneGroup = (code: string, body: { group: number | null; expected: number | null }) =>
  sendJson<{ communeGroup: number | null }>("PUT", `/standards/communes/${code}/group`, body);

export const createTarget = (body: {
  dataCode: string;
  unitCode: string;
  period: string;
  value: number;
  note: string | null;
}) => sendJson<TargetView>("POST", "/standards/targets", body);

export const deleteTarget = (id: number, version: number) =>
  sendJson("DELETE", `/standards/targets/${id}?version=${version}`);
