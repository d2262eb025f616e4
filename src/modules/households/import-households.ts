import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import { conflict, unprocessable } from "../../http/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { coversUnit } from "../access/scope.ts";
import { recordAudit } from "../audit/record.ts";
import { cleanName, todayInVietnam, toSearchText } from "../units/text.ts";
import { citizenIdProblem } from "./citizen-id.ts";
import { brokenConstraint } from "./common.ts";
import { queueDuplicatesOf } from "./duplicates.ts";
import { readSheet, type SheetRow, sheetRows, workbookOf } from "./sheets.ts";

/** The household template: one row per member; the rows of one household share its code. */
export const householdColumns = [
  "Mã hộ",
  "Mã thôn/bản",
  "Họ và tên",
  "Quan hệ với chủ hộ",
  "Năm sinh",
  "Giới tính",
  "Dân tộc",
  "Số định danh cá nhân",
] as const;

const relationLabels: Record<string, string> = {
  "chu ho": "head",
  vo: "spouse",
  chong: "spouse",
  "vo/chong": "spouse",
  con: "child",
  bo: "parent",
  me: "parent",
  "bo/me": "parent",
  chau: "grandchild",
  ong: "grandparent",
  ba: "grandparent",
  "ong/ba": "grandparent",
  anh: "sibling",
  chi: "sibling",
  em: "sibling",
  "anh/chi/em": "sibling",
  "con dau": "in_law",
  "con re": "in_law",
  khac: "other",
};

export interface ImportProblem {
  row: number;
  column: string;
  message: { vi: string; en: string };
}

export async function householdTemplate(): Promise<Uint8Array> {
  return workbookOf(
    "Ho gia dinh",
    [...householdColumns],
    [
      ["H001", "04222-01", "Lò Văn Minh", "Chủ hộ", 1978, "Nam", "Thái", ""],
      ["H001", "04222-01", "Lò Thị Hoa", "Vợ", 1981, "Nữ", "Thái", ""],
    ],
    [10, 14, 26, 18, 10, 10, 12, 20],
  );
}

interface Member {
  row: number;
  household: string;
  village: string;
  fullName: string;
  relation: string;
  birthYear: number;
  sex: "male" | "female";
  ethnicity: string | null;
  citizenId: string | null;
}

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());

function readMember(r: SheetRow, problems: ImportProblem[]): Member | null {
  const bad = (column: string, vi: string, en: string) =>
    problems.push({ row: r.row, column, message: { vi, en } });
  const at = (c: string) => text(r.cells.get(c));
  const household = at("Mã hộ");
  const village = at("Mã thôn/bản");
  const fullName = cleanName(at("Họ và tên"));
  if (!household) bad("Mã hộ", "thiếu mã hộ", "the household code is missing");
  if (!village) bad("Mã thôn/bản", "thiếu mã thôn, bản", "the village code is missing");
  if (!fullName) bad("Họ và tên", "thiếu họ và tên", "the name is missing");
  const relation = relationLabels[toSearchText(at("Quan hệ với chủ hộ"))];
  if (!relation) bad("Quan hệ với chủ hộ", `không hiểu "${at("Quan hệ với chủ hộ")}"`, "unknown relation");
  const year = Number(at("Năm sinh"));
  if (!Number.isInteger(year) || year < 1900 || year > 2100)
    bad("Năm sinh", `"${at("Năm sinh")}" không phải năm sinh`, "not a birth year");
  const sexText = toSearchText(at("Giới tính"));
  const sex = sexText === "nam" ? "male" : sexText === "nu" ? "female" : null;
  if (!sex) bad("Giới tính", "ghi Nam hoặc Nữ", "write Nam or Nữ");
  const citizenId = at("Số định danh cá nhân").replace(/\s/g, "") || null;
  if (citizenId && sex && Number.isInteger(year)) {
    const problem = citizenIdProblem(citizenId, { birthYear: year, sex });
    if (problem) bad("Số định danh cá nhân", `số ${citizenId} ${problem.vi}`, `${citizenId} ${problem.en}`);
  }
  if (!household || !village || !fullName || !relation || !sex || !Number.isInteger(year)) return null;
  return {
    row: r.row,
    household,
    village,
    fullName,
    relation,
    birthYear: year,
    sex,
    ethnicity: at("Dân tộc") || null,
    citizenId,
  };
}

export const parseHouseholdFile = (data: Uint8Array) => readSheet(data, householdColumns);

