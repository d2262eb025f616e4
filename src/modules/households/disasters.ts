import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope, coversUnit } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { actorIdOf, brokenConstraint, currentParent, isoDay, shortText } from "./common.ts";
import { disasters } from "./schema.ts";

export const disasterInput = z.object({
  name: shortText(200),
  kind: z.enum(["flood", "flash_flood", "landslide", "storm", "other"]),
  startedOn: isoDay,
  endedOn: isoDay.nullish(),
  /** The province; when left out, the province of the communes struck. */
  provinceCode: shortText(8).optional(),
  /** The communes it struck. */
  unitCodes: z.array(shortText(32)).min(1).max(500),
});

/** A disaster event with its dates and the communes it struck (the province records it). */
export async function createDisaster(db: Db, ctx: RequestContext, raw: z.input<typeof disasterInput>) {
  const parsed = disasterInput.parse(raw);
  const provinceCode = parsed.provinceCode ?? (await currentParent(db, parsed.unitCodes[0] ?? "")) ?? "";
  const input = { ...parsed, provinceCode };
  // Every commune struck must be in the recorder's scope and in the province: so a commune records an event for its
  // own area (it holds the commune, not the province above it) and a province for any of its communes.
  for (const code of input.unitCodes) await assertUnitInScope(db, ctx.actor, code);
  for (const code of input.unitCodes)
    if ((await currentParent(db, code)) !== input.provinceCode)
      throw unprocessable(
        "unit_outside_province",
        {
          vi: `Xã ${code} không thuộc tỉnh ${input.provinceCode}.`,
          en: `Commune ${code} is not in province ${input.provinceCode}.`,
        },
        { fields: [{ field: "unitCodes", message: `${code} outside the province` }] },
      );
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
 * and damaged, crops and livestock lost, and for the relief programmes linked to it, households listed and reached,
 * amounts planned and paid. Coverage: how many of the communes struck have said their damage is all recorded (and how
 * many have recorded some), so a partial sum is never read as the whole. Counts only: no household is named.
 */
export async function disasterSummary(db: DbOrTx, ctx: RequestContext, disasterId: number) {
  const [event] = await db.select().from(disasters).where(eq(disasters.id, disasterId));
  if (!event)
    throw notFound("disaster_not_found", {
      vi: `Không có sự kiện số ${disasterId}.`,
      en: `No event ${disasterId}.`,
    });
  const readsProvince = await coversUnit(db, ctx.actor, event.provinceCode);
  if (!readsProvince) {
    // A commune struck by the event follows it too, its own row only.
    const own = [];
    for (const code of event.unitCodes) if (await coversUnit(db, ctx.actor, code)) own.push(code);
    if (own.length === 0) await assertUnitInScope(db, ctx.actor, event.provinceCode);
  }
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
    planned_amount: string | number;
    delivered_amount: string | number;
    reported_at: string | Date | null;
  }>(
    await db.execute(sql`
      WITH communes AS (SELECT unnest(unit_codes) AS code FROM disasters WHERE id = ${disasterId}),
      relief AS (
        SELECT sc.commune_code, count(e.id) AS listed, count(x.id) AS delivered,
          coalesce(sum(e.amount), 0) AS planned_amount, coalesce(sum(x.amount), 0) AS delivered_amount
        FROM support_programmes p JOIN support_cycles sc ON sc.programme_id = p.id
          JOIN entitlements e ON e.cycle_id = sc.id LEFT JOIN distributions x ON x.entitlement_id = e.id
        WHERE p.disaster_id = ${disasterId} GROUP BY sc.commune_code)
      SELECT c.code AS commune_code,
        (SELECT name FROM unit_versions u WHERE u.code = c.code AND u.level = 'commune' ORDER BY u.valid_from DESC NULLS LAST LIMIT 1) AS name,
        count(d.household_id) AS households, coalesce(sum(d.people_hurt), 0) AS people_hurt,
        count(*) FILTER (WHERE d.house = 'destroyed') AS destroyed, count(*) FILTER (WHERE d.house = 'damaged') AS damaged,
        coalesce(sum(d.crops_ha), 0) AS crops_ha, coalesce(sum(d.livestock_lost), 0) AS livestock,
        coalesce(max(r.listed), 0) AS listed, coalesce(max(r.delivered), 0) AS delivered,
        coalesce(max(r.planned_amount), 0) AS planned_amount, coalesce(max(r.delivered_amount), 0) AS delivered_amount,
        (SELECT reported_at FROM disaster_reports dr WHERE dr.disaster_id = ${disasterId} AND dr.commune_code = c.code) AS reported_at
      FROM communes c LEFT JOIN disaster_damages d ON d.disaster_id = ${disasterId} AND d.commune_code = c.code
        LEFT JOIN relief r ON r.commune_code = c.code
      GROUP BY c.code ORDER BY c.code`),
  );
  const programmes = rowsOf<{
    id: string | number;
    name: string;
    funder: string;
    benefit_kind: string;
    benefit_amount: string | number;
    cycles: string | number;
  }>(
    await db.execute(sql`SELECT p.id, p.name, p.funder, p.benefit_kind, p.benefit_amount,
        (SELECT count(*) FROM support_cycles c WHERE c.programme_id = p.id) AS cycles
      FROM support_programmes p WHERE p.disaster_id = ${disasterId} ORDER BY p.id`),
  );
  const visible = readsProvince
    ? rows
    : await (async () => {
        const out = [];
        for (const r of rows) if (await coversUnit(db, ctx.actor, r.commune_code)) out.push(r);
        return out;
      })();
  const communes = visible.map((r) => ({
    communeCode: r.commune_code,
    communeName: r.name,
    reported: r.reported_at !== null,
    households: Number(r.households),
    peopleHurt: Number(r.people_hurt),
    housesDestroyed: Number(r.destroyed),
    housesDamaged: Number(r.damaged),
    cropsHa: Number(r.crops_ha),
    livestockLost: Number(r.livestock),
    reliefListed: Number(r.listed),
    reliefDelivered: Number(r.delivered),
    reliefPlannedAmount: Number(r.planned_amount),
    reliefDeliveredAmount: Number(r.delivered_amount),
  }));
  const sum = (k: Exclude<keyof (typeof communes)[number], "communeCode" | "communeName" | "reported">) =>
    communes.reduce((a, c) => a + c[k], 0);
  return {
    id: event.id,
    name: event.name,
    kind: event.kind,
    startedOn: isoDate(event.startedOn),
    endedOn: isoDate(event.endedOn),
    provinceCode: event.provinceCode,
    version: event.version,
    // Over every commune struck, also those this reader does not see a row of: a commune's officers learn how far
    // the whole report has come, never a figure of another commune.
    coverage: {
      expected: rows.length,
      reported: rows.filter((r) => r.reported_at !== null).length,
      withDamage: rows.filter((r) => Number(r.households) > 0).length,
    },
    totals: {
      households: sum("households"),
      peopleHurt: sum("peopleHurt"),
      housesDestroyed: sum("housesDestroyed"),
      housesDamaged: sum("housesDamaged"),
      cropsHa: sum("cropsHa"),
      livestockLost: sum("livestockLost"),
      reliefListed: sum("reliefListed"),
      reliefDelivered: sum("reliefDelivered"),
      reliefPlannedAmount: sum("reliefPlannedAmount"),
      reliefDeliveredAmount: sum("reliefDeliveredAmount"),
    },
    communes,
    programmes: programmes.map((p) => ({
      id: Number(p.id),
      name: p.name,
      funder: p.funder,
      benefitKind: p.benefit_kind,
      benefitAmount: Number(p.benefit_amount),
      cycles: Number(p.cycles),
    })),
  };
}

