/**
 * Evaluation of a standard for communes and a year, from the live analytics: the same in-process engine that
 * answers GET /api/v1/analytics, in today's hierarchy, so a merged commune is judged on the roll-up of its
 * predecessors for the years before the merge. Nothing is stored: an edited value or threshold changes the next read.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rowsOf } from "../../db/client.ts";
import { badRequest, unprocessable } from "../../http/errors.ts";
import type { AnalyticsEngine, UnitSpec } from "../analytics/index.ts";
import { todayInVietnam } from "../units/text.ts";
import type {
  CommuneEvaluation,
  CriterionEvaluation,
  ProvinceSummary,
  RegionRef,
  RequirementEvaluation,
} from "./contract.ts";
import type { FrameworkView, RequirementView } from "./frameworks.ts";
import {
  criterionState,
  gapOf,
  projectYear,
  type RequirementState,
  satisfies,
  standardProjection,
  trendYears,
  type YearValue,
} from "./projection.ts";

export interface EvaluationDeps {
  db: Db;
  engine: AnalyticsEngine;
  /** YYYY-MM-DD: the hierarchy evaluated in (default today in Vietnam). */
  today?: string;
}

export type {
  CommuneEvaluation,
  CriterionEvaluation,
  ProvinceSummary,
  RequirementEvaluation,
} from "./contract.ts";

const yearsOf = (year: number) => Array.from({ length: trendYears }, (_, i) => year - trendYears + 1 + i);

export function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 + trendYears || year > 2100)
    throw badRequest("invalid_year", {
      vi: `Năm ${year} không hợp lệ.`,
      en: `Year ${year} is not valid.`,
    });
}

/** The commune's group's threshold if it has a group and one exists, else its region's, else the one for all. */
export function pickThreshold(req: RequirementView, group: number | null, region: string | null) {
  const own = group === null ? undefined : req.thresholds.find((t) => t.group === String(group));
  const regional =
    region === null ? undefined : req.thresholds.find((t) => t.group === "region" && t.region === region);
  return own ?? regional ?? req.thresholds.find((t) => t.group === "all") ?? null;
}

/** Why no threshold applies: the commune lacks the group (or its province the region) the thresholds are set for. */
function missingReason(req: RequirementView, group: number | null, region: string | null) {
  if (group === null && req.thresholds.some((t) => ["1", "2", "3"].includes(t.group))) return "no_group";
  if (region === null && req.thresholds.some((t) => t.group === "region")) return "no_region";
  return "no_threshold";
}

/**
 * A yes/no element rolled up over several predecessors sums their answers; the merged commune has it only when
 * every one of them said yes.
 */
function normaliseYesNo(value: number, expected: number): number {
  if (value <= 0) return 0;
  return value >= Math.max(1, expected) ? 1 : 0;
}

interface CommuneInputs {
  code: string;
  name: string;
  parentCode: string | null;
  communeGroup: number | null;
  region: RegionRef | null;
  values: Map<string, Map<number, { value: number | null; incomplete: boolean }>>;
  coverage: CommuneEvaluation["coverage"];
}

