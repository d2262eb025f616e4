import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { forbidden, unprocessable } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { accountsScopedTo, type NotificationInput, notify } from "../notifications/notify.ts";
import { formatPeriod, parsePeriod } from "../reporting/periods.ts";
import { todayInVietnam } from "../units/text.ts";
import { overdueUnitsUnder } from "./reports-source.ts";

export const reminderInput = z.object({
  form: z.string().trim().min(1).max(64),
  period: z.string().trim().min(1).max(16),
});

const reminderRoles = new Set(["province_officer", "province_admin"]);

/**
 * Reminds every commune under the officer's province that has not sent a form for a period past its deadline: a
 * notification to each of the commune's officers. One reminder per commune officer and report a day, so a second
 * click the same day reminds nobody twice.
 */
export async function sendReportReminders(
  db: Db,
  ctx: RequestContext,
  raw: z.input<typeof reminderInput>,
  now: Date = new Date(),
): Promise<{ units: number; recipients: number }> {
  const input = reminderInput.parse(raw);
  const actor = ctx.actor;
  if (actor.kind !== "user" && actor.kind !== "token") throw forbidden();
  if (!reminderRoles.has(actor.role) || !actor.scope?.isCurrent)
    throw forbidden({
      vi: "Chỉ cán bộ cấp tỉnh nhắc các xã chậm báo cáo.",
      en: "Only a province officer reminds late communes.",
    });
  const period = parsePeriod(input.period);
  if (!period)
    throw unprocessable(
      "invalid_period",
      {
        vi: `"${input.period}" không phải mã kỳ báo cáo (2025, 2025S1, 2025Q3, 202507).`,
        en: `"${input.period}" is not a period code (2025, 2025S1, 2025Q3, 202507).`,
      },
      { field: "period" },
    );
  const today = todayInVietnam(now);
  const [group] = await overdueUnitsUnder(db, actor.scope.code, today, {
    form: input.form,
    period: input.period,
  });
  if (!group)
    throw unprocessable("nothing_overdue", {
      vi: "Không có đơn vị nào quá hạn báo cáo này trong phạm vi của bạn.",
      en: "No unit in your scope is overdue with this report.",
    });
  const [y, m, d] = group.deadline.split("-");
  return db.transaction(async (tx) => {
    const batch: NotificationInput[] = [];
    for (const unit of group.overdue) {
      for (const recipientId of await accountsScopedTo(tx, unit.code, ["commune_officer"], today)) {
        batch.push({
          recipientId,
          kind: "reminder",
          title: {
            vi: `Nhắc nộp báo cáo: ${group.form.nameVi} — ${formatPeriod(period, "vi")}`,
            en: `Reminder to report: ${group.form.nameEn} — ${formatPeriod(period, "en")}`,
          },
          body: {
            vi: `${unit.name}: đã quá hạn ${d}/${m}/${y}. Tỉnh đề nghị hoàn thành và gửi báo cáo.`,
            en: `${unit.name}: the deadline ${group.deadline} has passed. The province asks you to complete and submit it.`,
          },
          link: `/reports/entry?form=${encodeURIComponent(group.form.code)}&unit=${encodeURIComponent(unit.code)}&period=${encodeURIComponent(period.code)}`,
          itemRef: `reports:${group.form.code}/${unit.code}/${period.code}`,
          key: `reminder:reports:${group.form.code}/${unit.code}/${period.code}:${recipientId}:${today}`,
        });
      }
    }
    const recipients = await notify(tx, batch);
    await recordAudit(tx, ctx, {
      action: "report.remind",
      recordKind: "report_reminder",
      recordId: `${group.form.code}/${period.code}`,
      unitCode: actor.scope?.code ?? null,
      after: { units: group.overdue.map((u) => u.code), recipients },
    });
    return { units: group.overdue.length, recipients };
  });
}
