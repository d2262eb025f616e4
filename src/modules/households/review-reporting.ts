import { sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.ts";
import { conflict } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit, recordAuditMany } from "../audit/record.ts";
import { lockedValueError, lockValuesForWrite } from "../reporting/value-locks.ts";
import { actorIdOf } from "./common.ts";

/**
 * The poverty review's figures in reporting: a system form whose report for (commune, year) is approved when the
 * review is approved, so the counts reach dashboards, standards and the pivot like any reported figure, and the lock
 * of an approved report keeps every other form (and import) from overwriting them.
 */
export const POVERTY_FORM = "POVERTY_REVIEW";

const elements = [
  { code: "HH_TOTAL", vi: "Tổng số hộ", en: "Households", uom: "hộ" },
  { code: "HH_POOR", vi: "Số hộ nghèo", en: "Poor households", uom: "hộ" },
  { code: "HH_NEAR_POOR", vi: "Số hộ cận nghèo", en: "Near-poor households", uom: "hộ" },
] as const;

const indicators = [
  { code: "POVERTY_RATE", vi: "Tỷ lệ hộ nghèo", en: "Poverty rate", num: "#{HH_POOR}" },
  { code: "NEAR_POVERTY_RATE", vi: "Tỷ lệ hộ cận nghèo", en: "Near-poverty rate", num: "#{HH_NEAR_POOR}" },
] as const;

/** Creates what is missing of the catalogue entries and the system form (a catalogue with them already is kept). */
async function ensureCatalogue(tx: DbOrTx, ctx: RequestContext): Promise<number> {
  for (const e of elements) {
    const made = rowsOf<{ id: number }>(
      await tx.execute(sql`INSERT INTO data_elements (code, name_vi, name_en, value_type, unit_of_measure, aggregation)
        VALUES (${e.code}, ${e.vi}, ${e.en}, 'integer', ${e.uom}, 'sum') ON CONFLICT (code) DO NOTHING RETURNING id`),
    );
    if (made[0])
      await recordAudit(tx, ctx, {
        action: "catalogue.create",
        recordKind: "data_element",
        recordId: e.code,
        after: e,
      });
  }
  for (const i of indicators) {
    const made = rowsOf<{ id: number }>(
      await tx.execute(sql`INSERT INTO indicators (code, name_vi, name_en, numerator, denominator, factor, decimals, higher_is_better)
        SELECT ${i.code}, ${i.vi}, ${i.en}, ${i.num}, '#{HH_TOTAL}', 100, 2, false
        WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE replace(numerator, ' ', '') = ${i.num}
          AND replace(denominator, ' ', '') = '#{HH_TOTAL}')
        ON CONFLICT (code) DO NOTHING RETURNING id`),
    );
    if (made[0])
      await recordAudit(tx, ctx, {
        action: "catalogue.create",
        recordKind: "indicator",
        recordId: i.code,
        after: i,
      });
  }
  const [existing] = rowsOf<{ id: string | number }>(
    await tx.execute(sql`SELECT id FROM forms WHERE code = ${POVERTY_FORM}`),
  );
  if (existing) return Number(existing.id);
  const [form] = rowsOf<{ id: string | number }>(
    await tx.execute(sql`INSERT INTO forms (code, name_vi, name_en, period_type, deadline_days)
      VALUES (${POVERTY_FORM}, 'Kết quả rà soát hộ nghèo, hộ cận nghèo (hệ thống)',
        'Poor and near-poor household review results (system)', 'yearly', 31) RETURNING id`),
  );
  const formId = Number(form?.id);
  const [section] = rowsOf<{ id: string | number }>(
    await tx.execute(sql`INSERT INTO form_sections (form_id, position, name_vi, name_en)
      VALUES (${formId}, 1, 'Kết quả rà soát', 'Review results') RETURNING id`),
  );
  await tx.execute(sql`INSERT INTO form_elements (section_id, form_id, element_id, position)
    SELECT ${Number(section?.id)}, ${formId}, id, array_position(${`{${elements.map((e) => e.code).join(",")}}`}::text[], code)
    FROM data_elements WHERE code = ANY(${`{${elements.map((e) => e.code).join(",")}}`}::text[])`);
  await recordAudit(tx, ctx, { action: "catalogue.create", recordKind: "form", recordId: POVERTY_FORM });
  return formId;
}