/** Judges one commune from its values (code → year → value): pure, so the rules are tested without a database. */
export function judgeCommune(
  framework: FrameworkView,
  year: number,
  input: CommuneInputs,
): CommuneEvaluation {
  const criteria: CriterionEvaluation[] = framework.criteria.map((c) => {
    const requirements = c.requirements.map((r): RequirementEvaluation => {
      const isYesNo = r.valueType === "boolean";
      const byYear = input.values.get(r.dataCode) ?? new Map();
      const norm = (v: number) => (isYesNo ? normaliseYesNo(v, input.coverage.expected) : v);
      const series: YearValue[] = [];
      for (const [y, cell] of byYear)
        if (cell.value !== null && y <= year) series.push({ year: y, value: norm(cell.value) });
      series.sort((a, b) => a.year - b.year);
      const cell = byYear.get(year);
      const value = cell?.value === null || cell?.value === undefined ? null : norm(cell.value);
      const t = pickThreshold(r, input.communeGroup, input.region?.code ?? null);
      const base = {
        requirementId: r.id,
        dataCode: r.dataCode,
        nameVi: r.nameVi,
        nameEn: r.nameEn,
        unit: r.unit,
        isYesNo,
        comparison: r.comparison,
        threshold: t
          ? {
              id: t.id,
              group: t.group,
              region: t.group === "region" ? input.region : null,
              value: t.value,
              status: t.status,
            }
          : null,
        value,
        incomplete: cell?.incomplete ?? false,
        series,
      };
      if (!t)
        return {
          ...base,
          state: "no_data",
          reason: missingReason(r, input.communeGroup, input.region?.code ?? null),
          gap: null,
          projection: null,
        };
      if (value === null)
        return { ...base, state: "no_data", reason: "no_value", gap: null, projection: null };
      const met = satisfies(value, r.comparison, t.value);
      return {
        ...base,
        state: met ? "met" : "not_met",
        reason: null,
        gap: Math.round(gapOf(value, r.comparison, t.value) * 1000) / 1000,
        projection: met ? null : projectYear(series, r.comparison, t.value, year, isYesNo),
      };
    });
    const state = criterionState(requirements.map((r) => r.state));
    const unmet = requirements.filter((r) => r.state === "not_met");
    const years = unmet.map((r) => (r.projection?.kind === "year" ? r.projection.year : null));
    const projectedYear =
      state === "not_met" && years.every((y) => y !== null) ? Math.max(...(years as number[])) : null;
    return {
      code: c.code,
      position: c.position,
      nameVi: c.nameVi,
      nameEn: c.nameEn,
      state,
      requirements,
      projectedYear,
    };
  });
  const count = (s: RequirementState) => criteria.filter((c) => c.state === s).length;
  return {
    unit: {
      code: input.code,
      name: input.name,
      parentCode: input.parentCode,
      communeGroup: input.communeGroup,
      region: input.region,
    },
    year,
    criteria,
    metCount: count("met"),
    notMetCount: count("not_met"),
    noDataCount: count("no_data"),
    total: criteria.length,
    standard: criterionState(criteria.map((c) => c.state)),
    projection: standardProjection(
      criteria.map((c) => ({
        code: c.code,
        state: c.state,
        projectedYear: c.projectedYear,
        blocked: c.state === "not_met" && c.projectedYear === null,
      })),
    ),
    coverage: input.coverage,
  };
}

/** Each current commune's group, and the versions that make it up in `year` with whether each reported then. */
async function communeFacts(db: Db, codes: readonly string[], year: number, today: string) {
  if (codes.length === 0)
    return {
      groups: new Map<string, number | null>(),
      regions: new Map<string, RegionRef | null>(),
      coverage: new Map(),
    };
  const list = sql.join(
    codes.map((c) => sql`${c}`),
    sql`, `,
  );
  const yearEnd = `${year}-12-31`;
  const groups = rowsOf<{
    code: string;
    commune_group: number | null;
    region_code: string | null;
    name_vi: string | null;
    name_en: string | null;
  }>(
    await db.execute(sql`
      SELECT v.code, v.commune_group, r.code AS region_code, r.name_vi, r.name_en FROM unit_versions v
      LEFT JOIN province_regions p ON p.province_code = v.parent_code
      LEFT JOIN socioeconomic_regions r ON r.code = p.region_code
      WHERE v.code IN (${list}) AND (v.valid_from IS NULL OR v.valid_from <= ${today}::date)
        AND (v.valid_to IS NULL OR v.valid_to > ${today}::date)`),
  );
  // A value belongs to the version valid on its period's last day, so the year's reporters are the versions of the
  // commune's lineage (itself included) valid on 31 December of that year.
  const rows = rowsOf<{ root: string; code: string; name: string; reported: boolean }>(
    await db.execute(sql`
      WITH RECURSIVE cur AS (
        SELECT id, code FROM unit_versions
        WHERE code IN (${list}) AND (valid_from IS NULL OR valid_from <= ${today}::date)
          AND (valid_to IS NULL OR valid_to > ${today}::date)
      ), anc(root, vid) AS (
        SELECT code, id FROM cur
        UNION
        SELECT anc.root, e.predecessor_id FROM lineage_edges e JOIN anc ON e.successor_id = anc.vid
      )
      SELECT anc.root, v.code, v.name,
        EXISTS (SELECT 1 FROM data_values d WHERE d.unit_version_id = v.id AND d.period LIKE ${`${year}%`}) AS reported
      FROM anc JOIN unit_versions v ON v.id = anc.vid
      WHERE (v.valid_from IS NULL OR v.valid_from <= ${yearEnd}::date) AND (v.valid_to IS NULL OR v.valid_to > ${yearEnd}::date)
      ORDER BY anc.root, v.code`),
  );
  const coverage = new Map<string, CommuneEvaluation["coverage"]>();
  for (const r of rows) {
    const c = coverage.get(r.root) ?? { reported: 0, expected: 0, units: [] };
    c.expected += 1;
    if (r.reported) c.reported += 1;
    c.units.push({ code: r.code, name: r.name, reported: Boolean(r.reported) });
    coverage.set(r.root, c);
  }
  return {
    groups: new Map(groups.map((g) => [g.code, g.commune_group === null ? null : Number(g.commune_group)])),
    regions: new Map(
      groups.map((g): [string, RegionRef | null] => [
        g.code,
        g.region_code === null
          ? null
          : { code: g.region_code, nameVi: g.name_vi ?? g.region_code, nameEn: g.name_en ?? g.region_code },
      ]),
    ),
    coverage,
  };
}

