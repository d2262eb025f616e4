import { eq, sql } from "drizzle-orm";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { inBackground } from "../../db/turns.ts";
import { AppError } from "../../http/errors.ts";
import { hasForbiddenCharacter } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { subtreeCodes } from "../access/scope.ts";
import { unitVersionsOn } from "../units/queries.ts";
import { todayInVietnam } from "../units/text.ts";
import type { FormElementView } from "./catalogue.ts";
import { actorId, parseValue, rangeProblem } from "./entry.ts";
import { isOpen, type Period, parsePeriod } from "./periods.ts";
import { dataElements, formElements, forms, formUnits } from "./schema.ts";
import { type LockedValue, lockValuesForWrite } from "./value-locks.ts";

/** One value to import, wherever it came from (CSV, Excel, DHIS2 JSON, demo content). */
export interface ImportRow {
  /** Where the row came from, for error messages: a line or row number. */
  row: number;
  element: string;
  unit: string;
  period: string;
  value: unknown;
  comment?: string | null;
  /** How the source names each field's column ("D (ROAD_KM_TOTAL)", "orgUnit"), for error messages. */
  columns?: Partial<Record<ImportRowError["field"], string>>;
}

export interface ImportRowError {
  row: number;
  /** The column as the file names it. */
  column: string;
  field: "element" | "unit" | "period" | "value" | "comment";
  /** In English (API clients, the CLI) and in Vietnamese (the web app). */
  message: string;
  messageVi: string;
}

export interface ImportResult {
  rows: number;
  /** Values written (new or changed). */
  written: number;
  /** Values that were already exactly so. */
  unchanged: number;
  dryRun: boolean;
}

/** Called after each applied chunk; the import waits for a promise it returns (tests use it to act in between). */
export type ValueImportProgress = (done: number, total: number) => void | Promise<void>;

/** Rows as a list, or as a stream read from a file while the import runs (memory bounded by one batch). */
export type ImportRows = Iterable<ImportRow> | AsyncIterable<ImportRow>;

export interface ImportOptions {
  dryRun?: boolean;
  onProgress?: ValueImportProgress;
  /** Rows checked and staged per statement (default 5,000). */
  batchSize?: number;
  /**
   * Values written per transaction while applying (default 2,000): each is short, so that on the embedded database
   * (one connection) other requests get through in between.
   */
  chunkSize?: number;
}

/** At most this many bad rows are listed in the answer (all are counted). */
const maxListedErrors = 500;

interface Placement {
  formId: number;
  periodType: Period["type"];
  units: Set<string>;
}

interface StagedRow {
  seq: number;
  source_row: number;
  element_id: number;
  element_code: string;
  unit_version_id: number;
  unit_code: string;
  period: string;
  form_id: number;
  value: string;
  numeric_value: number | null;
  comment: string | null;
  has_comment: boolean;
  value_column: string;
}

/** Thrown inside a transaction to roll it back while handing out what it found. */
class Rollback extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super("rollback");
  }
}

/** Bad rows found so far: counted all, listed up to maxListedErrors, sorted by row when reported. */
class RowErrors {
  readonly listed: ImportRowError[] = [];
  count = 0;
  add(error: ImportRowError) {
    this.count++;
    if (this.listed.length < maxListedErrors) this.listed.push(error);
  }
  refusal(): AppError {
    const errors = [...this.listed].sort((a, b) => a.row - b.row).slice(0, maxListedErrors);
    return new AppError(
      400,
      "import_invalid",
      {
        vi: `${this.count} dòng sai; chưa nhập giá trị nào.`,
        en: `${this.count} bad row(s); nothing was imported.`,
      },
      { errors, count: this.count },
    );
  }
}

/**
 * Rows in batches of `size`. Every 500 rows it lets the event loop run: a streamed workbook hands rows over through
 * promises only, which would otherwise keep the server from answering anyone until a whole batch is read.
 */
