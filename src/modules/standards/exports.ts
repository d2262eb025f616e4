/**
 * Scorecard and province overview as .xlsx (exceljs) and PDF (pdfkit with the Tinos font, which has every
 * Vietnamese glyph). Both carry the coverage and the threshold statuses, like the screens.
 */
import ExcelJS from "exceljs";
import { drawPdf } from "../documents/pdf.ts";
import type { CommuneEvaluation, ProvinceSummary } from "./evaluate.ts";
import type { FrameworkSummary } from "./frameworks.ts";
import {
  formatNumber,
  gapText,
  type Lang,
  labels,
  projectionText,
  standardText,
  stateText,
  thresholdText,
  valueText,
  wholeProjectionText,
} from "./labels.ts";

const name = (lang: Lang, x: { nameVi: string; nameEn: string }) => (lang === "vi" ? x.nameVi : x.nameEn);
const groupText = (lang: Lang, g: number | null) => (g === null ? labels[lang].noGroup : String(g));

function scorecardRows(lang: Lang, e: CommuneEvaluation): string[][] {
  return e.criteria.flatMap((c) =>
    c.requirements.length === 0
      ? [[`${c.position}. ${name(lang, c)}`, "", "", "", stateText(lang, c.state), "", ""]]
      : c.requirements.map((r, i) => [
          i === 0 ? `${c.position}. ${name(lang, c)} — ${stateText(lang, c.state)}` : "",
          name(lang, r),
          valueText(lang, r),
          thresholdText(lang, r),
          stateText(lang, r.state),
          gapText(lang, r),
          projectionText(lang, r.projection),
        ]),
  );
}

function scorecardHead(lang: Lang, fw: FrameworkSummary, e: CommuneEvaluation): Array<[string, string]> {
  const L = labels[lang];
  return [
    [L.framework, name(lang, fw)],
    [L.legalBasis, fw.legalBasis ?? ""],
    [L.commune, `${e.unit.name} (${e.unit.code})`],
    [L.group, groupText(lang, e.unit.communeGroup)],
    [L.region, e.unit.region ? name(lang, e.unit.region) : L.noGroup],
    [L.year, String(e.year)],
    [L.coverage, L.coverageText(e.coverage.reported, e.coverage.expected)],
    [L.state, `${L.criteriaMet(e.metCount, e.total)} — ${standardText(lang, e)}`],
    [L.projection, wholeProjectionText(lang, e)],
  ];
}

const tableHeader = (lang: Lang) => {
  const L = labels[lang];
  return [L.criterion, L.requirement, L.value, L.threshold, L.state, L.gap, L.projection];
};

