import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../server/errors.ts";
import { safeText } from "../../server/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { actorIdOf, brokenConstraint, isoDay, shortText } from "./common.ts";
import { disasters } from "./schema.ts";

export const disasterInput = z.object({
  name: shortText(200),
  kind: z.enum(["flood", "flash_flood", "landslide", "storm", "other"]),
  startedOn: isoDay,
  endedOn: isoDay.nullish(),
  provinceCode: shortText(8),
  /** The communes it struck. */
  unitCodes: z.array(shortText(32)).min(1).max(500),
});

/** A disaster event with its dates and the communes it struck (the province records it). */
export async function createDisaster(db: Db, ctx: RequestContext, raw: z.input<typeof disasterInput>) {
  const input = disasterInput.parse(raw);
  await assertUnitInScope(db, ctx.actor, input.provinceCode);
  for (const code of input.unitCodes) await assertUnitInScope(db, ctx.actor, code);
  if (input.endedOn && input.endedOn < input.startedOn)
    throw unprocessable(
      "invalid_interval",
      { vi: "Ngày kết thúc trước ngày bắt đầu.", en: "The end is before the start." },
      { fields: [{ field: "endedOn", message: "before startedOn" }] },
    );
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(disasters)
      .values({ ...input, endedOn: input.endedOn ?? null })
      .returning({ id: disasters.id });
    await recordAudit(tx, ctx, {
      action: "disaster.create",
      recordKind: "disaster",
      recordId: row?.id ?? 0,
      unitCode: input.provinceCode,
      after: input,
    });
    return { id: row?.id ?? 0 };
  });
}

export const damageInput = z.object({
  householdId: z.number().int().positive(),
  peopleHurt: z.number().int().min(0).default(0),
  house: z.enum(["none", "damaged", "destroyed"]).default("none"),
  cropsHa: z.number().min(0).max(10_000).default(0),
  livestockLost: z.number().int().min(0).default(0),
  note: safeText({ multiLine: true }).trim().max(1000).optional(),
});

