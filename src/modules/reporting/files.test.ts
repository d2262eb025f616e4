import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseXlsxValues } from "./files.ts";

/** A text value a commune types, long enough and repeated enough to cross many inflated chunks of the sheet. */
const notes = Array.from(
  { length: 8000 },
  (_, i) =>
    `Bản Nà Hin ${i}: đường bê tông hoá xong, còn thiếu rãnh thoát nước; hộ ông Lường Văn Điệp đề nghị hỗ trợ`,
);

describe("reading a values workbook", () => {
  it("keeps every Vietnamese text value whole, where exceljs's streaming reader garbled some", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Số liệu");
    sheet.addRow(["unit", "period", "NOTE"]);
    sheet.addRow(["Mã đơn vị", "Kỳ", "Ghi chú"]);
    for (const note of notes) sheet.addRow(["04222", "2025", note]);
    const file = new Uint8Array(await book.xlsx.writeBuffer());
    const values: unknown[] = [];
    for await (const row of parseXlsxValues(file)) values.push(row.value);
    expect(values).toEqual(notes);
  });

  it("refuses a file that is not a workbook, saying so in Vietnamese", async () => {
    const read = async () => {
      for await (const _ of parseXlsxValues(new TextEncoder().encode("unit,period\n04222,2025"))) {
        // nothing: the first read refuses
      }
    };
    await expect(read()).rejects.toMatchObject({
      status: 400,
      messages: { vi: expect.stringContaining("không phải tệp Excel") },
    });
  });
});
