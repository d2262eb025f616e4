/**
 * Declaring the share of a partial lineage edge after the fact: which part of an old commune went to each new one
 * ("dân số 2024", "diện tích"). The 2025 reference data records 1,012 partial edges without shares; analytics can
 * place those values only at a unit holding every successor until someone who knows declares the shares here.
 *
 * Who may: a system administrator, or the province administrator of the province that holds *all* the successors of
 * the edge's predecessor (shares of one predecessor are decided together). Rules, checked in the writing
 * transaction on the predecessor's edges locked for it: a share lies in (0, 1]; only partial edges carry one; the
 * shares of one predecessor add up to at most 1. Every declaration is audited; analytics follow at once (the edge
 * table's statement trigger bumps the dimension counter the replica watches).
 */
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf, type Tx } from "../../db/client.ts";
import { AppError, type Localized } from "../../http/errors.ts";
import type { Actor, RequestContext } from "../access/actor.ts";
import { recordAuditMany } from "../audit/record.ts";
import { scopeCodesOn } from "./queries.ts";
import { dayBefore, todayInVietnam } from "./text.ts";

export interface ShareDeclaration {
  /** The edge, by id (API) … */
  edgeId?: number;
  /** … or by the codes of its predecessor and successor (CSV: old code, new code). */
  from?: string;
  to?: string;
  /** null clears a declared share. */
  share: number | null;
  basis: string | null;
  /** The version of the edge the declarer read (API); a different stored one → 409. */
  version?: number;
  /** Where the declaration came from, for messages: "dòng 4" / "line 4". */
  line?: number;
}

export interface EdgeView {
  id: number;
  kind: "full" | "partial";
  share: number | null;
  basis: string | null;
  version: number;
  from: { code: string; name: string; validTo: string | null };
  to: { code: string; name: string; validFrom: string | null };
}

export const declareShareInput = z.object({
  share: z.number().nullable().describe("The part of the predecessor that went to the successor, in (0, 1]"),
  basis: z.string().trim().max(200).nullable().default(null).describe('e.g. "dân số 2024" or "diện tích"'),
  version: z.number().int().min(1).describe("The version of the edge you read"),
  reason: z.string().trim().max(2000).optional(),
});

export interface Problem {
  line?: number;
  edge: string;
  code: string;
  message: string;
  messages: Localized;
}

interface EdgeRow {
  id: number | string;
  predecessor_id: number | string;
  successor_id: number | string;
  kind: "full" | "partial";
  share: string | null;
  share_basis: string | null;
  version: number;
  from_code: string;
  from_name: string;
  from_to: string | null;
  to_code: string;
  to_name: string;
  to_from: string | null;
}

const edgeSelect = sql`
  SELECT e.id, e.predecessor_id, e.successor_id, e.kind, e.share::text AS share, e.share_basis, e.version,
    p.code AS from_code, p.name AS from_name, p.valid_to::text AS from_to,
    s.code AS to_code, s.name AS to_name, s.valid_from::text AS to_from
  FROM lineage_edges e JOIN unit_versions p ON p.id = e.predecessor_id JOIN unit_versions s ON s.id = e.successor_id`;

const present = (r: EdgeRow): EdgeView => ({
  id: Number(r.id),
  kind: r.kind,
  share: r.share === null ? null : Number(r.share),
  basis: r.share_basis,
  version: Number(r.version),
  from: { code: r.from_code, name: r.from_name, validTo: r.from_to },
  to: { code: r.to_code, name: r.to_name, validFrom: r.to_from },
});

const label = (r: EdgeRow) => `${r.from_code} → ${r.to_code}`;

/** One edge as the API shows it; 404 when there is none. */
export async function getEdge(db: Db | Tx, id: number): Promise<EdgeView> {
  const [row] = rowsOf<EdgeRow>(await db.execute(sql`${edgeSelect} WHERE e.id = ${id}`));
  if (!row)
    throw new AppError(404, "edge_not_found", {
      vi: `Không có liên kết kế thừa số ${id}.`,
      en: `No lineage edge has id ${id}.`,
    });
  return present(row);
}

