import { z } from "@hono/zod-openapi";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { notFound, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { maskCitizenId } from "./citizen-id.ts";
import { isoDay, shortText } from "./common.ts";
import {
  assertNotCurrentElsewhere,
  guarded,
  lockCurrentMember,
  lockHousehold,
  memberRow,
  relations,
} from "./registry.ts";
import { householdMembers, householdPolicyClasses, households } from "./schema.ts";

const notHead = relations.filter((r) => r !== "head") as [Exclude<(typeof relations)[number], "head">];

export const updateHouseholdInput = z.object({
  address: safeText().trim().max(300).nullish(),
  /** A current member who becomes the head; the former head takes `formerHeadRelation` to them. */
  headMemberId: z.number().int().positive().optional(),
  formerHeadRelation: z.enum(notHead).optional(),
  expectedVersion: z.number().int().min(1),
});

/**
 * Changes a household's address or its head. A new head must be a current member; the household stays in exactly
 * one head's name, and its searchable head name and birth year follow (duplicate detection and search use them).
 */
export async function updateHousehold(
  db: Db,
  ctx: RequestContext,
  id: number,
  raw: z.input<typeof updateHouseholdInput>,
) {
  const input = updateHouseholdInput.parse(raw);
  return db.transaction(async (tx) => {
    const row = await lockHousehold(tx, ctx, id, input.expectedVersion);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<typeof households.$inferInsert> = {};
    if (input.address !== undefined && (input.address ?? null) !== row.address) {
      before.address = row.address;
      after.address = input.address ?? null;
      set.address = input.address || null;
    }
    if (input.headMemberId !== undefined) {
      const current = await tx
        .select()
        .from(householdMembers)
        .where(and(eq(householdMembers.householdId, id), isNull(householdMembers.leftOn)))
        .for("update");
      const next = current.find((m) => m.id === input.headMemberId);
      if (!next)
        throw unprocessable(
          "head_not_member",
          {
            vi: "Chủ hộ mới phải là một nhân khẩu hiện tại của hộ.",
            en: "The new head must be a current member of the household.",
          },
          { fields: [{ field: "headMemberId", message: "not a current member" }] },
        );
      const former = current.find((m) => m.relation === "head");
      if (former?.id !== next.id) {
        if (former)
          await tx
            .update(householdMembers)
            .set({
              relation: input.formerHeadRelation ?? "other",
              version: sql`${householdMembers.version} + 1`,
            })
            .where(eq(householdMembers.id, former.id));
        await tx
          .update(householdMembers)
          .set({ relation: "head", version: sql`${householdMembers.version} + 1` })
          .where(eq(householdMembers.id, next.id));
        before.head = { member: former?.id ?? null, name: row.headName };
        after.head = {
          member: next.id,
          name: next.fullName,
          formerHeadRelation: input.formerHeadRelation ?? "other",
        };
        set.headName = next.fullName;
        set.headSearch = next.searchName;
        set.headBirthYear = next.birthYear;
      }
    }
    if (Object.keys(set).length > 0) await tx.update(households).set(set).where(eq(households.id, id));
    await recordAudit(tx, ctx, {
      action: "household.update",
      recordKind: "household",
      recordId: id,
      unitCode: row.communeCode,
      before,
      after,
    });
    return { id, version: row.version + 1 };
  });
}

export const correctMemberInput = z.object({
  fullName: shortText(200),
  relation: z.enum(notHead).optional(),
  birthYear: z.number().int().min(1900).max(2100),
  birthDate: isoDay.nullish(),
  sex: z.enum(["male", "female"]),
  ethnicity: safeText().trim().max(60).nullish(),
  citizenId: safeText().trim().max(20).nullish(),
  expectedVersion: z.number().int().min(1),
});

/**
 * Corrects what is recorded about a current member (a misspelt name, a wrong birth year, a citizen ID found later):
 * the law asks registers to be accurate and corrected. The citizen ID is checked as at registration, and a person
 * already current in another household is refused with both named.
 */
export async function correctMember(
  db: Db,
  ctx: RequestContext,
  memberId: number,
  raw: z.input<typeof correctMemberInput>,
) {
  const input = correctMemberInput.parse(raw);
  const [found] = await db
    .select({
      householdId: householdMembers.householdId,
      code: households.code,
      headName: households.headName,
    })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(eq(householdMembers.id, memberId));
  const ids = input.citizenId ? [input.citizenId.replace(/\s/g, "")] : [];
  const here = { code: found?.code ?? "", headName: found?.headName ?? "" };
  return guarded(db, ids, here, () =>
    db.transaction(async (tx) => {
      const member = await lockCurrentMember(tx, memberId);
      const row = await lockHousehold(tx, ctx, member.householdId, input.expectedVersion);
      const isHead = member.relation === "head";
      if (isHead && input.relation)
        throw unprocessable(
          "head_relation",
          {
            vi: "Đổi chủ hộ bằng chức năng “Đổi chủ hộ”, không sửa quan hệ của chủ hộ.",
            en: "Change the head with “Change head”, not by editing the head's relation.",
          },
          { fields: [{ field: "relation", message: "the head's relation is head" }] },
        );
      const values = memberRow(
        {
          ...input,
          relation: isHead ? "head" : (input.relation ?? (member.relation as (typeof notHead)[number])),
          joinReason: "registered",
        },
        member.householdId,
        member.joinedOn,
        "member",
      );
      if (values.citizenId && values.citizenId !== member.citizenId)
        await assertNotCurrentElsewhere(tx, ids, here);
      const changes = {
        fullName: values.fullName,
        searchName: values.searchName,
        searchGiven: values.searchGiven,
        relation: values.relation,
        birthYear: values.birthYear,
        birthDate: values.birthDate,
        sex: values.sex,
        ethnicity: values.ethnicity,
        citizenId: values.citizenId,
      };
      await tx
        .update(householdMembers)
        .set({ ...changes, version: sql`${householdMembers.version} + 1` })
        .where(eq(householdMembers.id, memberId));
      if (isHead)
        await tx
          .update(households)
          .set({ headName: values.fullName, headSearch: values.searchName, headBirthYear: values.birthYear })
          .where(eq(households.id, member.householdId));
      // Personal data stays out of the trail: what changed, with the citizen ID masked as a viewer sees it.
      const shown = (m: {
        fullName: string;
        relation: string;
        birthYear: number;
        sex: string;
        ethnicity: string | null;
        citizenId: string | null;
        birthDate: string | null;
      }) => ({
        fullName: m.fullName,
        relation: m.relation,
        birthYear: m.birthYear,
        sex: m.sex,
        ethnicity: m.ethnicity,
        citizenId: maskCitizenId(m.citizenId),
        birthDate: m.birthDate ? "set" : null,
      });
      await recordAudit(tx, ctx, {
        action: "household.member_correct",
        recordKind: "household",
        recordId: member.householdId,
        unitCode: row.communeCode,
        before: { member: memberId, ...shown(member) },
        after: { member: memberId, ...shown(changes) },
      });
      return { id: memberId, householdVersion: row.version + 1 };
    }),
  );
}

export const endPolicyClassInput = z.object({
  validTo: isoDay,
  expectedVersion: z.number().int().min(1),
});

/** Ends a policy-beneficiary classification on a date (exclusive): programmes as of that day no longer see it. */
export async function endPolicyClass(
  db: Db,
  ctx: RequestContext,
  classId: number,
  raw: z.input<typeof endPolicyClassInput>,
) {
  const input = endPolicyClassInput.parse(raw);
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(householdPolicyClasses)
      .where(eq(householdPolicyClasses.id, classId))
      .for("update");
    if (!found)
      throw notFound("policy_class_not_found", {
        vi: `Không có diện chính sách số ${classId}.`,
        en: `No policy classification ${classId}.`,
      });
    const h = await lockHousehold(tx, ctx, found.householdId, input.expectedVersion);
    if (found.validTo !== null)
      throw unprocessable(
        "policy_class_ended",
        {
          vi: `Diện chính sách này đã kết thúc ngày ${found.validTo.split("-").reverse().join("/")}.`,
          en: `This classification already ended on ${found.validTo}.`,
        },
        { fields: [{ field: "validTo", message: "already ended" }] },
      );
    if (input.validTo <= found.validFrom)
      throw unprocessable(
        "invalid_interval",
        { vi: "Ngày kết thúc phải sau ngày bắt đầu.", en: "The end must be after the start." },
        { fields: [{ field: "validTo", message: `not after ${found.validFrom}` }] },
      );
    await tx
      .update(householdPolicyClasses)
      .set({ validTo: input.validTo })
      .where(eq(householdPolicyClasses.id, classId));
    await recordAudit(tx, ctx, {
      action: "household.policy_class_end",
      recordKind: "household",
      recordId: found.householdId,
      unitCode: h.communeCode,
      before: { policyClass: classId, kind: found.kind, validTo: null },
      after: { policyClass: classId, kind: found.kind, validTo: input.validTo },
    });
    return { id: classId, householdVersion: h.version + 1 };
  });
}
