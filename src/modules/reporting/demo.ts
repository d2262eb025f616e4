import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import {
  createDataElement,
  createIndicator,
  createValidationRule,
  type DataElementInput,
  type IndicatorInput,
  type ValidationRuleInput,
} from "./catalogue.ts";
import { createForm } from "./form-designer.ts";
import { type ImportRow, importDataValues } from "./import-values.ts";
import { forms } from "./schema.ts";

/**
 * The demo "Commune socio-economic report" (Báo cáo kinh tế – xã hội cấp xã), built from the figures of the two seed
 * articles: the nine Sông Mã communes in 2025 (Sơn La) and the 21 Kỳ Sơn communes in 2014 (Nghệ An). Per-commune
 * values are illustrative; their totals reproduce the articles' figures. The form is flagged illustrative.
 */
export const DEMO_FORM = "KTXH_XA";

const el = (
  code: string,
  nameVi: string,
  nameEn: string,
  valueType: DataElementInput["valueType"],
  unitOfMeasure: string | null,
  aggregation: DataElementInput["aggregation"] = "sum",
): DataElementInput => ({ code, nameVi, nameEn, valueType, unitOfMeasure, aggregation });

export const demoElements: DataElementInput[] = [
  el("ROAD_KM_TOTAL", "Tổng chiều dài đường xã", "Commune road length, total", "number", "km"),
  el(
    "ROAD_KM_CONCRETE",
    "Chiều dài đường xã đã bê tông hoá",
    "Commune road length, concreted",
    "number",
    "km",
  ),
  el(
    "ROAD_TO_CENTRE_CONCRETE",
    "Đường đến trung tâm xã đã bê tông hoá",
    "Road to the commune centre concreted",
    "boolean",
    null,
    "last",
  ),
  el("RURAL_RESIDENTS", "Dân số nông thôn", "Rural residents", "integer", "người"),
  el(
    "RURAL_RESIDENTS_CLEAN_WATER",
    "Dân số nông thôn dùng nước sinh hoạt hợp vệ sinh",
    "Rural residents with hygienic water",
    "integer",
    "người",
  ),
  el(
    "URBAN_WASTE_T",
    "Chất thải rắn sinh hoạt đô thị phát sinh",
    "Urban solid waste generated",
    "number",
    "tấn/năm",
  ),
  el(
    "URBAN_WASTE_TREATED_T",
    "Chất thải rắn đô thị được thu gom, xử lý",
    "Urban solid waste collected and treated",
    "number",
    "tấn/năm",
  ),
  el("HH_TOTAL", "Tổng số hộ", "Households, total", "integer", "hộ"),
  el("HH_GRID", "Số hộ dùng điện lưới quốc gia", "Households on the national grid", "integer", "hộ"),
  el("FRUIT_HA", "Diện tích cây ăn quả", "Fruit-tree area", "number", "ha"),
  el("LONGAN_HA", "Diện tích nhãn", "Longan area", "number", "ha"),
  el("HH_POOR", "Số hộ nghèo", "Poor households", "integer", "hộ"),
  el("HH_NEAR_POOR", "Số hộ cận nghèo", "Near-poor households", "integer", "hộ"),
  // Income per head is an indicator (total income / population) so that a district's or province's figure is
  // weighted by population, as the statistics office computes it, not an unweighted mean of communes.
  el("INCOME_TOTAL", "Tổng thu nhập của dân cư", "Residents' total income", "number", "triệu đồng/năm"),
  el("POPULATION", "Dân số", "Population", "integer", "người"),
  el("HEALTH_STATIONS", "Số trạm y tế", "Health stations", "integer", "trạm"),
  el(
    "HEALTH_STATIONS_STANDARD",
    "Số trạm y tế đạt chuẩn quốc gia",
    "Health stations meeting the national standard",
    "integer",
    "trạm",
  ),
  el("HEALTH_STATIONS_DOCTOR", "Số trạm y tế có bác sĩ", "Health stations with a doctor", "integer", "trạm"),
  el("VILLAGES", "Số thôn, bản", "Villages", "integer", "thôn, bản"),
  el("PARTY_CELLS", "Số chi bộ thôn, bản", "Village Party cells", "integer", "chi bộ"),
];

