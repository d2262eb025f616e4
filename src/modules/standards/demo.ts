import { eq, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { createDataElement, createIndicator } from "../reporting/catalogue.ts";
import { DEMO_FORM, KY_SON_COMMUNES, SONG_MA_COMMUNES } from "../reporting/demo.ts";
import { createForm, setFormUnits } from "../reporting/form-designer.ts";
import { type ImportRow, importDataValues } from "../reporting/import-values.ts";
import { forms, formUnits } from "../reporting/schema.ts";
import { todayInVietnam } from "../units/text.ts";
import { createFramework } from "./frameworks.ts";
import { setCommuneGroup } from "./groups.ts";
import { standardFrameworks } from "./schema.ts";
import { healthElements, ntm2021Elements, ntm2026Elements, shippedFrameworks } from "./shipped.ts";
import { createTarget } from "./targets.ts";

/** The illustrative form that carries the criteria's yes/no elements and the demo history before the 2025 merge. */
export const STANDARDS_DEMO_FORM = "NTM_XA";

/** The old communes each of the nine Sông Mã communes was formed from on 1 July 2025 (lineage.csv, full edges). */
export const SONG_MA_PREDECESSORS: Record<string, string[]> = {
  "04168": ["04168", "04198"],
  "04171": ["04171", "04174", "04180"],
  "04222": ["04213", "04222"],
  "04219": ["04207", "04219"],
  "04204": ["04204", "04216"],
  "04183": ["04183", "04189"],
  "04186": ["04177", "04186"],
  "04210": ["04201", "04210"],
  "04195": ["04192", "04195"],
};

const historyYears = [2022, 2023, 2024] as const;
const split = (n: number) => (n === 2 ? [0.55, 0.45] : [0.4, 0.3, 0.3]);
const round = (v: number, d = 0) => Math.round(v * 10 ** d) / 10 ** d;
/** The k-th of three yearly factors (2022, 2023, 2024). */
const at = (factors: readonly [number, number, number], k: number) => factors[k] ?? 1;

/**
 * Illustrative history of the Sông Mã communes (2022–2024, reported by the old communes before the merge, and
 * trained workers to 2025): each series ends at the 2025 values the seed article gives, so the scorecards have a
 * pace to project. 04210 keeps its concreted roads flat, so one commune shows "not at this pace".
 */
function songMaHistory(v2025: Map<string, Record<string, number>>): ImportRow[] {
  const rows: ImportRow[] = [];
  const push = (element: string, unit: string, period: string, value: unknown) =>
    rows.push({ row: rows.length + 1, element, unit, period, value });
  for (const [i, code] of SONG_MA_COMMUNES.entries()) {
    const now = v2025.get(code);
    const olds = SONG_MA_PREDECESSORS[code];
    if (!now || !olds) continue;
    const w = split(olds.length);
    const get = (k: string) => now[k] ?? 0;
    for (const [k, year] of historyYears.entries()) {
      const road = code === "04210" ? 1 : at([0.7, 0.8, 0.9], k);
      const hh = at([0.97, 0.98, 0.99], k);
      const gridRatio = get("HH_GRID") / get("HH_TOTAL") - at([0.05, 0.03, 0.015], k);
      const waterRatio =
        get("RURAL_RESIDENTS_CLEAN_WATER") / get("RURAL_RESIDENTS") - at([0.06, 0.04, 0.02], k);
      for (const [j, old] of olds.entries()) {
        const share = w[j] ?? 0;
        const p = String(year);
        const households = round(get("HH_TOTAL") * hh * share);
        const residents = round(get("RURAL_RESIDENTS") * hh * share);
        push("ROAD_KM_TOTAL", old, p, round(get("ROAD_KM_TOTAL") * share, 1));
        push("ROAD_KM_CONCRETE", old, p, round(get("ROAD_KM_CONCRETE") * road * share, 1));
        push("HH_TOTAL", old, p, households);
        push("HH_GRID", old, p, Math.min(households, round(households * gridRatio)));
        push("HH_POOR", old, p, round(get("HH_POOR") * at([1.6, 1.4, 1.2], k) * share));
        push("RURAL_RESIDENTS", old, p, residents);
        push("RURAL_RESIDENTS_CLEAN_WATER", old, p, Math.min(residents, round(residents * waterRatio)));
        // Income per head is an indicator (total income / population): its history comes from both, the income
        // growing towards 2025 at the same population share.
        const population = round(get("POPULATION") * hh * share);
        push("POPULATION", old, p, population);
        push("INCOME_TOTAL", old, p, round(get("INCOME_TOTAL") * hh * share * at([0.82, 0.88, 0.94], k), 1));
        const workers = round(residents * 0.55);
        push("WORKERS", old, p, workers);
        push("WORKERS_TRAINED", old, p, round(workers * (0.4 + i * 0.02 + k * 0.03)));
      }
    }
    const workers = round(get("RURAL_RESIDENTS") * 0.55);
    push("WORKERS", code, "2025", workers);
    push("WORKERS_TRAINED", code, "2025", round(workers * (0.49 + i * 0.02)));
    push("NTM26_PLANNING", code, "2025", true);
    push("NTM26_DIGITAL", code, "2025", ["04168", "04171", "04222", "04204"].includes(code));
    push("NTM26_LAW_SECURITY", code, "2025", code !== "04210");
    for (const [k, e] of ntm2021Elements.entries()) push(e.code, code, "2025", (i + k) % 5 !== 0);
  }
  return rows;
}

/** 2014 health-station criteria of Kỳ Sơn: Na Ngoi (16870) and Hữu Lập (16849) met the national standard. */
function kySonHealth(): ImportRow[] {
  const standard = new Set(["16870", "16849"]);
  return KY_SON_COMMUNES.flatMap((unit, i) =>
    healthElements.map((e, k) => ({
      row: i * healthElements.length + k + 1,
      element: e.code,
      unit,
      period: "2014",
      value: standard.has(unit) || (i * 3 + k) % 4 !== 0,
    })),
  );
}

/**
 * Loads the shipped frameworks with the indicators they need, the demo history, demo commune groups and a demo
 * province target, once: a second call finds the 2026–2030 framework and does nothing.
 */
export async function loadDemoStandards(db: Db, ctx: RequestContext): Promise<{ created: boolean }> {
  const [existing] = await db
    .select({ id: standardFrameworks.id })
    .from(standardFrameworks)
    .where(eq(standardFrameworks.code, "NTM_2026_2030"));
  if (existing) return { created: false };
  const yesNo = [...ntm2026Elements, ...ntm2021Elements, ...healthElements];
  for (const e of yesNo)
    await createDataElement(db, ctx, {
      ...e,
      valueType: "boolean",
      unitOfMeasure: null,
      aggregation: "last",
    });
  await createDataElement(db, ctx, {
    code: "WORKERS",
    nameVi: "Số lao động nông thôn trong độ tuổi",
    nameEn: "Rural workers of working age",
    valueType: "integer",
    unitOfMeasure: "người",
    aggregation: "sum",
  });
  await createDataElement(db, ctx, {
    code: "WORKERS_TRAINED",
    nameVi: "Số lao động nông thôn đã qua đào tạo",
    nameEn: "Rural workers with training",
    valueType: "integer",
    unitOfMeasure: "người",
    aggregation: "sum",
  });
  await createIndicator(db, ctx, {
    code: "TRAINED_WORKERS_PCT",
    nameVi: "Tỷ lệ lao động nông thôn qua đào tạo",
    nameEn: "% rural workers with training",
    numerator: "#{WORKERS_TRAINED}",
    denominator: "#{WORKERS}",
    factor: 100,
    decimals: 1,
    higherIsBetter: true,
  });
  const oldSongMa = [...new Set(Object.values(SONG_MA_PREDECESSORS).flat())];
  await createForm(db, ctx, {
    code: STANDARDS_DEMO_FORM,
    nameVi: "Chỉ số nông thôn mới và y tế xã (minh hoạ)",
    nameEn: "New-style rural and commune health indicators (illustrative)",
    periodType: "yearly",
    deadlineDays: 31,
    isIllustrative: true,
    sections: [
      { nameVi: "Lao động", nameEn: "Workforce", elements: ["WORKERS", "WORKERS_TRAINED"] },
      {
        nameVi: "Nông thôn mới 2026–2030",
        nameEn: "New-style rural 2026–2030",
        elements: ntm2026Elements.map((e) => e.code),
      },
      {
        nameVi: "Nông thôn mới 2021–2025",
        nameEn: "New-style rural 2021–2025",
        elements: ntm2021Elements.map((e) => e.code),
      },
      { nameVi: "Y tế xã", nameEn: "Commune health", elements: healthElements.map((e) => e.code) },
    ],
    units: [...new Set([...SONG_MA_COMMUNES, ...oldSongMa, ...KY_SON_COMMUNES])],
  });
  // The pre-merge history of the old Sông Mã communes goes on the demo socio-economic form too.
  const [form] = await db.select().from(forms).where(eq(forms.code, DEMO_FORM));
  if (form) {
    const units = await db
      .select({ code: formUnits.unitCode })
      .from(formUnits)
      .where(eq(formUnits.formId, form.id));
    await setFormUnits(db, ctx, DEMO_FORM, {
      units: [...new Set([...units.map((u) => u.code), ...oldSongMa])],
      version: form.version,
    });
  }
  const values = rowsOf<{ code: string; element: string; value: string }>(
    await db.execute(sql`
      SELECT v.code, e.code AS element, d.numeric_value::text AS value
      FROM data_values d JOIN unit_versions v ON v.id = d.unit_version_id JOIN data_elements e ON e.id = d.element_id
      WHERE d.period = '2025' AND v.code IN (${sql.join(
        SONG_MA_COMMUNES.map((c) => sql`${c}`),
        sql`, `,
      )})`),
  );
  const v2025 = new Map<string, Record<string, number>>();
  for (const r of values) {
    const m = v2025.get(r.code) ?? {};
    m[r.element] = Number(r.value);
    v2025.set(r.code, m);
  }
  await importDataValues(db, ctx, [...songMaHistory(v2025), ...kySonHealth()]);
  for (const f of shippedFrameworks) await createFramework(db, ctx, f);
  const today = todayInVietnam();
  const current = rowsOf<{ code: string }>(
    await db.execute(sql`
      SELECT code FROM unit_versions WHERE level = 'commune'
        AND code IN (${sql.join(
          [...SONG_MA_COMMUNES, ...KY_SON_COMMUNES].map((c) => sql`${c}`),
          sql`, `,
        )})
        AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)`),
  );
  for (const { code } of current)
    await setCommuneGroup(db, ctx, code, {
      group: code === "04168" ? 2 : 3,
      expected: null,
      reason: "Dữ liệu minh hoạ / demo assumption",
    });
  await createTarget(db, ctx, {
    dataCode: "ROAD_CONCRETE_PCT",
    unitCode: "14",
    period: "2027",
    value: 60,
    note: "Kế hoạch của tỉnh (minh hoạ) / Province plan (illustrative)",
  });
  await createTarget(db, ctx, {
    dataCode: "ROAD_CONCRETE_PCT",
    unitCode: "04168",
    period: "2027",
    value: 80,
    note: "Nghị quyết của xã (minh hoạ) / Commune resolution (illustrative)",
  });
  return { created: true };
}
