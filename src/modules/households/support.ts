import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit, recordAuditMany } from "../audit/record.ts";
import { actorIdOf, brokenConstraint, isoDay, programmeReaches, shortText, stale } from "./common.ts";
import { disasters, supportCycles, supportProgrammes } from "./schema.ts";

export const programmeInput = z.object({
  name: shortText(200),
  funder: shortText(200),
  unitCode: shortText(32),
  eligiblePoor: z.boolean().default(false),
  eligibleNearPoor: z.boolean().default(false),
  eligiblePolicy: z.boolean().default(false),
  disasterId: z.number().int().positive().nullish(),
  benefitKind: z.enum(["cash", "goods", "package"]),
  benefitAmount: z.number().int().min(0).default(0),
  benefitDescription: safeText().trim().max(300).nullish(),
});

/** A programme: who funds it, whom it reaches (any combination of the rules, evaluated per cycle on a date), what. */
export async function createProgramme(db: Db, ctx: RequestContext, raw: z.input<typeof programmeInput>) {
  const input = programmeInput.parse(raw);
  if (!input.eligiblePoor && !input.eligibleNearPoor && !input.eligiblePolicy && !input.disasterId)
    throw unprocessable(
      "no_eligibility_rule",
      { vi: "Hãy chọn ít nhất một đối tượng thụ hưởng.", en: "Choose at least one eligibility rule." },
      { fields: [{ field: "eligiblePoor", message: "no rule chosen" }] },
    );
  await assertUnitInScope(db, ctx.actor, input.unitCode);
  if (input.disasterId) await assertDisasterLinkable(db, input.disasterId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(supportProgrammes)
      .values({
        ...input,
        disasterId: input.disasterId ?? null,
        benefitDescription: input.benefitDescription ?? null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "support_programme.create",
      recordKind: "support_programme",
      recordId: row.id,
      unitCode: input.unitCode,
      after: input,
    });
    return { id: row.id, version: row.version };
  });
}

/** A relief programme names an event that exists: 422 naming the field (the foreign key would answer 500). */
export async function assertDisasterLinkable(db: DbOrTx, disasterId: number) {
  const [event] = await db.select({ id: disasters.id }).from(disasters).where(eq(disasters.id, disasterId));
  if (!event)
    throw unprocessable(
      "disaster_not_found",
      { vi: `Không có sự kiện thiên tai số ${disasterId}.`, en: `No disaster event ${disasterId}.` },
      { fields: [{ field: "disasterId", message: "unknown" }] },
    );
}

export const cycleInput = z.object({
  programmeId: z.number().int().positive(),
  name: shortText(200),
  communeCode: shortText(32),
  /** Eligibility is evaluated as of this date: classes, policy attributes and damage in force that day. */
  eligibilityDate: isoDay,
});

export async function createCycle(db: Db, ctx: RequestContext, raw: z.input<typeof cycleInput>) {
  const input = cycleInput.parse(raw);
  await assertUnitInScope(db, ctx.actor, input.communeCode);
  const [programme] = await db
    .select()
    .from(supportProgrammes)
    .where(eq(supportProgrammes.id, input.programmeId));
  if (!programme)
    throw unprocessable(
      "programme_not_found",
      { vi: `Không có chương trình số ${input.programmeId}.`, en: `No programme ${input.programmeId}.` },
      { fields: [{ field: "programmeId", message: "unknown" }] },
    );
  if (!(await programmeReaches(db, programme.unitCode, input.communeCode)))
    throw unprocessable(
      "commune_outside_programme",
      {
        vi: `Xã ${input.communeCode} không thuộc đơn vị ${programme.unitCode} thực hiện chương trình.`,
        en: `Commune ${input.communeCode} is not under unit ${programme.unitCode}, which runs the programme.`,
      },
      { fields: [{ field: "communeCode", message: "outside the programme's unit" }] },
    );
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(supportCycles).values(input).returning();
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "support_cycle.create",
      recordKind: "support_cycle",
      recordId: row.id,
      unitCode: input.communeCode,
      after: input,
    });
    return { id: row.id, version: row.version };
  });
}

