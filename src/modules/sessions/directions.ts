import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, forbidden, notFound, unprocessable } from "../../http/errors.ts";
import { coversUnit } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
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
import { notifyExtensionDecided } from "./events.ts";
import type { directionInput, extensionDecisionInput, extensionInput, progressInput } from "./inputs.ts";
import { type DirectionStatus, directionStatus, effectiveDue, weightedProgress } from "./rules.ts";
import { attachments, directions, extensionRequests, meetings, progressReports } from "./schema.ts";

type DirectionRow = typeof directions.$inferSelect;

const notFoundError = (id: number) =>
  notFound("direction_not_found", { vi: `Không có nhiệm vụ số ${id}.`, en: `No direction ${id}.` });

/** A direction as read: progress and completion from its sub-tasks when it has any, status computed for `today`. */
export function presentDirection(row: DirectionRow, children: DirectionRow[], today: string) {
  const rolled = children.length
    ? weightedProgress(
        children.map((c) => ({ weight: Number(c.weight), progress: c.progress, completedOn: c.completedOn })),
      )
    : { progress: row.progress, completedOn: row.completedOn };
  const timing = { dueDate: row.dueDate, extendedDue: row.extendedDue, completedOn: rolled.completedOn };
  return {
    id: row.id,
    parentId: row.parentId,
    meetingId: row.meetingId,
    issuerUnitCode: row.issuerUnitCode,
    source: { number: row.sourceNumber, date: row.sourceDate, body: row.sourceBody },
    content: row.content,
    leadUnit: { code: row.leadUnitCode, name: row.leadUnitName },
    cooperatingUnits: row.cooperatingUnits,
    dueDate: row.dueDate,
    extendedDue: row.extendedDue,
    effectiveDue: effectiveDue(timing),
    priority: row.priority,
    weight: Number(row.weight),
    progress: rolled.progress,
    completedOn: rolled.completedOn,
    status: directionStatus(timing, today) as DirectionStatus,
    subTaskCount: children.length,
    isIllustrative: row.isIllustrative,
    version: row.version,
  };
}

export type DirectionView = ReturnType<typeof presentDirection>;

