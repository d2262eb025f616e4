import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { type Db, rowsOf, type Tx } from "../../db/client.ts";
import { AppError } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { lineageEdges, referenceImports, unitEvents, unitEventVersions, unitVersions } from "./schema.ts";
import { cleanName, kindFromName, toSearchText, type UnitKind, type UnitLevel } from "./text.ts";

/** The day the two-level local government took effect. */
export const REORGANISATION_DATE = "2025-07-01";
const DATASET = "vn-admin-2025";
/** Law on the Organisation of Local Government 2025: districts ceased to exist on 1 July 2025. */
const DISTRICT_ABOLITION_DOCUMENT = "72/2025/QH15";
/** National Assembly resolution on the arrangement of provincial-level units (63 → 34). */
const PROVINCE_ARRANGEMENT_DOCUMENT = "202/2025/QH15";

export interface ImportRowError {
  file: string;
  /** Line number in the file, the header being line 1. */
  line: number;
  column: string;
  message: string;
}

export type ImportProgress = (stage: string, done: number, total: number) => void;

export interface NameCorrection {
  code: string;
  level: UnitLevel;
  validFrom: string | null;
  validTo: string | null;
  before: { name: string; kind: UnitKind };
  after: { name: string; kind: UnitKind };
}

interface UnitRow {
  level: UnitLevel;
  code: string;
  name: string;
  parentCode: string | null;
  kind: UnitKind;
}
interface EdgeRow {
  level: UnitLevel;
  oldCode: string;
  newCode: string;
  kind: "full" | "partial";
  resolution: string | null;
  clause: string | null;
}

const codePattern: Record<string, RegExp> = {
  province: /^\d{2}$/,
  district: /^\d{3}$/,
  commune: /^\d{5}$/,
};

async function readCsv(folder: string, file: string, columns: string[], errors: ImportRowError[]) {
  const text = await readFile(join(folder, file), "utf8").catch((cause: unknown) => {
    throw new AppError(
      400,
      "import_file_missing",
      { vi: `Không đọc được ${file} trong ${folder}.`, en: `Cannot read ${file} in ${folder}.` },
      {
        file,
        cause: String(cause),
      },
    );
  });
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (cause) {
    errors.push({ file, line: 0, column: "", message: `not valid CSV: ${String(cause)}` });
    return [];
  }
  const header = records[0] ?? [];
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length) {
    errors.push({ file, line: 1, column: missing.join(", "), message: "missing column(s) in the header" });
    return [];
  }
  return records.slice(1).map((record, i) => {
    const row: Record<string, string> = {};
    for (const c of columns) row[c] = (record[header.indexOf(c)] ?? "").trim();
    return { line: i + 2, row };
  });
}

const defaultKind: Record<UnitLevel, UnitKind> = {
  province: "province",
  district: "rural_district",
  commune: "commune",
  village: "village",
};

function parseUnits(
  file: string,
  rows: Array<{ line: number; row: Record<string, string> }>,
  errors: ImportRowError[],
  warnings: ImportRowError[],
) {
  const units = new Map<string, UnitRow & { line: number }>();
  for (const { line, row } of rows) {
    const level = row.level as UnitLevel;
    const code = row.code ?? "";
    const name = cleanName(row.name ?? "");
    const pattern = codePattern[level];
    if (!pattern) {
      errors.push({
        file,
        line,
        column: "level",
        message: `unknown level "${row.level}" (province, district, commune)`,
      });
      continue;
    }
    if (!pattern.test(code)) {
      errors.push({
        file,
        line,
        column: "code",
        message: `"${code}" is not a ${level} code (${pattern.source})`,
      });
      continue;
    }
    if (units.has(code)) {
      errors.push({ file, line, column: "code", message: `code ${code} appears twice` });
      continue;
    }
    if (!name) {
      errors.push({ file, line, column: "name", message: "the name is empty" });
      continue;
    }
    // Names are data: a few in the source do not announce their level ("Huyện Kiên Hải" for a commune).
    // Keep the name, take the level's ordinary kind, and report the repair.
    let kind = kindFromName(name, level);
    if (!kind) {
      kind = defaultKind[level];
      warnings.push({
        file,
        line,
        column: "name",
        message: `"${name}" does not name a ${level}; kind set to ${kind}`,
      });
    }
    units.set(code, { level, code, name, kind, parentCode: row.parent_code || null, line });
  }
  for (const unit of units.values()) {
    const parent = unit.parentCode ? units.get(unit.parentCode) : undefined;
    if (unit.level === "province" && unit.parentCode) {
      errors.push({ file, line: unit.line, column: "parent_code", message: "a province has no parent" });
    } else if (unit.level !== "province" && !parent) {
      errors.push({
        file,
        line: unit.line,
        column: "parent_code",
        message: `parent ${unit.parentCode ?? "(empty)"} is not in ${file}`,
      });
    } else if (parent && parent.level === unit.level) {
      errors.push({
        file,
        line: unit.line,
        column: "parent_code",
        message: `a ${unit.level} cannot sit under a ${parent.level}`,
      });
    }
  }
  return units;
}

