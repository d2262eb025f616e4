import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, notFound } from "../../http/errors.ts";
import { hasForbiddenCharacter } from "../../http/text.ts";
import { recordAudit } from "../audit/record.ts";
import { actorIdOf, type SessionsContext } from "./common.ts";
import { getDirection } from "./directions.ts";
import { attachments, directions, progressReports } from "./schema.ts";

export interface AttachmentStore {
  dir: string;
  maxBytes: number;
}

/**
 * The kinds of evidence accepted: documents, spreadsheets, photos, text. Each is recognised by its first bytes too, so
 * a renamed executable is refused whatever it calls itself.
 */
const accepted: Record<string, { extensions: string[]; magic: ((b: Uint8Array) => boolean) | null }> = {
  "application/pdf": { extensions: [".pdf"], magic: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46]) },
  "image/jpeg": { extensions: [".jpg", ".jpeg"], magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  "image/png": { extensions: [".png"], magic: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47]) },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    extensions: [".docx"],
    magic: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]),
  },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    extensions: [".xlsx"],
    magic: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]),
  },
  "text/plain": { extensions: [".txt"], magic: null },
};

const startsWith = (b: Uint8Array, prefix: number[]) => prefix.every((x, i) => b[i] === x);

export const acceptedTypes = Object.keys(accepted);

/** 415 unless the declared type is accepted, the name ends as that type does and the bytes look like it. */
export function checkType(fileName: string, contentType: string, bytes: Uint8Array): string {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const rule = accepted[type];
  const lower = fileName.toLowerCase();
  const nameFits = rule?.extensions.some((e) => lower.endsWith(e)) ?? false;
  if (!rule || !nameFits || (rule.magic && !rule.magic(bytes)))
    throw new AppError(
      415,
      "unsupported_type",
      {
        vi: `Không nhận loại tệp này (${type || "không rõ"}, ${fileName}); chỉ nhận PDF, ảnh JPEG/PNG, Word, Excel, văn bản.`,
        en: `This kind of file is not accepted (${type || "unknown"}, ${fileName}); PDF, JPEG/PNG, Word, Excel and text only.`,
      },
      { accepted: acceptedTypes },
    );
  return type;
}

export function tooLarge(maxBytes: number) {
  return new AppError(413, "too_large", {
    vi: `Tệp quá lớn: tối đa ${Math.round(maxBytes / 1024 / 1024)} MB.`,
    en: `The file is too large: at most ${Math.round(maxBytes / 1024 / 1024)} MB.`,
  });
}

/**
 * Stores an evidence file of a progress report: by its SHA-256 in the attachments folder (a file already there is
 * kept, so the same photo sent twice takes the space once), then its record and audit event in one transaction.
 */
export async function attachToReport(
  db: Db,
  ctx: SessionsContext,
  store: AttachmentStore,
  reportId: number,
  file: { fileName: string; contentType: string; bytes: Uint8Array },
) {
  if (file.bytes.byteLength > store.maxBytes) throw tooLarge(store.maxBytes);
  if (file.bytes.byteLength === 0)
    throw badRequest("empty_file", { vi: "Tệp rỗng.", en: "The file is empty." });
  const fileName = file.fileName.trim().replace(/[\\/]/g, "_").slice(0, 200);
  if (!fileName || hasForbiddenCharacter(fileName))
    throw badRequest(
      "invalid_file_name",
      { vi: "Tên tệp không hợp lệ.", en: "The file name is not valid." },
      { fields: [{ field: "fileName", message: "invalid" }] },
    );
  const type = checkType(fileName, file.contentType, file.bytes);
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
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  await mkdir(store.dir, { recursive: true });
  const path = join(store.dir, sha256);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const temp = `${path}.${randomBytes(6).toString("hex")}.part`;
    await writeFile(temp, file.bytes);
    await rename(temp, path);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(attachments)
      .values({
        ownerKind: "progress_report",
        ownerId: reportId,
        fileName,
        contentType: type,
        size: file.bytes.byteLength,
        sha256,
        uploadedBy: actorIdOf(ctx.actor),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const view = { id: row.id, fileName, contentType: type, size: row.size, sha256 };
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
  const missing = notFound("attachment_not_found", {
    vi: `Không có tệp đính kèm số ${id}.`,
    en: `No attachment ${id}.`,
  });
  const [row] = await db
    .select({ file: attachments, directionId: progressReports.directionId })
    .from(attachments)
    .innerJoin(progressReports, eq(progressReports.id, attachments.ownerId))
    .innerJoin(directions, eq(directions.id, progressReports.directionId))
    .where(and(eq(attachments.id, id), eq(attachments.ownerKind, "progress_report")));
  if (!row) throw missing;
  await getDirection(db, ctx, row.directionId);
  const bytes = await readFile(join(store.dir, row.file.sha256)).catch(() => null);
  if (!bytes || createHash("sha256").update(bytes).digest("hex") !== row.file.sha256)
    throw new AppError(500, "attachment_damaged", {
      vi: "Tệp đính kèm bị mất hoặc hỏng trên máy chủ.",
      en: "The attachment is missing or damaged on the server.",
    });
  return { fileName: row.file.fileName, contentType: row.file.contentType, bytes };
}
