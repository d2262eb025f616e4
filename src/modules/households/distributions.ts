import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, unprocessable } from "../../server/errors.ts";
import { safeText } from "../../server/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { actorIdOf, brokenConstraint, isoDay, shortText } from "./common.ts";
import { lockCycle } from "./support.ts";

export const distributionInput = z.object({
  householdId: z.number().int().positive(),
  deliveredOn: isoDay,
  receivedBy: shortText(200),
  quantity: z.number().int().positive().optional(),
  note: safeText({ multiLine: true }).trim().max(1000).optional(),
  /** The name of a scanned receipt or photo kept with the commune's records. */
  evidenceFile: safeText().trim().max(300).optional(),
});

/**
 * Records a delivery to a household on the cycle's approved list: 422 when the list is not approved or the household
 * is not on it, 409 when it was already delivered (a unique index on the entitlement: a retried request never pays
 * twice).
 */
export async function recordDistribution(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  raw: z.input<typeof distributionInput>,
) {
  const input = distributionInput.parse(raw);
  const twice = conflict(
    "already_delivered",
    {
      vi: `Hộ số ${input.householdId} đã nhận hỗ trợ của đợt này.`,
      en: `Household ${input.householdId} has already received this cycle's support.`,
    },
    { householdId: input.householdId },
  );
  try {
    return await db.transaction(async (tx) => {
      const { cycle } = await lockCycle(tx, ctx, cycleId, "share");
      if (cycle.status !== "approved")
        throw unprocessable("list_not_approved", {
          vi: "Danh sách của đợt này chưa được duyệt; chưa thể cấp phát.",
          en: "This cycle's list is not approved yet; nothing can be distributed.",
        });
      const [e] = rowsOf<{ id: string | number; quantity: number; amount: string | number }>(
        await tx.execute(sql`SELECT id, quantity, amount FROM entitlements
          WHERE cycle_id = ${cycleId} AND household_id = ${input.householdId} FOR UPDATE`),
      );
      if (!e)
        throw unprocessable(
          "not_on_approved_list",
          {
            vi: `Hộ số ${input.householdId} không có trong danh sách đã duyệt của đợt này.`,
            en: `Household ${input.householdId} is not on this cycle's approved list.`,
          },
          { fields: [{ field: "householdId", message: "not on the approved list" }] },
        );
      const [row] = rowsOf<{ id: string | number }>(
        await tx.execute(sql`INSERT INTO distributions
          (entitlement_id, delivered_on, received_by, quantity, amount, note, evidence_file, recorded_by)
          VALUES (${Number(e.id)}, ${input.deliveredOn}, ${input.receivedBy}, ${input.quantity ?? e.quantity},
            ${Number(e.amount)}, ${input.note ?? null}, ${input.evidenceFile ?? null}, ${actorIdOf(ctx.actor)})
          RETURNING id`),
      );
      await tx.execute(
        sql`UPDATE entitlements SET not_delivered_reason = NULL, version = version + 1 WHERE id = ${Number(e.id)}`,
      );
      await recordAudit(tx, ctx, {
        action: "distribution.record",
        recordKind: "distribution",
        recordId: Number(row?.id),
        unitCode: cycle.communeCode,
        after: {
          cycleId,
          householdId: input.householdId,
          deliveredOn: input.deliveredOn,
          receivedBy: input.receivedBy,
        },
      });
      return { id: Number(row?.id) };
    });
  } catch (err) {
    if (brokenConstraint(err) === "distributions_once") throw twice;
    throw err;
  }
}

export const notDeliveredInput = z.object({
  householdId: z.number().int().positive(),
  reason: shortText(300),
});

/** Why a listed household was not reached (moved away, not at home on the day …), for the reconciliation. */
export async function recordNotDelivered(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  raw: z.input<typeof notDeliveredInput>,
) {
  const input = notDeliveredInput.parse(raw);
  return db.transaction(async (tx) => {
    const { cycle } = await lockCycle(tx, ctx, cycleId, "share");
    const rows = rowsOf<{ id: string | number }>(
      await tx.execute(sql`UPDATE entitlements e SET not_delivered_reason = ${input.reason}, version = version + 1
        WHERE cycle_id = ${cycleId} AND household_id = ${input.householdId}
          AND NOT EXISTS (SELECT 1 FROM distributions d WHERE d.entitlement_id = e.id) RETURNING id`),
    );
    if (!rows[0])
      throw unprocessable("not_on_approved_list", {
        vi: `Hộ số ${input.householdId} không có trong danh sách hoặc đã nhận.`,
        en: `Household ${input.householdId} is not on the list or has already received it.`,
      });
    await recordAudit(tx, ctx, {
      action: "entitlement.not_delivered",
      recordKind: "entitlement",
      recordId: Number(rows[0].id),
      unitCode: cycle.communeCode,
      reason: input.reason,
    });
    return { updated: 1 };
  });
}

