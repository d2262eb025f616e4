import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import type { SignedIn } from "../access/actor.ts";
import { subtreeCodes } from "../access/scope.ts";
import {
  deadline,
  formatPeriod,
  type Period,
  type PeriodType,
  parsePeriod,
  periodContaining,
  previousPeriod,
} from "../reporting/periods.ts";
import { subtreeCodesOn } from "../units/queries.ts";
import { type DueItem, type DueWorkContext, registerDueWorkSource } from "./due-work.ts";

/**
 * Reports that are not in yet are listed while their deadline is at most this many days behind: far enough back to
 * catch last year's yearly report in December, not so far that a commune carries ten years of reports it never
 * made (the 2014 figures of Kỳ Sơn were imported, not reported).
 */
export const OVERDUE_LOOKBACK_DAYS = 400;

const reporterRoles = new Set(["commune_officer", "province_officer", "province_admin"]);
const approverRoles = new Set(["province_officer", "province_admin"]);

interface FormRow {
  id: number | string;
  code: string;
  name_vi: string;
  name_en: string;
  period_type: PeriodType;
  deadline_days: number;
}

interface ReportRow {
  form_id: number | string;
  period: string;
  code: string;
  status: "draft" | "submitted" | "approved" | "returned";
  return_reason: string | null;
}

