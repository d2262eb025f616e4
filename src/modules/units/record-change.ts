import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, rowsOf, type Tx } from "../../db/client.ts";
import { type Localized, unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import { zodMessage } from "../../http/validation.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { isoDate } from "./presenters.ts";
import { lineageEdges, unitEvents, unitEventVersions, unitVersions } from "./schema.ts";
import {
  allowedParentLevels,
  cleanName,
  dayBefore,
  kindFromName,
  toSearchText,
  type UnitLevel,
} from "./text.ts";

const code = safeText()
  .trim()
  .regex(
    /^[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}$/,
    zodMessage({ vi: "một mã đơn vị: chữ, số, . - _", en: "a unit code: letters, digits, . - _" }),
  );
const isoDay = z.iso.date(zodMessage({ vi: "một ngày dạng YYYY-MM-DD", en: "a date as YYYY-MM-DD" }));

const newUnit = z.object({
  code,
  name: safeText().trim().min(2).max(200),
  level: z.enum(["province", "district", "commune", "village"]),
  kind: z
    .enum([
      "centrally_run_city",
      "province",
      "urban_district",
      "rural_district",
      "town",
      "provincial_city",
      "ward",
      "commune",
      "township",
      "special_zone",
      "village",
    ])
    .optional()
    .describe("Deduced from the name (Xã, Phường, Thị trấn…) when left out"),
  parentCode: code.nullable().default(null),
  attributes: z.record(safeText(), z.unknown()).default({}),
});

const share = z.number().gt(0).lte(1).nullable().default(null);

/**
 * A change to the map, in the general form every change takes: on `effectiveDate`, the versions of the codes in
 * `close` end, the units in `open` begin, and `edges` say where each closed unit went.
 */
export const unitChangeInput = z.object({
  kind: z.enum(["establish", "merge", "split", "rename", "change_parent", "abolish", "reorganize"]),
  effectiveDate: isoDay,
  document: safeText()
    .trim()
    .min(1)
    .max(200)
    .describe("Number and symbol of the legal basis, e.g. 1681/NQ-UBTVQH15"),
  clause: safeText({ multiLine: true }).trim().max(4000).nullable().default(null),
  note: safeText({ multiLine: true }).trim().max(4000).nullable().default(null),
  close: z.array(code).default([]),
  open: z.array(newUnit).default([]),
  edges: z.array(z.object({ from: code, to: code, kind: z.enum(["full", "partial"]), share })).default([]),
  reason: safeText({ multiLine: true }).trim().max(2000).optional(),
});
export type UnitChangeInput = z.input<typeof unitChangeInput>;
type Change = z.output<typeof unitChangeInput>;

interface VersionRecord {
  id: number;
  code: string;
  name: string;
  level: UnitLevel;
  parent_code: string | null;
  valid_from: string | null;
  valid_to: string | null;
}

/** The rules a change must keep; each refusal names one (HTTP 422, code = rule). */
export const historyRules = {
  overlapping_interval: {
    vi: "hai phiên bản của cùng một mã sẽ có hiệu lực cùng lúc",
    en: "two versions of one code would be valid at the same time",
  },
  successor_before_predecessor_ends: {
    vi: "đơn vị kế thừa có hiệu lực trước khi đơn vị trước nó kết thúc",
    en: "a successor would be valid before its predecessor ends",
  },
  shares_exceed_whole: {
    vi: "tổng tỷ lệ khai cho một đơn vị trước sẽ lớn hơn 1",
    en: "the declared shares of one predecessor would add up to more than 1",
  },
  unknown_unit: {
    vi: "một mã không ứng với đơn vị nào có hiệu lực khi thay đổi có hiệu lực",
    en: "a code names no unit valid when the change takes effect",
  },
  parent_not_valid: {
    vi: "đơn vị cấp trên không phải đơn vị cấp cao hơn có hiệu lực vào ngày có hiệu lực",
    en: "the parent is not a unit of a higher level valid on the effective date",
  },
  children_orphaned: {
    vi: "một đơn vị bị đóng vẫn còn đơn vị trực thuộc và không đơn vị kế thừa nào giữ mã của nó",
    en: "a closed unit still has units under it and no successor carries its code",
  },
  edge_outside_change: {
    vi: "một liên kết phải đi từ đơn vị mà thay đổi này đóng tới đơn vị mà nó mở",
    en: "an edge must go from a unit this change closes to a unit it opens",
  },
  empty_change: {
    vi: "một thay đổi phải đóng hoặc mở ít nhất một đơn vị",
    en: "a change must close or open at least one unit",
  },
  duplicate_code: { vi: "thay đổi nêu một mã hai lần", en: "the change names a code twice" },
  already_closed: {
    vi: "đơn vị đã có ngày kết thúc (một thay đổi khác đã đóng nó)",
    en: "the unit already has an end date (a change already closed it)",
  },
  full_edge_with_share: {
    vi: "liên kết toàn phần chuyển cả đơn vị; tỷ lệ chỉ dùng cho liên kết một phần",
    en: "a full edge moves the whole unit; a share belongs on a partial edge",
  },
} as const satisfies Record<string, Localized>;
export type HistoryRule = keyof typeof historyRules;

function refuse(rule: HistoryRule, detail: Localized, extra: Record<string, unknown> = {}): never {
  const text = historyRules[rule];
  throw unprocessable(
    rule,
    { vi: `${text.vi}: ${detail.vi}`, en: `${text.en}: ${detail.en}` },
    { rule, ...extra },
  );
}

const validOn = (date: string) =>
  sql`(valid_from IS NULL OR valid_from <= ${date}::date) AND (valid_to IS NULL OR valid_to > ${date}::date)`;

async function versionOn(
  tx: Tx,
  unitCode: string,
  date: string,
  lock = false,
): Promise<VersionRecord | undefined> {
  const rows = rowsOf<VersionRecord>(
    await tx.execute(sql`
      SELECT id, code, name, level, parent_code, valid_from::text AS valid_from, valid_to::text AS valid_to
      FROM unit_versions WHERE code = ${unitCode} AND ${validOn(date)} ${lock ? sql`FOR UPDATE` : sql``}`),
  );
  const row = rows[0];
  return row
    ? { ...row, id: Number(row.id), valid_from: isoDate(row.valid_from), valid_to: isoDate(row.valid_to) }
    : undefined;
}

export interface RecordedChange {
  eventId: number;
  closed: VersionRecord[];
  opened: Array<{ id: number; code: string; name: string }>;
}

/**
 * Records a change to the map in one transaction: closes the old versions, opens the new ones, writes the lineage and
 * the audit event, or writes nothing and names the broken rule.
 */
export async function recordUnitChange(
  db: Db,
  ctx: RequestContext,
  raw: UnitChangeInput,
): Promise<RecordedChange> {
  const change: Change = unitChangeInput.parse(raw);
  const D = change.effectiveDate;
  const eve = dayBefore(D);

  if (change.close.length === 0 && change.open.length === 0)
    refuse("empty_change", { vi: "không có gì để đóng hay mở", en: "nothing to close or open" });
  for (const list of [change.close, change.open.map((u) => u.code)]) {
    const dup = list.find((c, i) => list.indexOf(c) !== i);
    if (dup) refuse("duplicate_code", { vi: `mã ${dup}`, en: `code ${dup}` }, { code: dup });
  }

  return db.transaction(async (tx) => {
    // 1. What closes: each code must name a version valid the day before and still open (or ending later).
    const closed: VersionRecord[] = [];
    for (const c of change.close) {
      const version = await versionOn(tx, c, eve, true);
      if (!version)
        refuse(
          "unknown_unit",
          { vi: `không có đơn vị ${c} vào ngày ${eve}`, en: `no unit ${c} on ${eve}` },
          { code: c },
        );
      // Read under the row lock: a change committed meanwhile may already have closed it. A version that already has
      // an end is not closed again, earlier or later: that would leave its successors starting after it ended.
      if (version.valid_to !== null)
        refuse(
          "already_closed",
          {
            vi: `${version.name} (${c}) kết thúc ngày ${version.valid_to}`,
            en: `${version.name} (${c}) ends on ${version.valid_to}`,
          },
          { code: c },
        );
      closed.push(version);
    }
    const closedByCode = new Map(closed.map((v) => [v.code, v]));
    const reopened = new Set(change.open.map((u) => u.code));

    // 2. Children of a closed unit need a parent that still answers to the code.
    for (const v of closed) {
      if (reopened.has(v.code)) continue;
      const kids = rowsOf<{ code: string }>(
        await tx.execute(
          sql`SELECT code FROM unit_versions WHERE parent_code = ${v.code} AND ${validOn(D)} LIMIT 5`,
        ),
      );
      if (kids.length)
        refuse(
          "children_orphaned",
          {
            vi: `${v.name} (${v.code}) vẫn còn ${kids.map((k) => k.code).join(", ")}`,
            en: `${v.name} (${v.code}) still has ${kids.map((k) => k.code).join(", ")}`,
          },
          {
            code: v.code,
            children: kids.map((k) => k.code),
          },
        );
    }

    // 3. Close, then check what opens against what remains.
    for (const v of closed) {
      await tx.execute(sql`UPDATE unit_versions SET valid_to = ${D}::date WHERE id = ${v.id}`);
    }
    const openedLevels = new Map(change.open.map((u) => [u.code, u.level]));
    const opened: RecordedChange["opened"] = [];
    for (const unit of change.open) {
      const clash = rowsOf<{ name: string; valid_from: string | null; valid_to: string | null }>(
        await tx.execute(sql`
          SELECT name, valid_from::text AS valid_from, valid_to::text AS valid_to FROM unit_versions
          WHERE code = ${unit.code} AND (valid_to IS NULL OR valid_to > ${D}::date) LIMIT 1`),
      )[0];
      if (clash)
        refuse(
          "overlapping_interval",
          {
            vi: `${unit.code} đã là ${clash.name} từ ${clash.valid_from ?? "trước khi có số liệu"}`,
            en: `${unit.code} is already ${clash.name} from ${clash.valid_from ?? "the start"}`,
          },
          {
            code: unit.code,
          },
        );
      if (unit.parentCode) {
        const parentLevel =
          openedLevels.get(unit.parentCode) ?? (await versionOn(tx, unit.parentCode, D))?.level ?? undefined;
        if (!parentLevel || !allowedParentLevels[unit.level].includes(parentLevel))
          refuse(
            "parent_not_valid",
            {
              vi: `${unit.parentCode} không phải cấp ${allowedParentLevels[unit.level].join(" hoặc ")} vào ngày ${D}`,
              en: `${unit.parentCode} is not a ${allowedParentLevels[unit.level].join(" or ")} on ${D}`,
            },
            { code: unit.code, parentCode: unit.parentCode },
          );
      } else if (unit.level !== "province") {
        refuse(
          "parent_not_valid",
          { vi: `đơn vị cấp ${unit.level} cần có đơn vị cấp trên`, en: `a ${unit.level} needs a parent` },
          { code: unit.code },
        );
      }
      const name = cleanName(unit.name);
      const kind = unit.kind ?? kindFromName(name, unit.level);
      if (!kind)
        throw unprocessable(
          "kind_required",
          {
            vi: `Hãy cho biết ${name} là loại đơn vị cấp ${unit.level} nào (tên của nó không cho biết).`,
            en: `Say which kind of ${unit.level} ${name} is (its name does not tell).`,
          },
          {
            field: "open.kind",
            code: unit.code,
          },
        );
      const [row] = await tx
        .insert(unitVersions)
        .values({
          code: unit.code,
          name,
          searchText: `${toSearchText(name)} ${unit.code.toLowerCase()}`,
          level: unit.level,
          kind,
          parentCode: unit.parentCode,
          validFrom: D,
          validTo: null,
          attributes: unit.attributes,
        })
        .returning({ id: unitVersions.id, code: unitVersions.code, name: unitVersions.name });
      if (row) opened.push(row);
    }
    const openedByCode = new Map(opened.map((o) => [o.code, o]));

    // 4. Lineage: from a unit this change closes to one it opens. Every edge thus runs from a version ending on D to
    //    a version starting on D, and every version starts before it ends, so following edges always moves forward
    //    in time: a cycle cannot be written (the property test in units.int.test.ts checks it on random histories).
    for (const edge of change.edges) {
      const from = closedByCode.get(edge.from);
      const to = openedByCode.get(edge.to);
      if (!from && (await versionOn(tx, edge.from, D)))
        refuse(
          "successor_before_predecessor_ends",
          {
            vi: `${edge.from} vẫn còn hiệu lực sau ${eve}; hãy đóng nó trong thay đổi này (và mở phiên bản mới nếu nó tiếp tục)`,
            en: `${edge.from} stays valid after ${eve}; close it in this change (and open its new version if it continues)`,
          },
          { from: edge.from, to: edge.to },
        );
      if (!from || !to)
        refuse(
          "edge_outside_change",
          { vi: `${edge.from} → ${edge.to}`, en: `${edge.from} → ${edge.to}` },
          { from: edge.from, to: edge.to },
        );
      if (edge.kind === "full" && edge.share !== null && edge.share !== 1)
        refuse(
          "full_edge_with_share",
          { vi: `${edge.from} → ${edge.to}`, en: `${edge.from} → ${edge.to}` },
          { from: edge.from, to: edge.to },
        );
    }
    const [event] = await tx
      .insert(unitEvents)
      .values({
        kind: change.kind,
        effectiveDate: D,
        document: change.document,
        clause: change.clause,
        note: change.note,
      })
      .returning({ id: unitEvents.id });
    if (!event) throw new Error("event insert returned nothing");
    for (const edge of change.edges) {
      const from = closedByCode.get(edge.from);
      const to = openedByCode.get(edge.to);
      if (!from || !to) continue;
      await tx.insert(lineageEdges).values({
        predecessorId: from.id,
        successorId: to.id,
        kind: edge.kind,
        share: edge.share === null ? null : String(edge.share),
        eventId: event.id,
      });
    }
    for (const v of closed) {
      const total = rowsOf<{ s: string | null }>(
        await tx.execute(sql`SELECT sum(share)::text AS s FROM lineage_edges WHERE predecessor_id = ${v.id}`),
      )[0];
      if (total?.s && Number(total.s) > 1 + 1e-9)
        refuse(
          "shares_exceed_whole",
          {
            vi: `${v.name} (${v.code}) sẽ chuyển đi ${Number(total.s)}`,
            en: `${v.name} (${v.code}) would give away ${Number(total.s)}`,
          },
          {
            code: v.code,
          },
        );
    }
    const links = [
      ...closed.map((v) => ({ eventId: event.id, versionId: v.id, role: "closed" as const })),
      ...opened.map((v) => ({ eventId: event.id, versionId: v.id, role: "opened" as const })),
    ];
    if (links.length) await tx.insert(unitEventVersions).values(links);

    await recordAudit(tx, ctx, {
      action: `units.${change.kind}`,
      recordKind: "unit_event",
      recordId: event.id,
      unitCode: change.open[0]?.parentCode ?? closed[0]?.parent_code ?? null,
      before: { versions: closed.map(({ id: _id, ...v }) => v) },
      after: {
        event: {
          id: event.id,
          kind: change.kind,
          effectiveDate: D,
          document: change.document,
          clause: change.clause,
        },
        closed: closed.map((v) => ({ code: v.code, name: v.name, validTo: D })),
        opened: change.open.map((u) => ({
          code: u.code,
          name: cleanName(u.name),
          level: u.level,
          parentCode: u.parentCode,
        })),
        edges: change.edges,
      },
      reason: change.reason ?? null,
    });
    return { eventId: event.id, closed: closed.map((v) => ({ ...v, valid_to: D })), opened };
  });
}