/** Evaluates every commune the unit spec names (a commune itself, or a province's communes) for `year`. */
export async function evaluateCommunes(
  deps: EvaluationDeps,
  framework: FrameworkView,
  spec: UnitSpec,
  year: number,
): Promise<CommuneEvaluation[]> {
  assertYear(year);
  const today = deps.today ?? todayInVietnam();
  const codes = [...new Set(framework.criteria.flatMap((c) => c.requirements.map((r) => r.dataCode)))];
  if (codes.length === 0)
    throw unprocessable("framework_empty", {
      vi: "Bộ tiêu chí chưa có yêu cầu nào để đánh giá.",
      en: "The framework has no requirement to evaluate.",
    });
  const result = await deps.engine.pivot(
    { data: codes, periods: yearsOf(year).map(String), units: [spec], hierarchyDate: today },
    { today },
  );
  const units = result.metadata.units.filter((u) => u.level === "commune");
  const facts = await communeFacts(
    deps.db,
    units.map((u) => u.code),
    year,
    today,
  );
  const values = new Map<string, CommuneInputs["values"]>();
  for (const row of result.rows) {
    const byCode = values.get(row.unit) ?? new Map();
    const byYear = byCode.get(row.data) ?? new Map();
    byYear.set(Number(row.period), { value: row.value, incomplete: row.incomplete === true });
    byCode.set(row.data, byYear);
    values.set(row.unit, byCode);
  }
  return units.map((u) =>
    judgeCommune(framework, year, {
      code: u.code,
      name: u.name,
      parentCode: u.parentCode,
      communeGroup: facts.groups.get(u.code) ?? null,
      region: facts.regions.get(u.code) ?? null,
      values: values.get(u.code) ?? new Map(),
      coverage: facts.coverage.get(u.code) ?? { reported: 0, expected: 0, units: [] },
    }),
  );
}

export function summarise(
  framework: FrameworkView,
  unit: { code: string; name: string },
  year: number,
  evaluations: CommuneEvaluation[],
): ProvinceSummary {
  const total = framework.criteria.length;
  const met = evaluations.filter((e) => e.standard === "met").length;
  const distribution = Array.from({ length: total + 1 }, (_, k) => {
    const at = evaluations.filter((e) => e.metCount === k);
    return { criteriaMet: k, communes: at.length, withUnknown: at.filter((e) => e.noDataCount > 0).length };
  });
  const closest = evaluations
    .filter((e) => e.standard !== "met" && e.metCount > 0)
    .sort(
      (a, b) =>
        b.metCount - a.metCount || a.notMetCount - b.notMetCount || a.unit.code.localeCompare(b.unit.code),
    )
    .slice(0, 10)
    .map((e) => ({
      code: e.unit.code,
      name: e.unit.name,
      communeGroup: e.unit.communeGroup,
      metCount: e.metCount,
      notMet: e.criteria.filter((c) => c.state === "not_met").map((c) => c.code),
      noData: e.noDataCount,
      projection: e.projection,
    }));
  const mostMissed = framework.criteria
    .map((c) => {
      const states = evaluations.map((e) => e.criteria.find((x) => x.code === c.code)?.state);
      return {
        code: c.code,
        nameVi: c.nameVi,
        nameEn: c.nameEn,
        notMet: states.filter((s) => s === "not_met").length,
        noData: states.filter((s) => s === "no_data").length,
        met: states.filter((s) => s === "met").length,
      };
    })
    .sort((a, b) => b.notMet - a.notMet || b.noData - a.noData);
  const { criteria: _c, ...summary } = framework;
  return {
    framework: summary,
    year,
    unit,
    communes: evaluations.length,
    judged: evaluations.filter((e) => e.noDataCount === 0).length,
    met,
    sharePct: evaluations.length === 0 ? 0 : Math.round((met / evaluations.length) * 1000) / 10,
    programmeTargetPct: framework.programmeTargetPct,
    distribution,
    closest,
    mostMissed,
    evaluations,
  };
}