const pct = (
  code: string,
  nameVi: string,
  nameEn: string,
  numerator: string,
  denominator: string,
  higherIsBetter = true,
): IndicatorInput => ({
  code,
  nameVi,
  nameEn,
  numerator,
  denominator,
  factor: 100,
  decimals: 1,
  higherIsBetter,
});

export const demoIndicators: IndicatorInput[] = [
  pct(
    "ROAD_CONCRETE_PCT",
    "Tỷ lệ đường xã được bê tông hoá",
    "% commune roads concreted",
    "#{ROAD_KM_CONCRETE}",
    "#{ROAD_KM_TOTAL}",
  ),
  pct(
    "CLEAN_WATER_PCT",
    "Tỷ lệ dân số nông thôn dùng nước hợp vệ sinh",
    "% rural residents with hygienic water",
    "#{RURAL_RESIDENTS_CLEAN_WATER}",
    "#{RURAL_RESIDENTS}",
  ),
  pct(
    "WASTE_TREATED_PCT",
    "Tỷ lệ chất thải rắn đô thị được thu gom, xử lý",
    "% urban solid waste treated",
    "#{URBAN_WASTE_TREATED_T}",
    "#{URBAN_WASTE_T}",
  ),
  pct(
    "GRID_PCT",
    "Tỷ lệ hộ dùng điện lưới quốc gia",
    "% households on the grid",
    "#{HH_GRID}",
    "#{HH_TOTAL}",
  ),
  pct("POVERTY_RATE", "Tỷ lệ hộ nghèo", "Poverty rate", "#{HH_POOR}", "#{HH_TOTAL}", false),
  pct(
    "NEAR_POVERTY_RATE",
    "Tỷ lệ hộ cận nghèo",
    "Near-poverty rate",
    "#{HH_NEAR_POOR}",
    "#{HH_TOTAL}",
    false,
  ),
  pct(
    "LONGAN_SHARE_PCT",
    "Tỷ trọng diện tích nhãn trong cây ăn quả",
    "Longan share of fruit area",
    "#{LONGAN_HA}",
    "#{FRUIT_HA}",
  ),
  pct(
    "HEALTH_STANDARD_PCT",
    "Tỷ lệ trạm y tế đạt chuẩn quốc gia",
    "% health stations meeting the standard",
    "#{HEALTH_STATIONS_STANDARD}",
    "#{HEALTH_STATIONS}",
  ),
  pct(
    "HEALTH_DOCTOR_PCT",
    "Tỷ lệ trạm y tế có bác sĩ",
    "% health stations with a doctor",
    "#{HEALTH_STATIONS_DOCTOR}",
    "#{HEALTH_STATIONS}",
  ),
  {
    code: "INCOME_PER_CAPITA",
    nameVi: "Thu nhập bình quân đầu người (triệu đồng/năm)",
    nameEn: "Income per capita (million VND a year)",
    numerator: "#{INCOME_TOTAL}",
    denominator: "#{POPULATION}",
    factor: 1,
    decimals: 1,
    higherIsBetter: true,
  },
  pct(
    "PARTY_CELL_COVERAGE",
    "Tỷ lệ thôn, bản có chi bộ",
    "% villages with a Party cell",
    "#{PARTY_CELLS}",
    "#{VILLAGES}",
  ),
];

const rule = (
  code: string,
  left: string,
  operator: ValidationRuleInput["operator"],
  right: string,
  messageVi: string,
  messageEn: string,
): ValidationRuleInput => ({
  code,
  left,
  operator,
  right,
  importance: "high",
  messageVi,
  messageEn,
});

