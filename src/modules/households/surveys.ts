import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { classifyReview } from "./classify.ts";
import { assertOpen, lockReview } from "./reviews.ts";
import { povertyIndicators } from "./standards.ts";

/** An income as typed or imported: a whole, non-negative number of VND, else 422 naming the field. */
export function parseIncome(raw: unknown, field: string): number {
  const n =
    typeof raw === "number"
      ? raw
      : typeof raw === "string" && /^\s*-?\d+([.,]\d+)?\s*$/.test(raw)
        ? Number(raw.replace(",", "."))
        : Number.NaN;
  if (!Number.isFinite(n))
    throw unprocessable(
      "invalid_income",
      { vi: `${field}: thu nhập phải là một số.`, en: `${field}: the income must be a number.` },
      { fields: [{ field, message: "not a number" }] },
    );
  if (n < 0)
    throw unprocessable(
      "invalid_income",
      { vi: `${field}: thu nhập không thể âm.`, en: `${field}: the income cannot be negative.` },
      { fields: [{ field, message: "negative" }] },
    );
  return Math.round(n);
}

/**
 * Puts on the review households of its commune registered by the review date that were registered after it opened
 * (the list is taken when the review starts; a household found later is surveyed like the others).
 */
export async function addLateHouseholds(tx: DbOrTx, reviewId: number, householdIds: number[]): Promise<void> {
  await tx.execute(sql`
    INSERT INTO poverty_surveys (review_id, household_id, village_code, village_version_id)
    SELECT r.id, h.id, h.village_code, v.id
    FROM poverty_reviews r JOIN households h ON h.commune_code = r.commune_code
    LEFT JOIN unit_versions v ON v.code = h.village_code AND v.level = 'village'
      AND (v.valid_from IS NULL OR v.valid_from <= r.as_of) AND (v.valid_to IS NULL OR v.valid_to > r.as_of)
    WHERE r.id = ${reviewId} AND h.id = ANY(${`{${householdIds.join(",")}}`}::bigint[])
      AND (h.registered_on IS NULL OR h.registered_on <= r.as_of) AND (h.deleted_at IS NULL OR h.deleted_at::date > r.as_of)
    ON CONFLICT (review_id, household_id) DO NOTHING`);
}

export const surveyInput = z.object({
  /** VND per year for the whole household; checked by parseIncome (422 when negative or not a number). */
  annualIncome: z.union([z.number(), safeText().max(30)]),
  lacking: z.array(z.enum(povertyIndicators)).max(13).default([]),
});

/** Saves one household's survey and classifies it at once, so the officer sees the result and why. */
export async function recordSurvey(
  db: Db,
  ctx: RequestContext,
  reviewId: number,
  householdId: number,
  raw: z.input<typeof surveyInput>,
) {
  const input = surveyInput.parse(raw);
  const income = parseIncome(input.annualIncome, "annualIncome");
  return db.transaction(async (tx) => {
    const review = await lockReview(tx, ctx, reviewId, "share");
    assertOpen(review);
    await addLateHouseholds(tx, reviewId, [householdId]);
    const before = rowsOf<{ annual_income: string | null; lacking: string[] }>(
      await tx.execute(sql`SELECT annual_income, lacking FROM poverty_surveys
        WHERE review_id = ${reviewId} AND household_id = ${householdId} FOR UPDATE`),
    );
    if (!before[0])
      throw notFound("household_not_in_review", {
        vi: `Hộ số ${householdId} không có trong đợt rà soát này.`,
        en: `Household ${householdId} is not in this review.`,
      });
    await tx.execute(sql`UPDATE poverty_surveys SET annual_income = ${income},
      lacking = ${`{${[...new Set(input.lacking)].join(",")}}`}::text[], meeting_result = NULL, meeting_note = NULL,
      version = version + 1 WHERE review_id = ${reviewId} AND household_id = ${householdId}`);
    await classifyReview(tx, reviewId, [householdId]);
    await recordAudit(tx, ctx, {
      action: "poverty_survey.save",
      recordKind: "poverty_survey",
      recordId: `${reviewId}/${householdId}`,
      unitCode: review.communeCode,
      before: { annualIncome: before[0].annual_income, lacking: before[0].lacking },
      after: { annualIncome: income, lacking: input.lacking },
    });
    const [row] = await surveyRows(tx, reviewId, { householdId });
    return row;
  });
}

export const meetingInput = z.union([
  z.object({
    householdId: z.number().int().positive(),
    result: z.enum(["poor", "near_poor", "not_poor"]),
    note: safeText().trim().max(500).optional(),
  }),
  /** The village meeting agreed with every computed result of a village (or of the whole commune). */
  z.object({ agreeAll: z.literal(true), villageCode: safeText().trim().max(32).optional() }),
]);

