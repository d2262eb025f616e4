import { z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { actorIdOf, brokenConstraint, isoDay, shortText } from "./common.ts";
import { evidenceByHousehold } from "./evidence.ts";
import { lockCycle } from "./support.ts";

export const distributionInput = z.object({
  householdId: z.number().int().positive(),
  deliveredOn: isoDay,
  receivedBy: shortText(200),
  quantity: z.number().int().positive().optional(),
  note: safeText({ multiLine: true }).trim().max(1000).optional(),
  /**
   * The name of a paper receipt kept with the commune's records (the file itself, when there is one, is sent to
   * /support-cycles/{id}/entitlements/{householdId}/evidence once the delivery is recorded).
   */
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
        sql`UPDATE entitlements SET not_delivered_reason = NULL, not_delivered_note = NULL, version = version + 1
          WHERE id = ${Number(e.id)}`,
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
          quantity: input.quantity ?? e.quantity,
          note: input.note ?? null,
          evidenceFile: input.evidenceFile ?? null,
        },
      });
      return { id: Number(row?.id) };
    });
  } catch (err) {
    if (brokenConstraint(err) === "distributions_once") throw twice;
    throw err;
  }
}

/** Why a listed household was not reached, as the commune's sheets say it. */
export const notDeliveredReasons = ["absent", "moved", "refused", "died", "other"] as const;

export const notDeliveredInput = z.object({
  householdId: z.number().int().positive(),
  reason: z.enum(notDeliveredReasons),
  /** Details; required when the reason is "other". */
  note: safeText({ multiLine: true }).trim().max(500).optional(),
});

/**
 * Why a listed household was not reached (away on the day, moved, refused, died …), for the reconciliation. Only on
 * an approved list and only while nothing was delivered: a delivery recorded later clears it.
 */
export async function recordNotDelivered(
  db: Db,
  ctx: RequestContext,
  cycleId: number,
  raw: z.input<typeof notDeliveredInput>,
) {
  const input = notDeliveredInput.parse(raw);
  if (input.reason === "other" && (input.note ?? "").length < 3)
    throw unprocessable(
      "note_required",
      {
        vi: 'Lý do "khác" cần ghi rõ (ít nhất 3 ký tự).',
        en: 'The reason "other" needs a note (at least 3 characters).',
      },
      { fields: [{ field: "note", message: "required for other" }] },
    );
  return db.transaction(async (tx) => {
    const { cycle } = await lockCycle(tx, ctx, cycleId, "share");
    if (cycle.status !== "approved")
      throw unprocessable("list_not_approved", {
        vi: "Danh sách của đợt này chưa được duyệt; chưa thể ghi kết quả cấp phát.",
        en: "This cycle's list is not approved yet; no outcome can be recorded.",
      });
    const [before] = rowsOf<{ id: string | number; not_delivered_reason: string | null; delivered: boolean }>(
      await tx.execute(sql`SELECT e.id, e.not_delivered_reason,
          EXISTS (SELECT 1 FROM distributions d WHERE d.entitlement_id = e.id) AS delivered
        FROM entitlements e WHERE e.cycle_id = ${cycleId} AND e.household_id = ${input.householdId} FOR UPDATE`),
    );
    if (!before)
      throw unprocessable(
        "not_on_approved_list",
        {
          vi: `Hộ số ${input.householdId} không có trong danh sách đã duyệt của đợt này.`,
          en: `Household ${input.householdId} is not on this cycle's approved list.`,
        },
        { fields: [{ field: "householdId", message: "not on the approved list" }] },
      );
    if (before.delivered)
      throw conflict(
        "already_delivered",
        {
          vi: `Hộ số ${input.householdId} đã nhận hỗ trợ của đợt này.`,
          en: `Household ${input.householdId} has already received this cycle's support.`,
        },
        { householdId: input.householdId },
      );
    await tx.execute(sql`UPDATE entitlements SET not_delivered_reason = ${input.reason},
        not_delivered_note = ${input.note ?? null}, version = version + 1 WHERE id = ${Number(before.id)}`);
    await recordAudit(tx, ctx, {
      action: "entitlement.not_delivered",
      recordKind: "entitlement",
      recordId: Number(before.id),
      unitCode: cycle.communeCode,
      before: { notDeliveredReason: before.not_delivered_reason },
      after: {
        cycleId,
        householdId: input.householdId,
        notDeliveredReason: input.reason,
        note: input.note ?? null,
      },
      reason: input.note ?? input.reason,
    });
    return { updated: 1 };
  });
}

