import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, forbidden, notFound, unprocessable } from "../../http/errors.ts";
import type { Actor } from "../access/actor.ts";
import { coversUnit } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { subtreeCodesOn } from "../units/queries.ts";
import {
  actorIdOf,
  assertCovers,
  dateOrderError,
  isProvinceSide,
  readableCodes,
  type SessionsContext,
  unitNames,
  versionConflict,
} from "./common.ts";
import { notifyAnswerPublished } from "./events.ts";
import type { proposalActionInput, proposalInput } from "./inputs.ts";
import { isAnswerOverdue, nextProposalStatus, type ProposalStatus } from "./rules.ts";
import { meetings, proposalEvents, proposals } from "./schema.ts";

type ProposalRow = typeof proposals.$inferSelect;

const notFoundError = (id: number) =>
  notFound("proposal_not_found", { vi: `Không có kiến nghị số ${id}.`, en: `No proposal ${id}.` });

/** Whether the actor answers for the province the proposal is addressed to (and so sees drafts). */
async function isAnswerer(db: DbOrTx, actor: Actor, issuerUnitCode: string): Promise<boolean> {
  return isProvinceSide(actor) && (await coversUnit(db, actor, issuerUnitCode));
}

/**
 * What leaves the server. The proposing unit sees the answer only once it is published: the draft and the steps
 * that drafted it are left out for anyone who does not answer for the province.
 */
export function presentProposal(p: ProposalRow, today: string, answerer: boolean) {
  return {
    id: p.id,
    unit: { code: p.unitCode, name: p.unitName },
    issuerUnitCode: p.issuerUnitCode,
    meetingId: p.meetingId,
    category: p.category,
    content: p.content,
    amount: p.amount === null ? null : Number(p.amount),
    amountUnit: p.amountUnit,
    receivedOn: p.receivedOn,
    status: p.status,
    assignedTo: p.assignedTo,
    answerDue: p.answerDue,
    isOverdue: isAnswerOverdue(p, today),
    answer:
      p.outcome && p.answer !== null
        ? { outcome: p.outcome, text: p.answer, publishedOn: p.answeredOn }
        : null,
    draft: answerer && p.draftAnswer !== null ? { outcome: p.draftOutcome, text: p.draftAnswer } : null,
    isIllustrative: p.isIllustrative,
    version: p.version,
  };
}

export type ProposalView = ReturnType<typeof presentProposal>;

export async function createProposal(db: Db, ctx: SessionsContext, input: z.output<typeof proposalInput>) {
  const receivedOn = input.receivedOn ?? ctx.today;
  const names = await unitNames(db, [input.unitCode, input.issuerUnitCode], receivedOn, "unitCode");
  if (!(await subtreeCodesOn(db, input.issuerUnitCode, receivedOn)).has(input.unitCode))
    throw unprocessable(
      "unit_not_under_issuer",
      {
        vi: `Đơn vị ${input.unitCode} không thuộc ${names.get(input.issuerUnitCode)}.`,
        en: `Unit ${input.unitCode} is not under ${names.get(input.issuerUnitCode)}.`,
      },
      { fields: [{ field: "unitCode", message: "not under the issuer" }] },
    );
  await assertCovers(db, ctx.actor, input.unitCode, {
    vi: "Bạn chỉ gửi kiến nghị của đơn vị mình.",
    en: "You raise proposals for your own unit only.",
  });
  if (input.meetingId !== undefined) {
    const [m] = await db.select({ id: meetings.id }).from(meetings).where(eq(meetings.id, input.meetingId));
    if (!m)
      throw unprocessable(
        "meeting_not_found",
        { vi: `Không có cuộc họp số ${input.meetingId}.`, en: `No meeting ${input.meetingId}.` },
        { fields: [{ field: "meetingId", message: "no such meeting" }] },
      );
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(proposals)
      .values({
        unitCode: input.unitCode,
        unitName: names.get(input.unitCode) ?? input.unitCode,
        issuerUnitCode: input.issuerUnitCode,
        meetingId: input.meetingId ?? null,
        category: input.category,
        content: input.content,
        amount: input.amount === undefined ? null : String(input.amount),
        amountUnit: input.amountUnit ?? null,
        receivedOn,
        isIllustrative: input.isIllustrative ?? false,
        createdBy: actorIdOf(ctx.actor),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await tx.insert(proposalEvents).values({
      proposalId: row.id,
      actorId: actorIdOf(ctx.actor),
      action: "raise",
      fromStatus: null,
      toStatus: "received",
    });
    const view = presentProposal(row, ctx.today, true);
    await recordAudit(tx, ctx, {
      action: "proposal.raise",
      recordKind: "proposal",
      recordId: row.id,
      unitCode: row.unitCode,
      after: view,
    });
    return presentProposal(row, ctx.today, await isAnswerer(tx, ctx.actor, row.issuerUnitCode));
  });
}

async function readable(db: DbOrTx, ctx: SessionsContext, p: ProposalRow): Promise<boolean> {
  const codes = await readableCodes(db, ctx.actor);
  return codes === null || codes.has(p.unitCode) || codes.has(p.issuerUnitCode);
}

export async function getProposal(db: DbOrTx, ctx: SessionsContext, id: number) {
  const [row] = await db.select().from(proposals).where(eq(proposals.id, id));
  if (!row || !(await readable(db, ctx, row))) throw notFoundError(id);
  const answerer = await isAnswerer(db, ctx.actor, row.issuerUnitCode);
  const events = await db
    .select()
    .from(proposalEvents)
    .where(
      answerer
        ? eq(proposalEvents.proposalId, id)
        : and(eq(proposalEvents.proposalId, id), eq(proposalEvents.isPublic, true)),
    )
    .orderBy(asc(proposalEvents.at), asc(proposalEvents.id));
  return {
    ...presentProposal(row, ctx.today, answerer),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      actorId: e.actorId,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      note: e.note,
    })),
  };
}