/** The household file's rows in batches, streamed as the file is inflated (for importHouseholds). */
export const streamHouseholdFile = (data: Uint8Array) => sheetRows(data, householdColumns, 5000);

function rejected(problems: ImportProblem[]) {
  problems.sort((a, b) => a.row - b.row);
  const shown = problems
    .slice(0, 20)
    .map((p) => `dòng ${p.row}, cột ${p.column}: ${p.message.vi}`)
    .join("; ");
  return unprocessable(
    "import_rejected",
    {
      vi: `Không nhập dòng nào: ${problems.length} lỗi. ${shown}`,
      en: `Nothing imported: ${problems.length} problems. ${problems
        .slice(0, 20)
        .map((p) => `row ${p.row}, ${p.column}: ${p.message.en}`)
        .join("; ")}`,
    },
    { problems },
  );
}

async function* batchesOf(source: SheetRow[] | AsyncIterable<SheetRow[]>): AsyncGenerator<SheetRow[]> {
  if (Array.isArray(source)) {
    for (let i = 0; i < source.length; i += 5000) yield source.slice(i, i + 5000);
  } else yield* source;
}

const copyText = (v: string | number | null) =>
  v === null
    ? "\\N"
    : String(v).replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      );

/**
 * One batch of checked rows into the import's staging table: COPY on PGlite (several times faster there than any
 * INSERT), one INSERT … SELECT from a JSON parameter on PostgreSQL (COPY streams are avoided there, see raw.ts).
 */