/** Records the village meeting's result; one that differs from the computed class needs the meeting's reason. */
export async function recordMeeting(
  db: Db,
  ctx: RequestContext,
  reviewId: number,
  raw: z.input<typeof meetingInput>,
) {
  const input = meetingInput.parse(raw);
  return db.transaction(async (tx) => {
    const review = await lockReview(tx, ctx, reviewId, "share");
    assertOpen(review);
    if ("agreeAll" in input) {
      const village = input.villageCode ? sql`AND village_code = ${input.villageCode}` : sql``;
      const rows = rowsOf<{ n: string | number }>(
        await tx.execute(sql`WITH u AS (UPDATE poverty_surveys SET meeting_result = computed, version = version + 1
          WHERE review_id = ${reviewId} AND computed IS NOT NULL AND meeting_result IS NULL ${village} RETURNING 1)
          SELECT count(*) AS n FROM u`),
      );
      await recordAudit(tx, ctx, {
        action: "poverty_review.meeting_agree",
        recordKind: "poverty_review",
        recordId: reviewId,
        unitCode: review.communeCode,
        after: { village: input.villageCode ?? null, households: Number(rows[0]?.n ?? 0) },
      });
      return { updated: Number(rows[0]?.n ?? 0) };
    }
    const [s] = rowsOf<{ computed: string | null }>(
      await tx.execute(sql`SELECT computed FROM poverty_surveys WHERE review_id = ${reviewId}
        AND household_id = ${input.householdId} FOR UPDATE`),
    );
    if (!s)
      throw notFound("household_not_in_review", {
        vi: `Hộ số ${input.householdId} không có trong đợt rà soát này.`,
        en: `Household ${input.householdId} is not in this review.`,
      });
    if (s.computed === null)
      throw unprocessable("not_surveyed", {
        vi: "Hộ chưa có kết quả điều tra.",
        en: "The household has no survey result yet.",
      });
    if (s.computed !== input.result && !input.note)
      throw unprocessable(
        "reason_required",
        {
          vi: "Kết quả họp thôn khác kết quả tính toán: hãy ghi lý do.",
          en: "The meeting's result differs from the computed one: give its reason.",
        },
        { fields: [{ field: "note", message: "required" }] },
      );
    await tx.execute(sql`UPDATE poverty_surveys SET meeting_result = ${input.result}, meeting_note = ${input.note ?? null},
      version = version + 1 WHERE review_id = ${reviewId} AND household_id = ${input.householdId}`);
    await recordAudit(tx, ctx, {
      action: "poverty_survey.meeting",
      recordKind: "poverty_survey",
      recordId: `${reviewId}/${input.householdId}`,
      unitCode: review.communeCode,
      after: { result: input.result, computed: s.computed },
      reason: input.note ?? null,
    });
    return { updated: 1 };
  });
}

/**
 * Surveys of a review with each household's movement since the previous year's approved review of the commune:
 * newly poor (poor now, never poor in an approved review before), fell back (poor now, not poor last year, poor some
 * year before), escaped (poor last year, not poor now), stayed poor, or none of these.
 */