export async function scorecardXlsx(
  lang: Lang,
  fw: FrameworkSummary,
  e: CommuneEvaluation,
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Grassroots";
  const ws = wb.addWorksheet(labels[lang].scorecard.slice(0, 31));
  ws.addRow([`${labels[lang].scorecard}: ${e.unit.name}`]).font = { bold: true, size: 14 };
  for (const [k, v] of scorecardHead(lang, fw, e)) ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.addRow([]);
  const head = ws.addRow(tableHeader(lang));
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE7F0EA" } };
  });
  for (const row of scorecardRows(lang, e)) ws.addRow(row);
  ws.addRow([]);
  ws.addRow([labels[lang].unverifiedNote]).font = { italic: true };
  ws.columns.forEach((col, i) => {
    col.width = [34, 40, 16, 26, 16, 18, 26][i] ?? 16;
    col.alignment = { wrapText: true, vertical: "top" };
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function provinceXlsx(lang: Lang, s: ProvinceSummary): Promise<Uint8Array> {
  const L = labels[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = "Grassroots";
  const ws = wb.addWorksheet(L.province.slice(0, 31));
  ws.addRow([`${L.province}: ${s.unit.name}`]).font = { bold: true, size: 14 };
  for (const [k, v] of provinceHead(lang, s)) ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.addRow([]);
  ws.addRow([L.distribution]).font = { bold: true };
  ws.addRow([L.criteriaCount, L.communesAt, L.communesNoData]).font = { bold: true };
  for (const d of s.distribution) ws.addRow([d.criteriaMet, d.communes, d.withUnknown]);
  ws.addRow([]);
  ws.addRow([L.mostMissed]).font = { bold: true };
  ws.addRow([L.criterion, L.communesNotMet, L.communesNoData]).font = { bold: true };
  for (const m of s.mostMissed) ws.addRow([name(lang, m), m.notMet, m.noData]);
  ws.columns.forEach((col, i) => {
    col.width = [40, 40, 20][i] ?? 16;
  });
  const all = wb.addWorksheet(L.allCommunes.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  all.addRow([L.commune, "Mã / Code", L.group, L.criteriaCount, L.state, L.coverage, L.projection]).font = {
    bold: true,
  };
  for (const e of s.evaluations)
    all.addRow([
      e.unit.name,
      e.unit.code,
      groupText(lang, e.unit.communeGroup),
      `${e.metCount}/${e.total}`,
      standardText(lang, e),
      L.coverageText(e.coverage.reported, e.coverage.expected),
      wholeProjectionText(lang, e),
    ]);
  all.columns.forEach((col, i) => {
    col.width = [28, 10, 14, 14, 30, 30, 60][i] ?? 16;
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function provinceHead(lang: Lang, s: ProvinceSummary): Array<[string, string]> {
  const L = labels[lang];
  return [
    [L.framework, name(lang, s.framework)],
    [L.year, String(s.year)],
    [L.share, `${formatNumber(lang, s.sharePct, 1)} % (${s.met}/${s.communes})`],
    [
      L.target,
      s.programmeTargetPct === null
        ? L.noTarget
        : `${formatNumber(lang, s.programmeTargetPct, 1)} %${s.framework.programmeTargetNote ? ` — ${s.framework.programmeTargetNote}` : ""}`,
    ],
    [L.judged, `${s.judged}/${s.communes}`],
  ];
}

/** A report page: A4 with even margins, through the one PDF writer of the documents module. */
async function pdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  return new Uint8Array(await drawPdf({ margin: 48, info: { Producer: "Grassroots" } }, draw));
}

function keyValues(doc: PDFKit.PDFDocument, rows: Array<[string, string]>) {
  for (const [k, v] of rows) {
    doc.font("bold").fontSize(10.5).text(`${k}: `, { continued: true });
    doc.font("regular").text(v);
  }
}

/** A simple table that breaks across pages, repeating its header. */
function table(doc: PDFKit.PDFDocument, header: string[], rows: string[][], widths: number[]) {
  const x0 = doc.page.margins.left;
  const drawRow = (cells: string[], font: string, shade: boolean) => {
    doc.font(font).fontSize(9);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: (widths[i] ?? 60) - 6 }));
    const h = Math.max(14, ...heights) + 6;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!shade) drawRow(header, "bold", true);
    }
    const y = doc.y;
    let x = x0;
    if (shade)
      doc
        .rect(
          x0,
          y,
          widths.reduce((a, b) => a + b, 0),
          h,
        )
        .fill("#e7f0ea");
    doc.fillColor("#000");
    for (const [i, c] of cells.entries()) {
      const w = widths[i] ?? 60;
      doc
        .font(font)
        .fontSize(9)
        .text(c, x + 3, y + 3, { width: w - 6 });
      x += w;
    }
    doc
      .moveTo(x0, y + h)
      .lineTo(x, y + h)
      .lineWidth(0.4)
      .strokeColor("#999")
      .stroke();
    doc.x = x0;
    doc.y = y + h;
  };
  drawRow(header, "bold", true);
  for (const r of rows) drawRow(r, "regular", false);
  doc.moveDown(0.5);
}

export function scorecardPdf(lang: Lang, fw: FrameworkSummary, e: CommuneEvaluation): Promise<Uint8Array> {
  return pdf((doc) => {
    doc.font("bold").fontSize(15).text(`${labels[lang].scorecard}: ${e.unit.name}`, { align: "center" });
    doc.moveDown(0.6);
    keyValues(doc, scorecardHead(lang, fw, e));
    doc.moveDown(0.6);
    table(doc, tableHeader(lang), scorecardRows(lang, e), [92, 100, 52, 78, 48, 56, 73]);
    doc.font("italic").fontSize(9).text(labels[lang].unverifiedNote);
  });
}

export function provincePdf(lang: Lang, s: ProvinceSummary): Promise<Uint8Array> {
  const L = labels[lang];
  return pdf((doc) => {
    doc.font("bold").fontSize(15).text(`${L.province}: ${s.unit.name}`, { align: "center" });
    doc.moveDown(0.6);
    keyValues(doc, provinceHead(lang, s));
    doc.moveDown(0.6);
    doc.font("bold").fontSize(12).text(L.closest);
    table(
      doc,
      [L.commune, L.group, L.criteriaCount, L.projection],
      s.closest.map((c) => {
        const e = s.evaluations.find((x) => x.unit.code === c.code);
        return [
          `${c.name} (${c.code})`,
          groupText(lang, c.communeGroup),
          `${c.metCount}/${s.framework.criteriaCount}`,
          e ? wholeProjectionText(lang, e) : "",
        ];
      }),
      [130, 60, 70, 239],
    );
    doc.font("bold").fontSize(12).text(L.mostMissed);
    table(
      doc,
      [L.criterion, L.communesNotMet, L.communesNoData],
      s.mostMissed.map((m) => [name(lang, m), String(m.notMet), String(m.noData)]),
      [299, 100, 100],
    );
    doc.font("bold").fontSize(12).text(L.distribution);
    table(
      doc,
      [L.criteriaCount, L.communesAt, L.communesNoData],
      s.distribution.map((d) => [String(d.criteriaMet), String(d.communes), String(d.withUnknown)]),
      [170, 165, 164],
    );
  });
}