async function stageRows(db: Db, table: string, members: Member[]): Promise<void> {
  const rows = members.map((m) => {
    const search = toSearchText(m.fullName);
    return [
      m.row,
      m.household,
      m.village,
      m.fullName,
      search,
      search.split(" ").at(-1) ?? search,
      m.relation,
      m.birthYear,
      m.sex,
      m.ethnicity,
      m.citizenId,
    ] as const;
  });
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) {
    const text = `${rows.map((r) => r.map(copyText).join("\t")).join("\n")}\n`;
    await client.query(`COPY "${table}" FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    return;
  }
  await db.execute(
    sql`INSERT INTO ${sql.identifier(table)} SELECT * FROM jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({
        r: r[0],
        h: r[1],
        v: r[2],
        n: r[3],
        s: r[4],
        g: r[5],
        rel: r[6],
        y: r[7],
        sex: r[8],
        e: r[9],
        c: r[10],
      })),
    )}::jsonb) AS x(r integer, h text, v text, n text, s text, g text, rel text, y integer, sex text, e text, c text)`,
  );
}

/** Lets the event loop serve other requests (and their queries, on PGlite's one connection) between batches. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Imports households and members, set-based, at a province's scale (300,000 households, 1.2 M members):
 * 1. the rows are checked one by one as they are read (names, relation, birth year, sex, citizen ID with its checksum)
 *    and streamed, 5,000 at a time, into a staging table of this import's own, each batch its own statement, so other
 *    requests go through between batches;
 * 2. the file as a whole is checked set-wise: one head per household, one village per household, no citizen ID twice,
 *    villages that exist today and lie in the importer's scope;
 * 3. one transaction checks what depends on the registry (household codes taken, a person current in another
 *    household), then merges: households, members, the duplicate queue, an audit event per household and one for
 *    the file, each one statement.
 * Either all of it is written or nothing, and 422 lists every bad row by number and column, in Vietnamese and English.
 * `source` is the streamed file (streamHouseholdFile) or rows already read (the demo loader).
 */
export async function importHouseholds(
  db: Db,
  ctx: RequestContext,
  source: SheetRow[] | AsyncIterable<SheetRow[]>,
  registeredOn: string | null = null,
) {
  const problems: ImportProblem[] = [];
  const [seq] = rowsOf<{ n: string | number }>(
    await db.execute(sql`SELECT nextval('household_import_seq') AS n`),
  );
  const stageName = `household_import_${Number(seq?.n)}`;
  const stage = sql.identifier(stageName);
  await db.execute(sql`CREATE UNLOGGED TABLE ${stage} (LIKE household_import_rows)`);
  try {
    let members = 0;
    for await (const batch of batchesOf(source)) {
      const good = batch.map((r) => readMember(r, problems)).filter((m): m is Member => m !== null);
      members += good.length;
      if (good.length) await stageRows(db, stageName, good);
      await breathe();
    }
    // The planner must know the staged rows (and, below, the registry they join) or it picks nested loops.
    await db.execute(sql`ANALYZE ${stage}`);
    const problem = (row: number, column: string, vi: string, en: string) =>
      problems.push({ row, column, message: { vi, en } });

    for (const h of rowsOf<{ code: string; row: number; heads: string | number }>(
      await db.execute(sql`SELECT household_code AS code, min(row_number) AS row,
        count(*) FILTER (WHERE relation = 'head') AS heads
        FROM ${stage} GROUP BY household_code HAVING count(*) FILTER (WHERE relation = 'head') <> 1`),
    ))
      problem(
        h.row,
        "Quan hệ với chủ hộ",
        `hộ ${h.code} có ${h.heads} chủ hộ (cần đúng 1)`,
        `household ${h.code} has ${h.heads} heads (needs 1)`,
      );
    for (const m of rowsOf<{ code: string; row: number }>(
      await db.execute(sql`SELECT household_code AS code, row_number AS row FROM (
        SELECT household_code, row_number, village_code,
          first_value(village_code) OVER (PARTITION BY household_code ORDER BY row_number) AS first_village
        FROM ${stage}) x WHERE village_code <> first_village`),
    ))
      problem(
        m.row,
        "Mã thôn/bản",
        `hộ ${m.code} ghi hai thôn khác nhau`,
        `household ${m.code} names two villages`,
      );
    for (const m of rowsOf<{ row: number; first: number }>(
      await db.execute(sql`SELECT row_number AS row, first FROM (
        SELECT row_number, min(row_number) OVER (PARTITION BY citizen_id) AS first
        FROM ${stage} WHERE citizen_id IS NOT NULL) x WHERE row_number <> first`),
    ))
      problem(
        m.row,
        "Số định danh cá nhân",
        `trùng số định danh với dòng ${m.first}`,
        `same citizen ID as row ${m.first}`,
      );

    const today = todayInVietnam();
    const villageCodes = rowsOf<{ code: string }>(
      await db.execute(sql`SELECT DISTINCT village_code AS code FROM ${stage}`),
    ).map((v) => v.code);
    const villages = new Map(
      rowsOf<{ code: string; parent_code: string }>(
        await db.execute(sql`SELECT code, parent_code FROM unit_versions WHERE level = 'village'
          AND code = ANY(${`{${villageCodes.map((c) => JSON.stringify(c)).join(",")}}`}::text[])
          AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)`),
      ).map((v) => [v.code, v.parent_code]),
    );
    const allowed = new Map<string, boolean>();
    for (const commune of new Set(villages.values()))
      allowed.set(commune, await coversUnit(db, ctx.actor, commune));
    const unknown = villageCodes.filter((v) => !villages.has(v));
    const outside = villageCodes.filter((v) => villages.has(v) && !allowed.get(villages.get(v) ?? ""));
    if (unknown.length || outside.length)
      for (const m of rowsOf<{ row: number; village: string }>(
        await db.execute(sql`SELECT row_number AS row, village_code AS village FROM ${stage}
          WHERE village_code = ANY(${`{${[...unknown, ...outside].map((c) => JSON.stringify(c)).join(",")}}`}::text[])`),
      ))
        if (unknown.includes(m.village))
          problem(m.row, "Mã thôn/bản", `không có thôn, bản mã ${m.village}`, `no village ${m.village}`);
        else
          problem(
            m.row,
            "Mã thôn/bản",
            `thôn ${m.village} ngoài phạm vi của bạn`,
            `village ${m.village} is outside your scope`,
          );
    const villageTable = sql`(SELECT * FROM jsonb_each_text(${JSON.stringify(Object.fromEntries(villages))}::jsonb)) AS vc(village, commune)`;

    try {
      return await db.transaction(async (tx) => {
        for (const t of rowsOf<{ row: number; citizen_id: string; code: string }>(
          await tx.execute(sql`SELECT s.row_number AS row, s.citizen_id, h.code FROM ${stage} s
            JOIN household_members m ON m.citizen_id = s.citizen_id AND m.left_on IS NULL
            JOIN households h ON h.id = m.household_id
            WHERE s.citizen_id IS NOT NULL FOR UPDATE OF m`),
        ))
          problem(
            t.row,
            "Số định danh cá nhân",
            `đang là thành viên hộ ${t.code}`,
            `is a current member of household ${t.code}`,
          );
        for (const t of rowsOf<{ code: string; row: number }>(
          await tx.execute(sql`SELECT s.household_code AS code, min(s.row_number) AS row FROM ${stage} s
            JOIN households h ON h.code = s.household_code GROUP BY s.household_code`),
        ))
          problem(t.row, "Mã hộ", `mã hộ ${t.code} đã có`, `household code ${t.code} already exists`);
        if (problems.length) throw rejected(problems);

        // The member trigger would refresh every household's search document once more: written here instead.
        await tx.execute(sql`SELECT set_config('grassroots.household_bulk_import', 'on', true)`);
        const [made] = rowsOf<{ n: string | number }>(
          await tx.execute(sql`WITH ins AS (
            INSERT INTO households (code, village_code, commune_code, head_name, head_search, head_birth_year,
              registered_on, search_doc)
            SELECT s.household_code, s.village_code, vc.commune, s.full_name, s.search_name, s.birth_year,
              ${registeredOn}::date, '|' || s.search_name || '|' || d.doc
            FROM ${stage} s
            JOIN (SELECT household_code, string_agg(search_name || '|' || search_given, '|' ORDER BY row_number) || '|' AS doc,
                    min(row_number) AS first_row
                  FROM ${stage} GROUP BY household_code) d ON d.household_code = s.household_code
            JOIN ${villageTable} ON vc.village = s.village_code
            WHERE s.relation = 'head'
            ORDER BY d.first_row
            RETURNING 1)
            SELECT count(*) AS n FROM ins`),
        );
        await tx.execute(sql`INSERT INTO household_members (household_id, full_name, search_name, search_given, relation,
            birth_year, sex, ethnicity, citizen_id, joined_on, join_reason)
          SELECT h.id, s.full_name, s.search_name, s.search_given, s.relation, s.birth_year, s.sex, s.ethnicity,
            s.citizen_id, ${registeredOn}::date, 'registered'
          FROM ${stage} s JOIN households h ON h.code = s.household_code
          ORDER BY s.row_number`);
        await tx.execute(sql`SELECT set_config('grassroots.household_bulk_import', 'off', true)`);
        await tx.execute(sql`ANALYZE households`);
        const fresh = sql`SELECT h.* FROM households h WHERE h.code IN (SELECT household_code FROM ${stage})`;
        const duplicates = await queueDuplicatesOf(tx, fresh);
        const actor = ctx.actor;
        await tx.execute(sql`INSERT INTO audit_events (actor_kind, actor_id, action, record_kind, record_id, unit_code,
            after, request_id)
          SELECT ${actor.kind === "anonymous" ? "system" : actor.kind}, ${actor.kind === "anonymous" ? "anonymous" : actor.id},
            'household.import', 'household', h.id::text, h.commune_code,
            jsonb_build_object('code', h.code, 'members', c.n), ${ctx.requestId}
          FROM (SELECT household_code, count(*) AS n, min(row_number) AS first_row FROM ${stage} GROUP BY household_code) c
          JOIN households h ON h.code = c.household_code
          ORDER BY c.first_row`);
        const households = Number(made?.n ?? 0);
        await recordAudit(tx, ctx, {
          action: "household.import_file",
          recordKind: "household_import",
          recordId: registeredOn ?? "undated",
          after: { households, members, duplicatesQueued: duplicates },
        });
        return { households, members, duplicatesQueued: duplicates };
      });
    } catch (err) {
      const constraint = brokenConstraint(err);
      if (constraint === "households_code_key" || constraint === "household_members_one_current")
        throw conflict("import_raced", {
          vi: "Trong lúc nhập, một người khác đã ghi một hộ cùng mã hoặc một người cùng số định danh; không nhập dòng nào, hãy nhập lại.",
          en: "While importing, someone else registered a household with the same code or a person with the same citizen ID; nothing was imported, import again.",
        });
      throw err;
    }
  } finally {
    await db.execute(sql`DROP TABLE IF EXISTS ${stage}`);
  }
}

/**
 * Drops the staging tables of household imports that a dead process left behind (an import drops its own however it
 * ends, unless the process stops under it). Only safe where no other process can be importing: the embedded
 * database, whose folder one server holds at a time; answers how many went.
 */
export async function dropAbandonedHouseholdStages(db: Db): Promise<number> {
  const stages = rowsOf<{ name: string }>(
    await db.execute(sql`
      SELECT relname AS name FROM pg_class
      WHERE relkind = 'r' AND relname ~ '^household_import_[0-9]+$' AND relnamespace = 'public'::regnamespace`),
  );
  for (const { name } of stages) await db.execute(sql`DROP TABLE IF EXISTS ${sql.identifier(name)}`);
  return stages.length;
}