interface Counts {
  HH_TOTAL: number;
  HH_POOR: number;
  HH_NEAR_POOR: number;
}

/**
 * Inside the review's approving transaction: refuses when another approved report already holds one of these values
 * (no review overwrites an approved report), then writes the three counts and approves the system report, auditing
 * each value as a data save so its history shows where it came from.
 */
export async function writeReviewFigures(
  tx: DbOrTx,
  ctx: RequestContext,
  target: { communeCode: string; versionId: number; year: number; reviewId: number },
  counts: Counts,
): Promise<void> {
  const formId = await ensureCatalogue(tx, ctx);
  const period = String(target.year);
  await tx.execute(sql`INSERT INTO form_units (form_id, unit_code) VALUES (${formId}, ${target.communeCode})
    ON CONFLICT DO NOTHING`);
  const codes = `{${elements.map((e) => e.code).join(",")}}`;
  // Every report of another form holding these elements for the unit and year, locked so none is approved meanwhile.
  const holders = rowsOf<{ code: string; status: string }>(
    await tx.execute(sql`
      SELECT f.code, r.status FROM reports r JOIN forms f ON f.id = r.form_id
      WHERE r.unit_version_id = ${target.versionId} AND r.period = ${period} AND r.form_id <> ${formId}
        AND EXISTS (SELECT 1 FROM form_elements fe JOIN data_elements de ON de.id = fe.element_id
          WHERE fe.form_id = r.form_id AND de.code = ANY(${codes}::text[]))
      FOR UPDATE OF r`),
  );
  const locked = holders.filter((h) => h.status === "approved");
  if (locked[0])
    throw conflict(
      "report_locked",
      {
        vi: `Báo cáo ${locked[0].code} năm ${period} của xã đã được duyệt và khoá các số hộ; cần mở khoá báo cáo đó trước khi duyệt rà soát.`,
        en: `Report ${locked[0].code} for ${period} is approved and locks the household counts; it must be unlocked before the review is approved.`,
      },
      { form: locked[0].code },
    );
  // The one rule every writer of values follows (reporting/value-locks.ts): not while a file import is applying
  // values to this commune and year, nor over a value another form's submitted or approved report covers.
  const ids = rowsOf<{ id: string | number; code: string }>(
    await tx.execute(sql`SELECT id, code FROM data_elements WHERE code = ANY(${codes}::text[])`),
  );
  const lockedValues = (
    await lockValuesForWrite(tx, {
      keys: ids.map((e) => ({ elementId: Number(e.id), unitVersionId: target.versionId, period })),
    })
  ).filter((l) => l.formId !== formId);
  if (lockedValues[0]) {
    const first = lockedValues[0];
    throw lockedValueError(first, formId, ids.find((e) => Number(e.id) === first.elementId)?.code ?? "");
  }
  const by = actorIdOf(ctx.actor);
  const before = rowsOf<{ code: string; value: string; version: number }>(
    await tx.execute(sql`
      SELECT de.code, dv.value, dv.version FROM data_values dv JOIN data_elements de ON de.id = dv.element_id
      WHERE dv.unit_version_id = ${target.versionId} AND dv.period = ${period} AND de.code = ANY(${codes}::text[])
      FOR UPDATE OF dv`),
  );
  for (const e of elements) {
    const value = counts[e.code];
    await tx.execute(sql`
      INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, comment, updated_by)
      SELECT id, ${target.versionId}, ${period}, ${String(value)}, ${value}, ${`poverty review ${target.reviewId}`}, ${by}
      FROM data_elements WHERE code = ${e.code}
      ON CONFLICT (element_id, unit_version_id, period) DO UPDATE SET value = EXCLUDED.value,
        numeric_value = EXCLUDED.numeric_value, comment = EXCLUDED.comment, updated_by = EXCLUDED.updated_by,
        updated_at = now(), version = data_values.version + 1`);
  }
  await recordAuditMany(
    tx,
    ctx,
    elements.map((e) => {
      const old = before.find((b) => b.code === e.code);
      return {
        action: "data.save",
        recordKind: "data_value",
        recordId: `${e.code}/${target.communeCode}/${period}`,
        unitCode: target.communeCode,
        before: old ? { value: old.value, version: old.version } : null,
        after: { value: String(counts[e.code]), source: `poverty_review:${target.reviewId}` },
      };
    }),
  );
  await tx.execute(sql`
    INSERT INTO reports (form_id, unit_version_id, period, status, submitted_at, submitted_by, decided_at, decided_by)
    VALUES (${formId}, ${target.versionId}, ${period}, 'approved', now(), ${by}, now(), ${by})
    ON CONFLICT (form_id, unit_version_id, period) DO UPDATE SET status = 'approved', decided_at = now(),
      decided_by = EXCLUDED.decided_by, return_reason = NULL, version = reports.version + 1`);
  await recordAudit(tx, ctx, {
    action: "report.approve",
    recordKind: "report",
    recordId: `${POVERTY_FORM}/${target.communeCode}/${period}`,
    unitCode: target.communeCode,
    after: { status: "approved", source: `poverty_review:${target.reviewId}`, counts },
  });
}

