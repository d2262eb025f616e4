import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope, subtreeCodes } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "../units/presenters.ts";
import { toSearchText } from "../units/text.ts";
import { presentMember } from "./presenters.ts";
import { householdMembers, householdPolicyClasses, households } from "./schema.ts";

/** The communes the reader may see households of, or null for all (system). */
async function communesInScope(db: DbOrTx, ctx: RequestContext): Promise<string[] | null> {
  const a = ctx.actor;
  if (a.kind === "system") return null;
  if (a.kind === "anonymous") return [];
  if (a.scope === null) return a.role === "system_admin" ? null : [];
  return [...(await subtreeCodes(db, a.scope))];
}

/**
 * One household's file: members (masked for roles without need), policy classes and its yearly classifications with
 * the unit version each year belonged to. Reading it is recorded (who read whose file), as personal data asks.
 */
export async function getHousehold(db: DbOrTx, ctx: RequestContext, id: number) {
  const [h] = await db.select().from(households).where(eq(households.id, id));
  if (!h) throw notFound("household_not_found", { vi: `Không có hộ số ${id}.`, en: `No household ${id}.` });
  await assertUnitInScope(db, ctx.actor, h.communeCode);
  const members = await db
    .select()
    .from(householdMembers)
    .where(eq(householdMembers.householdId, id))
    .orderBy(asc(householdMembers.joinedOn), asc(householdMembers.id));
  const classes = await db
    .select()
    .from(householdPolicyClasses)
    .where(eq(householdPolicyClasses.householdId, id));
  const years = rowsOf<{
    year: number;
    status: string;
    commune_code: string;
    commune_name: string;
    village_code: string;
    computed: string | null;
    meeting_result: string | null;
    explanation: unknown;
  }>(
    await db.execute(sql`
      SELECT r.year, r.status, r.commune_code, cv.name AS commune_name, s.village_code, s.computed, s.meeting_result, s.explanation
      FROM poverty_surveys s JOIN poverty_reviews r ON r.id = s.review_id JOIN unit_versions cv ON cv.id = r.commune_version_id
      WHERE s.household_id = ${id} ORDER BY r.year DESC`),
  );
  await recordAudit(db, ctx, {
    action: "household.read",
    recordKind: "household",
    recordId: id,
    unitCode: h.communeCode,
  });
  return {
    id: h.id,
    code: h.code,
    villageCode: h.villageCode,
    communeCode: h.communeCode,
    address: h.address,
    headName: h.headName,
    registeredOn: isoDate(h.registeredOn),
    deleted: h.deletedAt ? { at: h.deletedAt.toISOString(), reason: h.deletedReason } : null,
    version: h.version,
    members: members.map((m) =>
      presentMember(ctx.actor, {
        ...m,
        birthDate: isoDate(m.birthDate),
        joinedOn: isoDate(m.joinedOn),
        leftOn: isoDate(m.leftOn),
      }),
    ),
    policyClasses: classes.map((c) => ({
      id: c.id,
      kind: c.kind,
      validFrom: isoDate(c.validFrom),
      validTo: isoDate(c.validTo),
      note: c.note,
    })),
    years: years.map((y) => ({
      year: y.year,
      reviewStatus: y.status,
      communeCode: y.commune_code,
      communeName: y.commune_name,
      villageCode: y.village_code,
      computed: y.computed,
      result: y.meeting_result ?? y.computed,
      explanation: y.explanation,
    })),
  };
}

