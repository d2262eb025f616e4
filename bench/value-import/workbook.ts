import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { type Db, rowsOf } from "../../src/db/client.ts";
import type { RequestContext } from "../../src/modules/access/actor.ts";
import { createDataElement } from "../../src/modules/reporting/catalogue.ts";
import { createForm } from "../../src/modules/reporting/form-designer.ts";

/** The benchmark's form: 40 number elements, reported yearly by 2,500 of today's communes = 100,000 values. */
export const BENCH_FORM = "BENCH_IMPORT";
const ELEMENTS = 40;
const UNITS = 2500;
const elementCode = (i: number) => `BENCH_E${String(i + 1).padStart(2, "0")}`;

export interface BenchUnit {
  code: string;
  name: string;
}

export async function prepareForm(db: Db, ctx: RequestContext): Promise<BenchUnit[]> {
  for (let i = 0; i < ELEMENTS; i++)
    await createDataElement(db, ctx, {
      code: elementCode(i),
      nameVi: `Chỉ tiêu thử ${i + 1}`,
      nameEn: `Bench element ${i + 1}`,
      valueType: "number",
      aggregation: "sum",
    });
  const units = rowsOf<BenchUnit>(
    await db.execute(sql`SELECT code, name FROM unit_versions
      WHERE level = 'commune' AND valid_to IS NULL ORDER BY code LIMIT ${UNITS}`),
  );
  await createForm(db, ctx, {
    code: BENCH_FORM,
    nameVi: "Biểu thử nhập tệp",
    nameEn: "Import bench form",
    periodType: "yearly",
    sections: [
      {
        nameVi: "Chung",
        nameEn: "All",
        elements: Array.from({ length: ELEMENTS }, (_, i) => elementCode(i)),
      },
    ],
    units: units.map((u) => u.code),
  });
  return units;
}

/**
 * Writes the form's filled sheet for 2025 as the template has it (codes, then names, then one row per commune), with
 * values depending on `seed`; with `padTo`, a second sheet of notes makes the file about that many bytes, as
 * officials' workbooks carry more than the values.
 */
export async function writeWorkbook(
  file: string,
  units: BenchUnit[],
  seed: number,
  padTo = 0,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = workbook.addWorksheet("KTXH 2025");
  const codes = Array.from({ length: ELEMENTS }, (_, i) => elementCode(i));
  sheet.addRow(["unit", "unit_name", "period", ...codes]).commit();
  sheet.addRow(["Mã đơn vị", "Tên đơn vị", "Kỳ", ...codes.map((_, i) => `Chỉ tiêu thử ${i + 1}`)]).commit();
  units.forEach((u, r) => {
    sheet
      .addRow([
        u.code,
        u.name,
        "2025",
        ...codes.map((_, i) => ((r * 31 + i * 7 + seed * 13) % 997) + seed / 10),
      ])
      .commit();
  });
  sheet.commit();
  if (padTo > 0) {
    const notes = workbook.addWorksheet("Ghi chú");
    // Random text hardly compresses: about 0.76 bytes in the zip per character written.
    const cells = Math.ceil(padTo / 0.76 / 1000);
    for (let i = 0; i < cells; i += 4)
      notes.addRow(Array.from({ length: 4 }, () => randomBytes(750).toString("base64"))).commit();
    notes.commit();
  }
  await workbook.commit();
}