/**
 * Applies share declarations, all or none. Problems with the input (an unknown edge, a share outside (0, 1], a
 * share on a full edge, shares of one predecessor above 1) → 422 listing every one; a declaration outside the
 * declarer's province → 403 naming the edges; a stale `version` → 409.
 */
export async function declareShares(
  db: Db,
  ctx: RequestContext & { reason?: string | null },
  items: readonly ShareDeclaration[],
  earlier: readonly Problem[] = [],
): Promise<EdgeView[]> {
  return db.transaction(async (tx) => {
    const problems: Problem[] = [...earlier];
    const add = (item: ShareDeclaration, edge: string, code: string, messages: Localized) =>
      problems.push({
        ...(item.line !== undefined ? { line: item.line } : {}),
        edge,
        code,
        message: messages.en,
        messages,
      });

    // Find each edge.
    const found: Array<{ item: ShareDeclaration; row: EdgeRow }> = [];
    for (const item of items) {
      const name = item.edgeId !== undefined ? String(item.edgeId) : `${item.from} → ${item.to}`;
      const rows = rowsOf<EdgeRow>(
        await tx.execute(
          item.edgeId !== undefined
            ? sql`${edgeSelect} WHERE e.id = ${item.edgeId}`
            : sql`${edgeSelect} WHERE p.code = ${item.from ?? ""} AND s.code = ${item.to ?? ""}`,
        ),
      );
      if (rows.length === 0) {
        add(item, name, "edge_not_found", {
          vi: `Không có liên kết kế thừa ${name}.`,
          en: `No lineage edge ${name}.`,
        });
        continue;
      }
      if (rows.length > 1) {
        add(item, name, "edge_ambiguous", {
          vi: `Có ${rows.length} liên kết ${name} ở các thời điểm khác nhau; hãy khai báo theo số liên kết.`,
          en: `${rows.length} edges ${name} at different times; declare by edge id.`,
        });
        continue;
      }
      found.push({ item, row: rows[0] as EdgeRow });
    }

    // Lock every edge of the predecessors involved, then re-read them: the sum rule is checked on locked rows.
    const preds = [...new Set(found.map((f) => Number(f.row.predecessor_id)))];
    const siblings = new Map<number, EdgeRow[]>();
    if (preds.length) {
      await tx.execute(sql`SELECT id FROM lineage_edges WHERE predecessor_id IN (${sql.join(preds, sql`, `)})
        ORDER BY id FOR UPDATE`);
      for (const r of rowsOf<EdgeRow>(
        await tx.execute(
          sql`${edgeSelect} WHERE e.predecessor_id IN (${sql.join(preds, sql`, `)}) ORDER BY e.id`,
        ),
      )) {
        const list = siblings.get(Number(r.predecessor_id)) ?? [];
        list.push(r);
        siblings.set(Number(r.predecessor_id), list);
      }
    }

    const shares = new Map<number, number | null>();
    for (const list of siblings.values())
      for (const r of list) shares.set(Number(r.id), r.share === null ? null : Number(r.share));
    for (const { item, row } of found) {
      const current =
        siblings.get(Number(row.predecessor_id))?.find((r) => Number(r.id) === Number(row.id)) ?? row;
      if (item.version !== undefined && Number(current.version) !== item.version)
        throw new AppError(
          409,
          "stale_version",
          {
            vi: `Liên kết ${label(row)} đã được sửa (phiên bản ${current.version}); hãy tải lại.`,
            en: `Edge ${label(row)} was changed (version ${current.version}); reload it.`,
          },
          { current: present(current) },
        );
      if (row.kind !== "partial") {
        add(item, label(row), "share_on_full_edge", {
          vi: `${label(row)} là liên kết toàn phần: cả đơn vị đã chuyển sang, không khai báo tỷ lệ.`,
          en: `${label(row)} is a full edge: the whole unit moved; a share belongs on a partial edge.`,
        });
        continue;
      }
      if (item.share !== null && !(Number.isFinite(item.share) && item.share > 0 && item.share <= 1)) {
        add(item, label(row), "share_out_of_range", {
          vi: `Tỷ lệ của ${label(row)} phải lớn hơn 0 và không quá 1 (nhận được ${item.share}).`,
          en: `The share of ${label(row)} must be above 0 and at most 1 (got ${item.share}).`,
        });
        continue;
      }
      if (item.share !== null && Math.round(item.share * 1e6) === 0) {
        add(item, label(row), "share_out_of_range", {
          vi: `Tỷ lệ của ${label(row)} quá nhỏ (tối thiểu 0,000001).`,
          en: `The share of ${label(row)} is too small (at least 0.000001).`,
        });
        continue;
      }
      shares.set(Number(row.id), item.share === null ? null : Math.round(item.share * 1e6) / 1e6);
    }
    for (const [pred, list] of siblings) {
      const total = list.reduce((s, r) => s + (shares.get(Number(r.id)) ?? 0), 0);
      if (total > 1 + 1e-9) {
        const touched = found.filter((f) => Number(f.row.predecessor_id) === pred);
        const first = touched[0];
        if (!first) continue;
        const names = touched.map((f) => label(f.row)).join(", ");
        add(first.item, names, "shares_exceed_whole", {
          vi: `Tổng tỷ lệ của ${first.row.from_name} (${first.row.from_code}) sẽ là ${round6(total)}, quá 1: ${names}.`,
          en: `The shares of ${first.row.from_name} (${first.row.from_code}) would add up to ${round6(total)}, above 1: ${names}.`,
        });
      }
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (problems.length)
      throw new AppError(
        422,
        problems.length === 1 ? (problems[0] as Problem).code : "invalid_shares",
        problems.length === 1
          ? (problems[0] as Problem).messages
          : {
              vi: `${problems.length} khai báo tỷ lệ không hợp lệ; không lưu gì.`,
              en: `${problems.length} share declarations are invalid; nothing was stored.`,
            },
        { problems },
      );

    // Authority: the province that holds every successor of each predecessor.
    const outside = await edgesOutsideScope(tx, ctx.actor, [...siblings.values()]);
    if (outside.length)
      throw new AppError(
        403,
        "forbidden",
        {
          vi: `Chỉ quản trị hệ thống, hoặc quản trị của tỉnh có mọi đơn vị kế thừa, được khai báo tỷ lệ cho: ${outside.join(", ")}.`,
          en: `Only a system administrator, or the administrator of the province holding every successor, may declare shares for: ${outside.join(", ")}.`,
        },
        { edges: outside },
      );

    const audits = [];
    const out: EdgeView[] = [];
    for (const { item, row } of found) {
      const share = shares.get(Number(row.id)) ?? null;
      const basis = share === null ? null : (item.basis ?? null);
      const [updated] = rowsOf<{ version: number }>(
        await tx.execute(sql`UPDATE lineage_edges SET share = ${share === null ? null : String(share)},
          share_basis = ${basis}, version = version + 1 WHERE id = ${row.id} RETURNING version`),
      );
      const after = { ...row, share: share === null ? null : String(share), share_basis: basis };
      after.version = Number(updated?.version);
      audits.push({
        action: "units.share_declare",
        recordKind: "lineage_edge",
        recordId: Number(row.id),
        unitCode: row.to_code,
        before: {
          edge: label(row),
          share: row.share === null ? null : Number(row.share),
          basis: row.share_basis,
        },
        after: { edge: label(row), share, basis },
        reason: ctx.reason ?? null,
      });
      out.push(present(after));
    }
    await recordAuditMany(tx, ctx, audits);
    return out;
  });
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The predecessors (as "old → new" labels) some of whose successors lie outside the actor's scope. */
async function edgesOutsideScope(tx: Tx, actor: Actor, groups: EdgeRow[][]): Promise<string[]> {
  if (actor.kind === "system") return [];
  if (actor.kind === "anonymous") return groups.flat().map(label);
  if (actor.role === "system_admin" && actor.scope === null) return [];
  if (actor.role !== "province_admin" && actor.role !== "system_admin") return groups.flat().map(label);
  const scope = actor.scope;
  if (!scope) return groups.flat().map(label);
  const date = scope.isCurrent ? todayInVietnam() : dayBefore(scope.validTo ?? todayInVietnam());
  const codes = await scopeCodesOn(tx, scope.code, date);
  return groups.flatMap((list) => (list.every((r) => codes.has(r.to_code)) ? [] : list.map(label)));
}

/**
 * Reads a shares CSV: columns old code, new code, share, basis (headers `ma_cu,ma_moi,ty_le,can_cu` or
 * `old_code,new_code,share,basis`). A share may be written 0.35, 0,35 or 35%. Rows that cannot be read are returned
 * as problems, so that declareShares names them together with the rows that name no edge or break a rule.
 */
export function parseSharesCsv(text: string): { items: ShareDeclaration[]; problems: Problem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (err) {
    throw new AppError(422, "invalid_csv", {
      vi: `Tệp CSV không đọc được: ${(err as Error).message}`,
      en: `The CSV file cannot be read: ${(err as Error).message}`,
    });
  }
  const [header, ...rows] = records;
  const names = (header ?? []).map((h) => h.toLowerCase().replace(/\s+/g, "_"));
  const col = (...alts: string[]) => names.findIndex((n) => alts.includes(n));
  const iFrom = col("ma_cu", "old_code", "mã_cũ", "from");
  const iTo = col("ma_moi", "new_code", "mã_mới", "to");
  const iShare = col("ty_le", "share", "tỷ_lệ");
  const iBasis = col("can_cu", "basis", "căn_cứ");
  const missing = [
    iFrom < 0 ? "ma_cu/old_code" : null,
    iTo < 0 ? "ma_moi/new_code" : null,
    iShare < 0 ? "ty_le/share" : null,
  ].filter((x): x is string => x !== null);
  if (missing.length)
    throw new AppError(
      422,
      "invalid_csv",
      {
        vi: `Tệp CSV thiếu cột: ${missing.join(", ")} (cần ma_cu, ma_moi, ty_le, can_cu).`,
        en: `The CSV lacks columns: ${missing.join(", ")} (needs old_code, new_code, share, basis).`,
      },
      { missing },
    );
  const problems: Problem[] = [];
  const out: ShareDeclaration[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const from = (r[iFrom] ?? "").trim();
    const to = (r[iTo] ?? "").trim();
    const raw = (r[iShare] ?? "").trim();
    const basis = iBasis >= 0 ? (r[iBasis] ?? "").trim() || null : null;
    const share = parseShare(raw);
    const edge = `${from} → ${to}`;
    if (!from || !to) {
      problems.push({
        line,
        edge,
        code: "missing_code",
        message: `Line ${line}: old and new codes are both needed.`,
        messages: {
          vi: `Dòng ${line}: cần cả mã cũ và mã mới.`,
          en: `Line ${line}: old and new codes are both needed.`,
        },
      });
      return;
    }
    if (share === undefined) {
      problems.push({
        line,
        edge,
        code: "share_not_a_number",
        message: `Line ${line}: "${raw}" is not a share (write 0.35, 0,35 or 35%).`,
        messages: {
          vi: `Dòng ${line}: "${raw}" không phải tỷ lệ (viết 0,35 hoặc 35%).`,
          en: `Line ${line}: "${raw}" is not a share (write 0.35, 0,35 or 35%).`,
        },
      });
      return;
    }
    if (basis !== null && basis.length > 200) {
      problems.push({
        line,
        edge,
        code: "basis_too_long",
        message: `Line ${line}: the basis is longer than 200 characters.`,
        messages: {
          vi: `Dòng ${line}: căn cứ dài quá 200 ký tự.`,
          en: `Line ${line}: the basis is longer than 200 characters.`,
        },
      });
      return;
    }
    out.push({ from, to, share, basis, line });
  });
  return { items: out, problems };
}

/** "0.35", "0,35", "35%" → 0.35; "" → null (clears); anything else → undefined. */
function parseShare(raw: string): number | null | undefined {
  if (raw === "") return null;
  const percent = raw.endsWith("%");
  const text = (percent ? raw.slice(0, -1) : raw).trim().replace(",", ".");
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) return undefined;
  const x = Number(text);
  return percent ? x / 100 : x;
}
