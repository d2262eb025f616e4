import { z } from "@hono/zod-openapi";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { todayInVietnam } from "../units/text.ts";
import { actorIdOf, stale } from "./common.ts";
import { lockHousehold, moveMember } from "./registry.ts";
import { householdDuplicates, householdMembers, households } from "./schema.ts";

/**
 * Queues every pair these households form with another current household of the same village whose head has the
 * same name once case, spacing and diacritics are ignored and the same birth year. Set-based: one statement for an
 * import of any size (`ids` as a list, or as a query of the households, e.g. an import's). People decide; nothing is merged here.
 */
export async function queueDuplicatesOf(tx: DbOrTx, ids: number[] | SQL): Promise<number> {
  if (Array.isArray(ids) && ids.length === 0) return 0;
  const fresh = Array.isArray(ids)
    ? sql`SELECT * FROM households WHERE id = ANY(${`{${ids.join(",")}}`}::bigint[])`
    : ids;
  const rows = rowsOf<{ n: string | number }>(
    await tx.execute(sql`
      WITH fresh AS (${fresh}),
      pairs AS (
        SELECT DISTINCT LEAST(f.id, h.id) AS a, GREATEST(f.id, h.id) AS b, f.commune_code
        FROM fresh f JOIN households h
          ON h.village_code = f.village_code AND h.head_search = f.head_search
         AND h.head_birth_year IS NOT DISTINCT FROM f.head_birth_year AND h.id <> f.id AND h.deleted_at IS NULL
      ),
      ins AS (
        INSERT INTO household_duplicates (household_a, household_b, commune_code, reason)
        SELECT a, b, commune_code, 'same_head_name_birth_year_village' FROM pairs
        ON CONFLICT (household_a, household_b) DO NOTHING RETURNING 1
      )
      SELECT count(*) AS n FROM ins`),
  );
  return Number(rows[0]?.n ?? 0);
}

export interface DuplicateView {
  id: number;
  reason: string;
  status: string;
  version: number;
  households: Array<{
    id: number;
    code: string;
    headName: string;
    headBirthYear: number | null;
    villageCode: string;
  }>;
}

/** Open pairs of one commune (or decided ones too), oldest first. */
export async function listDuplicates(db: DbOrTx, ctx: RequestContext, communeCode: string, all = false) {
  await assertUnitInScope(db, ctx.actor, communeCode);
  const rows = rowsOf<{
    id: string | number;
    reason: string;
    status: string;
    version: number;
    a_id: string | number;
    a_code: string;
    a_head: string;
    a_year: number | null;
    a_village: string;
    b_id: string | number;
    b_code: string;
    b_head: string;
    b_year: number | null;
    b_village: string;
  }>(
    await db.execute(sql`
      SELECT d.id, d.reason, d.status, d.version,
        a.id AS a_id, a.code AS a_code, a.head_name AS a_head, a.head_birth_year AS a_year, a.village_code AS a_village,
        b.id AS b_id, b.code AS b_code, b.head_name AS b_head, b.head_birth_year AS b_year, b.village_code AS b_village
      FROM household_duplicates d JOIN households a ON a.id = d.household_a JOIN households b ON b.id = d.household_b
      WHERE d.commune_code = ${communeCode} ${all ? sql`` : sql`AND d.status = 'open'`}
      ORDER BY d.id LIMIT 500`),
  );
  return rows.map(
    (r): DuplicateView => ({
      id: Number(r.id),
      reason: r.reason,
      status: r.status,
      version: r.version,
      households: [
        {
          id: Number(r.a_id),
          code: r.a_code,
          headName: r.a_head,
          headBirthYear: r.a_year,
          villageCode: r.a_village,
        },
        {
          id: Number(r.b_id),
          code: r.b_code,
          headName: r.b_head,
          headBirthYear: r.b_year,
          villageCode: r.b_village,
        },
      ],
    }),
  );
}

export const decideInput = z.discriminatedUnion("decision", [
  z.object({
    decision: z.literal("keep_both"),
    note: safeText().trim().max(500).optional(),
    expectedVersion: z.number().int().min(1),
  }),
  z.object({
    decision: z.literal("merge"),
    /** The household that stays; the other's current members join it and it is deleted with the reason "merged". */
    keepHouseholdId: z.number().int().positive(),
    note: safeText().trim().max(500).optional(),
    expectedVersion: z.number().int().min(1),
  }),
  z.object({
    decision: z.literal("move_member"),
    memberId: z.number().int().positive(),
    toHouseholdId: z.number().int().positive(),
    note: safeText().trim().max(500).optional(),
    expectedVersion: z.number().int().min(1),
  }),
]);