async function* batches<T>(rows: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Imports values all or nothing, set-wise, without holding the database for long:
 *
 * 1. The rows are read as they come (a file is streamed) and checked in batches against the catalogue, the forms,
 *    the importer's scope and the value types; good rows go to a staging table (value_import_rows), bad ones are
 *    named (row, column, Vietnamese and English), each with the value it replaces as it is now. Short statements:
 *    other requests run in between.
 * 2. Duplicates (one value twice) and locked values (a submitted or approved report of any form covers it, see
 *    value-locks.ts) are found in SQL. Any bad row: nothing is written, every bad row is named (400).
 * 3. One short transaction re-checks the locks and claims the (unit, period) sets under lock; from then
 *    on other writers and report transitions there answer 409 until the import ends, so nothing can approve a report
 *    half-way through the import or change a value the import would overwrite.
 * 4. A replaced value that changed between staging and the claim is read again (one statement), then the values are
 *    written in short transactions of `chunkSize`, each with an audit event per changed value, then
 *    the claims are released. If the import stops half-way (an error, the process dies), what it wrote is undone from
 *    the staging rows (here, or by `recoverInterruptedImports` at the next start), so the outcome is all or nothing.
 *
 * An audit event per changed value, not one per import: a value's history (valueHistory) reads its own events, and
 * an import is one of the ways a value changes; the events are written set-wise, one statement per chunk.
 */
export function importDataValues(
  db: Db,
  ctx: RequestContext,
  rows: ImportRows,
  options: ImportOptions = {},
): Promise<ImportResult> {
  // Background work: on the embedded database, other requests' statements go first (src/db/turns.ts).
  return inBackground(async () => {
    try {
      return await runImport(db, ctx, rows, options);
    } finally {
      // The staging rows are deleted when an import ends; their space is taken back at once, because the embedded
      // database has no autovacuum: left dead, every later import scanned them all again (each import's checks and
      // ANALYZE read the whole table).
      await db.execute(sql`VACUUM value_import_rows`).catch(() => {});
    }
  });
}

async function runImport(
  db: Db,
  ctx: RequestContext,
  rows: ImportRows,
  options: ImportOptions,
): Promise<ImportResult> {
  await recoverInterruptedImports(db, { staleAfterSeconds: 120 });
  const [created] = rowsOf<{ id: string | number }>(
    await db.execute(sql`INSERT INTO value_imports (actor_id) VALUES (${actorId(ctx.actor)}) RETURNING id`),
  );
  const importId = Number(created?.id);
  try {
    const errors = new RowErrors();
    const { read: total, staged } = await stage(db, ctx, importId, rows, errors, options.batchSize ?? 5000);
    // Fresh statistics of the staging table, or the planner joins 100,000 staged rows as if they were a handful. A
    // small sample is enough for row counts and keys, and keeps this statement short (it holds the embedded database).
    await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL default_statistics_target = 10`);
      await tx.execute(sql`ANALYZE value_import_rows`);
    });
    await duplicateErrors(db, importId, errors);
    const claimed = await claim(db, importId, staged, errors, Boolean(options.dryRun));
    if (!claimed) {
      await discard(db, importId, errors.count ? "failed" : "done");
      if (errors.count) throw errors.refusal();
      return { rows: total, written: 0, unchanged: 0, dryRun: true };
    }
    const written = await apply(db, ctx, importId, claimed.lastSeq, options);
    await finish(db, importId);
    return { rows: total, written, unchanged: claimed.rows - written, dryRun: false };
  } catch (err) {
    await undo(db, importId);
    throw err;
  }
}

/** Step 1: check each row and stage the good ones; answers how many rows were read and how many staged. */
async function stage(
  db: Db,
  ctx: RequestContext,
  importId: number,
  rows: ImportRows,
  errors: RowErrors,
  batchSize: number,
): Promise<{ read: number; staged: number }> {
  const today = todayInVietnam();
  const elementByCode = new Map((await db.select().from(dataElements)).map((e) => [e.code, e]));
  const placementRows = await db
    .select({ elementId: formElements.elementId, formId: forms.id, periodType: forms.periodType })
    .from(formElements)
    .innerJoin(forms, eq(forms.id, formElements.formId));
  const unitsByForm = new Map<number, Set<string>>();
  for (const r of await db.select().from(formUnits)) {
    const set = unitsByForm.get(r.formId) ?? new Set<string>();
    set.add(r.unitCode);
    unitsByForm.set(r.formId, set);
  }
  const placements = new Map<number, Placement[]>();
  for (const p of placementRows) {
    const list = placements.get(p.elementId) ?? [];
    list.push({ formId: p.formId, periodType: p.periodType, units: unitsByForm.get(p.formId) ?? new Set() });
    placements.set(p.elementId, list);
  }
  const actor = ctx.actor;
  const scope: Set<string> | null =
    actor.kind === "system"
      ? null
      : actor.kind === "anonymous"
        ? new Set()
        : actor.scope === null
          ? actor.role === "system_admin"
            ? null
            : new Set()
          : await subtreeCodes(db, actor.scope);
  const versions = new Map<string, number | null>();
  let seq = 0;
  let read = 0;

  for await (const batch of batches(rows, batchSize)) {
    read += batch.length;
    const checked: Array<{ row: ImportRow; period: Period; element: typeof dataElements.$inferSelect }> = [];
    const at = (row: ImportRow, field: ImportRowError["field"]) => ({
      row: row.row,
      field,
      column: row.columns?.[field] ?? field,
    });
    for (const row of batch) {
      const bad = (field: ImportRowError["field"], en: string, vi: string) =>
        errors.add({ ...at(row, field), message: en, messageVi: vi });
      const controlled = (["element", "unit", "period", "value", "comment"] as const).find((field) => {
        const v = field === "comment" ? row.comment : row[field];
        return typeof v === "string" && hasForbiddenCharacter(v, field === "value" || field === "comment");
      });
      if (controlled) {
        bad(
          controlled,
          "contains a control character (NUL, …) or broken Unicode",
          "có ký tự điều khiển (NUL, …) hoặc ký tự Unicode hỏng",
        );
        continue;
      }
      const element = elementByCode.get(row.element);
      if (!element) {
        bad(
          "element",
          `unknown data element "${row.element}"`,
          `không có chỉ tiêu dữ liệu "${row.element}" trong danh mục`,
        );
        continue;
      }
      const period = parsePeriod(String(row.period));
      if (!period) {
        bad(
          "period",
          `"${row.period}" is not a period code (2025, 2025Q3, 202507…)`,
          `"${row.period}" không phải mã kỳ báo cáo (2025, 2025Q3, 202507…)`,
        );
        continue;
      }
      if (!isOpen(period, today)) {
        bad("period", `${period.code} is not open yet`, `kỳ ${period.code} chưa mở`);
        continue;
      }
      // Scope first: of a unit outside it, the importer learns nothing (not even which forms it reports).
      if (scope && !scope.has(row.unit)) {
        bad("unit", `unit ${row.unit} is outside your scope`, `đơn vị ${row.unit} nằm ngoài phạm vi của bạn`);
        continue;
      }
      checked.push({ row, period, element });
    }
    // Unit versions of the batch, one query per period end.
    const missing = new Map<string, Set<string>>();
    for (const { row, period } of checked)
      if (!versions.has(`${row.unit}@${period.end}`)) {
        const set = missing.get(period.end) ?? new Set<string>();
        set.add(row.unit);
        missing.set(period.end, set);
      }
    for (const [end, codes] of missing) {
      const found = await unitVersionsOn(db, [...codes], end);
      const byCode = new Map(found.map((v) => [v.code, v.id]));
      for (const code of codes) versions.set(`${code}@${end}`, byCode.get(code) ?? null);
    }
    const staged: StagedRow[] = [];
    for (const { row, period, element } of checked) {
      const bad = (field: ImportRowError["field"], en: string, vi: string) =>
        errors.add({ ...at(row, field), message: en, messageVi: vi });
      const placement = placements
        .get(element.id)
        ?.find((p) => p.periodType === period.type && p.units.has(row.unit));
      if (!placement) {
        bad(
          "unit",
          `unit ${row.unit} reports no ${period.type} form with ${element.code}`,
          `đơn vị ${row.unit} không báo cáo biểu mẫu nào có ${element.code} cho loại kỳ này`,
        );
        continue;
      }
      const unitVersionId = versions.get(`${row.unit}@${period.end}`);
      if (!unitVersionId) {
        bad(
          "unit",
          `no unit had code ${row.unit} at the end of ${period.code}`,
          `không có đơn vị nào mang mã ${row.unit} vào cuối kỳ ${period.code}`,
        );
        continue;
      }
      const view: FormElementView = {
        code: element.code,
        nameVi: element.nameVi,
        nameEn: element.nameEn,
        valueType: element.valueType,
        unitOfMeasure: element.unitOfMeasure,
      };
      let parsed: { value: string; numeric: number | null };
      try {
        parsed = parseValue(view, row.value);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        bad("value", err.messages.en, err.messages.vi);
        continue;
      }
      const outOfRange = rangeProblem(view, parsed.numeric);
      if (outOfRange) {
        bad("value", outOfRange.message, outOfRange.messageVi);
        continue;
      }
      const hasComment = row.comment !== undefined && row.comment !== null;
      staged.push({
        seq: ++seq,
        source_row: row.row,
        element_id: element.id,
        element_code: element.code,
        unit_version_id: unitVersionId,
        unit_code: row.unit,
        period: period.code,
        form_id: placement.formId,
        value: parsed.value,
        numeric_value: parsed.numeric,
        comment: hasComment ? String(row.comment).trim() || null : null,
        has_comment: hasComment,
        value_column: row.columns?.value ?? "value",
      });
    }
    // Staged even after a bad row, so that duplicates and locked values among the rest are named too.
    if (staged.length) await stageRows(db, importId, staged);
    await db.execute(sql`UPDATE value_imports SET heartbeat_at = now() WHERE id = ${importId}`);
  }
  return { read, staged: seq };
}

/**
 * The values a staged row replaces, its next version and whether it changes anything, read from the current value
 * `d` and tombstone `t` (a value typed again after it was cleared continues from the cleared one's version).
 */
const replaced = (r: string) =>
  sql.raw(`d.id IS NOT NULL, d.value, d.numeric_value, d.comment, d.version,
    CASE WHEN d.id IS NOT NULL THEN d.version + 1 ELSE coalesce(t.version, 0) + 1 END,
    d.id IS NULL OR d.value IS DISTINCT FROM ${r}.value OR (${r}.has_comment AND d.comment IS DISTINCT FROM ${r}.comment)`);
const currentOf = (r: string) =>
  sql.raw(`LEFT JOIN data_values d ON d.element_id = ${r}.element_id AND d.unit_version_id = ${r}.unit_version_id
      AND d.period = ${r}.period
    LEFT JOIN data_value_tombstones t ON t.element_id = ${r}.element_id AND t.unit_version_id = ${r}.unit_version_id
      AND t.period = ${r}.period`);

/** One statement per batch: the rows, with what they replace as it is now (checked again under the claim). */
async function stageRows(db: DbOrTx, importId: number, rows: StagedRow[]) {
  await db.execute(sql`
    INSERT INTO value_import_rows (import_id, seq, source_row, element_id, element_code, unit_version_id, unit_code,
      period, form_id, value, numeric_value, comment, has_comment, value_column,
      had_before, before_value, before_numeric, before_comment, before_version, new_version, changed)
    SELECT ${importId}, r.seq, r.source_row, r.element_id, r.element_code, r.unit_version_id, r.unit_code, r.period,
      r.form_id, r.value, r.numeric_value, r.comment, r.has_comment, r.value_column, ${replaced("r")}
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(seq integer, source_row integer, element_id bigint,
      element_code text, unit_version_id bigint, unit_code text, period text, form_id bigint, value text,
      numeric_value numeric, comment text, has_comment boolean, value_column text)
    ${currentOf("r")}`);
}

/** Step 2a: the same element, unit and period twice in one file. */
async function duplicateErrors(db: Db, importId: number, errors: RowErrors) {
  const rows = rowsOf<{ source_row: number; value_column: string; first_row: number }>(
    await db.execute(sql`
      WITH firsts AS (
        SELECT element_id, unit_version_id, period, min(seq) AS seq FROM value_import_rows
        WHERE import_id = ${importId} GROUP BY 1, 2, 3 HAVING count(*) > 1)
      SELECT a.source_row, a.value_column, b.source_row AS first_row
      FROM value_import_rows a
      JOIN firsts f ON f.element_id = a.element_id AND f.unit_version_id = a.unit_version_id AND f.period = a.period
      JOIN value_import_rows b ON b.import_id = ${importId} AND b.seq = f.seq
      WHERE a.import_id = ${importId} AND a.seq <> f.seq
      ORDER BY a.seq LIMIT ${maxListedErrors}`),
  );
  for (const r of rows)
    errors.add({
      row: Number(r.source_row),
      column: r.value_column,
      field: "value",
      message: `same element, unit and period as row ${r.first_row}`,
      messageVi: `trùng chỉ tiêu, đơn vị và kỳ với dòng ${r.first_row}`,
    });
}

/** Bad rows for values the guard found locked (the staging rows it names by seq). */
async function lockedErrors(tx: DbOrTx, importId: number, locked: LockedValue[]): Promise<ImportRowError[]> {
  if (locked.length === 0) return [];
  const bySeq = new Map(locked.map((l) => [l.seq, l]));
  const seqs = [...bySeq.keys()].filter((s): s is number => s !== null).slice(0, maxListedErrors);
  const rows = rowsOf<{
    seq: number;
    source_row: number;
    value_column: string;
    unit_code: string;
    period: string;
  }>(
    await tx.execute(sql`
      SELECT seq, source_row, value_column, unit_code, period FROM value_import_rows
      WHERE import_id = ${importId} AND seq IN (${sql.join(seqs, sql`, `)})`),
  );
  return rows.map((r) => {
    const l = bySeq.get(Number(r.seq));
    const base = { row: Number(r.source_row), column: r.value_column, field: "value" as const };
    if (l?.reason === "import")
      return {
        ...base,
        message: `another import is writing the values of ${r.unit_code} for ${r.period}; try again later`,
        messageVi: `một lần nhập khác đang ghi số liệu của ${r.unit_code} kỳ ${r.period}; hãy thử lại sau`,
      };
    const approved = l?.status === "approved";
    return {
      ...base,
      message: `the report of ${r.unit_code} for ${r.period} (form ${l?.formCode}) is ${approved ? "approved" : "submitted"}; its values are locked`,
      messageVi: `báo cáo của ${r.unit_code} kỳ ${r.period} (biểu ${l?.formCode}) ${approved ? "đã được phê duyệt" : "đã gửi"}; số liệu đã khoá`,
    };
  });
}

/**
 * Step 2b and 3: under the lock of every (unit, period) the import writes, refuses locked values, and — when all is
 * well and this is no dry run — claims the sets. Answers null when nothing is to
 * be written (bad rows, or a dry run), else how many rows are staged and the last seq.
 */
async function claim(
  db: Db,
  importId: number,
  staged: number,
  errors: RowErrors,
  dryRun: boolean,
): Promise<{ rows: number; lastSeq: number } | null> {
  try {
    return await db.transaction(async (tx) => {
      const locked = await lockValuesForWrite(tx, { importId }, { importId, mode: "update" });
      const found = await lockedErrors(tx, importId, locked);
      if (found.length || errors.count || dryRun) throw new Rollback(found);
      await tx.execute(sql`
        UPDATE value_sets v SET import_id = ${importId}
        FROM (SELECT DISTINCT unit_version_id, period FROM value_import_rows WHERE import_id = ${importId}) s
        WHERE v.unit_version_id = s.unit_version_id AND v.period = s.period`);
      // The staged rows are numbered 1…staged (seq), every one of them kept.
      await tx.execute(sql`
        UPDATE value_imports SET status = 'applying', rows = ${staged}, heartbeat_at = now() WHERE id = ${importId}`);
      return { rows: staged, lastSeq: staged };
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    for (const e of err.errors) errors.add(e);
    return null;
  }
}

const auditActor = (ctx: RequestContext) => ({
  kind: ctx.actor.kind === "anonymous" ? "system" : ctx.actor.kind,
  id: ctx.actor.kind === "anonymous" ? "anonymous" : ctx.actor.id,
});

/** Step 4: writes the changed values, `chunkSize` per short transaction, each with its audit events. */
async function apply(
  db: Db,
  ctx: RequestContext,
  importId: number,
  lastSeq: number,
  options: ImportOptions,
): Promise<number> {
  const chunk = options.chunkSize ?? 2000;
  const by = actorId(ctx.actor);
  const actor = auditActor(ctx);
  let written = 0;
  // The values replaced were read while staging; a value saved between then and the claim is read again, once for
  // the whole import (after the claim nobody else writes these sets, so what is read now stays true until the end).
  // One set-wise statement rather than a check per chunk.
  const stale = sql`SELECT s.seq FROM value_import_rows s
    LEFT JOIN data_values d ON d.element_id = s.element_id AND d.unit_version_id = s.unit_version_id
      AND d.period = s.period
    WHERE s.import_id = ${importId} AND d.version IS DISTINCT FROM s.before_version`;
  if (rowsOf(await db.execute(sql`${stale} LIMIT 1`)).length)
    await db.execute(sql`
      UPDATE value_import_rows u SET (had_before, before_value, before_numeric, before_comment, before_version,
        new_version, changed) = (SELECT ${replaced("s")} FROM value_import_rows s ${currentOf("s")}
          WHERE s.import_id = u.import_id AND s.seq = u.seq)
      WHERE u.import_id = ${importId} AND u.seq IN (${stale})`);
  for (let from = 0; from < lastSeq; from += chunk) {
    const to = Math.min(from + chunk, lastSeq);
    written += await db.transaction(async (tx) => {
      // An import that was taken for dead and undone (no heartbeat for minutes) must not carry on without its claim.
      const [self] = rowsOf<{ status: string }>(
        await tx.execute(sql`SELECT status FROM value_imports WHERE id = ${importId} FOR UPDATE`),
      );
      if (self?.status !== "applying")
        throw new AppError(409, "import_stopped", {
          vi: "Lần nhập này đã bị dừng và hoàn tác vì quá lâu không tiến triển; hãy nhập lại tệp.",
          en: "This import was stopped and undone because it made no progress for too long; import the file again.",
        });
      // One statement: the values and their audit events, from the chunk's staging rows.
      const inserted = rowsOf<{ n: string | number }>(
        await tx.execute(sql`
          WITH s AS (
            SELECT * FROM value_import_rows
            WHERE import_id = ${importId} AND seq > ${from} AND seq <= ${to} AND changed),
          w AS (
            INSERT INTO data_values (element_id, unit_version_id, period, value, numeric_value, comment, updated_by,
              updated_at, version)
            SELECT s.element_id, s.unit_version_id, s.period, s.value, s.numeric_value,
              CASE WHEN s.has_comment THEN s.comment ELSE s.before_comment END, ${by}, now(), s.new_version
            FROM s ORDER BY s.element_id, s.unit_version_id, s.period
            ON CONFLICT (element_id, unit_version_id, period) DO UPDATE SET value = excluded.value,
              numeric_value = excluded.numeric_value, comment = excluded.comment, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at, version = excluded.version
            RETURNING 1),
          a AS (
            INSERT INTO audit_events (actor_kind, actor_id, action, record_kind, record_id, unit_code, before, after,
              request_id)
            SELECT ${actor.kind}, ${actor.id}, 'data.import', 'data_value',
              s.element_code || '/' || s.unit_code || '/' || s.period, s.unit_code,
              CASE WHEN s.had_before THEN jsonb_build_object('value', s.before_value, 'comment', s.before_comment,
                'version', s.before_version) END,
              jsonb_build_object('value', s.value,
                'comment', CASE WHEN s.has_comment THEN s.comment ELSE s.before_comment END, 'version', s.new_version),
              ${ctx.requestId}
            FROM s ORDER BY s.seq
            RETURNING 1)
          SELECT (SELECT count(*) FROM w) AS n, (SELECT count(*) FROM a) AS audited`),
      );
      await tx.execute(sql`
        UPDATE value_imports SET applied_through = ${to}, heartbeat_at = now() WHERE id = ${importId}`);
      return Number(inserted[0]?.n ?? 0);
    });
    await options.onProgress?.(to, lastSeq);
  }
  return written;
}

/** Step 5: the reports exist as drafts, the claims are released, the staging rows go. */
async function finish(db: Db, importId: number) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO reports (form_id, unit_version_id, period)
      SELECT DISTINCT form_id, unit_version_id, period FROM value_import_rows WHERE import_id = ${importId}
      ORDER BY 1, 2, 3
      ON CONFLICT DO NOTHING`);
    await tx.execute(sql`UPDATE value_sets SET import_id = NULL WHERE import_id = ${importId}`);
    await tx.execute(
      sql`UPDATE value_imports SET status = 'done', heartbeat_at = now() WHERE id = ${importId}`,
    );
    await tx.execute(sql`DELETE FROM value_import_rows WHERE import_id = ${importId}`);
  });
}