/** A household's damage from an event; the household must live in a commune the event struck. Once per household. */
export async function recordDamage(
  db: Db,
  ctx: RequestContext,
  disasterId: number,
  raw: z.input<typeof damageInput>,
) {
  const input = damageInput.parse(raw);
  const [event] = await db.select().from(disasters).where(eq(disasters.id, disasterId));
  if (!event)
    throw notFound("disaster_not_found", {
      vi: `Không có sự kiện số ${disasterId}.`,
      en: `No event ${disasterId}.`,
    });
  const [h] = rowsOf<{ commune_code: string }>(
    await db.execute(
      sql`SELECT commune_code FROM households WHERE id = ${input.householdId} AND deleted_at IS NULL`,
    ),
  );
  if (!h || !event.unitCodes.includes(h.commune_code))
    throw unprocessable(
      "household_not_affected_area",
      {
        vi: `Hộ số ${input.householdId} không ở xã bị ảnh hưởng bởi sự kiện này.`,
        en: `Household ${input.householdId} is not in a commune this event struck.`,
      },
      { fields: [{ field: "householdId", message: "outside the affected communes" }] },
    );
  await assertUnitInScope(db, ctx.actor, h.commune_code);
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO disaster_damages
        (disaster_id, household_id, commune_code, people_hurt, house, crops_ha, livestock_lost, note, recorded_by)
        VALUES (${disasterId}, ${input.householdId}, ${h.commune_code}, ${input.peopleHurt}, ${input.house},
          ${input.cropsHa}, ${input.livestockLost}, ${input.note ?? null}, ${actorIdOf(ctx.actor)})`);
      await recordAudit(tx, ctx, {
        action: "disaster.damage",
        recordKind: "disaster_damage",
        recordId: `${disasterId}/${input.householdId}`,
        unitCode: h.commune_code,
        after: input,
      });
      return { recorded: true };
    });
  } catch (err) {
    if (brokenConstraint(err) === "disaster_damages_pk")
      throw unprocessable("damage_recorded", {
        vi: "Thiệt hại của hộ này đã được ghi cho sự kiện.",
        en: "This household's damage is already recorded for the event.",
      });
    throw err;
  }
}

/**
 * Damage and relief per commune, as the province follows an event: households affected, people hurt, houses destroyed
 * and damaged, crops and livestock lost, and for the relief programmes linked to it, households listed and reached.
 */
export async function disasterSummary(db: DbOrTx, ctx: RequestContext, disasterId: number) {
  const [event] = await db.select().from(disasters).where(eq(disasters.id, disasterId));
  if (!event)
    throw notFound("disaster_not_found", {
      vi: `Không có sự kiện số ${disasterId}.`,
      en: `No event ${disasterId}.`,
    });
  await assertUnitInScope(db, ctx.actor, event.provinceCode);
  const rows = rowsOf<{
    commune_code: string;
    name: string | null;
    households: string | number;
    people_hurt: string | number;
    destroyed: string | number;
    damaged: string | number;
    crops_ha: string | number;
    livestock: string | number;
    listed: string | number;
    delivered: string | number;
  }>(
    await db.execute(sql`
      WITH communes AS (SELECT unnest(unit_codes) AS code FROM disasters WHERE id = ${disasterId})
      SELECT c.code AS commune_code,
        (SELECT name FROM unit_versions u WHERE u.code = c.code AND u.level = 'commune' ORDER BY u.valid_from DESC NULLS LAST LIMIT 1) AS name,
        count(d.household_id) AS households, coalesce(sum(d.people_hurt), 0) AS people_hurt,
        count(*) FILTER (WHERE d.house = 'destroyed') AS destroyed, count(*) FILTER (WHERE d.house = 'damaged') AS damaged,
        coalesce(sum(d.crops_ha), 0) AS crops_ha, coalesce(sum(d.livestock_lost), 0) AS livestock,
        (SELECT count(*) FROM entitlements e JOIN support_cycles sc ON sc.id = e.cycle_id
          JOIN support_programmes p ON p.id = sc.programme_id WHERE p.disaster_id = ${disasterId} AND sc.commune_code = c.code) AS listed,
        (SELECT count(*) FROM entitlements e JOIN distributions x ON x.entitlement_id = e.id JOIN support_cycles sc ON sc.id = e.cycle_id
          JOIN support_programmes p ON p.id = sc.programme_id WHERE p.disaster_id = ${disasterId} AND sc.commune_code = c.code) AS delivered
      FROM communes c LEFT JOIN disaster_damages d ON d.disaster_id = ${disasterId} AND d.commune_code = c.code
      GROUP BY c.code ORDER BY c.code`),
  );
  return {
    id: event.id,
    name: event.name,
    kind: event.kind,
    startedOn: isoDate(event.startedOn),
    endedOn: isoDate(event.endedOn),
    communes: rows.map((r) => ({
      communeCode: r.commune_code,
      communeName: r.name,
      households: Number(r.households),
      peopleHurt: Number(r.people_hurt),
      housesDestroyed: Number(r.destroyed),
      housesDamaged: Number(r.damaged),
      cropsHa: Number(r.crops_ha),
      livestockLost: Number(r.livestock),
      reliefListed: Number(r.listed),
      reliefDelivered: Number(r.delivered),
    })),
  };
}

/** Events of a province, newest first. */
export async function listDisasters(db: DbOrTx, ctx: RequestContext, provinceCode: string) {
  await assertUnitInScope(db, ctx.actor, provinceCode);
  const rows = await db.select().from(disasters).where(eq(disasters.provinceCode, provinceCode));
  return rows
    .map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      startedOn: isoDate(d.startedOn),
      unitCodes: d.unitCodes,
    }))
    .sort((a, b) => (b.startedOn ?? "").localeCompare(a.startedOn ?? ""));
}
