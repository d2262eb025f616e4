import type { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, notFound } from "../../http/errors.ts";
import type { AnalyticsEngine } from "../analytics/index.ts";
import { recordAudit } from "../audit/record.ts";
import { indicators } from "../reporting/schema.ts";
import {
  actorIdOf,
  assertCovers,
  readableCodes,
  type SessionsContext,
  unitNames,
  versionConflict,
} from "./common.ts";
import type { meetingInput, meetingPatch } from "./inputs.ts";
import { meetingDelegates, meetings, meetingUnits } from "./schema.ts";

/** One indicator of a unit as it stood on the meeting's date: the latest yearly value reported by then. */
export interface SnapshotItem {
  code: string;
  nameVi: string;
  nameEn: string;
  /** The period the value is of, or null when the unit had reported none. */
  period: string | null;
  value: number | null;
  decimals: number;
}

export interface Snapshot {
  /** YYYY-MM-DD the snapshot describes. */
  asOf: string;
  items: SnapshotItem[];
  /** Indicators with a value / indicators in the catalogue: the snapshot's coverage. */
  reported: number;
  expected: number;
}

/**
 * Each unit's indicators on `date`: the value of the last full year before it and of the year itself, the later one
 * kept. Read once when the meeting is recorded and stored with it, so the report keeps the figures it was given with.
 */
export async function snapshotIndicators(
  db: DbOrTx,
  engine: AnalyticsEngine,
  unitCodes: readonly string[],
  date: string,
): Promise<Map<string, Snapshot>> {
  const list = await db
    .select({
      code: indicators.code,
      nameVi: indicators.nameVi,
      nameEn: indicators.nameEn,
      decimals: indicators.decimals,
    })
    .from(indicators)
    .orderBy(asc(indicators.code));
  const year = Number(date.slice(0, 4));
  const periods = [String(year - 1), String(year)];
  const result = new Map<string, Snapshot>();
  const pivot =
    list.length && unitCodes.length
      ? await engine.pivot(
          {
            data: list.map((i) => i.code),
            periods,
            units: unitCodes.map((code) => ({ code, mode: "self" as const })),
            hierarchyDate: date,
          },
          { today: date },
        )
      : { rows: [] };
  for (const unit of unitCodes) {
    const items = list.map((i) => {
      const rows = pivot.rows
        .filter((r) => r.unit === unit && r.data === i.code && r.value !== null)
        .sort((a, b) => b.period.localeCompare(a.period));
      const latest = rows[0];
      return {
        code: i.code,
        nameVi: i.nameVi,
        nameEn: i.nameEn,
        decimals: i.decimals,
        period: latest?.period ?? null,
        value: latest?.value ?? null,
      };
    });
    result.set(unit, {
      asOf: date,
      items,
      reported: items.filter((i) => i.value !== null).length,
      expected: items.length,
    });
  }
  return result;
}

export async function recordMeeting(
  db: Db,
  ctx: SessionsContext,
  engine: AnalyticsEngine,
  input: z.output<typeof meetingInput>,
) {
  await assertCovers(db, ctx.actor, input.issuerUnitCode, {
    vi: `Đơn vị ${input.issuerUnitCode} ngoài phạm vi của bạn.`,
    en: `Unit ${input.issuerUnitCode} is outside your scope.`,
  });
  const codes = input.units.map((u) => u.code);
  if (new Set(codes).size !== codes.length)
    throw new AppError(
      422,
      "duplicate_unit",
      { vi: "Một đơn vị được ghi hai lần.", en: "A unit is listed twice." },
      {
        fields: [{ field: "units", message: "duplicate unit" }],
      },
    );
  const names = await unitNames(db, [input.issuerUnitCode, ...codes], input.heldOn, "units");
  for (const code of codes)
    await assertCovers(db, ctx.actor, code, {
      vi: `Đơn vị ${code} ngoài phạm vi của bạn.`,
      en: `Unit ${code} is outside your scope.`,
    });
  const snapshots = await snapshotIndicators(db, engine, codes, input.heldOn);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(meetings)
      .values({
        title: input.title,
        heldOn: input.heldOn,
        place: input.place,
        issuerUnitCode: input.issuerUnitCode,
        issuingBody: input.issuingBody,
        parentBody: input.parentBody ?? "",
        chairName: input.chairName,
        chairPosition: input.chairPosition,
        agenda: input.agenda ?? "",
        minutes: input.minutes ?? "",
        noticeNumber: input.notice?.number ?? null,
        noticeSymbol: input.notice?.symbol ?? null,
        noticeDate: input.notice?.date ?? null,
        signerName: input.notice?.signerName ?? null,
        signerTitle: input.notice?.signerTitle ?? null,
        recipients: input.notice?.recipients ?? "",
        isIllustrative: input.isIllustrative ?? false,
        createdBy: actorIdOf(ctx.actor),
      })
      .returning({ id: meetings.id });
    if (!row) throw new Error("insert returned nothing");
    if (input.delegates.length)
      await tx
        .insert(meetingDelegates)
        .values(input.delegates.map((d, i) => ({ meetingId: row.id, position: i + 1, ...d })));
    await tx.insert(meetingUnits).values(
      input.units.map((u, i) => ({
        meetingId: row.id,
        unitCode: u.code,
        unitName: names.get(u.code) ?? u.code,
        position: i + 1,
        report: u.report ?? "",
        snapshot: snapshots.get(u.code) ?? { asOf: input.heldOn, items: [], reported: 0, expected: 0 },
      })),
    );
    const view = await meetingView(tx, row.id);
    await recordAudit(tx, ctx, {
      action: "meeting.record",
      recordKind: "meeting",
      recordId: row.id,
      unitCode: input.issuerUnitCode,
      after: view,
    });
    return view;
  });
}

