/** Words and sentences of the exported scorecards, in Vietnamese and English, with vi-VN / en numbers. */
import type { CommuneEvaluation, RequirementEvaluation } from "./evaluate.ts";
import type { Projection, RequirementState } from "./projection.ts";

export type Lang = "vi" | "en";

export const labels = {
  vi: {
    scorecard: "Phiếu đánh giá tiêu chí",
    province: "Tổng hợp đánh giá tiêu chí của tỉnh",
    framework: "Bộ tiêu chí",
    legalBasis: "Căn cứ",
    commune: "Xã",
    group: "Nhóm xã",
    noGroup: "chưa xác định",
    region: "Vùng kinh tế - xã hội",
    regionThreshold: "ngưỡng vùng",
    year: "Năm đánh giá",
    coverage: "Số liệu",
    coverageText: (r: number, e: number) => `${r}/${e} đơn vị đã báo cáo trong năm`,
    criteriaMet: (m: number, t: number) => `Đạt ${m}/${t} tiêu chí`,
    criterion: "Tiêu chí",
    requirement: "Chỉ tiêu",
    value: "Giá trị",
    threshold: "Ngưỡng",
    state: "Kết quả",
    gap: "Còn thiếu",
    projection: "Dự báo",
    met: "Đạt",
    not_met: "Chưa đạt",
    no_data: "Chưa có số liệu",
    standardMet: "Xã đạt chuẩn",
    standardNotMet: "Xã chưa đạt chuẩn",
    standardUnknown: "Chưa đủ số liệu để kết luận",
    yes: "Có",
    no: "Không",
    verified: "đã đối chiếu",
    unverified: "chưa đối chiếu",
    demo: "minh hoạ",
    notAtPace: "Không đạt với tốc độ hiện nay",
    tooFewYears: "Chưa đủ số năm để dự báo",
    yesNo: "Chỉ tiêu có/không: không dự báo",
    reachedIn: (y: number) => `Đạt vào năm ${y}`,
    whole: {
      met: "Đã đạt chuẩn.",
      year: (y: number, b: string) =>
        `Với tốc độ hiện nay, xã đạt chuẩn vào năm ${y}; tiêu chí quyết định: ${b}.`,
      notAtPace: (b: string) => `Với tốc độ hiện nay, xã không đạt chuẩn: ${b} không tiến tới ngưỡng.`,
      noData: (b: string) => `Chưa dự báo được: thiếu số liệu tiêu chí ${b}.`,
    },
    reasons: {
      no_value: "Chưa có số liệu năm này",
      no_group: "Xã chưa được xếp nhóm",
      no_region: "Tỉnh chưa được xếp vùng",
      no_threshold: "Chưa có ngưỡng",
    },
    share: "Tỷ lệ xã đạt chuẩn",
    target: "Mục tiêu chương trình",
    noTarget: "chưa đặt",
    communes: "Số xã",
    judged: "Số xã đủ số liệu",
    distribution: "Phân bố số tiêu chí đạt",
    closest: "Các xã gần đạt chuẩn nhất",
    mostMissed: "Tiêu chí chưa đạt nhiều nhất",
    allCommunes: "Tất cả các xã",
    communesNotMet: "Số xã chưa đạt",
    communesNoData: "Số xã chưa có số liệu",
    communesAt: "Số xã",
    criteriaCount: "Số tiêu chí đạt",
    generated: "Lập lúc",
    unverifiedNote:
      "Ngưỡng đánh dấu \u201cchưa đối chiếu\u201d hoặc \u201cminh hoạ\u201d cần được kiểm tra với văn bản gốc.",
  },
  en: {
    scorecard: "Criteria scorecard",
    province: "Province criteria overview",
    framework: "Framework",
    legalBasis: "Legal basis",
    commune: "Commune",
    group: "Commune group",
    noGroup: "not set",
    region: "Socio-economic region",
    regionThreshold: "region threshold",
    year: "Year evaluated",
    coverage: "Data",
    coverageText: (r: number, e: number) => `${r} of ${e} units reported for the year`,
    criteriaMet: (m: number, t: number) => `${m} of ${t} criteria met`,
    criterion: "Criterion",
    requirement: "Requirement",
    value: "Value",
    threshold: "Threshold",
    state: "Result",
    gap: "Gap",
    projection: "Projection",
    met: "Met",
    not_met: "Not met",
    no_data: "No data",
    standardMet: "The commune meets the standard",
    standardNotMet: "The commune does not meet the standard",
    standardUnknown: "Not enough data to conclude",
    yes: "Yes",
    no: "No",
    verified: "verified",
    unverified: "unverified",
    demo: "demo",
    notAtPace: "Not at this pace",
    tooFewYears: "Too few years to project",
    yesNo: "Yes/no requirement: no projection",
    reachedIn: (y: number) => `Met in ${y}`,
    whole: {
      met: "The standard is met.",
      year: (y: number, b: string) => `At this pace the commune meets the standard in ${y}; binding: ${b}.`,
      notAtPace: (b: string) =>
        `At this pace the commune does not meet the standard: ${b} is not moving towards it.`,
      noData: (b: string) => `No projection: criteria ${b} lack data.`,
    },
    reasons: {
      no_value: "No value this year",
      no_group: "Commune group not set",
      no_region: "Province's region not set",
      no_threshold: "No threshold",
    },
    share: "Communes meeting the standard",
    target: "Programme target",
    noTarget: "none set",
    communes: "Communes",
    judged: "Communes with full data",
    distribution: "Distribution of criteria met",
    closest: "Communes closest to the standard",
    mostMissed: "Criteria most often missed",
    allCommunes: "All communes",
    communesNotMet: "Communes not meeting it",
    communesNoData: "Communes without data",
    communesAt: "Communes",
    criteriaCount: "Criteria met",
    generated: "Generated",
    unverifiedNote:
      "Thresholds marked \u201cunverified\u201d or \u201cdemo\u201d must be checked against the legal text.",
  },
} as const;

