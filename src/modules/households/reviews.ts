import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, forbidden, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { classifyReview } from "./classify.ts";
import { actorIdOf, isoDay, shortText, stale } from "./common.ts";
import { withdrawReviewFigures, writeReviewFigures } from "./review-reporting.ts";
import { povertyReviews } from "./schema.ts";
import { standardFor } from "./standards.ts";

export const startReviewInput = z.object({
  communeCode: shortText(32),
  year: z.number().int().min(2000).max(2100),
  /** The review date: members present that day count. Default 1 November of the year (Decision 24/2021). */
  asOf: isoDay.optional(),
});

interface CommuneAt {
  id: number;
  code: string;
  kind: string;
  provinceCode: string;
}

/** The commune version valid on `date`, with its province (through a district for dates before July 2025). */
async function communeOn(db: DbOrTx, code: string, date: string): Promise<CommuneAt | null> {
  const [row] = rowsOf<{ id: string | number; code: string; kind: string; province: string | null }>(
    await db.execute(sql`
      SELECT c.id, c.code, c.kind,
        CASE WHEN p.level = 'province' THEN p.code ELSE d.parent_code END AS province
      FROM unit_versions c
      LEFT JOIN unit_versions p ON p.code = c.parent_code
        AND (p.valid_from IS NULL OR p.valid_from <= ${date}::date) AND (p.valid_to IS NULL OR p.valid_to > ${date}::date)
      LEFT JOIN unit_versions d ON d.id = p.id AND p.level = 'district'
      WHERE c.code = ${code} AND c.level = 'commune'
        AND (c.valid_from IS NULL OR c.valid_from <= ${date}::date) AND (c.valid_to IS NULL OR c.valid_to > ${date}::date)`),
  );
  return row?.province
    ? { id: Number(row.id), code: row.code, kind: row.kind, provinceCode: row.province }
    : null;
}

/**
 * Opens the review of a commune for a year under the standard in force (422 naming the standards that exist when
 * none is), and puts every household registered by the review date on it, in one statement. The figures belong to the
 * commune version that reports the year (the one valid on 31 December), as reporting does.
 */
export async function startReview(db: Db, ctx: RequestContext, raw: z.input<typeof startReviewInput>) {
  const input = startReviewInput.parse(raw);
  const asOf = input.asOf ?? `${input.year}-11-01`;
  if (asOf.slice(0, 4) !== String(input.year))
    throw unprocessable(
      "as_of_outside_year",
      { vi: `Ngày rà soát phải thuộc năm ${input.year}.`, en: `The review date must be in ${input.year}.` },
      { fields: [{ field: "asOf", message: `not in ${input.year}` }] },
    );
  await assertUnitInScope(db, ctx.actor, input.communeCode);
  const commune = await communeOn(db, input.communeCode, `${input.year}-12-31`);
  if (!commune)
    throw unprocessable(
      "commune_not_valid_in_year",
      {
        vi: `Không có xã mã ${input.communeCode} vào cuối năm ${input.year}.`,
        en: `No commune had code ${input.communeCode} at the end of ${input.year}.`,
      },
      { fields: [{ field: "communeCode", message: "no commune then" }] },
    );
  const standard = await standardFor(db, input.year, commune.provinceCode);
  return db.transaction(async (tx) => {
    const [review] = await tx
      .insert(povertyReviews)
      .values({
        communeCode: commune.code,
        communeVersionId: commune.id,
        year: input.year,
        asOf,
        standardId: standard.id,
        isUrban: commune.kind === "ward" || commune.kind === "township",
      })
      .onConflictDoNothing()
      .returning();
    if (!review)
      throw conflict("review_exists", {
        vi: `Xã ${commune.code} đã có đợt rà soát năm ${input.year}.`,
        en: `Commune ${commune.code} already has a ${input.year} review.`,
      });
    const added = rowsOf<{ n: string | number }>(
      await tx.execute(sql`
        WITH ins AS (
          INSERT INTO poverty_surveys (review_id, household_id, village_code, village_version_id)
          SELECT ${review.id}, h.id, h.village_code, v.id
          FROM households h
          LEFT JOIN unit_versions v ON v.code = h.village_code AND v.level = 'village'
            AND (v.valid_from IS NULL OR v.valid_from <= ${asOf}::date) AND (v.valid_to IS NULL OR v.valid_to > ${asOf}::date)
          WHERE h.commune_code = ${commune.code} AND (h.registered_on IS NULL OR h.registered_on <= ${asOf}::date)
            AND (h.deleted_at IS NULL OR h.deleted_at::date > ${asOf}::date)
          RETURNING 1)
        SELECT count(*) AS n FROM ins`),
    );
    await recordAudit(tx, ctx, {
      action: "poverty_review.start",
      recordKind: "poverty_review",
      recordId: review.id,
      unitCode: commune.code,
      after: { year: input.year, asOf, standard: standard.code, households: Number(added[0]?.n ?? 0) },
    });
    return { id: review.id, standard: standard.code, households: Number(added[0]?.n ?? 0) };
  });
}

/** The review row locked for a change (FOR UPDATE) or against one (FOR SHARE), after the scope check. */
export async function lockReview(tx: DbOrTx, ctx: RequestContext, id: number, mode: "update" | "share") {
  const [review] = await tx.select().from(povertyReviews).where(eq(povertyReviews.id, id)).for(mode);
  if (!review)
    throw notFound("review_not_found", { vi: `Không có đợt rà soát số ${id}.`, en: `No review ${id}.` });
  await assertUnitInScope(tx, ctx.actor, review.communeCode);
  return review;
}

