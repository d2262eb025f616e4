import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { AppError } from "../../http/errors.ts";

/**
 * The promise of approval, in one place. A value belongs to (element, unit version, period), not to a form: two forms
 * may carry the same element for the same unit and period, and a system form (the poverty review writes household
 * counts through one) may carry it too. So the rule is stated on the value:
 *
 *   a value may change only while no submitted or approved report of ANY form covers it (a report covers the values
 *   of its form's elements for its unit version and period), and while no file import is applying values there.
 *
 * Every writer of data values (a save, an import, a future system writer) calls `lockValuesForWrite` inside its
 * transaction before it reads what it will change, and writes only the keys it did not get back. Every report
 * transition calls `lockValueSetForTransition`. Both lock the row of `value_sets` for (unit version, period), which
 * always exists once locked (a report row may not exist yet when the first value is typed): writers FOR SHARE (they
 * do not wait for each other, only for transitions), transitions FOR UPDATE. PostgreSQL answers the checks after the
 * lock with a fresh snapshot (READ COMMITTED), so what is checked is what is committed, and nothing can change it
 * before the writer commits. On PGlite (one connection, one transaction at a time) the same code gives the same
 * order: the check runs in the same transaction as the write, and nothing else runs in between.
 */
export interface ValueKey {
  elementId: number;
  unitVersionId: number;
  period: string;
}

export interface LockedValue extends ValueKey {
  /** A submitted or approved report covers the value, or a file import is applying values there. */
  reason: "report" | "import";
  /** The covering report's form (reason "report"). */
  formId: number | null;
  formCode: string | null;
  status: "submitted" | "approved" | null;
  /** The staging row of an import that asked (see the `importId` source). */
  seq: number | null;
}

/** The keys to write: given, or the staging rows of an import (value_import_rows). */
export type ValueKeySource = { keys: readonly ValueKey[] } | { importId: number };

function keysOf(source: ValueKeySource): SQL {
  if ("importId" in source)
    return sql`SELECT seq, element_id, unit_version_id, period FROM value_import_rows WHERE import_id = ${source.importId}`;
  const [only] = source.keys;
  // One key (a save): plain parameters, which plan faster than a JSON record set.
  if (only && source.keys.length === 1)
    return sql`SELECT NULL::integer AS seq, ${only.elementId}::bigint AS element_id,
      ${only.unitVersionId}::bigint AS unit_version_id, ${only.period}::text AS period`;
  const json = JSON.stringify(
    source.keys.map((k) => ({ element_id: k.elementId, unit_version_id: k.unitVersionId, period: k.period })),
  );
  return sql`SELECT NULL::integer AS seq, element_id, unit_version_id, period
    FROM json_to_recordset(${json}::json) AS k(element_id bigint, unit_version_id bigint, period text)`;
}

async function lockSets(tx: DbOrTx, keys: SQL, mode: "share" | "update", expected?: number) {
  // Sorted, so that two writers of many sets (two imports) take them in the same order and cannot deadlock.
  const lock = async () =>
    rowsOf<{ unit_version_id: string | number; period: string; import_id: string | number | null }>(
      await tx.execute(sql`
        SELECT s.unit_version_id, s.period, s.import_id FROM value_sets s
        WHERE (s.unit_version_id, s.period) IN (SELECT unit_version_id, period FROM (${keys}) k)
        ORDER BY s.unit_version_id, s.period
        ${mode === "share" ? sql`FOR SHARE OF s` : sql`FOR UPDATE OF s`}`),
    );
  // When the caller knows how many sets it asks for and they all exist (every save after a report's first value),
  // locking them is the one statement.
  if (expected !== undefined) {
    const sets = await lock();
    if (sets.length === expected) return sets;
  }
  await tx.execute(sql`
    INSERT INTO value_sets (unit_version_id, period)
    SELECT DISTINCT unit_version_id, period FROM (${keys}) k ORDER BY 1, 2
    ON CONFLICT DO NOTHING`);
  return lock();
}

/**
 * Locks the values a writer is about to write and answers which of them must not change (none: write them all).
 * Call it inside the writing transaction, before reading the current values. `importId` is the import asking (its
 * own claim does not lock it out); `mode` "update" is for an import about to claim the sets.
 */
