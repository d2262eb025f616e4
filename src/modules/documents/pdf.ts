import { join } from "node:path";
import PDFDocument from "pdfkit";
import { type AdminDocument, nationalMotto, page, placeAndDate, tinosFolder } from "./admin-document.ts";

const pt = (mm: number) => (mm * 72) / 25.4;

/**
 * Creates an A4 pdfkit document with the Tinos faces registered as "regular", "bold", "italic" and "bolditalic",
 * lets `draw` lay it out, and resolves with the bytes. Every PDF the product writes goes through here, so each one
 * embeds the same font (Times New Roman metrics, every Vietnamese glyph) and prints the same everywhere.
 */
export function drawPdf(
  options: PDFKit.PDFDocumentOptions,
  draw: (pdf: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const pdf = new PDFDocument({ size: "A4", ...options, info: { Creator: "Grassroots", ...options.info } });
  pdf.registerFont("regular", join(tinosFolder, "Tinos-Regular.ttf"));
  pdf.registerFont("bold", join(tinosFolder, "Tinos-Bold.ttf"));
  pdf.registerFont("italic", join(tinosFolder, "Tinos-Italic.ttf"));
  pdf.registerFont("bolditalic", join(tinosFolder, "Tinos-BoldItalic.ttf"));
  const chunks: Buffer[] = [];
  pdf.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
  draw(pdf);
  pdf.end();
  return done;
}

/**
 * Renders the document as PDF in the Decree 30/2020/NĐ-CP layout, with Tinos embedded (Times New Roman metrics,
 * every Vietnamese glyph), so that it prints the same everywhere without an office suite.
 */
export function renderPdf(doc: AdminDocument): Promise<Buffer> {
  const margins = {
    top: pt(page.marginMm.top),
    bottom: pt(page.marginMm.bottom),
    left: pt(page.marginMm.left),
    right: pt(page.marginMm.right),
  };
  return drawPdf({ margins, info: { Title: `${doc.kind} ${doc.numberAndSymbol}` } }, (pdf) =>
    drawAdminDocument(pdf, doc, margins),
  );
}

function drawAdminDocument(
  pdf: PDFKit.PDFDocument,
  doc: AdminDocument,
  margins: { top: number; bottom: number; left: number; right: number },
) {
  const left = margins.left;
  const width = pdf.page.width - margins.left - margins.right;
  const leftWidth = width * 0.42;
  const rightX = left + leftWidth;
  const rightWidth = width - leftWidth;
  const top = margins.top;

  /** A centred line in a column; returns the y below it. Underlined lines get a rule as wide as their text. */
  const centred = (
    text: string,
    font: string,
    size: number,
    x: number,
    w: number,
    y: number,
    rule = false,
  ) => {
    pdf.font(font).fontSize(size);
    pdf.text(text, x, y, { width: w, align: "center" });
    const below = pdf.y;
    if (rule) {
      const textWidth = Math.min(pdf.widthOfString(text), w);
      const ruleY = below + 1;
      pdf
        .moveTo(x + (w - textWidth) / 2, ruleY)
        .lineTo(x + (w + textWidth) / 2, ruleY)
        .lineWidth(0.6)
        .stroke();
      return ruleY + 4;
    }
    return below;
  };

  let y = top;
  if (doc.parentBody) y = centred(doc.parentBody.toUpperCase(), "regular", page.headerPt, left, leftWidth, y);
  y = centred(doc.issuingBody.toUpperCase(), "bold", page.headerPt, left, leftWidth, y, true);
  const leftBottom = centred(doc.numberAndSymbol, "regular", page.headerPt, left, leftWidth, y + 2);
  let ry = centred(nationalMotto.country, "bold", page.headerPt, rightX, rightWidth, top);
  ry = centred(nationalMotto.motto, "bold", page.bodyPt, rightX, rightWidth, ry, true);
  const rightBottom = centred(
    placeAndDate(doc.place, doc.date),
    "italic",
    page.bodyPt,
    rightX,
    rightWidth,
    ry + 2,
  );

  y = Math.max(leftBottom, rightBottom) + 24;
  y = centred(doc.kind.toUpperCase(), "bold", page.bodyPt, left, width, y);
  y = centred(doc.title, "bold", page.bodyPt, left, width, y + 2);
  pdf.y = y + 14;

  const indent = pt(page.indentMm);
  for (const block of doc.body) {
    const text = block.kind === "item" ? `${block.label} ${block.text}` : block.text;
    pdf
      .font(block.kind === "heading" ? "bold" : "regular")
      .fontSize(page.bodyPt)
      .text(text, left, pdf.y, { width, align: "justify", indent, paragraphGap: 4, lineGap: 1.5 });
  }

  // Recipients on the left, signature on the right, side by side; a new page when they do not fit.
  const blockHeight = 150;
  if (pdf.y + blockHeight > pdf.page.height - margins.bottom) pdf.addPage();
  const startY = pdf.y + 16;
  const half = width / 2;
  pdf.font("bolditalic").fontSize(12).text("Nơi nhận:", left, startY, { width: half });
  pdf.font("regular").fontSize(page.recipientsPt);
  for (const r of doc.recipients) pdf.text(`- ${r}`, left, pdf.y, { width: half - 8 });
  const recipientsBottom = pdf.y;
  let sy = startY;
  if (doc.signature.authority)
    sy = centred(doc.signature.authority.toUpperCase(), "bold", page.bodyPt, left + half, half, sy);
  sy = centred(doc.signature.title.toUpperCase(), "bold", page.bodyPt, left + half, half, sy);
  centred(doc.signature.name, "bold", page.bodyPt, left + half, half, sy + 70);
  pdf.y = Math.max(recipientsBottom, pdf.y);
}