const statusOf = { keep_both: "kept_both", merge: "merged", move_member: "member_moved" } as const;

/** A person's decision on a suspected pair, audited; merging and moving happen in the same transaction. */
export async function decideDuplicate(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof decideInput>,
) {
  const input = decideInput.parse(raw);
  return db.transaction(async (tx) => {
    const [pair] = await tx
      .select()
      .from(householdDuplicates)
      .where(eq(householdDuplicates.id, id))
      .for("update");
    if (!pair)
      throw notFound("duplicate_not_found", {
        vi: `Không có cặp trùng số ${id}.`,
        en: `No duplicate pair ${id}.`,
      });
    await assertUnitInScope(tx, ctx.actor, pair.communeCode);
    if (pair.version !== input.expectedVersion || pair.status !== "open")
      throw stale(
        { vi: "Cặp hộ nghi trùng", en: "The duplicate pair" },
        { status: pair.status, version: pair.version },
      );
    const pairIds = [pair.householdA, pair.householdB];
    const today = todayInVietnam();
    if (input.decision === "merge") {
      if (!pairIds.includes(input.keepHouseholdId))
        throw unprocessable("not_in_pair", {
          vi: "Hộ được giữ phải là một trong hai hộ của cặp.",
          en: "The household kept must be one of the pair.",
        });
      const goneId = pairIds.find((h) => h !== input.keepHouseholdId) as number;
      const kept = await lockHousehold(tx, ctx, input.keepHouseholdId);
      const gone = await lockHousehold(tx, ctx, goneId);
      const moving = await tx
        .select()
        .from(householdMembers)
        .where(and(eq(householdMembers.householdId, goneId), isNull(householdMembers.leftOn)));
      await tx
        .update(householdMembers)
        .set({ leftOn: today, leaveReason: "merged" })
        .where(and(eq(householdMembers.householdId, goneId), isNull(householdMembers.leftOn)));
      // The same person may be listed in both (that is often why they are duplicates): keep one membership.
      const present = new Set(
        (
          await tx
            .select({ name: householdMembers.searchName, year: householdMembers.birthYear })
            .from(householdMembers)
            .where(and(eq(householdMembers.householdId, kept.id), isNull(householdMembers.leftOn)))
        ).map((m) => `${m.name}|${m.year}`),
      );
      const joining = moving
        .filter((m) => !present.has(`${m.searchName}|${m.birthYear}`))
        .map(({ id: _i, version: _v, leftOn: _l, leaveReason: _r, ...m }) => ({
          ...m,
          householdId: kept.id,
          relation: m.relation === "head" ? "other" : m.relation,
          joinedOn: today,
          joinReason: "merged",
        }));
      if (joining.length) await tx.insert(householdMembers).values(joining);
      await tx
        .update(households)
        .set({
          deletedAt: new Date(),
          deletedReason: `merged into ${kept.code}`,
          deletedBy: actorIdOf(ctx.actor),
        })
        .where(eq(households.id, goneId));
      await recordAudit(tx, ctx, {
        action: "household.merge",
        recordKind: "household",
        recordId: kept.id,
        unitCode: kept.communeCode,
        before: { households: [kept.code, gone.code] },
        after: { kept: kept.code, membersJoined: joining.length },
        reason: input.note ?? null,
      });
    }
    if (input.decision === "move_member") {
      const [member] = await tx
        .select({ householdId: householdMembers.householdId })
        .from(householdMembers)
        .where(eq(householdMembers.id, input.memberId));
      if (!member || !pairIds.includes(member.householdId) || !pairIds.includes(input.toHouseholdId))
        throw unprocessable("not_in_pair", {
          vi: "Thành viên và hộ nhận phải thuộc cặp hộ này.",
          en: "The member and the receiving household must belong to the pair.",
        });
      await moveMember(tx, ctx, input.memberId, { toHouseholdId: input.toHouseholdId, on: today });
    }
    await tx
      .update(householdDuplicates)
      .set({
        status: statusOf[input.decision],
        decisionNote: input.note ?? null,
        decidedBy: actorIdOf(ctx.actor),
        decidedAt: new Date(),
        version: sql`${householdDuplicates.version} + 1`,
      })
      .where(eq(householdDuplicates.id, id));
    await recordAudit(tx, ctx, {
      action: "household.duplicate_decide",
      recordKind: "household_duplicate",
      recordId: id,
      unitCode: pair.communeCode,
      before: { status: "open" },
      after: { status: statusOf[input.decision] },
      reason: input.note ?? null,
    });
    return { id, status: statusOf[input.decision] };
  });
}