const addDays = (isoDate: string, days: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The periods of a form still worth listing on `today`: the running one, and those whose deadline is recent. */
export function periodsToList(type: PeriodType, deadlineDays: number, today: string): Period[] {
  const oldest = addDays(today, -OVERDUE_LOOKBACK_DAYS);
  const out: Period[] = [];
  for (let p = periodContaining(type, today); p && deadline(p, deadlineDays) >= oldest; p = previousPeriod(p))
    out.push(p);
  return out;
}

const titleOf = (form: FormRow, p: Period) => ({
  vi: `${form.name_vi} — ${formatPeriod(p, "vi")}`,
  en: `${form.name_en} — ${formatPeriod(p, "en")}`,
});

const entryLink = (form: string, unit: string, period: string) =>
  `/reports/entry?form=${encodeURIComponent(form)}&unit=${encodeURIComponent(unit)}&period=${encodeURIComponent(period)}`;

async function formsReportedBy(
  db: DbOrTx,
  codes: readonly string[],
): Promise<Array<FormRow & { unit_code: string }>> {
  if (codes.length === 0) return [];
  return rowsOf<FormRow & { unit_code: string }>(
    await db.execute(sql`
      SELECT f.id, f.code, f.name_vi, f.name_en, f.period_type, f.deadline_days, fu.unit_code
      FROM forms f JOIN form_units fu ON fu.form_id = f.id
      WHERE fu.unit_code IN (${sql.join([...codes], sql`, `)})
      ORDER BY f.code, fu.unit_code`),
  );
}

/** Report rows of these forms for the unit versions carrying these codes, with the version's code. */
async function reportsOf(db: DbOrTx, formIds: number[], codes: readonly string[]): Promise<ReportRow[]> {
  if (formIds.length === 0 || codes.length === 0) return [];
  return rowsOf<ReportRow>(
    await db.execute(sql`
      SELECT r.form_id, r.period, v.code, r.status, r.return_reason
      FROM reports r JOIN unit_versions v ON v.id = r.unit_version_id
      WHERE r.form_id IN (${sql.join(formIds, sql`, `)}) AND v.code IN (${sql.join([...codes], sql`, `)})`),
  );
}

/** unit code → name of the version valid on each date asked, in one query per distinct date. */
async function namesOn(db: DbOrTx, codes: readonly string[], date: string): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = rowsOf<{ code: string; name: string }>(
    await db.execute(sql`
      SELECT code, name FROM unit_versions
      WHERE code IN (${sql.join([...codes], sql`, `)})
        AND (valid_from IS NULL OR valid_from <= ${date}::date) AND (valid_to IS NULL OR valid_to > ${date}::date)`),
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * What the reader's own unit has to report: for each form it reports, the periods not yet submitted (due or
 * overdue) and those the province returned, with the reason. A commune officer's reports; a province officer's
 * own deadlines when the province itself reports a form.
 */
async function ownReports(db: DbOrTx, actor: SignedIn, today: string): Promise<DueItem[]> {
  const scope = actor.scope;
  if (!scope?.isCurrent) return [];
  const forms = await formsReportedBy(db, [scope.code]);
  const rows = await reportsOf(
    db,
    forms.map((f) => Number(f.id)),
    [scope.code],
  );
  const byKey = new Map(rows.map((r) => [`${Number(r.form_id)}/${r.period}`, r]));
  const items: DueItem[] = [];
  for (const form of forms) {
    const periods = periodsToList(form.period_type, form.deadline_days, today);
    const listed = new Set<string>();
    for (const p of periods) {
      const names = await namesOn(db, [scope.code], p.end);
      const unitName = names.get(scope.code);
      if (!unitName) continue; // the unit did not exist at the end of that period
      const report = byKey.get(`${Number(form.id)}/${p.code}`);
      if (report?.status === "submitted" || report?.status === "approved") continue;
      const due = deadline(p, form.deadline_days);
      const isReturned = report?.status === "returned";
      listed.add(p.code);
      items.push({
        source: "reports",
        id: `${form.code}/${scope.code}/${p.code}`,
        unitCode: scope.code,
        unitName,
        title: titleOf(form, p),
        state: isReturned ? "returned" : today > due ? "overdue" : "due",
        dueDate: due,
        reason: isReturned ? { vi: report.return_reason ?? "", en: report.return_reason ?? "" } : null,
        link: entryLink(form.code, scope.code, p.code),
      });
    }
    // A returned report stays on the list however old it is, until it is sent again.
    for (const r of rows) {
      if (Number(r.form_id) !== Number(form.id) || r.status !== "returned" || listed.has(r.period)) continue;
      const p = parsePeriod(r.period);
      if (!p) continue;
      items.push({
        source: "reports",
        id: `${form.code}/${scope.code}/${p.code}`,
        unitCode: scope.code,
        unitName: (await namesOn(db, [scope.code], p.end)).get(scope.code) ?? scope.name,
        title: titleOf(form, p),
        state: "returned",
        dueDate: deadline(p, form.deadline_days),
        reason: { vi: r.return_reason ?? "", en: r.return_reason ?? "" },
        link: entryLink(form.code, scope.code, p.code),
      });
    }
  }
  return items;
}

/** Reports of the units under the reader's scope waiting for the reader to approve or return them. */
async function awaitingApproval(db: DbOrTx, actor: SignedIn): Promise<DueItem[]> {
  if (!actor.scope) return [];
  const codes = [...(await subtreeCodes(db, actor.scope))].filter((c) => c !== actor.scope?.code);
  if (codes.length === 0) return [];
  const rows = rowsOf<{
    form: string;
    name_vi: string;
    name_en: string;
    deadline_days: number;
    period: string;
    code: string;
    name: string;
  }>(
    await db.execute(sql`
      SELECT f.code AS form, f.name_vi, f.name_en, f.deadline_days, r.period, v.code, v.name
      FROM reports r JOIN forms f ON f.id = r.form_id JOIN unit_versions v ON v.id = r.unit_version_id
      WHERE r.status = 'submitted' AND v.code IN (${sql.join(codes, sql`, `)})
      ORDER BY r.submitted_at`),
  );
  return rows.flatMap((r) => {
    const p = parsePeriod(r.period);
    if (!p) return [];
    return [
      {
        source: "reports",
        id: `${r.form}/${r.code}/${r.period}`,
        unitCode: r.code,
        unitName: r.name,
        title: {
          vi: `${r.name_vi} — ${formatPeriod(p, "vi")}`,
          en: `${r.name_en} — ${formatPeriod(p, "en")}`,
        },
        state: "awaiting_approval" as const,
        dueDate: deadline(p, r.deadline_days),
        reason: null,
        link: entryLink(r.form, r.code, r.period),
      },
    ];
  });
}

export interface OverdueUnits {
  form: { id: number; code: string; nameVi: string; nameEn: string };
  period: Period;
  deadline: string;
  /** Units under the scope that report the form and have not submitted it (draft, returned or not started). */
  overdue: Array<{ code: string; name: string }>;
  /** Units under the scope expected to report it. */
  expected: number;
}

/**
 * For each form reported under `root` and each period whose deadline has passed (within the look-back): the units
 * that have not sent it. What a province officer reminds.
 */
export async function overdueUnitsUnder(
  db: DbOrTx,
  root: string,
  today: string,
  only?: { form: string; period: string },
): Promise<OverdueUnits[]> {
  const current = [...(await subtreeCodesOn(db, root, today))].filter((c) => c !== root);
  const forms = (await formsReportedBy(db, current)).filter((f) => !only || f.code === only.form);
  const unitsByForm = new Map<string, { form: FormRow; codes: string[] }>();
  for (const f of forms) {
    const entry = unitsByForm.get(f.code) ?? { form: f, codes: [] };
    entry.codes.push(f.unit_code);
    unitsByForm.set(f.code, entry);
  }
  const out: OverdueUnits[] = [];
  for (const { form, codes } of unitsByForm.values()) {
    const rows = await reportsOf(db, [Number(form.id)], codes);
    const sent = new Set(
      rows
        .filter((r) => r.status === "submitted" || r.status === "approved")
        .map((r) => `${r.code}/${r.period}`),
    );
    const periods = only
      ? [parsePeriod(only.period)].filter((p): p is Period => p?.type === form.period_type)
      : periodsToList(form.period_type, form.deadline_days, today);
    for (const p of periods) {
      const due = deadline(p, form.deadline_days);
      if (today <= due) continue;
      const names = await namesOn(db, codes, p.end);
      const overdue = [...names.entries()]
        .filter(([code]) => !sent.has(`${code}/${p.code}`))
        .map(([code, name]) => ({ code, name }))
        .sort((a, b) => a.name.localeCompare(b.name, "vi"));
      if (overdue.length === 0) continue;
      out.push({
        form: { id: Number(form.id), code: form.code, nameVi: form.name_vi, nameEn: form.name_en },
        period: p,
        deadline: due,
        overdue,
        expected: names.size,
      });
    }
  }
  return out;
}

/** A province officer's view of communes late with a report: one item per form and period, with a reminder. */
async function overdueUnderScope(db: DbOrTx, actor: SignedIn, today: string): Promise<DueItem[]> {
  const scope = actor.scope;
  if (!scope?.isCurrent) return [];
  const groups = await overdueUnitsUnder(db, scope.code, today);
  return groups.map((g) => ({
    source: "reports",
    id: `${g.form.code}/${g.period.code}/overdue-units`,
    unitCode: scope.code,
    unitName: scope.name,
    title: {
      vi: `${g.form.nameVi} — ${formatPeriod(g.period, "vi")}: ${g.overdue.length}/${g.expected} đơn vị chưa nộp`,
      en: `${g.form.nameEn} — ${formatPeriod(g.period, "en")}: ${g.overdue.length} of ${g.expected} units have not reported`,
    },
    state: "overdue" as const,
    dueDate: g.deadline,
    reason: null,
    link: `/reports/status?form=${encodeURIComponent(g.form.code)}&period=${encodeURIComponent(g.period.code)}`,
    action: {
      kind: "remind",
      label: { vi: `Nhắc ${g.overdue.length} đơn vị`, en: `Remind ${g.overdue.length} units` },
      path: "/reports/reminders",
      body: { form: g.form.code, period: g.period.code },
    },
  }));
}

/** The "reports" contribution to every officer's list. */
export async function reportsDueWork({ db, actor, today }: DueWorkContext): Promise<DueItem[]> {
  const items: DueItem[] = [];
  if (reporterRoles.has(actor.role)) items.push(...(await ownReports(db, actor, today)));
  if (approverRoles.has(actor.role)) {
    items.push(...(await awaitingApproval(db, actor)));
    items.push(...(await overdueUnderScope(db, actor, today)));
  }
  return items;
}

registerDueWorkSource("reports", reportsDueWork);
