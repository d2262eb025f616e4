import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { decodeUtf8Chunks, xlsxRows } from "../documents/xlsx-reader.ts";
import { sheetRows } from "./sheets.ts";

async function* chunksOf(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}
const collect = async (it: AsyncIterable<string>) => {
  let s = "";
  for await (const piece of it) s += piece;
  return s;
};

/** Vietnamese names, many letters three bytes long in UTF-8, numbered so that each row is different. */
const names = Array.from(
  { length: 6000 },
  (_, i) => `Nguyễn Thị Ngọc Hường ${i} Lường Văn Điệp Quàng Thị Ỉn Đặng Hữu Tuấn Vũ Thị Hồng Nhung`,
);

async function workbook(sharedStrings: boolean): Promise<Uint8Array> {
  if (sharedStrings) {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("Hộ");
    ws.addRow(["Mã hộ", "Họ và tên", "Ngày"]);
    names.forEach((n, i) => {
      ws.addRow([`H${i}`, n, new Date(Date.UTC(2025, 8, 30))]);
    });
    ws.getColumn(3).numFmt = "dd/mm/yyyy";
    return new Uint8Array(await book.xlsx.writeBuffer());
  }
  // The streaming writer without shared strings: every name inline in the sheet XML.
  const chunks: Buffer[] = [];
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough();
  out.on("data", (c: Buffer) => chunks.push(c));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const ws = book.addWorksheet("Hộ");
  ws.addRow(["Mã hộ", "Họ và tên", "Ngày"]).commit();
  names.forEach((n, i) => {
    ws.addRow([`H${i}`, n, "30/09/2025"]).commit();
  });
  ws.commit();
  await book.commit();
  return new Uint8Array(Buffer.concat(chunks));
}

describe("streaming .xlsx reader", () => {
  it("keeps a Vietnamese letter whole when a chunk boundary splits its bytes", async () => {
    const bytes = new TextEncoder().encode("Hộ ông Lường Văn Điệp, bản Nà Hạ");
    // One byte at a time: every multi-byte letter is split across chunks.
    expect(await collect(decodeUtf8Chunks(chunksOf(bytes, 1)))).toBe("Hộ ông Lường Văn Điệp, bản Nà Hạ");
  });

  it("reads every Vietnamese name of a sheet far longer than one inflated chunk, inline strings", async () => {
    const file = await workbook(false);
    const read: string[] = [];
    for await (const batch of sheetRows(file, ["Mã hộ", "Họ và tên"], 1000))
      for (const r of batch) read.push(String(r.cells.get("Họ và tên")));
    expect(read).toEqual(names);
  });

  it("reads every Vietnamese name through the shared strings, and a date cell as its day", async () => {
    const file = await workbook(true);
    const rows: unknown[][] = [];
    for await (const batch of xlsxRows(file, 1000)) for (const r of batch) rows.push(r.values);
    expect([rows.slice(1).map((v) => v[1]), rows[1]?.[2], rows[0]]).toEqual([
      names,
      "2025-09-30",
      ["Mã hộ", "Họ và tên", "Ngày"],
    ]);
  });

  it("refuses a file that is not an .xlsx with 400 not_xlsx", async () => {
    const rows = sheetRows(new TextEncoder().encode("Mã hộ,Họ và tên\nH1,Lò Văn Pản"), ["Mã hộ"]);
    await expect(rows.next()).rejects.toMatchObject({ status: 400, code: "not_xlsx" });
  });
});