export const searchInput = z.object({
  q: safeText().trim().max(100).optional(),
  commune: safeText().trim().max(32).optional(),
  village: safeText().trim().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** How many households, in list order, a name search walks before it turns to the trigram index. */
const WALK = 4000;

/**
 * Households by a member's name (with or without diacritics: "Lò Văn Pản" and "lo van pan" find the same), by a
 * citizen ID (12 digits), by village or commune. A name matches from the start of a current member's full name or
 * given name (or the head's): a LIKE on the household's search document "|full name|given name|…|". The plan is
 * chosen here, not left to estimates: the first WALK households in list order (the head-name index) are tried
 * first, which finds a common name's page at once; when they hold less than a page, the name is rare, and its few
 * matches come through the document's trigram index and are sorted.
 */
export async function searchHouseholds(db: DbOrTx, ctx: RequestContext, raw: z.input<typeof searchInput>) {
  const input = searchInput.parse(raw);
  const communes = await communesInScope(db, ctx);
  const conditions = [sql`h.deleted_at IS NULL`];
  if (communes !== null) conditions.push(sql`h.commune_code = ANY(${`{${communes.join(",")}}`}::text[])`);
  if (input.commune) conditions.push(sql`h.commune_code = ${input.commune}`);
  if (input.village) conditions.push(sql`h.village_code = ${input.village}`);
  const q = input.q ? toSearchText(input.q).replace(/\|/g, " ").replace(/\s+/g, " ").trim() : "";
  if (/^\d{12}$/.test(q))
    conditions.push(
      sql`h.id IN (SELECT household_id FROM household_members WHERE citizen_id = ${q} AND left_on IS NULL)`,
    );
  let where = sql.join(conditions, sql` AND `);
  let page = sql`LIMIT ${input.limit} OFFSET ${input.offset}`;
  if (q && !/^\d{12}$/.test(q)) {
    const name = `%|${q.replace(/[\\%_]/g, "\\$&")}%`;
    // A common name: walking the first WALK households in list order finds the whole page.
    const wanted = input.limit + input.offset;
    const walked = rowsOf<{ id: string | number }>(
      await db.execute(sql`SELECT w.id FROM (
          SELECT h.id, h.head_search, h.search_doc FROM households h WHERE ${where}
          ORDER BY h.head_search, h.id LIMIT ${WALK}) w
        WHERE w.search_doc LIKE ${name} ORDER BY w.head_search, w.id LIMIT ${wanted}`),
    );
    let ids = walked.map((w) => Number(w.id)).slice(input.offset);
    // A rarer one: its matches, found through the trigram index, sorted.
    if (walked.length < wanted)
      ids = rowsOf<{ id: string | number }>(
        await db.execute(sql`WITH m AS MATERIALIZED (
            SELECT h.id, h.head_search FROM households h WHERE ${where} AND h.search_doc LIKE ${name})
          SELECT id FROM m ORDER BY head_search, id LIMIT ${input.limit} OFFSET ${input.offset}`),
      ).map((m) => Number(m.id));
    where = sql`h.id = ANY(${`{${ids.join(",")}}`}::bigint[])`;
    page = sql``;
  }
  const rows = rowsOf<{
    id: string | number;
    code: string;
    head_name: string;
    village_code: string;
    village_name: string | null;
    commune_code: string;
    members: string | number;
    version: number;
  }>(
    await db.execute(sql`
      SELECT h.id, h.code, h.head_name, h.village_code, v.name AS village_name, h.commune_code, h.version,
        (SELECT count(*) FROM household_members m WHERE m.household_id = h.id AND m.left_on IS NULL) AS members
      FROM households h
      LEFT JOIN unit_versions v ON v.code = h.village_code AND v.level = 'village' AND v.valid_to IS NULL
      WHERE ${where}
      ORDER BY h.head_search, h.id ${page}`),
  );
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      headName: r.head_name,
      villageCode: r.village_code,
      villageName: r.village_name,
      communeCode: r.commune_code,
      members: Number(r.members),
      version: r.version,
    })),
  };
}

/**
 * Counts only, for every signed-in role including viewers (who never see names): current households and members
 * of a commune, and the latest approved classification counts.
 */
export async function householdCounts(db: DbOrTx, ctx: RequestContext, communeCode: string) {
  await assertUnitInScope(db, ctx.actor, communeCode);
  const [row] = rowsOf<{ households: string | number; members: string | number }>(
    await db.execute(sql`
      SELECT count(DISTINCT h.id) AS households, count(m.id) AS members
      FROM households h LEFT JOIN household_members m ON m.household_id = h.id AND m.left_on IS NULL
      WHERE h.commune_code = ${communeCode} AND h.deleted_at IS NULL`),
  );
  return { communeCode, households: Number(row?.households ?? 0), members: Number(row?.members ?? 0) };
}