export async function lockValuesForWrite(
  tx: DbOrTx,
  source: ValueKeySource,
  options: { importId?: number; mode?: "share" | "update" } = {},
): Promise<LockedValue[]> {
  const keys = keysOf(source);
  const expected =
    "keys" in source ? new Set(source.keys.map((k) => `${k.unitVersionId}|${k.period}`)).size : undefined;
  const sets = await lockSets(tx, keys, options.mode ?? "share", expected);
  const claimed = sets.filter((s) => s.import_id !== null && Number(s.import_id) !== options.importId);
  const byReport = rowsOf<{
    seq: number | null;
    element_id: string | number;
    unit_version_id: string | number;
    period: string;
    form_id: string | number;
    form_code: string;
    status: "submitted" | "approved";
  }>(
    await tx.execute(sql`
      SELECT DISTINCT ON (k.seq, k.element_id, k.unit_version_id, k.period)
        k.seq, k.element_id, k.unit_version_id, k.period, r.form_id, f.code AS form_code, r.status
      FROM (${keys}) k
      JOIN form_elements fe ON fe.element_id = k.element_id
      JOIN reports r ON r.form_id = fe.form_id AND r.unit_version_id = k.unit_version_id AND r.period = k.period
      JOIN forms f ON f.id = r.form_id
      WHERE r.status IN ('submitted', 'approved')
      ORDER BY k.seq, k.element_id, k.unit_version_id, k.period, (r.status = 'approved') DESC, f.code`),
  );
  const locked: LockedValue[] = byReport.map((r) => ({
    elementId: Number(r.element_id),
    unitVersionId: Number(r.unit_version_id),
    period: r.period,
    reason: "report",
    formId: Number(r.form_id),
    formCode: r.form_code,
    status: r.status,
    seq: r.seq === null ? null : Number(r.seq),
  }));
  if (claimed.length) {
    const claimedSets = new Set(claimed.map((s) => `${s.unit_version_id}|${s.period}`));
    const claimedKeys = rowsOf<{
      seq: number | null;
      element_id: string | number;
      unit_version_id: string | number;
      period: string;
    }>(await tx.execute(keys)).filter((k) => claimedSets.has(`${k.unit_version_id}|${k.period}`));
    for (const k of claimedKeys)
      locked.push({
        elementId: Number(k.element_id),
        unitVersionId: Number(k.unit_version_id),
        period: k.period,
        reason: "import",
        formId: null,
        formCode: null,
        status: null,
        seq: k.seq === null ? null : Number(k.seq),
      });
  }
  return locked;
}

/** 409 while a file import is applying values to this unit and period. */
export const importInProgress = () =>
  new AppError(409, "import_in_progress", {
    vi: "Đang nhập dữ liệu từ tệp vào báo cáo này; vui lòng thử lại sau ít phút.",
    en: "A file import is writing values of this report; try again in a few minutes.",
  });

/**
 * The refusal of a save whose value is locked: the report the person works on is submitted (409 report_submitted)
 * or approved (409 report_locked), another form's report covering the same value is (409 value_locked), or an import
 * is writing there (409 import_in_progress).
 */
export function lockedValueError(locked: LockedValue, ownFormId: number, elementCode: string): AppError {
  if (locked.reason === "import") return importInProgress();
  if (locked.formId === ownFormId)
    return locked.status === "approved"
      ? new AppError(409, "report_locked", {
          vi: "Báo cáo này đã được phê duyệt và khoá; cần người phê duyệt mở khoá trước khi sửa.",
          en: "This report is approved and locked; an approver must unlock it first.",
        })
      : new AppError(409, "report_submitted", {
          vi: "Báo cáo này đã gửi; hãy rút lại (hoặc chờ trả lại) để sửa số liệu.",
          en: "This report is submitted; withdraw it (or have it returned) to change values.",
        });
  const state =
    locked.status === "approved"
      ? { vi: "đã được phê duyệt", en: "approved" }
      : { vi: "đã gửi", en: "submitted" };
  return new AppError(
    409,
    "value_locked",
    {
      vi: `Chỉ tiêu ${elementCode} cũng nằm trong biểu ${locked.formCode} của đơn vị kỳ này, báo cáo đó ${state.vi} nên giá trị đã bị khoá.`,
      en: `${elementCode} is also on form ${locked.formCode} for this unit and period, whose report is ${state.en}; the value is locked.`,
    },
    { element: elementCode, form: locked.formCode, status: locked.status },
  );
}

/**
 * Locks (unit version, period) for a report transition: waits for writers in flight to commit, keeps new ones out
 * until the transition commits, and refuses while an import is applying values there.
 */
export async function lockValueSetForTransition(
  tx: DbOrTx,
  unitVersionId: number,
  period: string,
): Promise<void> {
  const [set] = await lockSets(
    tx,
    sql`SELECT ${unitVersionId}::bigint AS unit_version_id, ${period}::text AS period`,
    "update",
    1,
  );
  if (set?.import_id !== null && set?.import_id !== undefined) throw importInProgress();
}