/**
 * Reopening the review: the system report is unlocked (returned, with the reason) and the review's figures are
 * withdrawn, so no dashboard shows counts that are no longer approved. Audited value by value.
 */
export async function withdrawReviewFigures(
  tx: DbOrTx,
  ctx: RequestContext,
  target: { communeCode: string; versionId: number; year: number; reviewId: number },
  reason: string,
): Promise<void> {
  const period = String(target.year);
  const codes = `{${elements.map((e) => e.code).join(",")}}`;
  const [own] = rowsOf<{ id: string | number }>(
    await tx.execute(sql`SELECT id FROM forms WHERE code = ${POVERTY_FORM}`),
  );
  const formId = Number(own?.id ?? 0);
  // The one rule every writer of values follows (reporting/value-locks.ts): not while a file import is applying
  // values to this commune and year, nor over a value another form's submitted or approved report covers.
  const ids = rowsOf<{ id: string | number; code: string }>(
    await tx.execute(sql`SELECT id, code FROM data_elements WHERE code = ANY(${codes}::text[])`),
  );
  const lockedValues = (
    await lockValuesForWrite(tx, {
      keys: ids.map((e) => ({ elementId: Number(e.id), unitVersionId: target.versionId, period })),
    })
  ).filter((l) => l.formId !== formId);
  if (lockedValues[0]) {
    const first = lockedValues[0];
    throw lockedValueError(first, formId, ids.find((e) => Number(e.id) === first.elementId)?.code ?? "");
  }
  const removed = rowsOf<{ code: string; value: string; version: number }>(
    await tx.execute(sql`
      DELETE FROM data_values dv USING data_elements de
      WHERE de.id = dv.element_id AND dv.unit_version_id = ${target.versionId} AND dv.period = ${period}
        AND de.code = ANY(${codes}::text[])
      RETURNING de.code, dv.value, dv.version`),
  );
  await recordAuditMany(
    tx,
    ctx,
    removed.map((r) => ({
      action: "data.save",
      recordKind: "data_value",
      recordId: `${r.code}/${target.communeCode}/${period}`,
      unitCode: target.communeCode,
      before: { value: r.value, version: r.version },
      after: null,
      reason,
    })),
  );
  await tx.execute(sql`
    UPDATE reports SET status = 'returned', return_reason = ${reason}, decided_at = now(),
      decided_by = ${actorIdOf(ctx.actor)}, version = version + 1
    WHERE form_id = (SELECT id FROM forms WHERE code = ${POVERTY_FORM})
      AND unit_version_id = ${target.versionId} AND period = ${period}`);
  await recordAudit(tx, ctx, {
    action: "report.unlock",
    recordKind: "report",
    recordId: `${POVERTY_FORM}/${target.communeCode}/${period}`,
    unitCode: target.communeCode,
    before: { status: "approved" },
    after: { status: "returned" },
    reason,
  });
}
