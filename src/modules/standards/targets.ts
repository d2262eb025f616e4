import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { parsePeriod } from "../reporting/periods.ts";
import type { TargetView } from "./contract.ts";
import { indicatorTargets } from "./schema.ts";
import { dataInfo, thresholdRange } from "./thresholds.ts";

export const targetInput = z.object({
  dataCode: safeText().trim().min(1).max(64),
  unitCode: safeText().trim().min(1).max(32),
  /** The period the target is for: 2027 means "by the end of 2027". */
  period: safeText().trim().min(4).max(10),
  value: z.number().finite(),
  note: safeText().trim().max(500).nullable().default(null),
});

export type { TargetView } from "./contract.ts";

const present = (t: typeof indicatorTargets.$inferSelect): TargetView => ({
  id: t.id,
  dataCode: t.dataCode,
  unitCode: t.unitCode,
  period: t.period,
  value: Number(t.value),
  note: t.note,
  version: t.version,
});

/** Targets of some units (and data codes), by period. Targets are plans, readable by anyone signed in. */
export async function listTargets(
  db: DbOrTx,
  filter: { unitCodes?: string[]; dataCodes?: string[] },
): Promise<TargetView[]> {
  const where = [
    filter.unitCodes?.length ? inArray(indicatorTargets.unitCode, filter.unitCodes) : undefined,
    filter.dataCodes?.length ? inArray(indicatorTargets.dataCode, filter.dataCodes) : undefined,
  ].filter((w) => w !== undefined);
  const rows = await db
    .select()
    .from(indicatorTargets)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(indicatorTargets.unitCode), asc(indicatorTargets.dataCode), asc(indicatorTargets.period));
  return rows.map(present);
}

/** Creates a target; an existing one for the same (data, unit, period) is a 409 with it, to be edited instead. */
export async function createTarget(db: Db, ctx: RequestContext, raw: z.input<typeof targetInput>) {
  const input = targetInput.parse(raw);
  await assertUnitInScope(db, ctx.actor, input.unitCode);
  return db.transaction(async (tx) => {
    await checkTarget(tx, input);
    const [existing] = await tx
      .select()
      .from(indicatorTargets)
      .where(
        and(
          eq(indicatorTargets.dataCode, input.dataCode),
          eq(indicatorTargets.unitCode, input.unitCode),
          eq(indicatorTargets.period, input.period),
        ),
      );
    if (existing)
      throw new AppError(
        409,
        "target_exists",
        {
          vi: `Đã có mục tiêu ${input.dataCode} cho ${input.unitCode} kỳ ${input.period}; hãy sửa mục tiêu đó.`,
          en: `A target for ${input.dataCode}, ${input.unitCode}, ${input.period} exists; edit it instead.`,
        },
        { current: present(existing) },
      );
    const [row] = await tx
      .insert(indicatorTargets)
      .values({ ...input, value: String(input.value) })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await recordAudit(tx, ctx, {
      action: "standards.target_create",
      recordKind: "indicator_target",
      recordId: row.id,
      unitCode: row.unitCode,
      after: present(row),
    });
    return present(row);
  });
}

async function checkTarget(tx: DbOrTx, input: { dataCode: string; period: string; value: number }) {
  const info = (await dataInfo(tx, [input.dataCode])).get(input.dataCode);
  if (!info)
    throw unprocessable(
      "unknown_indicator",
      {
        vi: `Không có chỉ số hay chỉ tiêu nào mang mã ${input.dataCode}.`,
        en: `No indicator or data element has the code ${input.dataCode}.`,
      },
      { field: "dataCode" },
    );
  if (!parsePeriod(input.period))
    throw unprocessable(
      "invalid_period",
      { vi: `Kỳ ${input.period} không hợp lệ.`, en: `Period ${input.period} is not valid.` },
      { field: "period" },
    );
  const range = thresholdRange(info);
  if (info.valueType === "text" || input.value < range.min || input.value > range.max)
    throw unprocessable(
      "target_out_of_range",
      {
        vi: `Mục tiêu ${input.value} nằm ngoài miền giá trị của ${info.code}.`,
        en: `Target ${input.value} is outside the range of ${info.code}.`,
      },
      { field: "value" },
    );
}

export const targetPatch = z.object({
  version: z.number().int().min(1),
  value: z.number().finite(),
  note: safeText().trim().max(500).nullable().optional(),
});

export async function updateTarget(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof targetPatch>,
) {
  const patch = targetPatch.parse(raw);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(indicatorTargets)
      .where(eq(indicatorTargets.id, id))
      .for("update");
    if (!before)
      throw notFound("target_not_found", { vi: `Không có mục tiêu số ${id}.`, en: `No target ${id}.` });
    await assertUnitInScope(tx, ctx.actor, before.unitCode);
    await checkTarget(tx, { dataCode: before.dataCode, period: before.period, value: patch.value });
    if (before.version !== patch.version)
      throw new AppError(
        409,
        "stale_version",
        { vi: "Mục tiêu vừa được người khác sửa.", en: "Someone else changed this target meanwhile." },
        { current: present(before) },
      );
    const [after] = await tx
      .update(indicatorTargets)
      .set({
        value: String(patch.value),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
        updatedAt: new Date(),
        version: sql`${indicatorTargets.version} + 1`,
      })
      .where(eq(indicatorTargets.id, id))
      .returning();
    if (!after) throw new Error("target vanished under its lock");
    await recordAudit(tx, ctx, {
      action: "standards.target_update",
      recordKind: "indicator_target",
      recordId: id,
      unitCode: after.unitCode,
      before: present(before),
      after: present(after),
    });
    return present(after);
  });
}

export async function deleteTarget(db: Db, ctx: RequestContext, id: number, version: number) {
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(indicatorTargets)
      .where(eq(indicatorTargets.id, id))
      .for("update");
    if (!before)
      throw notFound("target_not_found", { vi: `Không có mục tiêu số ${id}.`, en: `No target ${id}.` });
    await assertUnitInScope(tx, ctx.actor, before.unitCode);
    if (before.version !== version)
      throw new AppError(
        409,
        "stale_version",
        { vi: "Mục tiêu vừa được người khác sửa.", en: "Someone else changed this target meanwhile." },
        { current: present(before) },
      );
    await tx.delete(indicatorTargets).where(eq(indicatorTargets.id, id));
    await recordAudit(tx, ctx, {
      action: "standards.target_delete",
      recordKind: "indicator_target",
      recordId: id,
      unitCode: before.unitCode,
      before: present(before),
    });
  });
}