/** The cycle and its programme as every screen of it shows them (no household named). */
function presentCycle(
  cycle: Awaited<ReturnType<typeof lockCycle>>["cycle"],
  programme: Awaited<ReturnType<typeof lockCycle>>["programme"],
  communeName: string | null,
) {
  return {
    id: cycle.id,
    name: cycle.name,
    communeCode: cycle.communeCode,
    communeName,
    eligibilityDate: isoDate(cycle.eligibilityDate),
    status: cycle.status,
    version: cycle.version,
    programme: {
      id: programme.id,
      name: programme.name,
      funder: programme.funder,
      benefitKind: programme.benefitKind,
      benefitAmount: programme.benefitAmount,
      benefitDescription: programme.benefitDescription,
    },
  };
}

async function communeNameOf(db: DbOrTx, code: string): Promise<string | null> {
  const [row] = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT name FROM unit_versions WHERE code = ${code} AND level = 'commune'
      ORDER BY valid_from DESC NULLS LAST LIMIT 1`),
  );
  return row?.name ?? null;
}

/**
 * The cycle's list: each household, why it is listed, and whether and when it received its support or why not; and
 * the households taken off it before approval, with the reason.
 */
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
    village_name: string | null;
    quantity: number;
    amount: string | number;
    basis: string;
    added_reason: string | null;
    not_delivered_reason: string | null;
    not_delivered_note: string | null;
    delivered_on: string | Date | null;
    received_by: string | null;
    delivered_quantity: number | null;
    delivery_note: string | null;
    evidence_file: string | null;
  }>(
    await db.execute(sql`
      SELECT e.household_id, h.code, h.head_name, h.village_code, e.quantity, e.amount, e.basis, e.added_reason,
        e.not_delivered_reason, e.not_delivered_note, d.delivered_on, d.received_by, d.quantity AS delivered_quantity,
        d.note AS delivery_note, d.evidence_file,
        (SELECT name FROM unit_versions u WHERE u.code = h.village_code ORDER BY u.valid_from DESC NULLS LAST LIMIT 1)
          AS village_name
      FROM entitlements e JOIN households h ON h.id = e.household_id LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} ORDER BY h.village_code, h.head_search, h.id LIMIT ${limit} OFFSET ${offset}`),
  );
  const [total] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM entitlements WHERE cycle_id = ${cycleId}`),
  );
  const evidence = await evidenceByHousehold(
    db,
    cycleId,
    rows.filter((r) => r.delivered_on !== null).map((r) => Number(r.household_id)),
  );
  const removed = rowsOf<{
    household_id: string | number;
    code: string;
    head_name: string;
    reason: string;
    removed_at: string | Date;
  }>(
    await db.execute(sql`SELECT r.household_id, h.code, h.head_name, r.reason, r.removed_at
      FROM entitlement_removals r JOIN households h ON h.id = r.household_id
      WHERE r.cycle_id = ${cycleId} ORDER BY r.removed_at DESC`),
  );
  return {
    cycle: presentCycle(cycle, programme, await communeNameOf(db, cycle.communeCode)),
    total: Number(total?.n ?? 0),
    items: rows.map((r) => ({
      householdId: Number(r.household_id),
      code: r.code,
      headName: r.head_name,
      villageCode: r.village_code,
      villageName: r.village_name,
      quantity: r.quantity,
      amount: Number(r.amount),
      basis: r.basis,
      addedReason: r.added_reason,
      notDeliveredReason: r.not_delivered_reason,
      notDeliveredNote: r.not_delivered_note,
      deliveredOn: isoDate(r.delivered_on),
      receivedBy: r.received_by,
      deliveredQuantity: r.delivered_quantity,
      deliveryNote: r.delivery_note,
      evidenceFile: r.evidence_file,
      evidence: evidence.get(Number(r.household_id)) ?? [],
    })),
    removed: removed.map((r) => ({
      householdId: Number(r.household_id),
      code: r.code,
      headName: r.head_name,
      reason: r.reason,
      removedAt: r.removed_at instanceof Date ? r.removed_at.toISOString() : String(r.removed_at),
    })),
  };
}

