import { z } from "@hono/zod-openapi";
import type { Db } from "../../db/client.ts";
import { unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDay } from "./common.ts";
import { lockHousehold } from "./registry.ts";
import { householdPolicyClasses } from "./schema.ts";

export const policyClassInput = z.object({
  kind: z.enum(["meritorious_service", "martyr_family", "war_invalid", "other_policy"]),
  validFrom: isoDay,
  validTo: isoDay.nullish(),
  note: safeText().trim().max(300).nullish(),
  expectedVersion: z.number().int().min(1),
});

/** A dated policy-beneficiary classification (separate from poverty): programmes may target it as of a date. */
export async function addPolicyClass(
  db: Db,
  ctx: RequestContext,
  householdId: number,
  raw: z.input<typeof policyClassInput>,
) {
  const input = policyClassInput.parse(raw);
  if (input.validTo && input.validTo <= input.validFrom)
    throw unprocessable(
      "invalid_interval",
      { vi: "Ngày kết thúc phải sau ngày bắt đầu.", en: "The end must be after the start." },
      { fields: [{ field: "validTo", message: "not after validFrom" }] },
    );
  return db.transaction(async (tx) => {
    const h = await lockHousehold(tx, ctx, householdId, input.expectedVersion);
    const [row] = await tx
      .insert(householdPolicyClasses)
      .values({
        householdId,
        kind: input.kind,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
        note: input.note ?? null,
      })
      .returning({ id: householdPolicyClasses.id });
    await recordAudit(tx, ctx, {
      action: "household.policy_class_add",
      recordKind: "household",
      recordId: householdId,
      unitCode: h.communeCode,
      after: { kind: input.kind, validFrom: input.validFrom, validTo: input.validTo ?? null },
    });
    return { id: row?.id ?? 0, householdVersion: h.version + 1 };
  });
}
