/**
 * The frameworks Grassroots ships (domain README §2): the new-style rural commune criteria 2026–2030 (Decision
 * 51/2025/QĐ-TTg) and 2021–2025 (Decision 318/QĐ-TTg, amended by 211/QĐ-TTg), and the national commune health
 * criteria. Criteria names are the decisions'; a threshold is `verified` only where the domain notes give the figure,
 * `unverified` where we believe it but could not check it (a province administrator corrects it in the app), `demo`
 * where it was made up so the demo has something to show. Criteria whose indicators the catalogue lacks are judged
 * on a yes/no element "the commune meets criterion N" that the commune reports, as the programme's own assessment does.
 */
import type { FrameworkInput } from "./frameworks.ts";

type T = FrameworkInput["criteria"][number]["requirements"][number]["thresholds"][number];
const th = (group: string, value: number, status: T["status"], source: string | null = null): T => ({
  group,
  value,
  status,
  source,
});
const byGroup = (g1: number, g2: number, g3: number, status: T["status"], source: string | null = null) => [
  th("1", g1, status, source),
  th("2", g2, status, source),
  th("3", g3, status, source),
];
const yes = (dataCode: string, status: T["status"] = "unverified") => ({
  dataCode,
  comparison: "==" as const,
  thresholds: [th("all", 1, status)],
});

/** Yes/no elements "the commune meets criterion N", for criteria the catalogue has no indicator for. */
export interface CriterionElement {
  code: string;
  nameVi: string;
  nameEn: string;
}

const D51 = "Quyết định 51/2025/QĐ-TTg (số liệu ngưỡng chưa đối chiếu)";
const D318 = "Quyết định 318/QĐ-TTg";

export const ntm2026Elements: CriterionElement[] = [
  {
    code: "NTM26_PLANNING",
    nameVi: "Quy hoạch chung xã được phê duyệt, công bố và thực hiện (có/không)",
    nameEn: "Commune master plan approved, published and followed (yes/no)",
  },
  {
    code: "NTM26_DIGITAL",
    nameVi: "Xã đạt các chỉ tiêu khoa học, công nghệ và chuyển đổi số (có/không)",
    nameEn: "Commune meets the science, technology and digital transformation indicators (yes/no)",
  },
  {
    code: "NTM26_LAW_SECURITY",
    nameVi: "Xã đạt chuẩn tiếp cận pháp luật, an ninh, quốc phòng (có/không)",
    nameEn: "Commune meets access to law, security and defence (yes/no)",
  },
];