export const demoRules: ValidationRuleInput[] = [
  rule(
    "ROAD_CONCRETE_LE_TOTAL",
    "#{ROAD_KM_CONCRETE}",
    "<=",
    "#{ROAD_KM_TOTAL}",
    "Đường đã bê tông hoá không thể dài hơn tổng chiều dài đường xã.",
    "Concreted road length cannot exceed total road length.",
  ),
  rule(
    "CLEAN_WATER_LE_RESIDENTS",
    "#{RURAL_RESIDENTS_CLEAN_WATER}",
    "<=",
    "#{RURAL_RESIDENTS}",
    "Số dân dùng nước hợp vệ sinh không thể vượt dân số nông thôn.",
    "Residents with hygienic water cannot exceed rural residents.",
  ),
  rule(
    "WASTE_TREATED_LE_GENERATED",
    "#{URBAN_WASTE_TREATED_T}",
    "<=",
    "#{URBAN_WASTE_T}",
    "Chất thải được xử lý không thể nhiều hơn chất thải phát sinh.",
    "Waste treated cannot exceed waste generated.",
  ),
  rule(
    "GRID_LE_HOUSEHOLDS",
    "#{HH_GRID}",
    "<=",
    "#{HH_TOTAL}",
    "Số hộ dùng điện lưới không thể vượt tổng số hộ.",
    "Households on the grid cannot exceed all households.",
  ),
  rule(
    "LONGAN_LE_FRUIT",
    "#{LONGAN_HA}",
    "<=",
    "#{FRUIT_HA}",
    "Diện tích nhãn không thể lớn hơn diện tích cây ăn quả.",
    "Longan area cannot exceed fruit-tree area.",
  ),
  rule(
    "POOR_LE_HOUSEHOLDS",
    "#{HH_POOR} + #{HH_NEAR_POOR}",
    "<=",
    "#{HH_TOTAL}",
    "Hộ nghèo cộng hộ cận nghèo không thể vượt tổng số hộ.",
    "Poor plus near-poor households cannot exceed all households.",
  ),
  rule(
    "STANDARD_LE_STATIONS",
    "#{HEALTH_STATIONS_STANDARD}",
    "<=",
    "#{HEALTH_STATIONS}",
    "Trạm đạt chuẩn không thể nhiều hơn số trạm y tế.",
    "Stations meeting the standard cannot exceed stations.",
  ),
  rule(
    "DOCTOR_LE_STATIONS",
    "#{HEALTH_STATIONS_DOCTOR}",
    "<=",
    "#{HEALTH_STATIONS}",
    "Trạm có bác sĩ không thể nhiều hơn số trạm y tế.",
    "Stations with a doctor cannot exceed stations.",
  ),
  rule(
    "PARTY_CELLS_LE_VILLAGES",
    "#{PARTY_CELLS}",
    "<=",
    "#{VILLAGES}",
    "Số chi bộ thôn, bản không thể nhiều hơn số thôn, bản.",
    "Village Party cells cannot exceed villages.",
  ),
];

/** The nine communes formed from the former Sông Mã district (data README). */
export const SONG_MA_COMMUNES = [
  "04168",
  "04171",
  "04222",
  "04219",
  "04204",
  "04183",
  "04186",
  "04210",
  "04195",
];
/** The 21 communes of Kỳ Sơn district before 1 July 2025 (the 12 communes of today reuse 12 of these codes). */
export const KY_SON_COMMUNES = [
  "16813",
  "16816",
  "16819",
  "16822",
  "16825",
  "16828",
  "16831",
  "16834",
  "16837",
  "16840",
  "16843",
  "16846",
  "16849",
  "16852",
  "16855",
  "16858",
  "16861",
  "16864",
  "16867",
  "16870",
  "16873",
];

/** Splits `total` into parts proportional to `weights`, rounded to `decimals`, the last part taking the remainder. */
export function apportion(total: number, weights: number[], decimals = 0): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const f = 10 ** decimals;
  const parts = weights.map((w) => Math.round(((total * w) / sum) * f) / f);
  const rest = Math.round((total - parts.slice(0, -1).reduce((a, b) => a + b, 0)) * f) / f;
  parts[parts.length - 1] = rest;
  return parts;
}

/**
 * Population and total income (million VND) of communes whose income per head is about `perHead`; with `overall`,
 * the totals are apportioned so that total income / population is exactly `overall` for all of them together.
 */
function incomeColumns(perHead: number[], population: number[], overall?: number) {
  const weights = perHead.map((x, i) => x * (population[i] ?? 0));
  const total = overall ?? weights.reduce((a, b) => a + b, 0) / population.reduce((a, b) => a + b, 0);
  const people = population.reduce((a, b) => a + b, 0);
  return { POPULATION: population, INCOME_TOTAL: apportion(total * people, weights, 1) };
}

