import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { AppError, forbidden } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { assertUnitInScope, subtreeCodes } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { notifyReportDecision } from "../notifications/report-events.ts";
import { subtreeCodesOn, unitVersionsOn } from "../units/queries.ts";
import { getForm } from "./catalogue.ts";
import { actorId, reportOf, resolveTarget, validateTarget } from "./entry.ts";
import { deadline, parsePeriod } from "./periods.ts";
import { formUnits, reports } from "./schema.ts";
import { lockValueSetForTransition } from "./value-locks.ts";

const actionVi: Record<Transition, string> = {
  submit: "gửi",
  withdraw: "rút lại",
  approve: "phê duyệt",
  return: "trả lại",
  unlock: "mở khoá",
};
const statusVi: Record<Status, string> = {
  draft: "đang nhập",
  submitted: "đã gửi",
  approved: "đã phê duyệt",
  returned: "bị trả lại",
};

type Status = "draft" | "submitted" | "approved" | "returned";
export type Transition = "submit" | "withdraw" | "approve" | "return" | "unlock";

/** The approval state machine: which transition leaves which status, and where it leads. */
export const transitions: Record<
  Transition,
  { from: readonly Status[]; to: Status; needsReason: boolean; by: "reporter" | "approver" }
> = {
  submit: { from: ["draft", "returned"], to: "submitted", needsReason: false, by: "reporter" },
  withdraw: { from: ["submitted"], to: "draft", needsReason: false, by: "reporter" },
  approve: { from: ["submitted"], to: "approved", needsReason: false, by: "approver" },
  return: { from: ["submitted"], to: "returned", needsReason: true, by: "approver" },
  unlock: { from: ["approved"], to: "returned", needsReason: true, by: "approver" },
};

export const transitionInput = z.object({
  form: safeText().trim().min(1).max(64),
  unit: safeText().trim().min(1).max(32),
  period: safeText().trim().min(1).max(16),
  action: z.enum(["submit", "withdraw", "approve", "return", "unlock"]),
  reason: safeText({ multiLine: true }).trim().max(2000).optional(),
  /** The report version the client saw (0 before the first save). */
  expectedVersion: z.number().int().min(0),
});

const reporterRoles = new Set(["commune_officer", "system_admin"]);
const approverRoles = new Set(["province_officer", "province_admin", "system_admin"]);

/**
 * Moves a report along draft → submitted → approved, or back (returned with a reason, withdrawn, unlocked). Submission
 * is refused while a rule of high importance is broken; approving locks the values until an approver unlocks them.
 */
export async function transitionReport(db: Db, ctx: RequestContext, raw: z.input<typeof transitionInput>) {
  const input = transitionInput.parse(raw);
  const rule = transitions[input.action];
  const actor = ctx.actor;
  const role = actor.kind === "system" ? "system_admin" : actor.kind === "anonymous" ? "" : actor.role;
  if (!(rule.by === "reporter" ? reporterRoles : approverRoles).has(role))
    throw forbidden(
      rule.by === "reporter"
        ? {
            vi: "Chỉ xã báo cáo mới gửi hoặc rút lại báo cáo.",
            en: "Only the reporting commune submits or withdraws.",
          }
        : {
            vi: "Chỉ cán bộ tỉnh mới phê duyệt, trả lại hoặc mở khoá báo cáo.",
            en: "Only a province officer approves, returns or unlocks.",
          },
    );
  await assertUnitInScope(db, actor, input.unit);
  if (rule.needsReason && !input.reason)
    throw new AppError(
      400,
      "reason_required",
      { vi: `Hãy ghi lý do (${actionVi[input.action]}).`, en: `Say why (${input.action}).` },
      { fields: [{ field: "reason", message: "required", messageVi: "cần ghi lý do" }] },
    );
  const target = await resolveTarget(db, input.form, input.unit, input.period);
  return db.transaction(async (tx) => {
    // Every writer of these values holds this lock (shared) until it commits (value-locks.ts): from here on the
    // values are the committed ones and stay so until this transition commits.
    await lockValueSetForTransition(tx, target.unit.versionId, target.period.code);
    const before = await reportOf(tx, target);
    if (before.version !== input.expectedVersion)
      throw new AppError(
        409,
        "report_conflict",
        {
          vi: "Người khác vừa thay đổi báo cáo này; hãy tải lại.",
          en: "Someone else changed this report meanwhile; reload it.",
        },
        { current: before },
      );
    if (!rule.from.includes(before.status))
      throw new AppError(
        409,
        "invalid_transition",
        {
          vi: `Báo cáo ở trạng thái "${statusVi[before.status]}" không thể ${actionVi[input.action]}.`,
          en: `A ${before.status} report cannot take the action ${input.action}.`,
        },
        { status: before.status, action: input.action },
      );
    if (input.action === "submit") {
      const blocking = (await validateTarget(tx, target)).filter((v) => v.importance === "high");
      if (blocking.length)
        throw new AppError(
          422,
          "validation_failed",
          {
            vi: `${blocking.length} kiểm tra không đạt; hãy sửa trước khi gửi.`,
            en: `${blocking.length} check(s) fail; fix them before submitting.`,
          },
          { violations: blocking },
        );
    }
    if (before.version === 0)
      await tx
        .insert(reports)
        .values({ formId: target.form.id, unitVersionId: target.unit.versionId, period: target.period.code });
    const seenVersion = before.version === 0 ? 1 : before.version;
    const now = new Date();
    const by = actorId(actor);
    const changed = await tx
      .update(reports)
      .set({
        status: rule.to,
        ...(input.action === "submit" ? { submittedAt: now, submittedBy: by } : {}),
        ...(rule.by === "approver" ? { decidedAt: now, decidedBy: by } : {}),
        returnReason: rule.to === "returned" ? (input.reason ?? null) : null,
        version: sql`${reports.version} + 1`,
      })
      .where(
        and(
          eq(reports.formId, target.form.id),
          eq(reports.unitVersionId, target.unit.versionId),
          eq(reports.period, target.period.code),
          eq(reports.version, seenVersion),
        ),
      )
      .returning({ id: reports.id });
    if (changed.length === 0)
      throw new AppError(
        409,
        "report_conflict",
        {
          vi: "Người khác vừa thay đổi báo cáo này; hãy tải lại.",
          en: "Someone else changed this report meanwhile; reload it.",
        },
        { current: await reportOf(tx, target) },
      );
    const after = await reportOf(tx, target);
    await recordAudit(tx, ctx, {
      action: `report.${input.action}`,
      recordKind: "report",
      recordId: `${target.form.code}/${target.unit.code}/${target.period.code}`,
      unitCode: target.unit.code,
      before: { status: before.status },
      after: { status: after.status, returnReason: after.returnReason },
      reason: input.reason ?? null,
    });
    if (rule.by === "approver")
      await notifyReportDecision(tx, {
        form: target.form,
        unitCode: target.unit.code,
        unitName: target.unit.name,
        period: target.period.code,
        status: after.status,
        reason: input.reason ?? null,
        reportVersion: after.version,
      });
    return after;
  });
}