export interface ReferenceDataset {
  checksum: string;
  oldUnits: Map<string, UnitRow>;
  newUnits: Map<string, UnitRow>;
  edges: EdgeRow[];
  /** Rows taken with a repair, each saying what was repaired. */
  warnings: ImportRowError[];
}

/** Reads and checks the three CSV files; throws a 400 listing each bad row (file, line, column) and reads nothing in. */
export async function readReferenceDataset(folder: string): Promise<ReferenceDataset> {
  const errors: ImportRowError[] = [];
  const [oldRows, newRows, edgeRows] = await Promise.all([
    readCsv(folder, "old_units.csv", ["level", "code", "name", "parent_code"], errors),
    readCsv(folder, "new_units.csv", ["level", "code", "name", "parent_code"], errors),
    readCsv(folder, "lineage.csv", ["level", "old_code", "new_code", "kind", "resolution", "clause"], errors),
  ]);
  const warnings: ImportRowError[] = [];
  const oldUnits = parseUnits("old_units.csv", oldRows, errors, warnings);
  const newUnits = parseUnits("new_units.csv", newRows, errors, warnings);
  const edges: EdgeRow[] = [];
  const seen = new Set<string>();
  for (const { line, row } of edgeRows) {
    const file = "lineage.csv";
    const oldCode = row.old_code ?? "";
    const newCode = row.new_code ?? "";
    if (!oldUnits.has(oldCode)) {
      errors.push({ file, line, column: "old_code", message: `${oldCode} is not in old_units.csv` });
      continue;
    }
    if (!newUnits.has(newCode)) {
      errors.push({ file, line, column: "new_code", message: `${newCode} is not in new_units.csv` });
      continue;
    }
    if (row.kind !== "full" && row.kind !== "partial") {
      errors.push({ file, line, column: "kind", message: `"${row.kind}" is neither full nor partial` });
      continue;
    }
    if (seen.has(`${oldCode}>${newCode}`)) {
      errors.push({ file, line, column: "new_code", message: `edge ${oldCode} → ${newCode} appears twice` });
      continue;
    }
    seen.add(`${oldCode}>${newCode}`);
    edges.push({
      level: row.level as UnitLevel,
      oldCode,
      newCode,
      kind: row.kind,
      resolution: row.resolution || null,
      // The source marks the new unit's name in bold in some copies of a clause; the clause is the same text.
      clause: row.clause ? row.clause.replaceAll("**", "") : null,
    });
  }
  if (errors.length) {
    throw new AppError(
      400,
      "import_invalid",
      {
        vi: `Bộ dữ liệu có ${errors.length} dòng sai; không nhập gì.`,
        en: `The dataset has ${errors.length} bad row(s); nothing was imported.`,
      },
      {
        errors: errors.slice(0, 200),
      },
    );
  }
  const hash = createHash("sha256");
  for (const rows of [oldRows, newRows, edgeRows]) hash.update(JSON.stringify(rows.map((r) => r.row)));
  return { checksum: hash.digest("hex"), oldUnits, newUnits, edges, warnings };
}

function classify(predecessors: EdgeRow[], oldUnits: Map<string, UnitRow>, successor: UnitRow) {
  const [only] = predecessors;
  if (predecessors.length > 1) return "merge" as const;
  if (!only) return "establish" as const;
  if (only.kind === "partial") return "split" as const;
  return oldUnits.get(only.oldCode)?.name === successor.name ? ("reorganize" as const) : ("rename" as const);
}

async function insertChunked<T>(
  stage: string,
  rows: T[],
  size: number,
  insert: (chunk: T[]) => Promise<unknown>,
  onProgress: ImportProgress,
) {
  for (let i = 0; i < rows.length; i += size) {
    await insert(rows.slice(i, i + size));
    onProgress(stage, Math.min(i + size, rows.length), rows.length);
  }
}

export interface ImportSummary {
  dataset: string;
  checksum: string;
  counts: Record<string, number>;
  /** Rows actually written by this run (0 everywhere when the dataset was already in). */
  written: { versions: number; events: number; edges: number };
  /**
   * Names (and the kinds they announce) of existing versions that the files now spell differently: corrections of the
   * reference data, applied to those versions and audited, not recorded as changes of the map.
   */
  corrected: NameCorrection[];
  warnings: ImportRowError[];
}

/**
 * Loads the 2025 reorganisation dataset: the old three-level units valid until 30 June 2025, the new two-level units
 * from 1 July 2025, one event per new unit (with its resolution and clause) and the lineage edges between them.
 * All in one transaction; running it again writes nothing (rows are keyed by code + start date and source key).
 */
