import type { DbOrTx } from "../../db/client.ts";
import { formatPeriod, parsePeriod } from "../reporting/periods.ts";
import { todayInVietnam } from "../units/text.ts";
import { accountsScopedTo, notify } from "./notify.ts";

export interface ReportDecision {
  form: { code: string; nameVi: string; nameEn: string };
  unitCode: string;
  unitName: string;
  period: string;
  /** The report's status after the decision: returned (also after an unlock) or approved. */
  status: string;
  reason: string | null;
  /** The report's version after the decision: each decision is its own event. */
  reportVersion: number;
}

/**
 * Tells the commune's officers that the province returned (with the reason) or approved their report. Called by the
 * reporting workflow inside the transaction that records the decision.
 */
export async function notifyReportDecision(tx: DbOrTx, d: ReportDecision): Promise<number> {
  if (d.status !== "returned" && d.status !== "approved") return 0;
  const p = parsePeriod(d.period);
  const periodVi = p ? formatPeriod(p, "vi") : d.period;
  const periodEn = p ? formatPeriod(p, "en") : d.period;
  const ref = `${d.form.code}/${d.unitCode}/${d.period}`;
  const recipients = await accountsScopedTo(tx, d.unitCode, ["commune_officer"], todayInVietnam());
  const isReturned = d.status === "returned";
  return notify(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: d.status,
      title: isReturned
        ? {
            vi: `Báo cáo bị trả lại: ${d.form.nameVi} — ${periodVi}`,
            en: `Report returned: ${d.form.nameEn} — ${periodEn}`,
          }
        : {
            vi: `Báo cáo đã được duyệt: ${d.form.nameVi} — ${periodVi}`,
            en: `Report approved: ${d.form.nameEn} — ${periodEn}`,
          },
      body: isReturned
        ? { vi: `${d.unitName}. Lý do: ${d.reason ?? ""}`, en: `${d.unitName}. Reason: ${d.reason ?? ""}` }
        : { vi: d.unitName, en: d.unitName },
      link: `/reports/entry?form=${encodeURIComponent(d.form.code)}&unit=${encodeURIComponent(d.unitCode)}&period=${encodeURIComponent(d.period)}`,
      itemRef: `reports:${ref}`,
      key: `${d.status}:reports:${ref}:v${d.reportVersion}:${recipientId}`,
    })),
  );
}