export const ntm2026: FrameworkInput = {
  code: "NTM_2026_2030",
  kind: "ntm_commune",
  nameVi: "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026–2030",
  nameEn: "National new-style rural commune criteria 2026–2030",
  legalBasis: "Quyết định 51/2025/QĐ-TTg ngày 29/12/2025",
  validFrom: "2026-02-15",
  validTo: null,
  programmeTargetPct: null,
  programmeTargetNote: null,
  criteria: [
    {
      code: "C01",
      nameVi: "Quy hoạch",
      nameEn: "Planning",
      requirements: [yes("NTM26_PLANNING")],
    },
    {
      code: "C02",
      nameVi: "Hạ tầng kinh tế – xã hội",
      nameEn: "Socio-economic infrastructure",
      requirements: [
        {
          dataCode: "ROAD_CONCRETE_PCT",
          comparison: ">=",
          thresholds: byGroup(100, 90, 70, "unverified", D51),
        },
        { dataCode: "GRID_PCT", comparison: ">=", thresholds: byGroup(99, 98, 95, "unverified", D51) },
        yes("ROAD_TO_CENTRE_CONCRETE"),
      ],
    },
    {
      code: "C03",
      nameVi: "Kinh tế nông thôn",
      nameEn: "Rural economic development",
      requirements: [
        {
          dataCode: "INCOME_PER_CAPITA",
          comparison: ">=",
          thresholds: byGroup(80, 70, 55, "unverified", D51),
        },
      ],
    },
    {
      code: "C04",
      nameVi: "Đào tạo nguồn nhân lực nông thôn",
      nameEn: "Rural workforce training",
      requirements: [
        {
          dataCode: "TRAINED_WORKERS_PCT",
          comparison: ">=",
          thresholds: byGroup(80, 75, 65, "unverified", D51),
        },
      ],
    },
    {
      code: "C05",
      nameVi: "Văn hoá, giáo dục và y tế",
      nameEn: "Culture, education and health",
      requirements: [
        {
          dataCode: "HEALTH_STANDARD_PCT",
          comparison: ">=",
          thresholds: [th("all", 100, "unverified", D51)],
        },
      ],
    },
    {
      code: "C06",
      nameVi: "Giảm nghèo và an sinh xã hội",
      nameEn: "Poverty reduction and social security",
      requirements: [
        { dataCode: "POVERTY_RATE", comparison: "<=", thresholds: byGroup(1.5, 3, 6, "unverified", D51) },
      ],
    },
    {
      code: "C07",
      nameVi: "Khoa học, công nghệ và chuyển đổi số",
      nameEn: "Science, technology and digital transformation",
      requirements: [yes("NTM26_DIGITAL")],
    },
    {
      code: "C08",
      nameVi: "Môi trường và cảnh quan nông thôn",
      nameEn: "Environment and rural landscape",
      requirements: [
        {
          dataCode: "CLEAN_WATER_PCT",
          comparison: ">=",
          thresholds: byGroup(100, 98, 95, "unverified", D51),
        },
      ],
    },
    {
      code: "C09",
      nameVi: "Hệ thống chính trị và hành chính công",
      nameEn: "Political system and public administration",
      requirements: [
        { dataCode: "PARTY_CELL_COVERAGE", comparison: ">=", thresholds: [th("all", 100, "demo")] },
      ],
    },
    {
      code: "C10",
      nameVi: "Tiếp cận pháp luật, an ninh và quốc phòng",
      nameEn: "Access to law, security and defence",
      requirements: [yes("NTM26_LAW_SECURITY")],
    },
  ],
};

const ntm2021Names: Array<[string, string]> = [
  ["Quy hoạch", "Planning"],
  ["Giao thông", "Transport"],
  ["Thuỷ lợi và phòng, chống thiên tai", "Irrigation and disaster prevention"],
  ["Điện", "Electricity"],
  ["Trường học", "Schools"],
  ["Cơ sở vật chất văn hoá", "Cultural facilities"],
  ["Cơ sở hạ tầng thương mại nông thôn", "Rural commercial infrastructure"],
  ["Thông tin và truyền thông", "Information and communications"],
  ["Nhà ở dân cư", "Housing"],
  ["Thu nhập", "Income"],
  ["Nghèo đa chiều", "Multidimensional poverty"],
  ["Lao động", "Employment"],
  ["Tổ chức sản xuất và phát triển kinh tế nông thôn", "Production organisation"],
  ["Giáo dục và đào tạo", "Education and training"],
  ["Y tế", "Health"],
  ["Văn hoá", "Culture"],
  ["Môi trường và an toàn thực phẩm", "Environment and food safety"],
  ["Hệ thống chính trị và tiếp cận pháp luật", "Political system and access to law"],
  ["Quốc phòng và an ninh", "Defence and security"],
];

/** Criteria of 2021–2025 judged on indicators of the catalogue; the others on a reported yes/no. */
const ntm2021Indicators: Record<number, FrameworkInput["criteria"][number]["requirements"]> = {
  2: [
    {
      dataCode: "ROAD_CONCRETE_PCT",
      comparison: ">=",
      thresholds: [th("all", 100, "verified", `${D318}, chỉ tiêu 2.1`)],
    },
    yes("ROAD_TO_CENTRE_CONCRETE"),
  ],
  4: [{ dataCode: "GRID_PCT", comparison: ">=", thresholds: [th("all", 98, "unverified", D318)] }],
  10: [
    {
      dataCode: "INCOME_PER_CAPITA",
      comparison: ">=",
      // 39 M VND (2022) is the figure for especially difficult communes; that they are group 3 is our reading.
      thresholds: [th("3", 39, "unverified", `${D318}: ≥ 39 triệu đồng/người (2022), xã đặc biệt khó khăn`)],
    },
  ],
  11: [{ dataCode: "POVERTY_RATE", comparison: "<=", thresholds: [th("all", 13, "unverified", D318)] }],
  14: [
    { dataCode: "TRAINED_WORKERS_PCT", comparison: ">=", thresholds: [th("all", 60, "unverified", D318)] },
  ],
  15: [
    { dataCode: "HEALTH_STANDARD_PCT", comparison: ">=", thresholds: [th("all", 100, "unverified", D318)] },
  ],
  17: [{ dataCode: "CLEAN_WATER_PCT", comparison: ">=", thresholds: [th("all", 95, "unverified", D318)] }],
};