export async function lockCycle(tx: DbOrTx, ctx: RequestContext, id: number, mode: "update" | "share") {
  const [cycle] = await tx.select().from(supportCycles).where(eq(supportCycles.id, id)).for(mode);
  if (!cycle)
    throw notFound("cycle_not_found", { vi: `Không có đợt hỗ trợ số ${id}.`, en: `No cycle ${id}.` });
  await assertUnitInScope(tx, ctx.actor, cycle.communeCode);
  const [programme] = await tx
    .select()
    .from(supportProgrammes)
    .where(eq(supportProgrammes.id, cycle.programmeId));
  if (!programme)
    throw notFound("programme_not_found", { vi: "Không có chương trình.", en: "No programme." });
  return { cycle, programme };
}

/**
 * Households of the commune eligible on the cycle's date, with the rule that made each eligible: poor or near-poor
 * in the latest approved review dated on or before it, a policy class valid that day, damage from the programme's
 * disaster. One statement, so a 50,000-household list is one round trip.
 */
function eligibleSql(cycleId: number) {
  return sql`
    WITH c AS (
      SELECT sc.id, sc.commune_code, sc.eligibility_date AS d, p.eligible_poor, p.eligible_near_poor, p.eligible_policy,
        p.disaster_id, p.benefit_amount
      FROM support_cycles sc JOIN support_programmes p ON p.id = sc.programme_id WHERE sc.id = ${cycleId}
    ),
    latest AS (
      SELECT pr.id FROM poverty_reviews pr, c
      WHERE pr.commune_code = c.commune_code AND pr.status = 'approved' AND pr.as_of <= c.d
      ORDER BY pr.year DESC LIMIT 1
    ),
    cls AS (
      SELECT s.household_id, coalesce(s.meeting_result, s.computed) AS result
      FROM poverty_surveys s WHERE s.review_id = (SELECT id FROM latest)
    )
    SELECT h.id AS household_id, c.benefit_amount,
      concat_ws(',',
        CASE WHEN c.eligible_poor AND cls.result = 'poor' THEN 'poor' END,
        CASE WHEN c.eligible_near_poor AND cls.result = 'near_poor' THEN 'near_poor' END,
        CASE WHEN c.eligible_policy AND EXISTS (SELECT 1 FROM household_policy_classes pc WHERE pc.household_id = h.id
          AND pc.valid_from <= c.d AND (pc.valid_to IS NULL OR pc.valid_to > c.d)) THEN 'policy' END,
        CASE WHEN c.disaster_id IS NOT NULL AND EXISTS (SELECT 1 FROM disaster_damages dd
          WHERE dd.disaster_id = c.disaster_id AND dd.household_id = h.id) THEN 'disaster' END) AS basis
    FROM households h CROSS JOIN c LEFT JOIN cls ON cls.household_id = h.id
    WHERE h.commune_code = c.commune_code AND (h.registered_on IS NULL OR h.registered_on <= c.d)
      AND (h.deleted_at IS NULL OR h.deleted_at::date > c.d)`;
}

/**
 * Proposes the cycle's list from the registry in one statement. A household already listed is left as it is
 * (ON CONFLICT DO NOTHING on the unique (cycle, household)), so proposing twice never lists anyone twice.
 */
export async function proposeEntitlements(db: Db, ctx: RequestContext, cycleId: number) {
  return db.transaction(async (tx) => {
    const { cycle } = await lockCycle(tx, ctx, cycleId, "update");
    if (cycle.status !== "draft")
      throw conflict("cycle_locked", {
        vi: "Danh sách đã trình hoặc đã duyệt; không đề xuất lại được.",
        en: "The list is awaiting approval or approved; it cannot be proposed again.",
      });
    const by = actorIdOf(ctx.actor);
    const rows = rowsOf<{ n: string | number }>(
      await tx.execute(sql`
        WITH e AS (${eligibleSql(cycleId)}),
        ins AS (
          INSERT INTO entitlements (cycle_id, household_id, quantity, amount, basis, created_by)
          SELECT ${cycleId}, household_id, 1, benefit_amount, basis, ${by} FROM e WHERE basis <> ''
            AND NOT EXISTS (SELECT 1 FROM entitlement_removals r
              WHERE r.cycle_id = ${cycleId} AND r.household_id = e.household_id)
          ON CONFLICT (cycle_id, household_id) DO NOTHING RETURNING 1)
        SELECT count(*) AS n FROM ins`),
    );
    const added = Number(rows[0]?.n ?? 0);
    await recordAudit(tx, ctx, {
      action: "support_cycle.propose",
      recordKind: "support_cycle",
      recordId: cycleId,
      unitCode: cycle.communeCode,
      after: { added },
    });
    return { added };
  });
}