export async function importReferenceUnits(
  db: Db,
  ctx: RequestContext,
  folder: string,
  onProgress: ImportProgress = () => {},
): Promise<ImportSummary> {
  const data = await readReferenceDataset(folder);
  const { oldUnits, newUnits, edges } = data;
  const D = REORGANISATION_DATE;

  return db.transaction(async (tx) => {
    const versionRows = [
      ...[...oldUnits.values()].map((u) => ({ ...u, validFrom: null, validTo: D })),
      ...[...newUnits.values()].map((u) => ({ ...u, validFrom: D, validTo: null })),
    ];
    let written = 0;
    await insertChunked(
      "units",
      versionRows,
      1000,
      async (chunk) => {
        const inserted = await tx
          .insert(unitVersions)
          .values(
            chunk.map((u) => ({
              code: u.code,
              name: u.name,
              searchText: `${toSearchText(u.name)} ${u.code}`,
              level: u.level,
              kind: u.kind,
              parentCode: u.parentCode,
              validFrom: u.validFrom,
              validTo: u.validTo,
            })),
          )
          .onConflictDoNothing()
          .returning({ id: unitVersions.id });
        written += inserted.length;
      },
      onProgress,
    );

    const corrected = await correctNames(tx, ctx, versionRows);

    const idRows = rowsOf<{ id: number | string; code: string; valid_from: string | null }>(
      await tx.execute(
        sql`SELECT id, code, valid_from::text AS valid_from FROM unit_versions WHERE valid_from IS NULL OR valid_from = ${D}::date`,
      ),
    );
    const oldIds = new Map<string, number>();
    const newIds = new Map<string, number>();
    for (const r of idRows) (r.valid_from === null ? oldIds : newIds).set(r.code, Number(r.id));

    // One event per new unit, keyed so that a second import finds it.
    const bySuccessor = new Map<string, EdgeRow[]>();
    for (const e of edges) bySuccessor.set(e.newCode, [...(bySuccessor.get(e.newCode) ?? []), e]);
    const eventRows: Array<typeof unitEvents.$inferInsert> = [...newUnits.values()].map((unit) => {
      const preds = bySuccessor.get(unit.code) ?? [];
      const clauses = [...new Set(preds.map((p) => p.clause).filter((c): c is string => !!c))];
      const document =
        preds.find((p) => p.resolution)?.resolution ??
        (unit.level === "province" ? PROVINCE_ARRANGEMENT_DOCUMENT : null);
      return {
        kind: classify(preds, oldUnits, unit),
        effectiveDate: D,
        document,
        clause: clauses.join("\n") || null,
        note: null,
        sourceKey: `${DATASET}:${unit.level}:${unit.code}`,
      };
    });
    eventRows.push({
      kind: "abolish",
      effectiveDate: D,
      document: DISTRICT_ABOLITION_DOCUMENT,
      clause: null,
      note: "Cấp huyện chấm dứt hoạt động từ ngày 01/07/2025 (chính quyền địa phương hai cấp).",
      sourceKey: `${DATASET}:districts-abolished`,
    });
    let eventsWritten = 0;
    await insertChunked(
      "events",
      eventRows,
      1000,
      async (chunk) => {
        const inserted = await tx
          .insert(unitEvents)
          .values(chunk)
          .onConflictDoNothing()
          .returning({ id: unitEvents.id });
        eventsWritten += inserted.length;
      },
      onProgress,
    );
    const eventIds = new Map(
      rowsOf<{ id: number | string; source_key: string }>(
        await tx.execute(sql`SELECT id, source_key FROM unit_events WHERE source_key LIKE ${`${DATASET}:%`}`),
      ).map((r) => [r.source_key, Number(r.id)]),
    );
    const eventOf = (level: UnitLevel, code: string) => {
      const id = eventIds.get(`${DATASET}:${level}:${code}`);
      if (id === undefined) throw new Error(`event for ${level} ${code} missing after insert`);
      return id;
    };
    const idOf = (ids: Map<string, number>, code: string) => {
      const id = ids.get(code);
      if (id === undefined) throw new Error(`version ${code} missing after insert`);
      return id;
    };

    const links: Array<{ eventId: number; versionId: number; role: "opened" | "closed" }> = [];
    for (const unit of newUnits.values())
      links.push({
        eventId: eventOf(unit.level, unit.code),
        versionId: idOf(newIds, unit.code),
        role: "opened",
      });
    for (const e of edges) {
      const successor = newUnits.get(e.newCode);
      if (successor)
        links.push({
          eventId: eventOf(successor.level, e.newCode),
          versionId: idOf(oldIds, e.oldCode),
          role: "closed",
        });
    }
    const withEdges = new Set(edges.map((e) => e.oldCode));
    const abolishId = eventIds.get(`${DATASET}:districts-abolished`) ?? 0;
    for (const unit of oldUnits.values())
      if (!withEdges.has(unit.code))
        links.push({ eventId: abolishId, versionId: idOf(oldIds, unit.code), role: "closed" });
    await insertChunked(
      "event links",
      links,
      2000,
      (chunk) => tx.insert(unitEventVersions).values(chunk).onConflictDoNothing(),
      onProgress,
    );

    let edgesWritten = 0;
    await insertChunked(
      "lineage",
      edges,
      2000,
      async (chunk) => {
        const inserted = await tx
          .insert(lineageEdges)
          .values(
            chunk.map((e) => {
              const successor = newUnits.get(e.newCode);
              return {
                predecessorId: idOf(oldIds, e.oldCode),
                successorId: idOf(newIds, e.newCode),
                kind: e.kind,
                share: null,
                eventId: eventOf(successor?.level ?? "commune", e.newCode),
              };
            }),
          )
          .onConflictDoNothing()
          .returning({ id: lineageEdges.id });
        edgesWritten += inserted.length;
      },
      onProgress,
    );

    const count = (units: Map<string, UnitRow>, level: UnitLevel) =>
      [...units.values()].filter((u) => u.level === level).length;
    const splitOld = new Map<string, number>();
    for (const e of edges) splitOld.set(e.oldCode, (splitOld.get(e.oldCode) ?? 0) + 1);
    const counts = {
      oldProvinces: count(oldUnits, "province"),
      oldDistricts: count(oldUnits, "district"),
      oldCommunes: count(oldUnits, "commune"),
      newProvinces: count(newUnits, "province"),
      newCommunes: count(newUnits, "commune"),
      lineageEdges: edges.length,
      partialEdges: edges.filter((e) => e.kind === "partial").length,
      oldCommunesSplit: [...splitOld.entries()].filter(
        ([code, n]) => n > 1 && oldUnits.get(code)?.level === "commune",
      ).length,
    };
    const summary: ImportSummary = {
      dataset: DATASET,
      checksum: data.checksum,
      counts,
      written: { versions: written, events: eventsWritten, edges: edgesWritten },
      corrected,
      warnings: data.warnings,
    };
    if (written + eventsWritten + edgesWritten + corrected.length > 0) {
      const [record] = await tx
        .insert(referenceImports)
        .values({ dataset: DATASET, checksum: data.checksum, counts })
        .returning({ id: referenceImports.id });
      await recordAudit(tx, ctx, {
        action: "units.import",
        recordKind: "reference_import",
        recordId: record?.id ?? 0,
        after: summary,
      });
    }
    return summary;
  });
}

