import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { type AdminDocument, nationalMotto, page, placeAndDate } from "./admin-document.ts";

/** Twentieths of a point per millimetre, the unit of page sizes and margins in Word. */
const twips = (mm: number) => Math.round((mm * 1440) / 25.4);
/** Word sizes type in half-points. */
const half = (pt: number) => pt * 2;
const noBorder = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" } as const;
const noBorders = {
  top: noBorder,
  bottom: noBorder,
  left: noBorder,
  right: noBorder,
  insideHorizontal: noBorder,
  insideVertical: noBorder,
};

interface Line {
  text: string;
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size: number;
  align?: "left" | "center" | "justify";
}

const para = (l: Line, extra: { indent?: boolean; after?: number } = {}) =>
  new Paragraph({
    alignment:
      l.align === "left"
        ? AlignmentType.LEFT
        : l.align === "justify"
          ? AlignmentType.JUSTIFIED
          : AlignmentType.CENTER,
    spacing: { after: extra.after ?? 0, line: 276 },
    ...(extra.indent ? { indent: { firstLine: twips(page.indentMm) } } : {}),
    children: [
      new TextRun({
        text: l.text,
        bold: l.bold ?? false,
        italics: l.italics ?? false,
        size: half(l.size),
        ...(l.underline ? { underline: {} } : {}),
      }),
    ],
  });

/** Renders the document as DOCX (Office Open XML), in the Decree 30/2020/NĐ-CP layout. */
export async function renderDocx(doc: AdminDocument): Promise<Buffer> {
  const contentWidth = page.widthMm - page.marginMm.left - page.marginMm.right;
  const cell = (children: Paragraph[], widthMm: number) =>
    new TableCell({ children, width: { size: twips(widthMm), type: WidthType.DXA }, borders: noBorders });
  const header = new Table({
    width: { size: twips(contentWidth), type: WidthType.DXA },
    columnWidths: [twips(contentWidth * 0.42), twips(contentWidth * 0.58)],
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          cell(
            [
              ...(doc.parentBody ? [para({ text: doc.parentBody.toUpperCase(), size: page.headerPt })] : []),
              para({ text: doc.issuingBody.toUpperCase(), bold: true, underline: true, size: page.headerPt }),
              para({ text: doc.numberAndSymbol, size: page.headerPt }),
            ],
            contentWidth * 0.42,
          ),
          cell(
            [
              para({ text: nationalMotto.country, bold: true, size: page.headerPt }),
              para({ text: nationalMotto.motto, bold: true, underline: true, size: page.bodyPt }),
              para({ text: placeAndDate(doc.place, doc.date), italics: true, size: page.bodyPt }),
            ],
            contentWidth * 0.58,
          ),
        ],
      }),
    ],
  });
  const body = doc.body.map((b) =>
    b.kind === "heading"
      ? para({ text: b.text, bold: true, size: page.bodyPt, align: "justify" }, { indent: true, after: 60 })
      : b.kind === "item"
        ? para(
            { text: `${b.label} ${b.text}`, size: page.bodyPt, align: "justify" },
            { indent: true, after: 60 },
          )
        : para({ text: b.text, size: page.bodyPt, align: "justify" }, { indent: true, after: 60 }),
  );
  const footer = new Table({
    width: { size: twips(contentWidth), type: WidthType.DXA },
    columnWidths: [twips(contentWidth * 0.5), twips(contentWidth * 0.5)],
    borders: noBorders,
    rows: [
      new TableRow({
        children: [
          cell(
            [
              para({ text: "Nơi nhận:", bold: true, italics: true, size: 12, align: "left" }),
              ...doc.recipients.map((r) => para({ text: `- ${r}`, size: page.recipientsPt, align: "left" })),
            ],
            contentWidth * 0.5,
          ),
          cell(
            [
              ...(doc.signature.authority
                ? [para({ text: doc.signature.authority.toUpperCase(), bold: true, size: page.bodyPt })]
                : []),
              para(
                { text: doc.signature.title.toUpperCase(), bold: true, size: page.bodyPt },
                { after: 1400 },
              ),
              para({ text: doc.signature.name, bold: true, size: page.bodyPt }),
            ],
            contentWidth * 0.5,
          ),
        ],
      }),
    ],
  });
  const document = new Document({
    creator: "Grassroots",
    title: `${doc.kind} ${doc.numberAndSymbol}`,
    styles: { default: { document: { run: { font: "Times New Roman", size: half(page.bodyPt) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(page.widthMm), height: twips(page.heightMm) },
            margin: {
              top: twips(page.marginMm.top),
              bottom: twips(page.marginMm.bottom),
              left: twips(page.marginMm.left),
              right: twips(page.marginMm.right),
            },
          },
        },
        children: [
          header,
          para({ text: "", size: page.bodyPt }, { after: 240 }),
          para({ text: doc.kind.toUpperCase(), bold: true, size: page.bodyPt }),
          para({ text: doc.title, bold: true, size: page.bodyPt }, { after: 240 }),
          ...body,
          para({ text: "", size: page.bodyPt }, { after: 240 }),
          footer,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