export const entitlementInput = z.object({
  householdId: z.number().int().positive(),
  quantity: z.number().int().positive().default(1),
  amount: z.number().int().min(0).optional(),
  basis: safeText().trim().min(1).max(200).default("manual"),
  /** Why an officer adds the household by hand (the proposal missed it): required for "manual". */
  reason: safeText().trim().max(500).optional(),
});

const reasonNeeded = () =>
  unprocessable(
    "reason_required",
    {
      vi: "Hãy ghi lý do (ít nhất 3 ký tự).",
      en: "Give a reason (at least 3 characters).",
    },
    { fields: [{ field: "reason", message: "required" }] },
  );

/**
 * Puts one household on the list by hand. The database's unique (cycle, household) decides between two officers at
 * two screens or a retried request: the second gets 409 naming the household.
 */
export async function addEntitlement(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  raw: z.input<typeof entitlementInput>,
) {
  const input = entitlementInput.parse(raw);
  if (input.basis === "manual" && (input.reason ?? "").length < 3) throw reasonNeeded();
  const alreadyListed = () =>
    conflict(
      "already_entitled",
      {
        vi: `Hộ số ${input.householdId} đã có trong danh sách của đợt này.`,
        en: `Household ${input.householdId} is already on this cycle's list.`,
      },
      { householdId: input.householdId, cycleId },
    );
  try {
    return await db.transaction(async (tx) => {
      const { cycle, programme } = await lockCycle(tx, ctx, cycleId, "share");
      if (cycle.status !== "draft")
        throw conflict("cycle_locked", {
          vi: "Danh sách đã trình hoặc đã duyệt; không thêm được.",
          en: "The list is awaiting approval or approved; nobody can be added.",
        });
      const [h] = rowsOf<{ commune_code: string }>(
        await tx.execute(
          sql`SELECT commune_code FROM households WHERE id = ${input.householdId} AND deleted_at IS NULL`,
        ),
      );
      if (!h || h.commune_code !== cycle.communeCode)
        throw unprocessable(
          "household_not_in_commune",
          {
            vi: `Hộ số ${input.householdId} không thuộc xã của đợt hỗ trợ.`,
            en: `Household ${input.householdId} is not in the cycle's commune.`,
          },
          { fields: [{ field: "householdId", message: "not in the commune" }] },
        );
      const [row] = rowsOf<{ id: string | number }>(
        await tx.execute(sql`INSERT INTO entitlements
            (cycle_id, household_id, quantity, amount, basis, added_reason, created_by)
          VALUES (${cycleId}, ${input.householdId}, ${input.quantity}, ${input.amount ?? programme.benefitAmount},
            ${input.basis}, ${input.reason ?? null}, ${actorIdOf(ctx.actor)}) RETURNING id`),
      );
      // Put back by hand after being taken off: the removal no longer stands (the audit trail keeps both).
      await tx.execute(sql`DELETE FROM entitlement_removals
        WHERE cycle_id = ${cycleId} AND household_id = ${input.householdId}`);
      await recordAudit(tx, ctx, {
        action: "entitlement.create",
        recordKind: "entitlement",
        recordId: Number(row?.id),
        unitCode: cycle.communeCode,
        after: { cycleId, householdId: input.householdId, quantity: input.quantity, basis: input.basis },
        reason: input.reason ?? null,
      });
      return { id: Number(row?.id) };
    });
  } catch (err) {
    if (brokenConstraint(err) === "entitlements_once") throw alreadyListed();
    throw err;
  }
}

export const removalInput = z.object({ reason: safeText().trim().max(500) });

/**
 * Takes a household off a list that is still being drawn up, with the reason (moved away, listed by mistake …). The
 * removal is kept, so proposing the list again does not bring the household back; adding it by hand does. Checked
 * under the cycle's lock: an approval that got there first wins and the removal is refused (409).
 */