/**
 * Applies the files' names to the versions they describe (keyed by code and start date: old units from "before our
 * records" to 1 July 2025, new ones from 1 July 2025) where the stored name differs, with the kind the corrected name
 * announces. Each correction is one audit event (`units.name_correct`), so the history says who corrected what.
 */
async function correctNames(
  tx: Tx,
  ctx: RequestContext,
  rows: ReadonlyArray<UnitRow & { validFrom: string | null; validTo: string | null }>,
): Promise<NameCorrection[]> {
  const D = REORGANISATION_DATE;
  const stored = rowsOf<{
    id: number | string;
    code: string;
    name: string;
    kind: UnitKind;
    valid_from: string | null;
    valid_to: string | null;
  }>(
    await tx.execute(sql`SELECT id, code, name, kind, valid_from::text AS valid_from, valid_to::text AS valid_to
      FROM unit_versions WHERE (valid_from IS NULL AND valid_to = ${D}::date) OR valid_from = ${D}::date`),
  );
  const byKey = new Map(stored.map((r) => [`${r.code}|${r.valid_from ?? ""}`, r]));
  const corrections: NameCorrection[] = [];
  for (const u of rows) {
    const row = byKey.get(`${u.code}|${u.validFrom ?? ""}`);
    if (!row || (row.name === u.name && row.kind === u.kind)) continue;
    await tx.execute(sql`UPDATE unit_versions SET name = ${u.name}, kind = ${u.kind}::unit_kind,
      search_text = ${`${toSearchText(u.name)} ${u.code}`} WHERE id = ${row.id}`);
    const correction: NameCorrection = {
      code: u.code,
      level: u.level,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      before: { name: row.name, kind: row.kind },
      after: { name: u.name, kind: u.kind },
    };
    await recordAudit(tx, ctx, {
      action: "units.name_correct",
      recordKind: "unit_version",
      recordId: Number(row.id),
      unitCode: u.code,
      before: correction.before,
      after: correction.after,
      reason: `${DATASET}: corrected reference data`,
    });
    corrections.push(correction);
  }
  return corrections;
}