/** 2025 values for Sông Mã: 54.5% roads concreted, 98.5% hygienic water, 79.9% urban waste treated, 96% on grid. */
function songMa2025(): ImportRow[] {
  const w = [1.6, 0.9, 1.1, 1.0, 1.2, 0.8, 0.9, 0.7, 0.8];
  const cols: Record<string, number[]> = {
    ROAD_KM_TOTAL: apportion(640, w, 1),
    ROAD_KM_CONCRETE: apportion(348.8, [1.9, 0.8, 1.1, 0.9, 1.2, 0.7, 0.8, 0.6, 0.7], 1), // 348.8 / 640 = 54.5%
    RURAL_RESIDENTS: apportion(132_000, w),
    RURAL_RESIDENTS_CLEAN_WATER: apportion(130_020, w), // 98.5%
    HH_TOTAL: apportion(34_500, w),
    HH_GRID: apportion(33_120, [1.62, 0.88, 1.1, 1.0, 1.2, 0.78, 0.9, 0.7, 0.82]), // 96%
    FRUIT_HA: apportion(11_050, [1.5, 1.0, 1.3, 1.1, 1.2, 0.7, 0.6, 0.6, 1.0], 1),
    LONGAN_HA: apportion(7_950, [1.3, 0.7, 1.0, 0.8, 0.9, 0.4, 0.3, 0.3, 0.8], 1),
    HH_POOR: apportion(3_450, [0.5, 1.0, 0.9, 1.1, 1.0, 1.4, 1.3, 1.5, 1.2]),
    HH_NEAR_POOR: apportion(2_760, [0.6, 1.0, 0.9, 1.0, 1.0, 1.2, 1.2, 1.3, 1.1]),
    ...incomeColumns([52.4, 41.2, 44.8, 40.5, 43.1, 36.2, 35.8, 33.9, 38.6], apportion(138_600, w)),
    HEALTH_STATIONS: [2, 1, 1, 1, 1, 1, 1, 1, 1],
    HEALTH_STATIONS_STANDARD: [2, 1, 1, 1, 1, 0, 1, 0, 1],
    HEALTH_STATIONS_DOCTOR: [2, 1, 1, 1, 1, 1, 0, 1, 1],
    VILLAGES: [38, 22, 30, 26, 31, 18, 20, 16, 21],
    PARTY_CELLS: [38, 22, 30, 26, 31, 18, 20, 16, 21],
  };
  const rows: ImportRow[] = [];
  for (const [i, unit] of SONG_MA_COMMUNES.entries()) {
    for (const [element, values] of Object.entries(cols))
      rows.push({ row: rows.length + 1, element, unit, period: "2025", value: values[i] });
    rows.push({
      row: rows.length + 1,
      element: "ROAD_TO_CENTRE_CONCRETE",
      unit,
      period: "2025",
      value: true,
    });
  }
  // Urban solid waste is reported by the commune holding the former township: 79.9% collected and treated.
  rows.push({ row: rows.length + 1, element: "URBAN_WASTE_T", unit: "04168", period: "2025", value: 5000 });
  rows.push({
    row: rows.length + 1,
    element: "URBAN_WASTE_TREATED_T",
    unit: "04168",
    period: "2025",
    value: 3995,
  });
  return rows;
}

