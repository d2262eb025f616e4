import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf } from "../../db/client.ts";
import { AppError, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";

export const communeGroupInput = z.object({
  /** 1, 2 or 3 (Decision 51/2025/QĐ-TTg); null clears it. Any other value is a 422 naming it. */
  group: z.number().int().nullable(),
  /** The group the caller saw (null when none): a different current one answers 409, so no edit is lost. */
  expected: z.number().int().nullable(),
  reason: safeText().trim().max(500).nullable().default(null),
});

/**
 * Sets the new-style rural commune group of the commune version valid today. A group belongs to a version: a new
 * commune formed by a merge starts without one and gets it here, explicitly, never from a predecessor.
 */
export async function setCommuneGroup(
  db: Db,
  ctx: RequestContext,
  code: string,
  raw: z.input<typeof communeGroupInput>,
): Promise<{ code: string; name: string; versionId: number; communeGroup: number | null }> {
  const input = communeGroupInput.parse(raw);
  if (input.group !== null && ![1, 2, 3].includes(input.group))
    throw unprocessable(
      "unknown_group",
      {
        vi: `Nhóm xã ${input.group} không tồn tại (chỉ có nhóm 1, 2, 3).`,
        en: `Commune group ${input.group} does not exist (only groups 1, 2, 3).`,
      },
      { field: "group", group: input.group },
    );
  await assertUnitInScope(db, ctx.actor, code);
  const today = todayInVietnam();
  return db.transaction(async (tx) => {
    const [row] = rowsOf<{ id: number; name: string; level: string; commune_group: number | null }>(
      await tx.execute(sql`
        SELECT id, name, level, commune_group FROM unit_versions
        WHERE code = ${code} AND (valid_from IS NULL OR valid_from <= ${today}::date)
          AND (valid_to IS NULL OR valid_to > ${today}::date)
        FOR UPDATE`),
    );
    if (!row)
      throw notFound("unit_not_found", {
        vi: `Không có đơn vị mã ${code}.`,
        en: `No unit has code ${code}.`,
      });
    if (row.level !== "commune")
      throw unprocessable("not_a_commune", {
        vi: `${row.name} không phải cấp xã: chỉ xã mới có nhóm.`,
        en: `${row.name} is not a commune: only communes have a group.`,
      });
    const current = row.commune_group === null ? null : Number(row.commune_group);
    if (current !== input.expected)
      throw new AppError(
        409,
        "stale_version",
        {
          vi: "Nhóm của xã vừa được người khác đổi; đây là nhóm hiện tại.",
          en: "Someone else changed this commune's group meanwhile; here it is now.",
        },
        { current: { communeGroup: current } },
      );
    await tx.execute(sql`UPDATE unit_versions SET commune_group = ${input.group} WHERE id = ${row.id}`);
    await recordAudit(tx, ctx, {
      action: "standards.commune_group_set",
      recordKind: "unit_version",
      recordId: Number(row.id),
      unitCode: code,
      before: { communeGroup: current },
      after: { communeGroup: input.group },
      reason: input.reason,
    });
    return { code, name: row.name, versionId: Number(row.id), communeGroup: input.group };
  });
}