export function assertOpen(review: { status: string; year: number }) {
  if (review.status !== "surveying")
    throw conflict("review_locked", {
      vi: `Đợt rà soát năm ${review.year} đã ${review.status === "approved" ? "được phê duyệt và khoá" : "trình phê duyệt"}; không sửa được.`,
      en: `The ${review.year} review is ${review.status === "approved" ? "approved and locked" : "awaiting approval"}; it cannot be changed.`,
    });
}

export const transitionInput = z.object({
  action: z.enum(["submit", "approve", "reopen"]),
  reason: safeText().trim().max(1000).optional(),
  expectedVersion: z.number().int().min(1),
});

/**
 * surveying → awaiting_approval (every household surveyed and its village meeting result recorded) → approved, which
 * locks the year and writes its counts to reporting; reopen (with a reason) unlocks both. Only the commune's officers
 * (and a system administrator) approve and reopen: the commune approves its list (Decision 24/2021/QĐ-TTg).
 */
export async function transitionReview(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof transitionInput>,
) {
  const input = transitionInput.parse(raw);
  const a = ctx.actor;
  if (
    a.kind === "anonymous" ||
    (a.kind !== "system" && !["commune_officer", "system_admin"].includes(a.role))
  )
    throw forbidden({
      vi: "Chỉ cán bộ xã trình, phê duyệt hoặc mở lại đợt rà soát.",
      en: "Only the commune's officers submit, approve or reopen a review.",
    });
  if (input.action === "reopen" && !input.reason)
    throw unprocessable(
      "reason_required",
      { vi: "Hãy nêu lý do mở lại.", en: "Say why the review is reopened." },
      { fields: [{ field: "reason", message: "required" }] },
    );
  return db.transaction(async (tx) => {
    const review = await lockReview(tx, ctx, id, "update");
    if (review.version !== input.expectedVersion)
      throw stale(
        { vi: "Đợt rà soát", en: "The review" },
        { version: review.version, status: review.status },
      );
    const from = { submit: "surveying", approve: "awaiting_approval", reopen: "approved" }[input.action];
    if (review.status !== from && !(input.action === "reopen" && review.status === "awaiting_approval"))
      throw conflict(
        "invalid_transition",
        {
          vi: `Không thể ${input.action} một đợt rà soát ở trạng thái ${review.status}.`,
          en: `A ${review.status} review cannot take the action ${input.action}.`,
        },
        { status: review.status },
      );
    const [gaps] = rowsOf<{ unsurveyed: string | number; no_meeting: string | number }>(
      await tx.execute(sql`SELECT count(*) FILTER (WHERE computed IS NULL) AS unsurveyed,
        count(*) FILTER (WHERE meeting_result IS NULL) AS no_meeting FROM poverty_surveys WHERE review_id = ${id}`),
    );
    if (input.action === "submit" && (Number(gaps?.unsurveyed) > 0 || Number(gaps?.no_meeting) > 0))
      throw unprocessable(
        "review_incomplete",
        {
          vi: `Còn ${gaps?.unsurveyed} hộ chưa có kết quả điều tra và ${gaps?.no_meeting} hộ chưa có kết quả họp thôn.`,
          en: `${gaps?.unsurveyed} households have no survey result and ${gaps?.no_meeting} no village meeting result yet.`,
        },
        { unsurveyed: Number(gaps?.unsurveyed), noMeeting: Number(gaps?.no_meeting) },
      );
    const target = {
      communeCode: review.communeCode,
      versionId: review.communeVersionId,
      year: review.year,
      reviewId: id,
    };
    let counts: Record<string, number> | null = null;
    if (input.action === "approve") {
      const [c] = rowsOf<{ total: string | number; poor: string | number; near: string | number }>(
        await tx.execute(sql`SELECT count(*) AS total,
          count(*) FILTER (WHERE coalesce(meeting_result, computed) = 'poor') AS poor,
          count(*) FILTER (WHERE coalesce(meeting_result, computed) = 'near_poor') AS near
          FROM poverty_surveys WHERE review_id = ${id}`),
      );
      counts = { HH_TOTAL: Number(c?.total), HH_POOR: Number(c?.poor), HH_NEAR_POOR: Number(c?.near) };
      await writeReviewFigures(tx, ctx, target, {
        HH_TOTAL: counts.HH_TOTAL ?? 0,
        HH_POOR: counts.HH_POOR ?? 0,
        HH_NEAR_POOR: counts.HH_NEAR_POOR ?? 0,
      });
    }
    if (input.action === "reopen" && review.status === "approved")
      await withdrawReviewFigures(tx, ctx, target, input.reason ?? "");
    const to = { submit: "awaiting_approval", approve: "approved", reopen: "surveying" }[input.action];
    const by = actorIdOf(ctx.actor);
    await tx
      .update(povertyReviews)
      .set({
        status: to,
        ...(input.action === "submit" ? { submittedAt: new Date(), submittedBy: by } : {}),
        ...(input.action === "approve" ? { approvedAt: new Date(), approvedBy: by, reopenReason: null } : {}),
        ...(input.action === "reopen"
          ? { reopenReason: input.reason ?? null, approvedAt: null, approvedBy: null }
          : {}),
        version: sql`${povertyReviews.version} + 1`,
      })
      .where(eq(povertyReviews.id, id));
    await recordAudit(tx, ctx, {
      action: `poverty_review.${input.action}`,
      recordKind: "poverty_review",
      recordId: id,
      unitCode: review.communeCode,
      before: { status: review.status },
      after: { status: to, ...(counts ? { counts } : {}) },
      reason: input.reason ?? null,
    });
    return { id, status: to, version: review.version + 1, counts };
  });
}

export { classifyReview };
