/**
 * The shapes the standards API answers with, free of imports so that the web app takes its types from here (one
 * contract, not two copies).
 */

/** `region` thresholds name their region in `region` (a code of GET /standards/regions). */
export type ThresholdGroup = "all" | "1" | "2" | "3" | "region";
export type ThresholdStatus = "verified" | "unverified" | "demo";
export type Comparison = ">=" | "<=" | "==";

export interface RegionRef {
  code: string;
  nameVi: string;
  nameEn: string;
}

export interface RegionsView {
  regions: Array<RegionRef & { position: number }>;
  /** Each current province's region (null: not set), with the version an edit must name. */
  provinces: Array<{ code: string; name: string; region: string | null; version: number }>;
}

export interface ThresholdView {
  id: number;
  group: ThresholdGroup;
  /** The region's code for a `region` threshold, else null. */
  region: string | null;
  value: number;
  status: ThresholdStatus;
  source: string | null;
  version: number;
}

export interface RequirementView {
  id: number;
  dataCode: string;
  dataKind: "indicator" | "element" | "missing";
  nameVi: string;
  nameEn: string;
  valueType: "number" | "integer" | "percentage" | "boolean" | "text" | null;
  unit: string | null;
  comparison: Comparison;
  thresholds: ThresholdView[];
}

export interface CriterionView {
  id: number;
  position: number;
  code: string;
  nameVi: string;
  nameEn: string;
  requirements: RequirementView[];
}

export interface FrameworkSummary {
  id: number;
  code: string;
  kind: string;
  nameVi: string;
  nameEn: string;
  legalBasis: string | null;
  validFrom: string;
  validTo: string | null;
  programmeTargetPct: number | null;
  programmeTargetNote: string | null;
  criteriaCount: number;
  /** Thresholds not verified against the legal text, and those made up for the demo. */
  unverifiedThresholds: number;
  demoThresholds: number;
  version: number;
}

export interface FrameworkView extends FrameworkSummary {
  criteria: CriterionView[];
}

export type RequirementState = "met" | "not_met" | "no_data";

export interface YearValue {
  year: number;
  value: number;
}

export type Projection =
  /** Met at this pace in `year` (the first year the fitted trend reaches the threshold). */
  | { kind: "year"; year: number; slopePerYear: number; basedOn: number[] }
  /** The trend is flat or moves away from the threshold, or would take past `horizon`. */
  | { kind: "not_at_this_pace"; slopePerYear: number; basedOn: number[] }
  /** Fewer than two years with values, or a yes/no requirement (no pace to speak of). */
  | { kind: "cannot_project"; reason: "too_few_years" | "yes_no"; basedOn: number[] };

/** When the whole standard would be met. */
export type StandardProjection =
  | { kind: "met" }
  | { kind: "year"; year: number; binding: string[] }
  | { kind: "not_at_this_pace"; blocking: string[] }
  | { kind: "no_data"; missing: string[] };

export interface RequirementEvaluation {
  requirementId: number;
  dataCode: string;
  nameVi: string;
  nameEn: string;
  unit: string | null;
  isYesNo: boolean;
  comparison: Comparison;
  /** The threshold that applies to this commune: its group's, else its province's region's, else the one for all. */
  threshold: {
    id: number;
    group: ThresholdGroup;
    region: RegionRef | null;
    value: number;
    status: ThresholdStatus;
  } | null;
  value: number | null;
  state: RequirementState;
  /** Why there is no judgement: no value that year, no group set while the thresholds differ by group. */
  reason: "no_value" | "no_group" | "no_region" | "no_threshold" | null;
  /** In the indicator's own units; 0 when met; null without a value. */
  gap: number | null;
  /** Some value belonging here could not be placed (a partial lineage edge without a share). */
  incomplete: boolean;
  /** The values of the last years the projection reads. */
  series: YearValue[];
  projection: Projection | null;
}

export interface CriterionEvaluation {
  code: string;
  position: number;
  nameVi: string;
  nameEn: string;
  state: RequirementState;
  requirements: RequirementEvaluation[];
  /** The year this criterion would be met at the commune's pace (null if met, unknown or not at this pace). */
  projectedYear: number | null;
}

export interface CommuneEvaluation {
  unit: {
    code: string;
    name: string;
    parentCode: string | null;
    communeGroup: number | null;
    /** The socio-economic region of the commune's province (null: not set for the province). */
    region: RegionRef | null;
  };
  year: number;
  criteria: CriterionEvaluation[];
  metCount: number;
  notMetCount: number;
  noDataCount: number;
  total: number;
  /** met: every criterion met; not_met: one is not; no_data: none failed but some lack data. */
  standard: RequirementState;
  projection: StandardProjection;
  /**
   * The unit versions whose reports make up this commune in this year (itself, or its predecessors before a merge)
   * and how many of them reported anything for the year.
   */
  coverage: {
    reported: number;
    expected: number;
    units: Array<{ code: string; name: string; reported: boolean }>;
  };
}

export interface ProvinceSummary {
  framework: FrameworkSummary;
  year: number;
  unit: { code: string; name: string };
  communes: number;
  /** Communes whose every criterion could be judged (no criterion without data). */
  judged: number;
  met: number;
  /** met / communes, in %; the communes without a full judgement are counted as not (yet) shown to meet it. */
  sharePct: number;
  programmeTargetPct: number | null;
  /** How many communes meet k criteria, k = 0 … total; `withUnknown` of them have criteria lacking data. */
  distribution: Array<{ criteriaMet: number; communes: number; withUnknown: number }>;
  closest: Array<{
    code: string;
    name: string;
    communeGroup: number | null;
    metCount: number;
    notMet: string[];
    noData: number;
    projection: CommuneEvaluation["projection"];
  }>;
  mostMissed: Array<{
    code: string;
    nameVi: string;
    nameEn: string;
    notMet: number;
    noData: number;
    met: number;
  }>;
  evaluations: CommuneEvaluation[];
}

export interface TargetView {
  id: number;
  dataCode: string;
  unitCode: string;
  period: string;
  value: number;
  note: string | null;
  version: number;
}