/** 2014 values for Kỳ Sơn: poverty 52.79%, income 13.8 M VND, standard stations at Na Ngoi and Hữu Lập. */
function kySon2014(): ImportRow[] {
  const w = [
    1.6, 0.9, 0.8, 1.0, 0.9, 1.1, 1.2, 1.0, 1.1, 0.9, 0.8, 0.9, 1.0, 1.1, 1.0, 0.9, 1.0, 0.9, 0.8, 1.2, 0.9,
  ];
  const income = [
    17.6, 12.9, 13.1, 13.5, 12.6, 13.0, 12.8, 13.4, 14.2, 13.9, 12.7, 13.8, 14.6, 14.8, 13.2, 13.6, 14.4,
    14.1, 13.3, 14.0, 12.3,
  ];
  const cols: Record<string, number[]> = {
    HH_TOTAL: apportion(15_000, w),
    HH_POOR: apportion(
      7_919,
      w.map((x, i) => x * (i === 0 ? 0.5 : 1.05)),
    ), // 7,919 / 15,000 = 52.79%
    HH_NEAR_POOR: apportion(1_650, w),
    // Total income / population = 13.8 M VND a head for the district (the article's figure).
    ...incomeColumns(income, apportion(72_000, w), 13.8),
    HEALTH_STATIONS: w.map(() => 1),
    VILLAGES: [14, 9, 7, 8, 6, 10, 12, 9, 11, 8, 7, 9, 9, 11, 8, 7, 9, 8, 6, 12, 7],
    PARTY_CELLS: [14, 9, 7, 8, 6, 10, 12, 9, 11, 8, 7, 9, 9, 11, 8, 7, 9, 8, 6, 12, 7],
  };
  const standard = new Set(["16870", "16849"]); // Na Ngoi, Hữu Lập
  const doctor = new Set(["16837", "16828", "16846", "16831", "16816"]); // Nậm Cắn, Huồi Tụ, Bảo Thắng, Mường Lống, Mỹ Lý
  const rows: ImportRow[] = [];
  for (const [i, unit] of KY_SON_COMMUNES.entries()) {
    for (const [element, values] of Object.entries(cols))
      rows.push({ row: rows.length + 1, element, unit, period: "2014", value: values[i] });
    rows.push({
      row: rows.length + 1,
      element: "HEALTH_STATIONS_STANDARD",
      unit,
      period: "2014",
      value: standard.has(unit) ? 1 : 0,
    });
    rows.push({
      row: rows.length + 1,
      element: "HEALTH_STATIONS_DOCTOR",
      unit,
      period: "2014",
      value: doctor.has(unit) ? 1 : 0,
    });
  }
  return rows;
}

/** Loads the demo catalogue, form and values once; a second call finds the form and does nothing. */
export async function loadDemoReporting(
  db: Db,
  ctx: RequestContext,
): Promise<{ created: boolean; values: number }> {
  const [existing] = await db.select({ id: forms.id }).from(forms).where(eq(forms.code, DEMO_FORM));
  if (existing) return { created: false, values: 0 };
  for (const e of demoElements) await createDataElement(db, ctx, e);
  for (const i of demoIndicators) await createIndicator(db, ctx, i);
  for (const r of demoRules) await createValidationRule(db, ctx, r);
  const code = (c: string) => c;
  await createForm(db, ctx, {
    code: DEMO_FORM,
    nameVi: "Báo cáo kinh tế – xã hội cấp xã (minh hoạ)",
    nameEn: "Commune socio-economic report (illustrative)",
    periodType: "yearly",
    deadlineDays: 31,
    isIllustrative: true,
    sections: [
      {
        nameVi: "Hạ tầng giao thông",
        nameEn: "Roads",
        elements: ["ROAD_KM_TOTAL", "ROAD_KM_CONCRETE", "ROAD_TO_CENTRE_CONCRETE"].map(code),
      },
      {
        nameVi: "Nước sạch và môi trường",
        nameEn: "Water and environment",
        elements: [
          "RURAL_RESIDENTS",
          "RURAL_RESIDENTS_CLEAN_WATER",
          "URBAN_WASTE_T",
          "URBAN_WASTE_TREATED_T",
        ],
      },
      { nameVi: "Điện", nameEn: "Electricity", elements: ["HH_TOTAL", "HH_GRID"] },
      { nameVi: "Sản xuất nông nghiệp", nameEn: "Agriculture", elements: ["FRUIT_HA", "LONGAN_HA"] },
      {
        nameVi: "Giảm nghèo và thu nhập",
        nameEn: "Poverty and income",
        elements: ["HH_POOR", "HH_NEAR_POOR", "POPULATION", "INCOME_TOTAL"],
      },
      {
        nameVi: "Y tế",
        nameEn: "Health",
        elements: ["HEALTH_STATIONS", "HEALTH_STATIONS_STANDARD", "HEALTH_STATIONS_DOCTOR"],
      },
      { nameVi: "Hệ thống chính trị", nameEn: "Political system", elements: ["VILLAGES", "PARTY_CELLS"] },
    ],
    units: [...SONG_MA_COMMUNES, ...KY_SON_COMMUNES],
  });
  const result = await importDataValues(db, ctx, [...songMa2025(), ...kySon2014()]);
  return { created: true, values: result.written };
}