export async function removeEntitlement(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  householdId: number,
  raw: z.input<typeof removalInput>,
) {
  const input = removalInput.parse(raw);
  if (input.reason.length < 3) throw reasonNeeded();
  return db.transaction(async (tx) => {
    const { cycle } = await lockCycle(tx, ctx, cycleId, "share");
    if (cycle.status !== "draft")
      throw conflict("cycle_locked", {
        vi: "Danh sách đã trình hoặc đã duyệt; không bớt được.",
        en: "The list is awaiting approval or approved; nobody can be taken off.",
      });
    const [gone] = rowsOf<{ id: string | number; basis: string; quantity: number; amount: string | number }>(
      await tx.execute(sql`DELETE FROM entitlements WHERE cycle_id = ${cycleId} AND household_id = ${householdId}
        RETURNING id, basis, quantity, amount`),
    );
    if (!gone)
      throw notFound("not_listed", {
        vi: `Hộ số ${householdId} không có trong danh sách của đợt này.`,
        en: `Household ${householdId} is not on this cycle's list.`,
      });
    const by = actorIdOf(ctx.actor);
    await tx.execute(sql`INSERT INTO entitlement_removals (cycle_id, household_id, reason, removed_by)
      VALUES (${cycleId}, ${householdId}, ${input.reason}, ${by})
      ON CONFLICT (cycle_id, household_id) DO UPDATE SET reason = EXCLUDED.reason, removed_by = EXCLUDED.removed_by,
        removed_at = now()`);
    await recordAudit(tx, ctx, {
      action: "entitlement.remove",
      recordKind: "entitlement",
      recordId: Number(gone.id),
      unitCode: cycle.communeCode,
      before: {
        cycleId,
        householdId,
        basis: gone.basis,
        quantity: gone.quantity,
        amount: Number(gone.amount),
      },
      reason: input.reason,
    });
    return { removed: 1 };
  });
}

export const cycleTransitionInput = z.object({
  action: z.enum(["submit", "approve", "return"]),
  reason: safeText().trim().max(500).optional(),
  expectedVersion: z.number().int().min(1),
});

/** draft → awaiting_approval → approved (the list is then fixed and distribution may start), or back to draft. */
export async function transitionCycle(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  raw: z.input<typeof cycleTransitionInput>,
) {
  const input = cycleTransitionInput.parse(raw);
  return db.transaction(async (tx) => {
    const { cycle } = await lockCycle(tx, ctx, cycleId, "update");
    if (cycle.version !== input.expectedVersion)
      throw stale({ vi: "Đợt hỗ trợ", en: "The cycle" }, { version: cycle.version, status: cycle.status });
    const from = { submit: "draft", approve: "awaiting_approval", return: "awaiting_approval" }[input.action];
    const to = { submit: "awaiting_approval", approve: "approved", return: "draft" }[input.action];
    if (cycle.status !== from)
      throw conflict("invalid_transition", {
        vi: `Không thể ${input.action} một danh sách ở trạng thái ${cycle.status}.`,
        en: `A ${cycle.status} list cannot take the action ${input.action}.`,
      });
    const by = actorIdOf(ctx.actor);
    await tx
      .update(supportCycles)
      .set({
        status: to,
        ...(input.action === "approve" ? { approvedAt: new Date(), approvedBy: by } : {}),
        version: sql`${supportCycles.version} + 1`,
      })
      .where(eq(supportCycles.id, cycleId));
    const [size] = rowsOf<{ n: string | number }>(
      await tx.execute(sql`SELECT count(*) AS n FROM entitlements WHERE cycle_id = ${cycleId}`),
    );
    await recordAuditMany(tx, ctx, [
      {
        action: `support_cycle.${input.action}`,
        recordKind: "support_cycle",
        recordId: cycleId,
        unitCode: cycle.communeCode,
        before: { status: cycle.status },
        after: { status: to, entitlements: Number(size?.n ?? 0) },
        reason: input.reason ?? null,
      },
    ]);
    return { id: cycleId, status: to, version: cycle.version + 1 };
  });
}