/**
 * Reconciliation of one cycle: listed (planned), approved, delivered, not delivered with the reason given, still
 * awaiting news, and the same per village. Counts, quantities and amounts come from the database in one pass; no
 * household is named, so every signed-in reader within scope may see it.
 */
export async function reconcileCycle(db: DbOrTx, ctx: RequestContext, cycleId: number) {
  const { cycle, programme } = await lockCycle(db, ctx, cycleId, "share");
  const rows = rowsOf<{
    village_code: string;
    village_name: string | null;
    listed: string | number;
    listed_amount: string | number;
    listed_quantity: string | number;
    delivered: string | number;
    delivered_amount: string | number;
    delivered_quantity: string | number;
    not_delivered: string | number;
    pending: string | number;
  }>(
    await db.execute(sql`
      SELECT h.village_code,
        (SELECT name FROM unit_versions u WHERE u.code = h.village_code ORDER BY u.valid_from DESC NULLS LAST LIMIT 1)
          AS village_name,
        count(*) AS listed, coalesce(sum(e.amount), 0) AS listed_amount, coalesce(sum(e.quantity), 0) AS listed_quantity,
        count(d.id) AS delivered, coalesce(sum(d.amount), 0) AS delivered_amount,
        coalesce(sum(d.quantity), 0) AS delivered_quantity,
        count(*) FILTER (WHERE d.id IS NULL AND e.not_delivered_reason IS NOT NULL) AS not_delivered,
        count(*) FILTER (WHERE d.id IS NULL AND e.not_delivered_reason IS NULL) AS pending
      FROM entitlements e JOIN households h ON h.id = e.household_id LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} GROUP BY h.village_code ORDER BY h.village_code`),
  );
  const reasons = rowsOf<{ reason: string; n: string | number }>(
    await db.execute(sql`SELECT e.not_delivered_reason AS reason, count(*) AS n
      FROM entitlements e LEFT JOIN distributions d ON d.entitlement_id = e.id
      WHERE e.cycle_id = ${cycleId} AND d.id IS NULL AND e.not_delivered_reason IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC, 1`),
  );
  const [removed] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM entitlement_removals WHERE cycle_id = ${cycleId}`),
  );
  const [withEvidence] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT count(*) AS n FROM distributions d JOIN entitlements e ON e.id = d.entitlement_id
      WHERE e.cycle_id = ${cycleId} AND EXISTS (SELECT 1 FROM distribution_evidence de WHERE de.distribution_id = d.id)`),
  );
  const villages = rows.map((r) => ({
    villageCode: r.village_code,
    villageName: r.village_name,
    listed: Number(r.listed),
    listedAmount: Number(r.listed_amount),
    listedQuantity: Number(r.listed_quantity),
    delivered: Number(r.delivered),
    deliveredAmount: Number(r.delivered_amount),
    deliveredQuantity: Number(r.delivered_quantity),
    notDelivered: Number(r.not_delivered),
    pending: Number(r.pending),
  }));
  const total = (k: Exclude<keyof (typeof villages)[number], "villageCode" | "villageName">) =>
    villages.reduce((a, v) => a + v[k], 0);
  return {
    cycleId,
    cycle: presentCycle(cycle, programme, await communeNameOf(db, cycle.communeCode)),
    status: cycle.status,
    planned: total("listed"),
    approved: cycle.status === "approved" ? total("listed") : 0,
    delivered: total("delivered"),
    notDelivered: total("notDelivered"),
    pending: total("pending"),
    removed: Number(removed?.n ?? 0),
    /** Deliveries with at least one evidence file kept (a count: no file is shown to a reader of counts). */
    deliveredWithEvidence: Number(withEvidence?.n ?? 0),
    plannedAmount: total("listedAmount"),
    deliveredAmount: total("deliveredAmount"),
    plannedQuantity: total("listedQuantity"),
    deliveredQuantity: total("deliveredQuantity"),
    notDeliveredReasons: reasons.map((r) => ({ reason: r.reason, households: Number(r.n) })),
    villages,
  };
}
