import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, rowsOf } from "../../db/client.ts";
import { unprocessable } from "../../http/errors.ts";
import { safeText } from "../../http/text.ts";
import type { RequestContext } from "../access/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { classifyReview } from "./classify.ts";
import { listEntitlements } from "./distributions.ts";
import { classLabels, indicatorLabels, movementLabels } from "./labels.ts";
import { assertOpen, lockReview } from "./reviews.ts";
import { readSheet, type SheetRow, workbookOf } from "./sheets.ts";
import { addLateHouseholds, getReview, parseIncome, surveyRows } from "./surveys.ts";

const INCOME = "Thu nhập cả năm của hộ (đồng)";

async function standardIndicators(db: DbOrTx, reviewId: number): Promise<string[]> {
  const [row] = rowsOf<{ indicators: string[] }>(
    await db.execute(
      sql`SELECT s.indicators FROM poverty_reviews r JOIN poverty_standards s ON s.id = r.standard_id WHERE r.id = ${reviewId}`,
    ),
  );
  return row?.indicators ?? [];
}

/** The survey sheet of a review, one row per household, an "x" under each indicator the household lacks. */
export async function surveyTemplate(db: DbOrTx, ctx: RequestContext, reviewId: number) {
  await lockReview(db, ctx, reviewId, "share");
  const indicators = await standardIndicators(db, reviewId);
  const rows = await surveyRows(db, reviewId, { limit: 1_000_000 });
  return workbookOf(
    "Dieu tra",
    ["Mã hộ", "Họ tên chủ hộ", "Thôn, bản", INCOME, ...indicators.map((i) => indicatorLabels[i] ?? i)],
    rows.map((r) => [
      r.code,
      r.headName,
      r.villageCode,
      r.annualIncome,
      ...indicators.map((i) => (r.lacking.includes(i) ? "x" : "")),
    ]),
    [12, 26, 12, 18, ...indicators.map(() => 12)],
  );
}

export const parseSurveyFile = (data: Uint8Array) => readSheet(data, ["Mã hộ", INCOME]);

/**
 * Survey results from the sheet: all rows or none (every bad row named: an unknown household, an income that is
 * negative or not a number), then the whole review is classified in one statement.
 */
export async function importSurveys(db: Db, ctx: RequestContext, reviewId: number, rows: SheetRow[]) {
  const indicators = await standardIndicators(db, reviewId);
  return db.transaction(async (tx) => {
    const review = await lockReview(tx, ctx, reviewId, "update");
    assertOpen(review);
    const known = new Map(
      rowsOf<{ id: string | number; code: string }>(
        await tx.execute(
          sql`SELECT id, code FROM households WHERE commune_code = ${review.communeCode} AND deleted_at IS NULL`,
        ),
      ).map((h) => [h.code, Number(h.id)]),
    );
    const problems: Array<{ row: number; column: string; message: { vi: string; en: string } }> = [];
    const values: Array<{ id: number; income: number; lacking: string[] }> = [];
    const rowOf: number[] = [];
    for (const r of rows) {
      const code = String(r.cells.get("Mã hộ") ?? "").trim();
      const id = known.get(code);
      if (!id) {
        problems.push({
          row: r.row,
          column: "Mã hộ",
          message: { vi: `không có hộ ${code} trong xã`, en: `no household ${code} in the commune` },
        });
        continue;
      }
      let income: number;
      try {
        income = parseIncome(r.cells.get(INCOME), INCOME);
      } catch (e) {
        const m = (e as { messages?: { vi: string; en: string } }).messages ?? {
          vi: "thu nhập sai",
          en: "bad income",
        };
        problems.push({ row: r.row, column: INCOME, message: m });
        continue;
      }
      const lacking = indicators.filter(
        (i) => String(r.cells.get(indicatorLabels[i] ?? i) ?? "").trim() !== "",
      );
      values.push({ id, income, lacking });
      rowOf.push(r.row);
    }
    for (let i = 0; i < values.length; i += 5000)
      await addLateHouseholds(
        tx,
        reviewId,
        values.slice(i, i + 5000).map((v) => v.id),
      );
    const inReview = new Set(
      rowsOf<{ household_id: string | number }>(
        await tx.execute(sql`SELECT household_id FROM poverty_surveys WHERE review_id = ${reviewId}`),
      ).map((s) => Number(s.household_id)),
    );
    for (const [i, v] of values.entries())
      if (!inReview.has(v.id))
        problems.push({
          row: rowOf[i] ?? 0,
          column: "Mã hộ",
          message: {
            vi: "hộ đăng ký sau ngày rà soát, không thuộc đợt này",
            en: "the household was registered after the review date",
          },
        });
    if (problems.length)
      throw unprocessable(
        "import_rejected",
        {
          vi: `Không nhập dòng nào: ${problems
            .map((p) => `dòng ${p.row}, cột ${p.column}: ${p.message.vi}`)
            .slice(0, 20)
            .join("; ")}`,
          en: `Nothing imported: ${problems
            .map((p) => `row ${p.row}, ${p.column}: ${p.message.en}`)
            .slice(0, 20)
            .join("; ")}`,
        },
        { problems },
      );
    for (let i = 0; i < values.length; i += 5000) {
      const chunk = values.slice(i, i + 5000);
      await addLateHouseholds(
        tx,
        reviewId,
        chunk.map((v) => v.id),
      );
      await tx.execute(sql`UPDATE poverty_surveys s SET annual_income = v.income, lacking = v.lacking, meeting_result = NULL,
        version = s.version + 1
        FROM (VALUES ${sql.join(
          chunk.map(
            (v) => sql`(${v.id}::bigint, ${v.income}::bigint, ${`{${v.lacking.join(",")}}`}::text[])`,
          ),
          sql`, `,
        )}) AS v(id, income, lacking)
        WHERE s.review_id = ${reviewId} AND s.household_id = v.id`);
    }
    await classifyReview(tx, reviewId);
    await recordAudit(tx, ctx, {
      action: "poverty_survey.import",
      recordKind: "poverty_review",
      recordId: reviewId,
      unitCode: review.communeCode,
      after: { households: values.length },
    });
    return { households: values.length };
  });
}