export async function listProposals(
  db: DbOrTx,
  ctx: SessionsContext,
  filter: { unit?: string; meeting?: number; status?: ProposalStatus; overdue?: boolean; open?: boolean },
) {
  const codes = await readableCodes(db, ctx.actor);
  const rows = await db
    .select()
    .from(proposals)
    .where(
      and(
        filter.unit ? eq(proposals.unitCode, filter.unit) : undefined,
        filter.meeting ? eq(proposals.meetingId, filter.meeting) : undefined,
        filter.status ? eq(proposals.status, filter.status) : undefined,
      ),
    )
    .orderBy(desc(proposals.receivedOn), desc(proposals.id));
  const answererOf = new Map<string, boolean>();
  const items: ProposalView[] = [];
  for (const row of rows) {
    if (codes !== null && !codes.has(row.unitCode) && !codes.has(row.issuerUnitCode)) continue;
    let answerer = answererOf.get(row.issuerUnitCode);
    if (answerer === undefined) {
      answerer = await isAnswerer(db, ctx.actor, row.issuerUnitCode);
      answererOf.set(row.issuerUnitCode, answerer);
    }
    const view = presentProposal(row, ctx.today, answerer);
    if (filter.overdue && !view.isOverdue) continue;
    if (filter.open && (row.status === "answered" || row.status === "closed")) continue;
    items.push(view);
  }
  return items;
}

/**
 * One step of a proposal: assign (to a department, with an answer due date), review, draft an answer, publish it
 * (the proposing unit sees it from then on), close. The province answers; every step goes into the history.
 */
export async function actOnProposal(
  db: Db,
  ctx: SessionsContext,
  id: number,
  input: z.output<typeof proposalActionInput>,
) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(proposals).where(eq(proposals.id, id)).for("update");
    if (!before || !(await readable(tx, ctx, before))) throw notFoundError(id);
    if (!(await isAnswerer(tx, ctx.actor, before.issuerUnitCode)))
      throw forbidden({
        vi: "Chỉ cơ quan cấp tỉnh được giao mới trả lời kiến nghị.",
        en: "Only the province answers proposals.",
      });
    if (before.version !== input.expectedVersion) {
      const c = versionConflict({ vi: "Kiến nghị", en: "The proposal" });
      throw new AppError(409, c.code, c.message, {
        current: presentProposal(before, ctx.today, true),
      });
    }
    const to = nextProposalStatus(before.status, input.action);
    if (to === null)
      throw new AppError(
        409,
        "invalid_transition",
        {
          vi: `Kiến nghị đang ở trạng thái "${before.status}" không thể "${input.action}".`,
          en: `A proposal that is ${before.status} cannot take the action ${input.action}.`,
        },
        { status: before.status, action: input.action },
      );
    const changes: Partial<typeof proposals.$inferInsert> = {};
    if (input.action === "assign") {
      if (!input.assignedTo) throw required("assignedTo");
      if (!input.answerDue) throw required("answerDue");
      if (input.answerDue < before.receivedOn)
        throw dateOrderError("answerDue", before.receivedOn, {
          vi: "Hạn trả lời",
          en: "The answer due date",
        });
      changes.assignedTo = input.assignedTo;
      changes.answerDue = input.answerDue;
    }
    if (input.action === "draft") {
      if (!input.outcome) throw required("outcome");
      if (!input.answer?.trim()) throw required("answer");
      changes.draftOutcome = input.outcome;
      changes.draftAnswer = input.answer.trim();
    }
    if (input.action === "publish") {
      const outcome = input.outcome ?? before.draftOutcome;
      const answer = input.answer?.trim() || before.draftAnswer;
      if (!outcome) throw required("outcome");
      if (!answer) throw required("answer");
      changes.outcome = outcome;
      changes.answer = answer;
      changes.answeredOn = ctx.today;
      changes.draftOutcome = outcome;
      changes.draftAnswer = answer;
    }
    const [after] = await tx
      .update(proposals)
      .set({ ...changes, status: to, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
      .where(eq(proposals.id, id))
      .returning();
    if (!after) throw new Error("update returned nothing");
    await tx.insert(proposalEvents).values({
      proposalId: id,
      actorId: actorIdOf(ctx.actor),
      action: input.action,
      fromStatus: before.status,
      toStatus: to,
      note:
        input.action === "assign"
          ? `${input.assignedTo} · ${input.answerDue}`
          : input.action === "publish"
            ? (changes.outcome ?? null)
            : (input.note ?? null),
      isPublic: input.action !== "draft",
    });
    await recordAudit(tx, ctx, {
      action: `proposal.${input.action}`,
      recordKind: "proposal",
      recordId: id,
      unitCode: before.unitCode,
      before: presentProposal(before, ctx.today, true),
      after: presentProposal(after, ctx.today, true),
      reason: input.note ?? null,
    });
    if (input.action === "publish") await notifyAnswerPublished(tx, after, ctx.today);
    return presentProposal(after, ctx.today, true);
  });
}

const required = (field: string) =>
  badRequest(
    "field_required",
    { vi: `Thiếu trường bắt buộc: ${field}.`, en: `The field ${field} is required here.` },
    { fields: [{ field, message: "required" }] },
  );
