import { z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import type { Actor, RequestContext } from "../access/actor.ts";
import { assertUnitInScope, coversUnit, outOfScope, subtreeCodes } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { todayInVietnam } from "../units/text.ts";
import { currentParent, stale } from "./common.ts";
import { supportProgrammes } from "./schema.ts";
import { programmeInput } from "./support.ts";

/**
 * Whether this reader may see a programme: it is run within their scope, or by the unit right above it (a commune's
 * officers see their province's programmes, which they run cycles of).
 */
async function mayRead(db: DbOrTx, actor: Actor, programmeUnit: string): Promise<boolean> {
  if (await coversUnit(db, actor, programmeUnit)) return true;
  if (actor.kind !== "user" && actor.kind !== "token") return false;
  return actor.scope !== null && (await currentParent(db, actor.scope.code)) === programmeUnit;
}

/** Eligibility rules as the screens name them, from the programme's columns. */
function presentProgramme(p: typeof supportProgrammes.$inferSelect, disasterName: string | null) {
  return {
    id: p.id,
    name: p.name,
    funder: p.funder,
    unitCode: p.unitCode,
    eligiblePoor: p.eligiblePoor,
    eligibleNearPoor: p.eligibleNearPoor,
    eligiblePolicy: p.eligiblePolicy,
    disaster: p.disasterId === null ? null : { id: p.disasterId, name: disasterName ?? "" },
    benefitKind: p.benefitKind,
    benefitAmount: p.benefitAmount,
    benefitDescription: p.benefitDescription,
    version: p.version,
  };
}

/**
 * Programmes a unit runs or takes part in: its own, those of the unit above it (a commune sees its province's), and
 * those of the units right under it (a province sees its communes'). Counts only, no household is named.
 */
export async function listProgrammes(db: DbOrTx, ctx: RequestContext, unitCode: string) {
  await assertUnitInScope(db, ctx.actor, unitCode);
  const today = todayInVietnam();
  const parent = await currentParent(db, unitCode);
  const rows = rowsOf<{
    id: string | number;
    unit_name: string | null;
    disaster_name: string | null;
    cycles: string | number;
    listed: string | number;
    delivered: string | number;
  }>(
    await db.execute(sql`
      SELECT p.id,
        (SELECT name FROM unit_versions u WHERE u.code = p.unit_code ORDER BY u.valid_from DESC NULLS LAST LIMIT 1) AS unit_name,
        (SELECT name FROM disasters d WHERE d.id = p.disaster_id) AS disaster_name,
        (SELECT count(*) FROM support_cycles c WHERE c.programme_id = p.id) AS cycles,
        (SELECT count(*) FROM entitlements e JOIN support_cycles c ON c.id = e.cycle_id WHERE c.programme_id = p.id) AS listed,
        (SELECT count(*) FROM distributions x JOIN entitlements e ON e.id = x.entitlement_id
          JOIN support_cycles c ON c.id = e.cycle_id WHERE c.programme_id = p.id) AS delivered
      FROM support_programmes p
      WHERE p.unit_code = ${unitCode} OR p.unit_code = ${parent ?? ""}
        OR p.unit_code IN (SELECT code FROM unit_versions WHERE parent_code = ${unitCode}
          AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date))
      ORDER BY p.id DESC`),
  );
  const extra = new Map(rows.map((r) => [Number(r.id), r]));
  const ids = [...extra.keys()];
  const programmes = ids.length
    ? await db
        .select()
        .from(supportProgrammes)
        .where(sql`${supportProgrammes.id} = ANY(${`{${ids.join(",")}}`}::bigint[])`)
    : [];
  return programmes
    .sort((a, b) => b.id - a.id)
    .map((p) => {
      const r = extra.get(p.id);
      return {
        ...presentProgramme(p, r?.disaster_name ?? null),
        unitName: r?.unit_name ?? null,
        cycles: Number(r?.cycles ?? 0),
        listed: Number(r?.listed ?? 0),
        delivered: Number(r?.delivered ?? 0),
      };
    });
}

/** One programme with its cycles in the reader's scope and their counts. */
export async function getProgramme(db: DbOrTx, ctx: RequestContext, id: number) {
  const [p] = await db.select().from(supportProgrammes).where(eq(supportProgrammes.id, id));
  if (!p)
    throw notFound("programme_not_found", {
      vi: `Không có chương trình hỗ trợ số ${id}.`,
      en: `No support programme ${id}.`,
    });
  if (!(await mayRead(db, ctx.actor, p.unitCode))) throw outOfScope(p.unitCode);
  const rows = rowsOf<{
    id: string | number;
    name: string;
    commune_code: string;
    commune_name: string | null;
    eligibility_date: string | Date;
    status: string;
    version: number;
    listed: string | number;
    delivered: string | number;
    disaster_name: string | null;
  }>(
    await db.execute(sql`
      SELECT c.id, c.name, c.commune_code, c.eligibility_date, c.status, c.version,
        (SELECT name FROM unit_versions u WHERE u.code = c.commune_code AND u.level = 'commune'
          ORDER BY u.valid_from DESC NULLS LAST LIMIT 1) AS commune_name,
        (SELECT count(*) FROM entitlements e WHERE e.cycle_id = c.id) AS listed,
        (SELECT count(*) FROM entitlements e JOIN distributions d ON d.entitlement_id = e.id WHERE e.cycle_id = c.id) AS delivered,
        (SELECT name FROM disasters d WHERE d.id = ${p.disasterId}) AS disaster_name
      FROM support_cycles c WHERE c.programme_id = ${id} ORDER BY c.eligibility_date DESC, c.id DESC`),
  );
  const actor = ctx.actor;
  const visible =
    actor.kind === "user" || actor.kind === "token"
      ? actor.scope === null
        ? null
        : await subtreeCodes(db, actor.scope)
      : null;
  return {
    ...presentProgramme(p, rows[0]?.disaster_name ?? null),
    cycles: rows
      .filter((r) => visible === null || visible.has(r.commune_code))
      .map((r) => ({
        id: Number(r.id),
        name: r.name,
        communeCode: r.commune_code,
        communeName: r.commune_name,
        eligibilityDate: isoDate(r.eligibility_date),
        status: r.status,
        version: r.version,
        listed: Number(r.listed),
        delivered: Number(r.delivered),
      })),
  };
}

export const programmeUpdateInput = programmeInput
  .omit({ unitCode: true })
  .extend({ expectedVersion: z.number().int().min(1) });

/**
 * Changes a programme's name, funder, rule or benefit under its version (a stale one → 409). Lists already proposed
 * keep their households and amounts: the rule applies to lists proposed from now on.
 */
export async function updateProgramme(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof programmeUpdateInput>,
) {
  const input = programmeUpdateInput.parse(raw);
  assertSomeRule(input);
  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(supportProgrammes).where(eq(supportProgrammes.id, id)).for("update");
    if (!p)
      throw notFound("programme_not_found", {
        vi: `Không có chương trình hỗ trợ số ${id}.`,
        en: `No support programme ${id}.`,
      });
    await assertUnitInScope(tx, ctx.actor, p.unitCode);
    if (p.version !== input.expectedVersion)
      throw stale({ vi: "Chương trình hỗ trợ", en: "The programme" }, { version: p.version });
    const { expectedVersion: _, ...fields } = input;
    const next = {
      ...fields,
      disasterId: fields.disasterId ?? null,
      benefitDescription: fields.benefitDescription ?? null,
    };
    await tx
      .update(supportProgrammes)
      .set({ ...next, version: sql`${supportProgrammes.version} + 1` })
      .where(eq(supportProgrammes.id, id));
    await recordAudit(tx, ctx, {
      action: "support_programme.update",
      recordKind: "support_programme",
      recordId: id,
      unitCode: p.unitCode,
      before: {
        name: p.name,
        funder: p.funder,
        eligiblePoor: p.eligiblePoor,
        eligibleNearPoor: p.eligibleNearPoor,
        eligiblePolicy: p.eligiblePolicy,
        disasterId: p.disasterId,
        benefitKind: p.benefitKind,
        benefitAmount: p.benefitAmount,
        benefitDescription: p.benefitDescription,
      },
      after: next,
    });
    return { id, version: p.version + 1 };
  });
}

/** At least one eligibility rule: 422 naming the field otherwise (the database's check would answer 500). */
export function assertSomeRule(input: {
  eligiblePoor?: boolean;
  eligibleNearPoor?: boolean;
  eligiblePolicy?: boolean;
  disasterId?: number | null;
}) {
  if (!input.eligiblePoor && !input.eligibleNearPoor && !input.eligiblePolicy && !input.disasterId)
    throw unprocessable(
      "no_eligibility_rule",
      { vi: "Hãy chọn ít nhất một đối tượng thụ hưởng.", en: "Choose at least one eligibility rule." },
      { fields: [{ field: "eligiblePoor", message: "no rule chosen" }] },
    );
}