export async function surveyRows(
  db: DbOrTx,
  reviewId: number,
  filter: {
    householdId?: number;
    villageCode?: string;
    result?: string;
    limit?: number;
    offset?: number;
  } = {},
) {
  const where = [sql`s.review_id = ${reviewId}`];
  if (filter.householdId) where.push(sql`s.household_id = ${filter.householdId}`);
  if (filter.villageCode) where.push(sql`s.village_code = ${filter.villageCode}`);
  if (filter.result) where.push(sql`coalesce(s.meeting_result, s.computed) = ${filter.result}`);
  const rows = rowsOf<{
    household_id: string | number;
    code: string;
    head_name: string;
    village_code: string;
    members_counted: number;
    annual_income: string | null;
    income_per_person_month: string | null;
    lacking: string[];
    computed: string | null;
    meeting_result: string | null;
    meeting_note: string | null;
    explanation: unknown;
    previous: string | null;
    ever_poor_before: boolean;
  }>(
    await db.execute(sql`
      WITH r AS (SELECT commune_code, year FROM poverty_reviews WHERE id = ${reviewId})
      SELECT s.household_id, h.code, h.head_name, s.village_code, s.members_counted, s.annual_income,
        s.income_per_person_month, s.lacking, s.computed, s.meeting_result, s.meeting_note, s.explanation,
        (SELECT coalesce(ps.meeting_result, ps.computed) FROM poverty_surveys ps JOIN poverty_reviews pr ON pr.id = ps.review_id
          WHERE ps.household_id = s.household_id AND pr.year = r.year - 1 AND pr.status = 'approved') AS previous,
        EXISTS (SELECT 1 FROM poverty_surveys ps JOIN poverty_reviews pr ON pr.id = ps.review_id
          WHERE ps.household_id = s.household_id AND pr.year < r.year - 1 AND pr.status = 'approved'
            AND coalesce(ps.meeting_result, ps.computed) = 'poor') AS ever_poor_before
      FROM poverty_surveys s JOIN households h ON h.id = s.household_id CROSS JOIN r
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY s.village_code, h.head_search, s.household_id
      LIMIT ${filter.limit ?? 500} OFFSET ${filter.offset ?? 0}`),
  );
  return rows.map((r) => {
    const result = r.meeting_result ?? r.computed;
    const movement =
      result === "poor"
        ? r.previous === "poor"
          ? "stayed_poor"
          : r.ever_poor_before
            ? "fell_back"
            : "newly_poor"
        : r.previous === "poor" && result !== null
          ? "escaped"
          : null;
    return {
      householdId: Number(r.household_id),
      code: r.code,
      headName: r.head_name,
      villageCode: r.village_code,
      membersCounted: r.members_counted,
      annualIncome: r.annual_income === null ? null : Number(r.annual_income),
      incomePerPersonMonth: r.income_per_person_month === null ? null : Number(r.income_per_person_month),
      lacking: r.lacking,
      computed: r.computed,
      meetingResult: r.meeting_result,
      meetingNote: r.meeting_note,
      result,
      explanation: r.explanation,
      previous: r.previous,
      movement,
    };
  });
}

/** A review with its standard, counts by result and village, and the movement since last year. */
export async function getReview(db: DbOrTx, ctx: RequestContext, reviewId: number) {
  const review = await lockReview(db, ctx, reviewId, "share");
  const [standard] = rowsOf<{
    code: string;
    name_vi: string;
    name_en: string;
    threshold: number;
    indicators: string[];
  }>(
    await db.execute(sql`SELECT code, name_vi, name_en, indicators,
      CASE WHEN ${review.isUrban} THEN urban_threshold ELSE rural_threshold END AS threshold
      FROM poverty_standards WHERE id = ${review.standardId}`),
  );
  const byVillage = rowsOf<{
    village_code: string;
    village_name: string | null;
    total: string | number;
    poor: string | number;
    near: string | number;
    unsurveyed: string | number;
    no_meeting: string | number;
  }>(
    await db.execute(sql`
      SELECT s.village_code, v.name AS village_name, count(*) AS total,
        count(*) FILTER (WHERE coalesce(s.meeting_result, s.computed) = 'poor') AS poor,
        count(*) FILTER (WHERE coalesce(s.meeting_result, s.computed) = 'near_poor') AS near,
        count(*) FILTER (WHERE s.computed IS NULL) AS unsurveyed,
        count(*) FILTER (WHERE s.meeting_result IS NULL) AS no_meeting
      FROM poverty_surveys s LEFT JOIN unit_versions v ON v.id = s.village_version_id
      WHERE s.review_id = ${reviewId} GROUP BY s.village_code, v.name ORDER BY s.village_code`),
  );
  const villages = byVillage.map((v) => ({
    villageCode: v.village_code,
    villageName: v.village_name,
    total: Number(v.total),
    poor: Number(v.poor),
    nearPoor: Number(v.near),
    unsurveyed: Number(v.unsurveyed),
    noMeetingResult: Number(v.no_meeting),
  }));
  const sum = (k: "total" | "poor" | "nearPoor" | "unsurveyed" | "noMeetingResult") =>
    villages.reduce((a, v) => a + v[k], 0);
  return {
    id: review.id,
    communeCode: review.communeCode,
    year: review.year,
    asOf: isoDate(review.asOf),
    status: review.status,
    area: review.isUrban ? "urban" : "rural",
    version: review.version,
    reopenReason: review.reopenReason,
    standard: standard
      ? {
          code: standard.code,
          nameVi: standard.name_vi,
          nameEn: standard.name_en,
          threshold: standard.threshold,
          indicators: standard.indicators,
        }
      : null,
    totals: {
      total: sum("total"),
      poor: sum("poor"),
      nearPoor: sum("nearPoor"),
      unsurveyed: sum("unsurveyed"),
      noMeetingResult: sum("noMeetingResult"),
    },
    villages,
  };
}