/** The cycle's list: each household, why it is listed, and whether and when it received its support. */
export async function listEntitlements(
  db: DbOrTx,
  ctx: RequestContext,
  cycleId: number,
  limit = 500,
  offset = 0,
) {
  const { cycle, programme } = await lockCycle(db, ctx, cycleId, "share");
  const rows = rowsOf<{
    household_id: string | number;
    code: string;
    head_name: string;
    village_code: string;
    quantity: number;
    amount: string | number;
    basis: string;
    not_delivered_reason: string | null;
    delivered_on: string | Date | null;
    received_by: string | null;
  }>(
    await db.execute(sql`
      SELECT e.household_id, h.code, h.head_name, h.village_code, e.quantity, e.amount, e.basis, e.not_delivered_reason,
        d.delivered_on, d.received_by
      FROM entitlements e JOIN households h ON h.id = e.household_id LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} ORDER BY h.village_code, h.head_search, h.id LIMIT ${limit} OFFSET ${offset}`),
  );
  return {
    cycle: {
      id: cycle.id,
      name: cycle.name,
      communeCode: cycle.communeCode,
      eligibilityDate: isoDate(cycle.eligibilityDate),
      status: cycle.status,
      version: cycle.version,
      programme: {
        id: programme.id,
        name: programme.name,
        funder: programme.funder,
        benefitKind: programme.benefitKind,
      },
    },
    items: rows.map((r) => ({
      householdId: Number(r.household_id),
      code: r.code,
      headName: r.head_name,
      villageCode: r.village_code,
      quantity: r.quantity,
      amount: Number(r.amount),
      basis: r.basis,
      notDeliveredReason: r.not_delivered_reason,
      deliveredOn: isoDate(r.delivered_on),
      receivedBy: r.received_by,
    })),
  };
}

/**
 * Reconciliation of one cycle: listed (planned), approved, delivered, not delivered with the reasons given, and the
 * same per village. Counts and amounts come from the database in one pass.
 */
export async function reconcileCycle(db: DbOrTx, ctx: RequestContext, cycleId: number) {
  const { cycle } = await lockCycle(db, ctx, cycleId, "share");
  const rows = rowsOf<{
    village_code: string;
    listed: string | number;
    listed_amount: string | number;
    delivered: string | number;
    delivered_amount: string | number;
    not_delivered: string | number;
  }>(
    await db.execute(sql`
      SELECT h.village_code, count(*) AS listed, coalesce(sum(e.amount), 0) AS listed_amount,
        count(d.id) AS delivered, coalesce(sum(d.amount), 0) AS delivered_amount,
        count(*) FILTER (WHERE d.id IS NULL) AS not_delivered
      FROM entitlements e JOIN households h ON h.id = e.household_id LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} GROUP BY h.village_code ORDER BY h.village_code`),
  );
  const reasons = rowsOf<{ reason: string; n: string | number }>(
    await db.execute(sql`SELECT coalesce(e.not_delivered_reason, '') AS reason, count(*) AS n
      FROM entitlements e LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} AND d.id IS NULL GROUP BY 1 ORDER BY 2 DESC`),
  );
  const villages = rows.map((r) => ({
    villageCode: r.village_code,
    listed: Number(r.listed),
    listedAmount: Number(r.listed_amount),
    delivered: Number(r.delivered),
    deliveredAmount: Number(r.delivered_amount),
    notDelivered: Number(r.not_delivered),
  }));
  const total = (k: "listed" | "listedAmount" | "delivered" | "deliveredAmount" | "notDelivered") =>
    villages.reduce((a, v) => a + v[k], 0);
  return {
    cycleId,
    status: cycle.status,
    planned: total("listed"),
    approved: cycle.status === "approved" ? total("listed") : 0,
    delivered: total("delivered"),
    notDelivered: total("notDelivered"),
    plannedAmount: total("listedAmount"),
    deliveredAmount: total("deliveredAmount"),
    notDeliveredReasons: reasons.map((r) => ({ reason: r.reason || null, households: Number(r.n) })),
    villages,
  };
}