const pad = (n: number) => String(n).padStart(2, "0");

export const ntm2021Elements: CriterionElement[] = ntm2021Names.flatMap(([vi, en], i) =>
  ntm2021Indicators[i + 1]
    ? []
    : [
        {
          code: `NTM21_C${pad(i + 1)}`,
          nameVi: `Xã đạt tiêu chí ${i + 1} – ${vi} (NTM 2021–2025, có/không)`,
          nameEn: `Commune meets criterion ${i + 1} – ${en} (NTM 2021–2025, yes/no)`,
        },
      ],
);

export const ntm2021: FrameworkInput = {
  code: "NTM_2021_2025",
  kind: "ntm_commune",
  nameVi: "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021–2025",
  nameEn: "National new-style rural commune criteria 2021–2025",
  legalBasis: "Quyết định 318/QĐ-TTg ngày 08/3/2022, sửa đổi bởi Quyết định 211/QĐ-TTg (2024)",
  validFrom: "2022-03-08",
  validTo: "2026-02-15",
  programmeTargetPct: 80,
  programmeTargetNote:
    "Quyết định 263/QĐ-TTg: ≥ 80 % số xã cả nước đạt chuẩn; vùng Trung du và miền núi phía Bắc 60 %",
  criteria: ntm2021Names.map(([nameVi, nameEn], i) => ({
    code: `C${pad(i + 1)}`,
    nameVi,
    nameEn,
    requirements: ntm2021Indicators[i + 1] ?? [yes(`NTM21_C${pad(i + 1)}`)],
  })),
};

const healthNames: Array<[string, string]> = [
  ["Chỉ đạo, điều hành công tác chăm sóc sức khoẻ nhân dân", "Direction of primary health care"],
  ["Nhân lực y tế", "Health workforce"],
  ["Cơ sở hạ tầng trạm y tế", "Health station infrastructure"],
  ["Trang thiết bị, thuốc và phương tiện khác", "Equipment, medicines and supplies"],
  ["Kế hoạch – tài chính", "Planning and finance"],
  ["Y tế dự phòng, vệ sinh môi trường, an toàn thực phẩm", "Prevention, sanitation and food safety"],
  [
    "Khám bệnh, chữa bệnh, phục hồi chức năng và y dược cổ truyền",
    "Treatment, rehabilitation, traditional medicine",
  ],
  ["Chăm sóc sức khoẻ bà mẹ – trẻ em", "Maternal and child health"],
  ["Dân số – kế hoạch hoá gia đình", "Population and family planning"],
  ["Truyền thông – giáo dục sức khoẻ", "Health communication and education"],
];

export const healthElements: CriterionElement[] = healthNames.map(([vi, en], i) => ({
  code: `YTX_C${pad(i + 1)}`,
  nameVi: `Trạm y tế đạt tiêu chí ${i + 1} – ${vi} (có/không)`,
  nameEn: `Health station meets criterion ${i + 1} – ${en} (yes/no)`,
}));

export const healthStation: FrameworkInput = {
  code: "YTX_2020",
  kind: "health_station",
  nameVi: "Bộ tiêu chí quốc gia về y tế xã giai đoạn đến 2020",
  nameEn: "National commune health criteria to 2020",
  legalBasis: "Quyết định 4667/QĐ-BYT ngày 07/11/2014 của Bộ Y tế (chưa đối chiếu văn bản)",
  validFrom: "2014-11-07",
  validTo: "2021-01-01",
  programmeTargetPct: null,
  programmeTargetNote: null,
  criteria: healthNames.map(([nameVi, nameEn], i) => ({
    code: `C${pad(i + 1)}`,
    nameVi,
    nameEn,
    requirements: [yes(`YTX_C${pad(i + 1)}`)],
  })),
};

export const shippedFrameworks = [ntm2026, ntm2021, healthStation];
