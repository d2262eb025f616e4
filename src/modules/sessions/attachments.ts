import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { recordAudit } from "../audit/record.ts";
import {
  type AttachmentStore,
  checkFile,
  readStoredFile,
  storeFile,
  type UploadedFile,
} from "../documents/attachments.ts";
import { actorIdOf, type SessionsContext } from "./common.ts";
import { getDirection } from "./directions.ts";
import { attachments, directions, progressReports } from "./schema.ts";

/**
 * Stores an evidence file of a progress report in the shared attachments folder, then its record and audit event in
 * one transaction.
 */
export async function attachToReport(
  db: Db,
  ctx: SessionsContext,
  store: AttachmentStore,
  reportId: number,
  upload: UploadedFile,
) {
  const file = checkFile(store, upload);
  const [report] = await db.select().from(progressReports).where(eq(progressReports.id, reportId));
  if (!report)
    throw notFound("report_not_found", {
      vi: `Không có báo cáo tiến độ số ${reportId}.`,
      en: `No progress report ${reportId}.`,
    });
  const direction = await getDirection(db, ctx, report.directionId);
  if (!direction.can.report)
    throw new AppError(403, "forbidden", {
      vi: "Chỉ đơn vị chủ trì đính kèm minh chứng.",
      en: "Only the lead unit attaches evidence.",
    });
  await storeFile(store, file);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(attachments)
      .values({
        ownerKind: "progress_report",
        ownerId: reportId,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actorIdOf(ctx.actor),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const view = {
      id: row.id,
      fileName: file.fileName,
      contentType: file.contentType,
      size: row.size,
      sha256: file.sha256,
    };
    await recordAudit(tx, ctx, {
      action: "direction.attach_evidence",
      recordKind: "direction",
      recordId: report.directionId,
      unitCode: direction.leadUnit.code,
      after: { reportId, ...view },
    });
    return view;
  });
}

/** An attachment's bytes for a reader of its direction; checked against its checksum on the way out. */
export async function readAttachment(db: DbOrTx, ctx: SessionsContext, store: AttachmentStore, id: number) {
  const [row] = await db
    .select({ file: attachments, directionId: progressReports.directionId })
    .from(attachments)
    .innerJoin(progressReports, eq(progressReports.id, attachments.ownerId))
    .innerJoin(directions, eq(directions.id, progressReports.directionId))
    .where(and(eq(attachments.id, id), eq(attachments.ownerKind, "progress_report")));
  if (!row)
    throw notFound("attachment_not_found", {
      vi: `Không có tệp đính kèm số ${id}.`,
      en: `No attachment ${id}.`,
    });
  await getDirection(db, ctx, row.directionId);
  const bytes = await readStoredFile(store, row.file.sha256);
  return { fileName: row.file.fileName, contentType: row.file.contentType, bytes };
}
