import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/client.ts";
import { unprocessable } from "../../server/errors.ts";
import type { RequestContext } from "../access/actor.ts";
import { coversUnit } from "../access/scope.ts";
import { recordAudit, recordAuditMany } from "../audit/record.ts";
import { cleanName, todayInVietnam, toSearchText } from "../units/text.ts";
import { citizenIdProblem } from "./citizen-id.ts";
import { queueDuplicatesOf } from "./duplicates.ts";
import { readSheet, type SheetRow, workbookOf } from "./sheets.ts";

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

/**
 * Imports households and members: every row is checked first (citizen IDs, one head per household, villages in the
 * importer's scope, nobody current in another household, no household code taken), and then either all of them are
 * written in one transaction, or nothing and 422 lists every bad row by number and column, in Vietnamese and English.
 */
export async function importHouseholds(
  db: Db,
  ctx: RequestContext,
  rows: SheetRow[],
  registeredOn: string | null = null,
) {
  const problems: ImportProblem[] = [];
  const members = rows.map((r) => readMember(r, problems)).filter((m): m is Member => m !== null);
  const byHousehold = new Map<string, Member[]>();
  for (const m of members) byHousehold.set(m.household, [...(byHousehold.get(m.household) ?? []), m]);
  for (const [code, list] of byHousehold) {
    const heads = list.filter((m) => m.relation === "head");
    const first = list[0] as Member;
    if (heads.length !== 1)
      problems.push({
        row: first.row,
        column: "Quan hệ với chủ hộ",
        message: {
          vi: `hộ ${code} có ${heads.length} chủ hộ (cần đúng 1)`,
          en: `household ${code} has ${heads.length} heads (needs 1)`,
        },
      });
    for (const m of list)
      if (m.village !== first.village)
        problems.push({
          row: m.row,
          column: "Mã thôn/bản",
          message: { vi: `hộ ${code} ghi hai thôn khác nhau`, en: `household ${code} names two villages` },
        });
  }
  const seen = new Map<string, number>();
  for (const m of members) {
    if (!m.citizenId) continue;
    const other = seen.get(m.citizenId);
    if (other !== undefined)
      problems.push({
        row: m.row,
        column: "Số định danh cá nhân",
        message: { vi: `trùng số định danh với dòng ${other}`, en: `same citizen ID as row ${other}` },
      });
    else seen.set(m.citizenId, m.row);
  }
  const villageCodes = [...new Set(members.map((m) => m.village))];
  const today = todayInVietnam();
  const villages = new Map(
    rowsOf<{ code: string; parent_code: string }>(
      await db.execute(sql`SELECT code, parent_code FROM unit_versions WHERE level = 'village'
        AND code = ANY(${`{${villageCodes.join(",")}}`}::text[])
        AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to > ${today}::date)`),
    ).map((v) => [v.code, v.parent_code]),
  );
  const allowed = new Map<string, boolean>();
  for (const commune of new Set(villages.values()))
    allowed.set(commune, await coversUnit(db, ctx.actor, commune));
  for (const m of members) {
    const commune = villages.get(m.village);
    if (!commune)
      problems.push({
        row: m.row,
        column: "Mã thôn/bản",
        message: { vi: `không có thôn, bản mã ${m.village}`, en: `no village ${m.village}` },
      });
    else if (!allowed.get(commune))
      problems.push({
        row: m.row,
        column: "Mã thôn/bản",
        message: {
          vi: `thôn ${m.village} ngoài phạm vi của bạn`,
          en: `village ${m.village} is outside your scope`,
        },
      });
  }
  return db.transaction(async (tx) => {
    const ids = [...seen.keys()];
    for (let i = 0; i < ids.length; i += 5000) {
      const taken = rowsOf<{ citizen_id: string; code: string }>(
        await tx.execute(sql`SELECT m.citizen_id, h.code FROM household_members m JOIN households h ON h.id = m.household_id
          WHERE m.left_on IS NULL AND m.citizen_id = ANY(${`{${ids.slice(i, i + 5000).join(",")}}`}::text[])`),
      );
      for (const t of taken)
        problems.push({
          row: seen.get(t.citizen_id) ?? 0,
          column: "Số định danh cá nhân",
          message: {
            vi: `đang là thành viên hộ ${t.code}`,
            en: `is a current member of household ${t.code}`,
          },
        });
    }
    const codes = [...byHousehold.keys()];
    for (let i = 0; i < codes.length; i += 5000) {
      const taken = rowsOf<{ code: string }>(
        await tx.execute(
          sql`SELECT code FROM households WHERE code = ANY(${`{${codes.slice(i, i + 5000).join(",")}}`}::text[])`,
        ),
      );
      for (const t of taken)
        problems.push({
          row: byHousehold.get(t.code)?.[0]?.row ?? 0,
          column: "Mã hộ",
          message: { vi: `mã hộ ${t.code} đã có`, en: `household code ${t.code} already exists` },
        });
    }
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row);
      const shown = problems
        .slice(0, 20)
        .map((p) => `dòng ${p.row}, cột ${p.column}: ${p.message.vi}`)
        .join("; ");
      throw unprocessable(
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
    const idOf = new Map<string, number>();
    const list = [...byHousehold.entries()];
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000).map(([code, ms]) => {
        const headRow = ms.find((m) => m.relation === "head") as Member;
        return sql`(${code}, ${headRow.village}, ${villages.get(headRow.village) ?? ""}, ${headRow.fullName},
          ${toSearchText(headRow.fullName)}, ${headRow.birthYear}, ${registeredOn}::date)`;
      });
      const made = rowsOf<{ id: string | number; code: string }>(
        await tx.execute(sql`INSERT INTO households (code, village_code, commune_code, head_name, head_search, head_birth_year, registered_on)
          VALUES ${sql.join(chunk, sql`, `)} RETURNING id, code`),
      );
      for (const h of made) idOf.set(h.code, Number(h.id));
    }
    for (let i = 0; i < members.length; i += 2000) {
      const chunk = members.slice(i, i + 2000).map((m) => {
        const search = toSearchText(m.fullName);
        return sql`(${idOf.get(m.household) ?? 0}, ${m.fullName}, ${search}, ${search.split(" ").at(-1) ?? search},
          ${m.relation}, ${m.birthYear}, ${m.sex}, ${m.ethnicity}, ${m.citizenId}, ${registeredOn}::date, 'registered')`;
      });
      await tx.execute(sql`INSERT INTO household_members (household_id, full_name, search_name, search_given, relation,
        birth_year, sex, ethnicity, citizen_id, joined_on, join_reason) VALUES ${sql.join(chunk, sql`, `)}`);
    }
    const duplicates = await queueDuplicatesOf(tx, [...idOf.values()]);
    await recordAuditMany(
      tx,
      ctx,
      [...idOf.entries()].map(([code, id]) => ({
        action: "household.import",
        recordKind: "household",
        recordId: id,
        unitCode: villages.get(byHousehold.get(code)?.[0]?.village ?? "") ?? null,
        after: { code, members: byHousehold.get(code)?.length ?? 0 },
      })),
    );
    await recordAudit(tx, ctx, {
      action: "household.import_file",
      recordKind: "household_import",
      recordId: registeredOn ?? "undated",
      after: { households: idOf.size, members: members.length, duplicatesQueued: duplicates },
    });
    return { households: idOf.size, members: members.length, duplicatesQueued: duplicates };
  });
}
