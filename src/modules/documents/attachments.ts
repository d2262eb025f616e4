import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError, badRequest } from "../../http/errors.ts";
import { hasForbiddenCharacter } from "../../http/text.ts";

/**
 * Evidence files shared by every module that keeps them (progress reports of directions, deliveries of support): the
 * type checks, the content-addressed folder and the read back. Each module keeps its own record of who attached what
 * to which of its rows, and its own rule on who may.
 */
export interface AttachmentStore {
  dir: string;
  maxBytes: number;
}

/** The store when the app is given none (tests without a folder, a bare `serve`). */
export const defaultAttachmentStore = (store: AttachmentStore | undefined): AttachmentStore =>
  store ?? { dir: ".data/attachments", maxBytes: 10 * 1024 * 1024 };

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

/** An upload's body, refused with 413 from its declared length before it is read when it says it is too large. */
export async function readUpload(
  req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> },
  store: AttachmentStore,
  fileName: string,
) {
  const declared = Number(req.header("content-length") ?? "0");
  if (declared > store.maxBytes) throw tooLarge(store.maxBytes);
  return {
    fileName,
    contentType: req.header("content-type") ?? "",
    bytes: new Uint8Array(await req.arrayBuffer()),
  };
}

export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A checked file: its cleaned name, its accepted type, its size and SHA-256. */
export interface CheckedFile {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

/** 413 over the limit, 400 empty or with a bad name, 415 of a kind not accepted; nothing is stored yet. */
export function checkFile(store: AttachmentStore, file: UploadedFile): CheckedFile {
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
  const contentType = checkType(fileName, file.contentType, file.bytes);
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  return { fileName, contentType, size: file.bytes.byteLength, sha256, bytes: file.bytes };
}

/**
 * Writes the file under its SHA-256 in the folder (a file already there is kept, so the same photo sent twice takes
 * the space once). Written before the record's transaction: a file without a record is harmless, a record without its
 * file is not.
 */
export async function storeFile(store: AttachmentStore, file: CheckedFile): Promise<void> {
  await mkdir(store.dir, { recursive: true });
  const path = join(store.dir, file.sha256);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) return;
  const temp = `${path}.${randomBytes(6).toString("hex")}.part`;
  await writeFile(temp, file.bytes);
  await rename(temp, path);
}

/** A stored file's bytes, checked against its checksum on the way out (500 when missing or damaged). */
export async function readStoredFile(store: AttachmentStore, sha256: string): Promise<Uint8Array> {
  const bytes = await readFile(join(store.dir, sha256)).catch(() => null);
  if (!bytes || createHash("sha256").update(bytes).digest("hex") !== sha256)
    throw new AppError(500, "attachment_damaged", {
      vi: "Tệp đính kèm bị mất hoặc hỏng trên máy chủ.",
      en: "The attachment is missing or damaged on the server.",
    });
  return new Uint8Array(bytes);
}
