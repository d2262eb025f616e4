import JSZip from "jszip";
import PDFParser from "pdf2json";

/** Test helper: the text of a DOCX's main part (word/document.xml), runs joined, tags dropped. */
export async function docxText(file: Buffer): Promise<{ text: string; xml: string }> {
  const zip = await JSZip.loadAsync(file);
  const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  const text = xml
    .replace(/<\/w:p>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
  return { text, xml };
}

/** Test helper: the text of a PDF, read back by an independent parser (pdf2json), and its number of pages. */
export function pdfText(file: Buffer): Promise<{ text: string; pages: number }> {
  return new Promise((resolve, reject) => {
    const parser = new PDFParser(null, true);
    parser.on("pdfParser_dataError", (e) => reject(e instanceof Error ? e : new Error(String(e))));
    parser.on("pdfParser_dataReady", (data) => {
      resolve({ text: parser.getRawTextContent(), pages: data.Pages.length });
    });
    parser.parseBuffer(file);
  });
}