export async function createDirection(db: Db, ctx: SessionsContext, input: z.output<typeof directionInput>) {
  if (input.dueDate < input.sourceDate)
    throw dateOrderError("dueDate", input.sourceDate, { vi: "Hạn hoàn thành", en: "The due date" });
  await assertCovers(db, ctx.actor, input.issuerUnitCode, {
    vi: `Đơn vị ${input.issuerUnitCode} ngoài phạm vi của bạn.`,
    en: `Unit ${input.issuerUnitCode} is outside your scope.`,
  });
  const names = await unitNames(
    db,
    [input.leadUnitCode, ...input.cooperatingUnitCodes],
    input.sourceDate,
    "leadUnitCode",
  );
  await assertCovers(db, ctx.actor, input.leadUnitCode, {
    vi: `Đơn vị ${input.leadUnitCode} ngoài phạm vi của bạn.`,
    en: `Unit ${input.leadUnitCode} is outside your scope.`,
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
    if (input.parentId !== undefined) {
      const [parent] = await tx
        .select()
        .from(directions)
        .where(eq(directions.id, input.parentId))
        .for("update");
      if (!parent)
        throw unprocessable(
          "parent_not_found",
          { vi: `Không có nhiệm vụ cha số ${input.parentId}.`, en: `No parent direction ${input.parentId}.` },
          { fields: [{ field: "parentId", message: "no such direction" }] },
        );
      if (parent.parentId !== null)
        throw unprocessable(
          "nested_too_deep",
          {
            vi: "Nhiệm vụ con không có nhiệm vụ con của nó.",
            en: "A sub-task cannot have sub-tasks of its own.",
          },
          { fields: [{ field: "parentId", message: "is itself a sub-task" }] },
        );
      const [reported] = await tx
        .select({ id: progressReports.id })
        .from(progressReports)
        .where(eq(progressReports.directionId, parent.id))
        .limit(1);
      if (reported)
        throw unprocessable(
          "parent_has_reports",
          {
            vi: "Nhiệm vụ này đã có báo cáo tiến độ; không thể chia thành nhiệm vụ con.",
            en: "This direction already has progress reports; it cannot be split into sub-tasks.",
          },
          { fields: [{ field: "parentId", message: "has progress reports" }] },
        );
    }
    const [row] = await tx
      .insert(directions)
      .values({
        parentId: input.parentId ?? null,
        meetingId: input.meetingId ?? null,
        issuerUnitCode: input.issuerUnitCode,
        sourceNumber: input.sourceNumber,
        sourceDate: input.sourceDate,
        sourceBody: input.sourceBody,
        content: input.content,
        leadUnitCode: input.leadUnitCode,
        leadUnitName: names.get(input.leadUnitCode) ?? input.leadUnitCode,
        cooperatingUnits: input.cooperatingUnitCodes.map((code) => ({ code, name: names.get(code) ?? code })),
        dueDate: input.dueDate,
        priority: input.priority,
        weight: String(input.weight),
        isIllustrative: input.isIllustrative ?? false,
        createdBy: actorIdOf(ctx.actor),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const view = presentDirection(row, [], ctx.today);
    await recordAudit(tx, ctx, {
      action: "direction.issue",
      recordKind: "direction",
      recordId: row.id,
      unitCode: row.leadUnitCode,
      after: view,
    });
    return view;
  });
}

/** Whether the actor reads a direction: the issuer's side, the lead unit, or a cooperating unit. */
function readableBy(codes: Set<string> | null, row: DirectionRow): boolean {
  return (
    codes === null ||
    codes.has(row.issuerUnitCode) ||
    codes.has(row.leadUnitCode) ||
    row.cooperatingUnits.some((u) => codes.has(u.code))
  );
}

async function childrenOf(db: DbOrTx, ids: number[]): Promise<Map<number, DirectionRow[]>> {
  const map = new Map<number, DirectionRow[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .select()
    .from(directions)
    .where(inArray(directions.parentId, ids))
    .orderBy(asc(directions.id));
  for (const r of rows) {
    const list = map.get(r.parentId ?? 0) ?? [];
    list.push(r);
    map.set(r.parentId ?? 0, list);
  }
  return map;
}

export interface DirectionFilter {
  unit?: string;
  issuer?: string;
  meeting?: number;
  status?: DirectionStatus;
  /** Only those not completed. */
  open?: boolean;
}

/** Top-level directions the actor reads (sub-tasks are shown inside their parent), status computed for today. */
export async function listDirections(db: DbOrTx, ctx: SessionsContext, filter: DirectionFilter = {}) {
  const codes = await readableCodes(db, ctx.actor);
  const rows = await db
    .select()
    .from(directions)
    .where(
      and(
        isNull(directions.parentId),
        filter.unit ? eq(directions.leadUnitCode, filter.unit) : undefined,
        filter.issuer ? eq(directions.issuerUnitCode, filter.issuer) : undefined,
        filter.meeting ? eq(directions.meetingId, filter.meeting) : undefined,
      ),
    )
    .orderBy(asc(directions.dueDate), asc(directions.id));
  const visible = rows.filter((r) => readableBy(codes, r));
  const children = await childrenOf(
    db,
    visible.map((r) => r.id),
  );
  return visible
    .map((r) => presentDirection(r, children.get(r.id) ?? [], ctx.today))
    .filter(
      (d) =>
        (!filter.status || d.status === filter.status) &&
        (!filter.open || d.status === "in_progress" || d.status === "overdue"),
    );
}

/** Counts by computed status, per lead unit and per issuing body: the follow-up table. */
export async function directionSummary(db: DbOrTx, ctx: SessionsContext, filter: DirectionFilter = {}) {
  const list = await listDirections(db, ctx, filter);
  const empty = () => ({ in_progress: 0, overdue: 0, completed_on_time: 0, completed_late: 0, total: 0 });
  const byUnit = new Map<string, { code: string; name: string; counts: ReturnType<typeof empty> }>();
  const byIssuer = new Map<string, { body: string; counts: ReturnType<typeof empty> }>();
  for (const d of list) {
    const u = byUnit.get(d.leadUnit.code) ?? { ...d.leadUnit, counts: empty() };
    u.counts[d.status] += 1;
    u.counts.total += 1;
    byUnit.set(d.leadUnit.code, u);
    const i = byIssuer.get(d.source.body) ?? { body: d.source.body, counts: empty() };
    i.counts[d.status] += 1;
    i.counts.total += 1;
    byIssuer.set(d.source.body, i);
  }
  return {
    today: ctx.today,
    byUnit: [...byUnit.values()].sort((a, b) => a.name.localeCompare(b.name, "vi")),
    byIssuer: [...byIssuer.values()].sort((a, b) => a.body.localeCompare(b.body, "vi")),
  };
}

async function loadReadable(db: DbOrTx, ctx: SessionsContext, id: number): Promise<DirectionRow> {
  const [row] = await db.select().from(directions).where(eq(directions.id, id));
  if (!row || !readableBy(await readableCodes(db, ctx.actor), row)) throw notFoundError(id);
  return row;
}

export async function getDirection(db: DbOrTx, ctx: SessionsContext, id: number) {
  const row = await loadReadable(db, ctx, id);
  const children = (await childrenOf(db, [id])).get(id) ?? [];
  const reports = await db
    .select()
    .from(progressReports)
    .where(eq(progressReports.directionId, id))
    .orderBy(desc(progressReports.createdAt), desc(progressReports.id));
  const files = reports.length
    ? await db
        .select()
        .from(attachments)
        .where(
          and(
            eq(attachments.ownerKind, "progress_report"),
            inArray(
              attachments.ownerId,
              reports.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(attachments.id))
    : [];
  const extensions = await db
    .select()
    .from(extensionRequests)
    .where(eq(extensionRequests.directionId, id))
    .orderBy(desc(extensionRequests.id));
  const codes = await readableCodes(db, ctx.actor);
  return {
    ...presentDirection(row, children, ctx.today),
    subTasks: children.map((c) => presentDirection(c, [], ctx.today)),
    reports: reports.map((r) => ({
      id: r.id,
      reportedOn: r.reportedOn,
      percent: r.percent,
      narrative: r.narrative,
      reason: r.reason,
      reportedBy: r.reportedBy,
      attachments: files
        .filter((f) => f.ownerId === r.id)
        .map((f) => ({
          id: f.id,
          fileName: f.fileName,
          contentType: f.contentType,
          size: f.size,
          sha256: f.sha256,
        })),
    })),
    extensions: extensions.map(presentExtension),
    can: {
      report: children.length === 0 && (codes === null || codes.has(row.leadUnitCode)),
      decide: isProvinceSide(ctx.actor) && (codes === null || codes.has(row.issuerUnitCode)),
    },
  };
}

const presentExtension = (e: typeof extensionRequests.$inferSelect) => ({
  id: e.id,
  directionId: e.directionId,
  requestedDue: e.requestedDue,
  reason: e.reason,
  status: e.status,
  requestedBy: e.requestedBy,
  requestedOn: e.requestedOn,
  decidedBy: e.decidedBy,
  decidedOn: e.decidedOn,
  decisionNote: e.decisionNote,
});

/** The direction locked for a write by its lead unit (the unit reports on its own tasks only). */
async function lockForLeadUnit(tx: DbOrTx, ctx: SessionsContext, id: number): Promise<DirectionRow> {
  const [row] = await tx.select().from(directions).where(eq(directions.id, id)).for("update");
  if (!row || !readableBy(await readableCodes(tx, ctx.actor), row)) throw notFoundError(id);
  if (!(await coversUnit(tx, ctx.actor, row.leadUnitCode)))
    throw forbidden({
      vi: "Chỉ đơn vị chủ trì báo cáo và xin gia hạn nhiệm vụ này.",
      en: "Only the lead unit reports on this direction or asks for more time.",
    });
  return row;
}

/**
 * A progress report of the lead unit: percent (0–100; going down needs a reason), narrative. Reaching 100 % completes
 * the direction on that day. Checked inside the transaction on the locked row, with the version the reporter saw.
 */
export async function reportProgress(
  db: Db,
  ctx: SessionsContext,
  id: number,
  input: z.output<typeof progressInput>,
) {
  if (input.percent < 0 || input.percent > 100)
    throw unprocessable(
      "percent_out_of_range",
      { vi: "Tiến độ phải từ 0 đến 100 %.", en: "Progress must be between 0 and 100 %." },
      { fields: [{ field: "percent", message: "must be between 0 and 100" }] },
    );
  return db.transaction(async (tx) => {
    const before = await lockForLeadUnit(tx, ctx, id);
    const [child] = await tx
      .select({ id: directions.id })
      .from(directions)
      .where(eq(directions.parentId, id))
      .limit(1);
    if (child)
      throw unprocessable("has_sub_tasks", {
        vi: "Nhiệm vụ có nhiệm vụ con: hãy báo cáo tiến độ từng nhiệm vụ con.",
        en: "This direction has sub-tasks: report progress on each of them.",
      });
    if (before.version !== input.expectedVersion) {
      const c = versionConflict({ vi: "Nhiệm vụ", en: "The direction" });
      throw new AppError(409, c.code, c.message, { current: presentDirection(before, [], ctx.today) });
    }
    if (input.percent < before.progress && !input.reason?.trim())
      throw unprocessable(
        "progress_backwards",
        {
          vi: `Tiến độ giảm từ ${before.progress} % xuống ${input.percent} %: hãy nêu lý do.`,
          en: `Progress goes down from ${before.progress} % to ${input.percent} %: give the reason.`,
        },
        { fields: [{ field: "reason", message: "required when progress goes down" }] },
      );
    const [report] = await tx
      .insert(progressReports)
      .values({
        directionId: id,
        reportedOn: ctx.today,
        percent: input.percent,
        narrative: input.narrative,
        reason: input.reason?.trim() || null,
        reportedBy: actorIdOf(ctx.actor),
      })
      .returning({ id: progressReports.id });
    const [after] = await tx
      .update(directions)
      .set({
        progress: input.percent,
        completedOn: input.percent === 100 ? (before.completedOn ?? ctx.today) : null,
        version: sql`${directions.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(directions.id, id))
      .returning();
    if (!after || !report) throw new Error("write returned nothing");
    await recordAudit(tx, ctx, {
      action: "direction.report_progress",
      recordKind: "direction",
      recordId: id,
      unitCode: before.leadUnitCode,
      before: { progress: before.progress, completedOn: before.completedOn },
      after: { progress: after.progress, completedOn: after.completedOn, reportId: report.id },
      reason: input.reason ?? null,
    });
    return { reportId: report.id, direction: presentDirection(after, [], ctx.today) };
  });
}

export async function requestExtension(
  db: Db,
  ctx: SessionsContext,
  id: number,
  input: z.output<typeof extensionInput>,
) {
  return db.transaction(async (tx) => {
    const row = await lockForLeadUnit(tx, ctx, id);
    const current = presentDirection(row, [], ctx.today);
    if (current.completedOn !== null)
      throw unprocessable("already_completed", {
        vi: "Nhiệm vụ đã hoàn thành; không cần gia hạn.",
        en: "The direction is completed; it needs no extension.",
      });
    if (input.requestedDue <= current.effectiveDue)
      throw unprocessable(
        "extension_not_later",
        {
          vi: `Hạn xin gia hạn phải sau hạn hiện tại (${current.effectiveDue}).`,
          en: `The requested due date must be after the current one (${current.effectiveDue}).`,
        },
        { fields: [{ field: "requestedDue", message: `must be after ${current.effectiveDue}` }] },
      );
    const [pending] = await tx
      .select({ id: extensionRequests.id })
      .from(extensionRequests)
      .where(and(eq(extensionRequests.directionId, id), eq(extensionRequests.status, "pending")));
    if (pending)
      throw new AppError(409, "extension_pending", {
        vi: "Đã có một đề nghị gia hạn đang chờ quyết định.",
        en: "An extension request is already waiting for a decision.",
      });
    const [created] = await tx
      .insert(extensionRequests)
      .values({
        directionId: id,
        requestedDue: input.requestedDue,
        reason: input.reason,
        requestedBy: actorIdOf(ctx.actor),
        requestedOn: ctx.today,
      })
      .returning();
    if (!created) throw new Error("insert returned nothing");
    await tx
      .update(directions)
      .set({ version: sql`${directions.version} + 1`, updatedAt: new Date() })
      .where(eq(directions.id, id));
    await recordAudit(tx, ctx, {
      action: "direction.request_extension",
      recordKind: "direction",
      recordId: id,
      unitCode: row.leadUnitCode,
      after: presentExtension(created),
      reason: input.reason,
    });
    return presentExtension(created);
  });
}

/** The issuer approves (the new due date replaces the old one) or refuses a pending extension request. */
export async function decideExtension(
  db: Db,
  ctx: SessionsContext,
  extensionId: number,
  input: z.output<typeof extensionDecisionInput>,
) {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(extensionRequests)
      .where(eq(extensionRequests.id, extensionId))
      .for("update");
    const notFoundExt = notFound("extension_not_found", {
      vi: `Không có đề nghị gia hạn số ${extensionId}.`,
      en: `No extension request ${extensionId}.`,
    });
    if (!request) throw notFoundExt;
    const [row] = await tx
      .select()
      .from(directions)
      .where(eq(directions.id, request.directionId))
      .for("update");
    if (!row || !readableBy(await readableCodes(tx, ctx.actor), row)) throw notFoundExt;
    if (!isProvinceSide(ctx.actor) || !(await coversUnit(tx, ctx.actor, row.issuerUnitCode)))
      throw forbidden({
        vi: "Chỉ cơ quan giao nhiệm vụ quyết định gia hạn.",
        en: "Only the issuer decides on an extension.",
      });
    if (request.status !== "pending")
      throw new AppError(409, "extension_decided", {
        vi: "Đề nghị gia hạn này đã được quyết định.",
        en: "This extension request has already been decided.",
      });
    const [decided] = await tx
      .update(extensionRequests)
      .set({
        status: input.decision,
        decidedBy: actorIdOf(ctx.actor),
        decidedOn: ctx.today,
        decisionNote: input.note ?? null,
      })
      .where(eq(extensionRequests.id, extensionId))
      .returning();
    await tx
      .update(directions)
      .set({
        ...(input.decision === "approved" ? { extendedDue: request.requestedDue } : {}),
        version: sql`${directions.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(directions.id, row.id));
    if (!decided) throw new Error("update returned nothing");
    await recordAudit(tx, ctx, {
      action: `direction.extension_${input.decision}`,
      recordKind: "direction",
      recordId: row.id,
      unitCode: row.leadUnitCode,
      before: { extendedDue: row.extendedDue, request: presentExtension(request) },
      after: presentExtension(decided),
      reason: input.note ?? null,
    });
    await notifyExtensionDecided(
      tx,
      {
        requestId: decided.id,
        directionId: row.id,
        leadUnitCode: row.leadUnitCode,
        content: row.content,
        decision: input.decision,
        requestedDue: request.requestedDue,
      },
      ctx.today,
    );
    return presentExtension(decided);
  });
}

/** Extension requests waiting for a decision of the actor's side, for the follow-up views and the home list. */
export async function pendingExtensions(db: DbOrTx, ctx: SessionsContext) {
  const codes = await readableCodes(db, ctx.actor);
  const rows = await db
    .select({ request: extensionRequests, direction: directions })
    .from(extensionRequests)
    .innerJoin(directions, eq(directions.id, extensionRequests.directionId))
    .where(eq(extensionRequests.status, "pending"))
    .orderBy(asc(extensionRequests.requestedOn));
  return rows
    .filter((r) => codes === null || codes.has(r.direction.issuerUnitCode))
    .map((r) => ({
      ...presentExtension(r.request),
      direction: {
        id: r.direction.id,
        content: r.direction.content,
        leadUnit: r.direction.leadUnitName,
        leadUnitCode: r.direction.leadUnitCode,
      },
    }));
}