/**
 * Events a reader follows: a province's (`province`), or those that struck a commune (`commune`), newest first, with
 * how many households each has recorded as affected.
 */
export async function listDisasters(
  db: DbOrTx,
  ctx: RequestContext,
  where: { province?: string | undefined; commune?: string | undefined },
) {
  const code = where.province ?? where.commune;
  if (!code)
    throw unprocessable(
      "unit_required",
      { vi: "Hãy cho biết mã tỉnh hoặc mã xã.", en: "Give a province or a commune code." },
      { fields: [{ field: "province", message: "required" }] },
    );
  await assertUnitInScope(db, ctx.actor, code);
  const rows = rowsOf<{
    id: string | number;
    name: string;
    kind: string;
    started_on: string | Date;
    ended_on: string | Date | null;
    unit_codes: string[];
    households: string | number;
    reported: string | number;
  }>(
    await db.execute(sql`SELECT d.id, d.name, d.kind, d.started_on, d.ended_on, d.unit_codes,
        (SELECT count(*) FROM disaster_damages x WHERE x.disaster_id = d.id) AS households,
        (SELECT count(*) FROM disaster_reports r WHERE r.disaster_id = d.id) AS reported
      FROM disasters d
      WHERE ${where.province ? sql`d.province_code = ${where.province}` : sql`${code} = ANY(d.unit_codes)`}
      ORDER BY d.started_on DESC, d.id DESC`),
  );
  return rows.map((d) => ({
    id: Number(d.id),
    name: d.name,
    kind: d.kind,
    startedOn: isoDate(d.started_on),
    endedOn: isoDate(d.ended_on),
    unitCodes: d.unit_codes,
    households: Number(d.households),
    communesReported: Number(d.reported),
  }));
}

