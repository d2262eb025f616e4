import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { isoDate } from "../units/presenters.ts";

/** The reviews of one commune, newest year first, with their counts (no names). */
export async function listReviews(db: DbOrTx, ctx: RequestContext, communeCode: string) {
  await assertUnitInScope(db, ctx.actor, communeCode);
  const rows = rowsOf<{
    id: string | number;
    year: number;
    status: string;
    version: number;
    standard: string;
    total: string | number;
    poor: string | number;
    near: string | number;
  }>(
    await db.execute(sql`
      SELECT r.id, r.year, r.status, r.version, ps.code AS standard,
        (SELECT count(*) FROM poverty_surveys s WHERE s.review_id = r.id) AS total,
        (SELECT count(*) FROM poverty_surveys s WHERE s.review_id = r.id AND coalesce(s.meeting_result, s.computed) = 'poor') AS poor,
        (SELECT count(*) FROM poverty_surveys s WHERE s.review_id = r.id AND coalesce(s.meeting_result, s.computed) = 'near_poor') AS near
      FROM poverty_reviews r JOIN poverty_standards ps ON ps.id = r.standard_id
      WHERE r.commune_code = ${communeCode} ORDER BY r.year DESC`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    year: r.year,
    status: r.status,
    version: r.version,
    standard: r.standard,
    total: Number(r.total),
    poor: Number(r.poor),
    nearPoor: Number(r.near),
  }));
}

/** Programmes run by this unit or any above it, with their cycles in this commune. */
export async function listCycles(db: DbOrTx, ctx: RequestContext, communeCode: string) {
  await assertUnitInScope(db, ctx.actor, communeCode);
  const rows = rowsOf<{
    id: string | number;
    name: string;
    status: string;
    version: number;
    eligibility_date: string | Date;
    programme_id: string | number;
    programme: string;
    funder: string;
    benefit_kind: string;
    benefit_amount: string | number;
    listed: string | number;
    delivered: string | number;
  }>(
    await db.execute(sql`
      SELECT c.id, c.name, c.status, c.version, c.eligibility_date, p.id AS programme_id, p.name AS programme, p.funder,
        p.benefit_kind, p.benefit_amount,
        (SELECT count(*) FROM entitlements e WHERE e.cycle_id = c.id) AS listed,
        (SELECT count(*) FROM entitlements e JOIN distributions d ON d.entitlement_id = e.id WHERE e.cycle_id = c.id) AS delivered
      FROM support_cycles c JOIN support_programmes p ON p.id = c.programme_id
      WHERE c.commune_code = ${communeCode} ORDER BY c.eligibility_date DESC, c.id DESC`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    status: r.status,
    version: r.version,
    eligibilityDate: isoDate(r.eligibility_date),
    programme: {
      id: Number(r.programme_id),
      name: r.programme,
      funder: r.funder,
      benefitKind: r.benefit_kind,
      benefitAmount: Number(r.benefit_amount),
    },
    listed: Number(r.listed),
    delivered: Number(r.delivered),
  }));
}
