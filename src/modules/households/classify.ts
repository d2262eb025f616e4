import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";

/**
 * Classifies the surveyed households of one review in one statement, under the review's standard (Decree 07/2021 and
 * its 2027–2030 successor): income per person per month = annual household income / 12 / members counted, where a
 * member counts when they had joined by the review date and had not left before it. Income at or below the area's
 * threshold with at least `poor_min_lacking` of the standard's indicators lacking → poor; at or below with fewer →
 * near-poor; above → not poor. Indicators outside the standard (the 13th before 2027) are kept in the explanation as
 * not counted. `householdIds` limits it to those households (one survey saved); by default the whole review.
 */
export async function classifyReview(tx: DbOrTx, reviewId: number, householdIds?: number[]): Promise<number> {
  const only = householdIds
    ? sql`AND s.household_id = ANY(${`{${householdIds.join(",")}}`}::bigint[])`
    : sql``;
  const result = await tx.execute(sql`
    WITH r AS (
      SELECT pr.id, pr.as_of, pr.is_urban, ps.code AS standard, ps.indicators, ps.poor_min_lacking,
        CASE WHEN pr.is_urban THEN ps.urban_threshold ELSE ps.rural_threshold END AS threshold
      FROM poverty_reviews pr JOIN poverty_standards ps ON ps.id = pr.standard_id WHERE pr.id = ${reviewId}
    ),
    counted AS (
      SELECT m.household_id, count(*)::int AS n
      FROM household_members m JOIN poverty_surveys s ON s.household_id = m.household_id AND s.review_id = ${reviewId}, r
      WHERE (m.joined_on IS NULL OR m.joined_on <= r.as_of) AND (m.left_on IS NULL OR m.left_on > r.as_of) ${only}
      GROUP BY m.household_id
    ),
    calc AS (
      SELECT s.household_id, coalesce(c.n, 0) AS n,
        CASE WHEN s.annual_income IS NULL OR coalesce(c.n, 0) = 0 THEN NULL
             ELSE s.annual_income::numeric / (12 * c.n) END AS per_person,
        ARRAY(SELECT x FROM unnest(s.lacking) x WHERE x = ANY(r.indicators) ORDER BY x) AS lacking_counted,
        ARRAY(SELECT x FROM unnest(s.lacking) x WHERE NOT (x = ANY(r.indicators)) ORDER BY x) AS not_counted
      FROM poverty_surveys s CROSS JOIN r LEFT JOIN counted c ON c.household_id = s.household_id
      WHERE s.review_id = ${reviewId} ${only}
    )
    UPDATE poverty_surveys s SET
      members_counted = calc.n,
      income_per_person_month = round(calc.per_person, 2),
      computed = CASE
        WHEN calc.per_person IS NULL THEN NULL
        WHEN calc.per_person <= r.threshold AND cardinality(calc.lacking_counted) >= r.poor_min_lacking THEN 'poor'
        WHEN calc.per_person <= r.threshold THEN 'near_poor'
        ELSE 'not_poor' END,
      explanation = CASE WHEN calc.per_person IS NULL THEN NULL ELSE jsonb_build_object(
        'standard', r.standard,
        'area', CASE WHEN r.is_urban THEN 'urban' ELSE 'rural' END,
        'threshold', r.threshold,
        'incomePerPersonMonth', round(calc.per_person, 2),
        'membersCounted', calc.n,
        'incomeAtOrBelowThreshold', calc.per_person <= r.threshold,
        'lacking', to_jsonb(calc.lacking_counted),
        'lackingCount', cardinality(calc.lacking_counted),
        'poorMinLacking', r.poor_min_lacking,
        'notInStandard', to_jsonb(calc.not_counted)) END
    FROM calc, r
    WHERE s.review_id = ${reviewId} AND s.household_id = calc.household_id`);
  return Number(
    (result as { count?: number; rowCount?: number; affectedRows?: number }).count ??
      (result as { affectedRows?: number }).affectedRows ??
      0,
  );
}