export async function updateMeeting(
  db: Db,
  ctx: SessionsContext,
  id: number,
  input: z.output<typeof meetingPatch>,
) {
  const before = await getMeeting(db, ctx, id);
  await assertCovers(db, ctx.actor, before.issuerUnitCode, {
    vi: "Cuộc họp này ngoài phạm vi của bạn.",
    en: "This meeting is outside your scope.",
  });
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(meetings)
      .set({
        ...(input.agenda !== undefined ? { agenda: input.agenda } : {}),
        ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
        ...(input.notice
          ? {
              noticeNumber: input.notice.number,
              noticeSymbol: input.notice.symbol,
              noticeDate: input.notice.date,
              signerName: input.notice.signerName,
              signerTitle: input.notice.signerTitle,
              recipients: input.notice.recipients ?? "",
            }
          : {}),
        version: sql`${meetings.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(meetings.id, id), eq(meetings.version, input.expectedVersion)))
      .returning({ id: meetings.id });
    if (changed.length === 0) {
      const c = versionConflict({ vi: "Cuộc họp", en: "The meeting" });
      throw new AppError(409, c.code, c.message, { current: before });
    }
    const after = await meetingView(tx, id);
    await recordAudit(tx, ctx, {
      action: "meeting.update",
      recordKind: "meeting",
      recordId: id,
      unitCode: before.issuerUnitCode,
      before,
      after,
    });
    return after;
  });
}

export type MeetingView = Awaited<ReturnType<typeof meetingView>>;

async function meetingView(db: DbOrTx, id: number) {
  const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
  if (!m)
    throw notFound("meeting_not_found", {
      vi: `Không có cuộc họp số ${id}.`,
      en: `No meeting ${id}.`,
    });
  const delegates = await db
    .select()
    .from(meetingDelegates)
    .where(eq(meetingDelegates.meetingId, id))
    .orderBy(asc(meetingDelegates.position));
  const units = await db
    .select()
    .from(meetingUnits)
    .where(eq(meetingUnits.meetingId, id))
    .orderBy(asc(meetingUnits.position));
  return {
    id: m.id,
    title: m.title,
    heldOn: m.heldOn,
    place: m.place,
    issuerUnitCode: m.issuerUnitCode,
    issuingBody: m.issuingBody,
    parentBody: m.parentBody,
    chair: { name: m.chairName, position: m.chairPosition },
    agenda: m.agenda,
    minutes: m.minutes,
    notice:
      m.noticeNumber && m.noticeSymbol && m.noticeDate
        ? {
            number: m.noticeNumber,
            symbol: m.noticeSymbol,
            date: m.noticeDate,
            signerName: m.signerName ?? "",
            signerTitle: m.signerTitle ?? "",
            recipients: m.recipients,
          }
        : null,
    isIllustrative: m.isIllustrative,
    version: m.version,
    delegates: delegates.map((d) => ({ name: d.name, title: d.title, body: d.body })),
    units: units.map((u) => ({
      code: u.unitCode,
      name: u.unitName,
      report: u.report,
      snapshot: u.snapshot as Snapshot,
    })),
  };
}

/** Whether the actor reads this meeting: the province that held it, or a unit that took part. */
async function canRead(db: DbOrTx, ctx: SessionsContext, m: { issuerUnitCode: string; unitCodes: string[] }) {
  const codes = await readableCodes(db, ctx.actor);
  return codes === null || codes.has(m.issuerUnitCode) || m.unitCodes.some((c) => codes.has(c));
}

export async function getMeeting(db: DbOrTx, ctx: SessionsContext, id: number) {
  const view = await meetingView(db, id);
  if (
    !(await canRead(db, ctx, {
      issuerUnitCode: view.issuerUnitCode,
      unitCodes: view.units.map((u) => u.code),
    }))
  )
    throw notFound("meeting_not_found", { vi: `Không có cuộc họp số ${id}.`, en: `No meeting ${id}.` });
  return view;
}

/** Meetings the actor reads, newest first, with their units. */
export async function listMeetings(db: DbOrTx, ctx: SessionsContext, filter: { unit?: string } = {}) {
  const codes = await readableCodes(db, ctx.actor);
  const rows = await db.select().from(meetings).orderBy(desc(meetings.heldOn), desc(meetings.id));
  if (rows.length === 0) return [];
  const units = await db
    .select({ meetingId: meetingUnits.meetingId, code: meetingUnits.unitCode, name: meetingUnits.unitName })
    .from(meetingUnits)
    .where(
      inArray(
        meetingUnits.meetingId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(meetingUnits.position));
  return rows
    .map((m) => ({
      id: m.id,
      title: m.title,
      heldOn: m.heldOn,
      place: m.place,
      issuerUnitCode: m.issuerUnitCode,
      chair: { name: m.chairName, position: m.chairPosition },
      hasNotice: m.noticeNumber !== null,
      isIllustrative: m.isIllustrative,
      units: units.filter((u) => u.meetingId === m.id).map((u) => ({ code: u.code, name: u.name })),
    }))
    .filter(
      (m) =>
        (codes === null || codes.has(m.issuerUnitCode) || m.units.some((u) => codes.has(u.code))) &&
        (!filter.unit || m.units.some((u) => u.code === filter.unit)),
    );
}