export const exportReason = z.object({ reason: safeText().trim().min(3).max(300) });

/**
 * The poor and near-poor household list of a commune (or one village) for a year, in the layout the commune signs
 * (title, numbered rows, the signatures of the preparer, the village head and the commune chair). Audited with who,
 * what and why.
 */
export async function exportPoorList(
  db: Db,
  ctx: RequestContext,
  reviewId: number,
  reason: string,
  village?: string,
) {
  const review = await getReview(db, ctx, reviewId);
  const rows = (await surveyRows(db, reviewId, { villageCode: village, limit: 1_000_000 })).filter(
    (r) => r.result === "poor" || r.result === "near_poor",
  );
  const [commune] = rowsOf<{ name: string }>(
    await db.execute(
      sql`SELECT name FROM unit_versions WHERE id = (SELECT commune_version_id FROM poverty_reviews WHERE id = ${reviewId})`,
    ),
  );
  await recordAudit(db, ctx, {
    action: "household.export",
    recordKind: "poverty_review",
    recordId: reviewId,
    unitCode: review.communeCode,
    after: { list: "poor_near_poor", year: review.year, village: village ?? null, rows: rows.length },
    reason,
  });
  const body = await workbookOf(
    `Ho ngheo ${review.year}`,
    ["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn, bản", "Số nhân khẩu", "Phân loại", "Diện", "Ghi chú"],
    rows.map((r, i) => [
      i + 1,
      r.code,
      r.headName,
      r.villageCode,
      r.membersCounted,
      classLabels[r.result ?? ""] ?? "",
      r.movement ? (movementLabels[r.movement] ?? "") : "",
      r.meetingNote ?? "",
    ]),
    [6, 14, 28, 12, 10, 16, 16, 24],
    [
      `ỦY BAN NHÂN DÂN ${(commune?.name ?? review.communeCode).toUpperCase()}`,
      `DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM ${review.year}${village ? ` — THÔN, BẢN ${village}` : ""}`,
      `Theo chuẩn: ${review.standard?.nameVi ?? ""}`,
    ],
    [
      [],
      ["", "NGƯỜI LẬP BIỂU", "", "TRƯỞNG THÔN, BẢN", "", "CHỦ TỊCH UBND XÃ"],
      ["", "(Ký, ghi rõ họ tên)", "", "(Ký, ghi rõ họ tên)", "", "(Ký tên, đóng dấu)"],
    ],
  );
  return {
    body,
    fileName: `ho-ngheo-${review.communeCode}-${review.year}${village ? `-${village}` : ""}.xlsx`,
  };
}

/** A cycle's distribution sheet with a signature column, as handed out on the day. Audited. */
export async function exportDistributionSheet(db: Db, ctx: RequestContext, cycleId: number, reason: string) {
  const list = await listEntitlements(db, ctx, cycleId, 1_000_000);
  await recordAudit(db, ctx, {
    action: "household.export",
    recordKind: "support_cycle",
    recordId: cycleId,
    unitCode: list.cycle.communeCode,
    after: { list: "distribution_sheet", rows: list.items.length },
    reason,
  });
  const body = await workbookOf(
    "Danh sach cap phat",
    [
      "STT",
      "Mã hộ",
      "Họ và tên chủ hộ",
      "Thôn, bản",
      "Số lượng",
      "Số tiền (đồng)",
      "Người nhận",
      "Ngày nhận",
      "Ký nhận",
    ],
    list.items.map((r, i) => [
      i + 1,
      r.code,
      r.headName,
      r.villageCode,
      r.quantity,
      r.amount,
      r.receivedBy ?? "",
      r.deliveredOn ?? "",
      "",
    ]),
    [6, 14, 28, 12, 10, 14, 22, 12, 20],
    [
      `DANH SÁCH CẤP PHÁT: ${list.cycle.programme.name.toUpperCase()} — ${list.cycle.name}`,
      `Nguồn: ${list.cycle.programme.funder}`,
    ],
    [
      [],
      ["", "NGƯỜI LẬP DANH SÁCH", "", "", "", "", "CHỦ TỊCH UBND XÃ"],
      ["", "(Ký, ghi rõ họ tên)", "", "", "", "", "(Ký tên, đóng dấu)"],
    ],
  );
  return { body, fileName: `cap-phat-${cycleId}.xlsx` };
}
