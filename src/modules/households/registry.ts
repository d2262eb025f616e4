import { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { conflict, notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { cleanName, todayInVietnam, toSearchText } from "../units/text.ts";
import { citizenIdProblem } from "./citizen-id.ts";
import { actorIdOf, brokenConstraint, currentVillage, isoDay, shortText, stale } from "./common.ts";
import { queueDuplicatesOf } from "./duplicates.ts";
import { householdMembers, households } from "./schema.ts";

export const relations = [
  "head",
  "spouse",
  "child",
  "parent",
  "grandchild",
  "grandparent",
  "sibling",
  "in_law",
  "other",
] as const;

export const memberInput = z.object({
  fullName: shortText(200),
  relation: z.enum(relations),
  birthYear: z.number().int().min(1900).max(2100),
  birthDate: isoDay.nullish(),
  sex: z.enum(["male", "female"]),
  ethnicity: safeText().trim().max(60).nullish(),
  citizenId: safeText().trim().max(20).nullish(),
  joinedOn: isoDay.nullish(),
  joinReason: z.enum(["registered", "birth", "marriage", "moved_in"]).default("registered"),
});
export type MemberInput = z.input<typeof memberInput>;

export const householdInput = z.object({
  villageCode: shortText(32),
  code: shortText(40).optional(),
  address: safeText().trim().max(300).nullish(),
  registeredOn: isoDay.optional(),
  members: z.array(memberInput).min(1).max(60),
});
export type HouseholdInput = z.input<typeof householdInput>;

/** A member as written: names cleaned, search forms made, the citizen ID checked against birth year and sex. */
export function memberRow(
  m: z.output<typeof memberInput>,
  householdId: number,
  joinedOn: string | null,
  field: string,
) {
  const citizenId = m.citizenId ? m.citizenId.replace(/\s/g, "") : null;
  if (citizenId) {
    const problem = citizenIdProblem(citizenId, { birthYear: m.birthYear, sex: m.sex });
    if (problem)
      throw unprocessable(
        "invalid_citizen_id",
        { vi: `Số định danh ${citizenId} ${problem.vi}.`, en: `Citizen ID ${citizenId} ${problem.en}.` },
        { fields: [{ field: `${field}.citizenId`, message: problem.en, messageVi: problem.vi }] },
      );
  }
  if (m.birthDate && Number(m.birthDate.slice(0, 4)) !== m.birthYear)
    throw unprocessable(
      "birth_date_mismatch",
      { vi: "Ngày sinh không khớp năm sinh.", en: "The birth date is not in the birth year." },
      { fields: [{ field: `${field}.birthDate`, message: "not in birthYear" }] },
    );
  const fullName = cleanName(m.fullName);
  const search = toSearchText(fullName);
  return {
    householdId,
    fullName,
    searchName: search,
    searchGiven: search.split(" ").at(-1) ?? search,
    relation: m.relation,
    birthYear: m.birthYear,
    birthDate: m.birthDate ?? null,
    sex: m.sex,
    ethnicity: m.ethnicity ?? null,
    citizenId,
    joinedOn: m.joinedOn ?? joinedOn,
    joinReason: m.joinReason,
  };
}

/** Refuses citizen IDs already current in another household: 409 naming that household and this one. */
export async function assertNotCurrentElsewhere(
  tx: DbOrTx,
  ids: string[],
  here: { code: string; headName: string },
): Promise<void> {
  if (ids.length === 0) return;
  const [taken] = await tx
    .select({
      citizenId: householdMembers.citizenId,
      fullName: householdMembers.fullName,
      code: households.code,
      headName: households.headName,
    })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(and(inArray(householdMembers.citizenId, ids), isNull(householdMembers.leftOn)))
    .for("update");
  if (!taken) return;
  throw conflict(
    "member_in_other_household",
    {
      vi: `${taken.fullName} (${taken.citizenId}) đang là thành viên hộ ${taken.code} (chủ hộ ${taken.headName}); không thể đồng thời là thành viên hộ ${here.code} (chủ hộ ${here.headName}).`,
      en: `${taken.fullName} (${taken.citizenId}) is a current member of household ${taken.code} (head ${taken.headName}); they cannot also be a current member of household ${here.code} (head ${here.headName}).`,
    },
    { citizenId: taken.citizenId, households: [taken.code, here.code] },
  );
}

/** Turns the database's own refusal (two screens racing) into the same 409 as the check above. */
export async function guarded<T>(
  db: Db,
  ids: string[],
  here: { code: string; headName: string },
  work: () => Promise<T>,
) {
  try {
    return await work();
  } catch (err) {
    if (brokenConstraint(err) === "household_members_one_current") {
      await assertNotCurrentElsewhere(db, ids, here);
    }
    throw err;
  }
}

/** Registers a household with its members, checks each citizen ID, and queues near-identical households for review. */
export async function createHousehold(db: Db, ctx: RequestContext, raw: HouseholdInput) {
  const input = householdInput.parse(raw);
  const village = await currentVillage(db, input.villageCode);
  await assertUnitInScope(db, ctx.actor, village.communeCode);
  const heads = input.members.filter((m) => m.relation === "head");
  if (heads.length !== 1)
    throw unprocessable(
      "one_head",
      { vi: "Mỗi hộ có đúng một chủ hộ.", en: "A household has exactly one head." },
      { fields: [{ field: "members", message: `${heads.length} heads` }] },
    );
  const head = heads[0] as (typeof heads)[number];
  const registeredOn = input.registeredOn ?? null;
  const code =
    input.code ??
    `${village.code}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const ids = input.members.flatMap((m) => (m.citizenId ? [m.citizenId.replace(/\s/g, "")] : []));
  const here = { code, headName: cleanName(head.fullName) };
  if (new Set(ids).size !== ids.length)
    throw unprocessable("duplicate_citizen_id", {
      vi: "Một số định danh xuất hiện hai lần trong hộ.",
      en: "A citizen ID appears twice in the household.",
    });
  return guarded(db, ids, here, () =>
    db.transaction(async (tx) => {
      await assertNotCurrentElsewhere(tx, ids, here);
      const [row] = await tx
        .insert(households)
        .values({
          code,
          villageCode: village.code,
          communeCode: village.communeCode,
          address: input.address ?? null,
          headName: here.headName,
          headSearch: toSearchText(head.fullName),
          headBirthYear: head.birthYear,
          registeredOn,
        })
        .onConflictDoNothing()
        .returning();
      if (!row)
        throw conflict("household_code_taken", {
          vi: `Mã hộ ${code} đã có.`,
          en: `Household code ${code} is taken.`,
        });
      const members = input.members.map((m, i) => memberRow(m, row.id, registeredOn, `members.${i}`));
      await tx.insert(householdMembers).values(members);
      const queued = await queueDuplicatesOf(tx, [row.id]);
      await recordAudit(tx, ctx, {
        action: "household.create",
        recordKind: "household",
        recordId: row.id,
        unitCode: village.communeCode,
        after: { code, village: village.code, members: members.length },
      });
      return { id: row.id, code, version: row.version, duplicatesQueued: queued };
    }),
  );
}

/** The household, locked for a change, after the scope and version checks every change makes. */
/** Locks a current member of a household for a change (404 when there is none or they have left). */
export async function lockCurrentMember(tx: DbOrTx, memberId: number) {
  const [member] = await tx
    .select()
    .from(householdMembers)
    .where(eq(householdMembers.id, memberId))
    .for("update");
  if (!member || member.leftOn)
    throw notFound("member_not_found", {
      vi: `Không có thành viên hiện tại số ${memberId}.`,
      en: `No current member ${memberId}.`,
    });
  return member;
}

export async function lockHousehold(tx: DbOrTx, ctx: RequestContext, id: number, expectedVersion?: number) {
  const [row] = await tx.select().from(households).where(eq(households.id, id)).for("update");
  if (!row || row.deletedAt)
    throw notFound("household_not_found", { vi: `Không có hộ số ${id}.`, en: `No household ${id}.` });
  await assertUnitInScope(tx, ctx.actor, row.communeCode);
  if (expectedVersion !== undefined && row.version !== expectedVersion)
    throw stale({ vi: `Hộ ${row.code}`, en: `Household ${row.code}` }, { version: row.version });
  await tx
    .update(households)
    .set({ version: sql`${households.version} + 1`, updatedAt: new Date() })
    .where(eq(households.id, id));
  return row;
}

export const addMemberInput = memberInput.extend({ expectedVersion: z.number().int().min(1) });

export async function addMember(
  db: Db,
  ctx: RequestContext,
  householdId: number,
  raw: z.input<typeof addMemberInput>,
) {
  const input = addMemberInput.parse(raw);
  const ids = input.citizenId ? [input.citizenId.replace(/\s/g, "")] : [];
  const [h] = await db.select().from(households).where(eq(households.id, householdId));
  const here = { code: h?.code ?? String(householdId), headName: h?.headName ?? "" };
  return guarded(db, ids, here, () =>
    db.transaction(async (tx) => {
      const row = await lockHousehold(tx, ctx, householdId, input.expectedVersion);
      await assertNotCurrentElsewhere(tx, ids, here);
      const values = memberRow(input, householdId, todayInVietnam(), "member");
      const [member] = await tx
        .insert(householdMembers)
        .values(values)
        .returning({ id: householdMembers.id });
      await recordAudit(tx, ctx, {
        action: "household.member_add",
        recordKind: "household",
        recordId: householdId,
        unitCode: row.communeCode,
        after: {
          member: member?.id,
          relation: values.relation,
          joinedOn: values.joinedOn,
          reason: values.joinReason,
        },
      });
      return { id: member?.id ?? 0, householdVersion: row.version + 1 };
    }),
  );
}

export const leaveInput = z.object({
  leftOn: isoDay,
  reason: z.enum(["death", "marriage", "moved_out"]),
  expectedVersion: z.number().int().min(1),
});

/** Ends a membership on a date (death, marriage, moving out): it still counts for reviews dated before that day. */
export async function recordLeave(
  db: Db,
  ctx: RequestContext,
  memberId: number,
  raw: z.input<typeof leaveInput>,
) {
  const input = leaveInput.parse(raw);
  return db.transaction(async (tx) => {
    const member = await lockCurrentMember(tx, memberId);
    const household = await lockHousehold(tx, ctx, member.householdId, input.expectedVersion);
    if (member.relation === "head")
      throw unprocessable(
        "head_cannot_leave",
        {
          vi: "Chủ hộ không thể rời hộ khi hộ còn đứng tên người đó: hãy chọn chủ hộ mới trước, hoặc xoá hộ nếu không còn ai.",
          en: "The head cannot leave while the household stands in their name: name another head first, or delete the household if nobody is left.",
        },
        { fields: [{ field: "memberId", message: "is the head" }] },
      );
    if (member.joinedOn && input.leftOn < member.joinedOn)
      throw unprocessable(
        "left_before_joined",
        { vi: "Ngày rời hộ trước ngày vào hộ.", en: "The leaving date is before the joining date." },
        { fields: [{ field: "leftOn", message: `before ${member.joinedOn}` }] },
      );
    await tx
      .update(householdMembers)
      .set({ leftOn: input.leftOn, leaveReason: input.reason, version: sql`${householdMembers.version} + 1` })
      .where(eq(householdMembers.id, memberId));
    await recordAudit(tx, ctx, {
      action: "household.member_leave",
      recordKind: "household",
      recordId: member.householdId,
      unitCode: household.communeCode,
      before: { member: memberId, leftOn: null },
      after: { member: memberId, leftOn: input.leftOn, reason: input.reason },
    });
    return { householdVersion: household.version + 1 };
  });
}

export const moveInput = z.object({ toHouseholdId: z.number().int().positive(), on: isoDay });

/** Moves a member to another household on a date: one membership closes, the other opens, in one transaction. */
export async function moveMember(
  db: DbOrTx,
  ctx: RequestContext,
  memberId: number,
  raw: z.input<typeof moveInput>,
) {
  const input = moveInput.parse(raw);
  const run = async (tx: DbOrTx) => {
    const member = await lockCurrentMember(tx, memberId);
    const from = await lockHousehold(tx, ctx, member.householdId);
    const to = await lockHousehold(tx, ctx, input.toHouseholdId);
    if (member.relation === "head")
      throw unprocessable("head_cannot_move", {
        vi: "Không thể chuyển chủ hộ; hãy đổi chủ hộ trước.",
        en: "The head cannot be moved; name another head first.",
      });
    await tx
      .update(householdMembers)
      .set({ leftOn: input.on, leaveReason: "moved_out", version: sql`${householdMembers.version} + 1` })
      .where(eq(householdMembers.id, memberId));
    const { id: _id, version: _v, leftOn: _l, leaveReason: _r, ...person } = member;
    await tx.insert(householdMembers).values({
      ...person,
      householdId: to.id,
      relation: "other",
      joinedOn: input.on,
      joinReason: "moved_in",
    });
    await recordAudit(tx, ctx, {
      action: "household.member_move",
      recordKind: "household",
      recordId: to.id,
      unitCode: to.communeCode,
      before: { household: from.code, member: memberId },
      after: { household: to.code, on: input.on },
    });
    return { from: from.code, to: to.code };
  };
  return db.transaction(run);
}

export const deleteInput = z.object({
  reason: safeText().trim().min(3).max(500),
  expectedVersion: z.number().int().min(1),
});

/** Soft delete with a reason: the record stays for the audit, its members stop being current. */
export async function deleteHousehold(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof deleteInput>,
) {
  const input = deleteInput.parse(raw);
  return db.transaction(async (tx) => {
    const row = await lockHousehold(tx, ctx, id, input.expectedVersion);
    const today = todayInVietnam();
    await tx
      .update(households)
      .set({ deletedAt: new Date(), deletedReason: input.reason, deletedBy: actorIdOf(ctx.actor) })
      .where(eq(households.id, id));
    await tx
      .update(householdMembers)
      .set({
        leftOn: sql`GREATEST(coalesce(${householdMembers.joinedOn}, ${today}::date), ${today}::date)`,
        leaveReason: "household_deleted",
      })
      .where(and(eq(householdMembers.householdId, id), isNull(householdMembers.leftOn)));
    await recordAudit(tx, ctx, {
      action: "household.delete",
      recordKind: "household",
      recordId: id,
      unitCode: row.communeCode,
      before: { code: row.code },
      reason: input.reason,
    });
    return { deleted: true };
  });
}