export interface StatusRow {
  unit: { code: string; name: string };
  status: Status | "not_started";
  submittedAt: string | null;
  /** on_time / late: submitted (or approved) by / after the deadline; overdue: not submitted and past it. */
  timeliness: "on_time" | "late" | "overdue" | "pending";
}

/**
 * For one form and period: every reporting unit in the caller's scope (or under `parent`) with its status and
 * whether it came on time. Overdue is computed from the deadline now, never stored.
 */
export async function reportingStatus(
  db: Db,
  ctx: RequestContext,
  formCode: string,
  periodCode: string,
  parent?: string,
) {
  const form = await getForm(db, formCode);
  const period = parsePeriod(periodCode);
  if (!period || period.type !== form.periodType)
    throw new AppError(
      400,
      "invalid_input",
      {
        vi: `"${periodCode}" không phải kỳ báo cáo đúng loại của biểu ${form.code}.`,
        en: `"${periodCode}" is not a ${form.periodType} period.`,
      },
      {
        fields: [
          {
            field: "period",
            message: "not a period of the form's type",
            messageVi: "không phải kỳ đúng loại của biểu",
          },
        ],
      },
    );
  const due = deadline(period, form.deadlineDays);
  let codes = (
    await db.select({ code: formUnits.unitCode }).from(formUnits).where(eq(formUnits.formId, form.id))
  ).map((r) => r.code);
  const actor = ctx.actor;
  if (actor.kind === "anonymous") throw forbidden();
  if (actor.kind !== "system" && actor.scope) {
    const scope = await subtreeCodes(db, actor.scope);
    codes = codes.filter((c) => scope.has(c));
  }
  if (parent) {
    await assertUnitInScope(db, actor, parent);
    const set = await subtreeCodesOn(db, parent, period.end);
    codes = codes.filter((c) => set.has(c));
  }
  if (codes.length === 0)
    return { form: form.code, period: periodCode, deadline: due, rows: [] as StatusRow[] };
  const units = await unitVersionsOn(db, codes, period.end);
  const reportRows = await db
    .select()
    .from(reports)
    .where(
      and(
        eq(reports.formId, form.id),
        eq(reports.period, period.code),
        inArray(
          reports.unitVersionId,
          units.map((u) => Number(u.id)),
        ),
      ),
    );
  const byUnit = new Map(reportRows.map((r) => [r.unitVersionId, r]));
  const today = new Date().toISOString().slice(0, 10);
  const rows: StatusRow[] = units.map((u) => {
    const report = byUnit.get(u.id);
    const submittedAt = report?.submittedAt?.toISOString() ?? null;
    const submittedDay = submittedAt?.slice(0, 10) ?? null;
    const isIn = report?.status === "submitted" || report?.status === "approved";
    const timeliness: StatusRow["timeliness"] =
      isIn && submittedDay ? (submittedDay <= due ? "on_time" : "late") : today > due ? "overdue" : "pending";
    return {
      unit: { code: u.code, name: u.name },
      status: report?.status ?? "not_started",
      submittedAt,
      timeliness,
    };
  });
  return { form: form.code, period: periodCode, deadline: due, rows };
}