async function discard(db: DbOrTx, importId: number, status: "done" | "failed") {
  await db.execute(sql`DELETE FROM value_import_rows WHERE import_id = ${importId}`);
  await db.execute(sql`UPDATE value_imports SET status = ${status} WHERE id = ${importId}`);
}

/**
 * Undoes what an import that stopped half-way wrote (values back as they were, with new versions and audit events;
 * values it added are deleted), releases its claims and drops its staging rows. Nothing to do for a finished import.
 */
async function undo(db: Db, importId: number) {
  await db.transaction(async (tx) => {
    const [imp] = rowsOf<{ status: string; applied_through: number; actor_id: string }>(
      await tx.execute(
        sql`SELECT status, applied_through, actor_id FROM value_imports WHERE id = ${importId} FOR UPDATE`,
      ),
    );
    if (!imp || imp.status === "done" || imp.status === "failed") return;
    const through = Number(imp.applied_through);
    if (imp.status === "applying" && through > 0) {
      const applied = sql`s.import_id = ${importId} AND s.seq <= ${through} AND s.changed`;
      await tx.execute(sql`
        INSERT INTO audit_events (actor_kind, actor_id, action, record_kind, record_id, unit_code, before, after, reason)
        SELECT 'system', 'import-undo', 'data.import.undo', 'data_value',
          s.element_code || '/' || s.unit_code || '/' || s.period, s.unit_code,
          jsonb_build_object('value', d.value, 'comment', d.comment, 'version', d.version),
          CASE WHEN s.had_before THEN jsonb_build_object('value', s.before_value, 'comment', s.before_comment,
            'version', d.version + 1) END,
          ${`import ${importId} by ${imp.actor_id} stopped before it finished`}
        FROM value_import_rows s JOIN data_values d ON d.element_id = s.element_id
          AND d.unit_version_id = s.unit_version_id AND d.period = s.period
        WHERE ${applied}`);
      await tx.execute(sql`
        UPDATE data_values d SET value = s.before_value, numeric_value = s.before_numeric, comment = s.before_comment,
          updated_at = now(), version = d.version + 1
        FROM value_import_rows s
        WHERE ${applied} AND s.had_before AND d.element_id = s.element_id AND d.unit_version_id = s.unit_version_id
          AND d.period = s.period`);
      await tx.execute(sql`
        DELETE FROM data_values d USING value_import_rows s
        WHERE ${applied} AND NOT s.had_before AND d.element_id = s.element_id
          AND d.unit_version_id = s.unit_version_id AND d.period = s.period`);
    }
    await tx.execute(sql`UPDATE value_sets SET import_id = NULL WHERE import_id = ${importId}`);
    await tx.execute(sql`DELETE FROM value_import_rows WHERE import_id = ${importId}`);
    await tx.execute(sql`UPDATE value_imports SET status = 'failed' WHERE id = ${importId}`);
  });
}

/**
 * Undoes imports that stopped without finishing: those not heard of for `staleAfterSeconds` (several servers on one
 * PostgreSQL), or all unfinished ones (0: the embedded database, which one process owns, at start).
 */
export async function recoverInterruptedImports(
  db: Db,
  options: { staleAfterSeconds: number },
): Promise<number> {
  const stale = rowsOf<{ id: string | number }>(
    await db.execute(sql`
      SELECT id FROM value_imports WHERE status IN ('staging', 'applying')
        AND heartbeat_at <= now() - make_interval(secs => ${options.staleAfterSeconds})`),
  );
  for (const { id } of stale) await undo(db, Number(id));
  return stale.length;
}