export const formatNumber = (lang: Lang, v: number, digits = 2) =>
  new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: digits }).format(v);

export function stateText(lang: Lang, s: RequirementState): string {
  return labels[lang][s];
}

export function valueText(lang: Lang, r: RequirementEvaluation): string {
  if (r.value === null) return "—";
  if (r.isYesNo) return r.value >= 1 ? labels[lang].yes : labels[lang].no;
  return `${formatNumber(lang, r.value)}${r.unit ? ` ${r.unit}` : ""}`;
}

export function thresholdText(lang: Lang, r: RequirementEvaluation): string {
  const t = r.threshold;
  if (!t) return "—";
  const v = r.isYesNo ? (t.value >= 1 ? labels[lang].yes : labels[lang].no) : formatNumber(lang, t.value);
  const cmp = r.isYesNo ? "" : `${r.comparison === ">=" ? "≥" : r.comparison === "<=" ? "≤" : "="} `;
  const unit = !r.isYesNo && r.unit ? ` ${r.unit}` : "";
  const status = t.status === "verified" ? "" : ` (${labels[lang][t.status]})`;
  const region = t.region
    ? ` [${labels[lang].regionThreshold}: ${lang === "vi" ? t.region.nameVi : t.region.nameEn}]`
    : "";
  return `${cmp}${v}${unit}${status}${region}`;
}

export function gapText(lang: Lang, r: RequirementEvaluation): string {
  if (r.state !== "not_met" || r.gap === null || r.isYesNo)
    return r.state === "no_data" && r.reason ? labels[lang].reasons[r.reason] : "";
  return `${formatNumber(lang, r.gap)}${r.unit ? ` ${r.unit}` : ""}`;
}

export function projectionText(lang: Lang, p: Projection | null): string {
  if (!p) return "";
  if (p.kind === "year") return labels[lang].reachedIn(p.year);
  if (p.kind === "not_at_this_pace") return labels[lang].notAtPace;
  return p.reason === "yes_no" ? labels[lang].yesNo : labels[lang].tooFewYears;
}

export function standardText(lang: Lang, e: CommuneEvaluation): string {
  return e.standard === "met"
    ? labels[lang].standardMet
    : e.standard === "not_met"
      ? labels[lang].standardNotMet
      : labels[lang].standardUnknown;
}

/** The sentence about when the whole standard would be met, naming criteria by their position and name. */
export function wholeProjectionText(lang: Lang, e: CommuneEvaluation): string {
  const names = (codes: string[]) =>
    codes
      .map((code) => {
        const c = e.criteria.find((x) => x.code === code);
        return c ? `${c.position}. ${lang === "vi" ? c.nameVi : c.nameEn}` : code;
      })
      .join("; ");
  const p = e.projection;
  const w = labels[lang].whole;
  if (p.kind === "met") return w.met;
  if (p.kind === "year") return w.year(p.year, names(p.binding));
  if (p.kind === "not_at_this_pace") return w.notAtPace(names(p.blocking));
  return w.noData(names(p.missing));
}