/** The commune's affected households with their damage (names: officers only, see the route's policy). */
export async function listDamages(db: DbOrTx, ctx: RequestContext, disasterId: number, communeCode: string) {
  await assertUnitInScope(db, ctx.actor, communeCode);
  const rows = rowsOf<{
    household_id: string | number;
    code: string;
    head_name: string;
    village_code: string;
    people_hurt: number;
    house: string;
    crops_ha: string | number;
    livestock_lost: number;
    note: string | null;
  }>(
    await db.execute(sql`SELECT d.household_id, h.code, h.head_name, h.village_code, d.people_hurt, d.house,
        d.crops_ha, d.livestock_lost, d.note
      FROM disaster_damages d JOIN households h ON h.id = d.household_id
      WHERE d.disaster_id = ${disasterId} AND d.commune_code = ${communeCode}
      ORDER BY h.village_code, h.head_search, h.id`),
  );
  return rows.map((r) => ({
    householdId: Number(r.household_id),
    code: r.code,
    headName: r.head_name,
    villageCode: r.village_code,
    peopleHurt: r.people_hurt,
    house: r.house,
    cropsHa: Number(r.crops_ha),
    livestockLost: r.livestock_lost,
    note: r.note,
  }));
}

export const damageReportInput = z.object({ communeCode: shortText(32) });

/**
 * The commune says its damage from the event is all recorded (none at all is an answer too): the province's view
 * counts it as reported. Saying it again changes nothing.
 */
export async function reportDamageComplete(
  db: Db,
  ctx: RequestContext,
  disasterId: number,
  raw: z.input<typeof damageReportInput>,
) {
  const input = damageReportInput.parse(raw);
  await assertUnitInScope(db, ctx.actor, input.communeCode);
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(disasters).where(eq(disasters.id, disasterId)).for("share");
    if (!event)
      throw notFound("disaster_not_found", {
        vi: `Không có sự kiện số ${disasterId}.`,
        en: `No event ${disasterId}.`,
      });
    if (!event.unitCodes.includes(input.communeCode))
      throw unprocessable(
        "commune_not_affected",
        {
          vi: `Xã ${input.communeCode} không nằm trong vùng bị ảnh hưởng của sự kiện.`,
          en: `Commune ${input.communeCode} is not among the communes the event struck.`,
        },
        { fields: [{ field: "communeCode", message: "not affected" }] },
      );
    const inserted = rowsOf<{ commune_code: string }>(
      await tx.execute(sql`INSERT INTO disaster_reports (disaster_id, commune_code, reported_by)
        VALUES (${disasterId}, ${input.communeCode}, ${actorIdOf(ctx.actor)})
        ON CONFLICT (disaster_id, commune_code) DO NOTHING RETURNING commune_code`),
    );
    if (inserted.length > 0)
      await recordAudit(tx, ctx, {
        action: "disaster.report",
        recordKind: "disaster_report",
        recordId: `${disasterId}/${input.communeCode}`,
        unitCode: input.communeCode,
        after: { disasterId, communeCode: input.communeCode },
      });
    return { reported: true };
  });
}
