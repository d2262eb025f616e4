import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

/**
 * A streaming reader of the first worksheet of an .xlsx, with memory bounded by one batch of rows (plus the file
 * itself and its shared strings). Written for the household import at provincial scale (1.2 M rows), and used by every .xlsx import, after exceljs's
 * streaming reader garbled Vietnamese: it decodes every inflated chunk on its own with one TextDecoder called without
 * `{ stream: true }` (exceljs 4.4.0, lib/utils/browser-buffer-decode.js), so a letter such as "ộ" (three bytes in
 * UTF-8) split between two chunks becomes U+FFFD. Here one decoder per zip entry runs in streaming mode and carries an
 * incomplete sequence over to the next chunk; `decodeUtf8Chunks` is that step alone, tested on its own.
 *
 * The sheet XML is scanned element by element (`<row>` … `</row>`, `<c>` … `</c>`) rather than through a general XML
 * parser: SpreadsheetML cells are flat and machine-written, and this is several times faster than an event per tag.
 */

export class XlsxError extends Error {}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
}

/** The zip's central directory: where each entry's data starts and how it is stored. */
function zipEntries(data: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let end = -1;
  for (let i = data.byteLength - 22; i >= Math.max(0, data.byteLength - 65_557); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw new XlsxError("no zip end-of-directory record");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, ZipEntry>();
  const names = new TextDecoder("utf-8");
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.byteLength || view.getUint32(at, true) !== 0x02014b50)
      throw new XlsxError("broken zip directory");
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(data.subarray(at + 46, at + 46 + nameLength));
    if (local + 30 > data.byteLength || view.getUint32(local, true) !== 0x04034b50)
      throw new XlsxError(`broken zip entry ${name}`);
    const offset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.set(name.replace(/^\//, ""), { name, method, compressedSize, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The raw bytes of one entry, inflated as a stream (bounded chunks, with back-pressure). */
function entryBytes(data: Uint8Array, entry: ZipEntry): AsyncIterable<Uint8Array> {
  const raw = data.subarray(entry.offset, entry.offset + entry.compressedSize);
  if (entry.method === 0) return Readable.from([raw]);
  if (entry.method !== 8) throw new XlsxError(`unsupported zip compression ${entry.method}`);
  const input = Readable.from(
    (function* () {
      for (let i = 0; i < raw.byteLength; i += 65_536) yield raw.subarray(i, i + 65_536);
    })(),
  );
  return input.pipe(createInflateRaw());
}

/**
 * UTF-8 bytes arriving in chunks, as text: one decoder in streaming mode keeps a multi-byte letter split across two
 * chunks whole. Invalid UTF-8 is an error, not a silent replacement character.
 */
export async function* decodeUtf8Chunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (cause) {
    if (cause instanceof TypeError) throw new XlsxError("the XML is not valid UTF-8");
    throw cause;
  }
}

/**
 * Complete elements from streamed text: everything up to the last `close` seen so far is handed over, the unfinished
 * tail waits for the next chunk. `close` is the closing tag of the repeated element (`</row>`, `</si>`).
 */
async function* completeBlocks(text: AsyncIterable<string>, close: RegExp): AsyncGenerator<string> {
  let carry = "";
  for await (const piece of text) {
    carry += piece;
    let last = -1;
    close.lastIndex = 0;
    for (let m = close.exec(carry); m; m = close.exec(carry)) last = m.index + m[0].length;
    if (last > 0) {
      yield carry.slice(0, last);
      carry = carry.slice(last);
    }
  }
  if (carry) yield carry;
}

const entities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML character references and entities, then OOXML's `_xHHHH_` escapes of control characters. */
export function xmlText(raw: string): string {
  let out = raw;
  if (out.includes("&"))
    out = out.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
      e.startsWith("#x")
        ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
        : e.startsWith("#")
          ? String.fromCodePoint(Number(e.slice(1)))
          : (entities[e] ?? ""),
    );
  if (out.includes("_x"))
    out = out.replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return out;
}

const attrPatterns = new Map<string, RegExp>();
/** An attribute's raw value in a tag's attribute text. */
function attr(attrs: string, name: string): string | undefined {
  let pattern = attrPatterns.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:^|\\s)${name}="([^"]*)"`);
    attrPatterns.set(name, pattern);
  }
  return pattern.exec(attrs)?.[1];
}

/** The text of a string item (`<si>` or `<is>`): its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function stringItem(body: string): string {
  const plain = body.includes("<rPh") ? body.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, "") : body;
  let text = "";
  for (const m of plain.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) text += m[1];
  return xmlText(text);
}

async function wholeText(data: Uint8Array, entry: ZipEntry | undefined): Promise<string> {
  if (!entry) return "";
  let text = "";
  for await (const piece of decodeUtf8Chunks(entryBytes(data, entry))) text += piece;
  return text;
}

/** Excel's built-in number formats that show a date. */
const dateFormatIds = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** Which cell styles (`s` index) show a date: built-in date formats and custom ones with day, month or year codes. */
function dateStyles(styles: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<(?:\w+:)?numFmt\b([^>]*)\/?>/g)) {
    const id = attr(m[1] ?? "", "numFmtId");
    const code = attr(m[1] ?? "", "formatCode");
    if (id && code) custom.set(Number(id), xmlText(code));
  }
  const isDate = (id: number) => {
    if (dateFormatIds.has(id)) return true;
    const code = custom.get(id);
    if (!code) return false;
    const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, "");
    return /[dy]/i.test(bare) || /(^|[^h:])m+([^:s]|$)/i.test(bare);
  };
  const result = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(styles)?.[1] ?? "";
  let index = 0;
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)(\/>|>)/g)) {
    if (isDate(Number(attr(m[1] ?? "", "numFmtId") ?? 0))) result.add(index);
    index++;
  }
  return result;
}

/** An Excel date serial as YYYY-MM-DD (1900 or 1904 date system). */
function serialDate(serial: number, date1904: boolean): string {
  const days = date1904 ? serial + 1462 : serial;
  return new Date(Date.UTC(1899, 11, 30) + Math.round(days * 86_400_000)).toISOString().slice(0, 10);
}

/** The column number (1-based) of a cell reference such as "C12". */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + code - 64;
  }
  return n;
}

export interface XlsxRow {
  /** The row number as Excel shows it. */
  row: number;
  /** Cell values by column, 0-based: strings, numbers, booleans, dates as YYYY-MM-DD, null when empty. */
  values: unknown[];
}

/** Where the workbook's first sheet lives (workbook.xml order, through its relationships), sheet1.xml by default. */
function firstSheetPath(workbook: string, rels: string): string {
  const sheet = /<(?:\w+:)?sheet\b([^>]*)\/?>/.exec(workbook)?.[1] ?? "";
  const id = /\br:id="([^"]*)"|\b\w+:id="([^"]*)"/.exec(sheet);
  const rid = id?.[1] ?? id?.[2];
  if (rid)
    for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g))
      if (attr(m[1] ?? "", "Id") === rid) {
        const target = attr(m[1] ?? "", "Target") ?? "";
        return target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}`;
      }
  return "xl/worksheets/sheet1.xml";
}

/**
 * The rows of the workbook's first sheet, in batches of at most `batch` rows, as they are inflated. Throws XlsxError
 * when the file is not a readable .xlsx.
 */
export async function* xlsxRows(data: Uint8Array, batch = 2000): AsyncGenerator<XlsxRow[]> {
  let entries: Map<string, ZipEntry>;
  try {
    entries = zipEntries(data);
  } catch (cause) {
    throw cause instanceof XlsxError ? cause : new XlsxError(String(cause));
  }
  const workbook = await wholeText(data, entries.get("xl/workbook.xml"));
  if (!workbook) throw new XlsxError("no xl/workbook.xml: not a workbook");
  const sheet = entries.get(
    firstSheetPath(workbook, await wholeText(data, entries.get("xl/_rels/workbook.xml.rels"))),
  );
  if (!sheet) throw new XlsxError("the workbook has no worksheet");
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbook);
  const dates = dateStyles(await wholeText(data, entries.get("xl/styles.xml")));
  const shared: string[] = [];
  const sharedEntry = entries.get("xl/sharedStrings.xml");
  if (sharedEntry)
    for await (const block of completeBlocks(
      decodeUtf8Chunks(entryBytes(data, sharedEntry)),
      /<\/(?:\w+:)?si>/g,
    ))
      for (const m of block.matchAll(/<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g))
        shared.push(m[1] === undefined ? "" : stringItem(m[1]));

  let out: XlsxRow[] = [];
  let lastRow = 0;
  const rowPattern = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
  const cellPattern = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
  const valuePattern = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;
  const inlinePattern = /<(?:\w+:)?is\b[^>]*>([\s\S]*?)<\/(?:\w+:)?is>/;
  for await (const block of completeBlocks(decodeUtf8Chunks(entryBytes(data, sheet)), /<\/(?:\w+:)?row>/g)) {
    for (const r of block.matchAll(rowPattern)) {
      const rowRef = attr(r[1] ?? "", "r");
      const rowNumber = rowRef ? Number(rowRef) : lastRow + 1;
      lastRow = rowNumber;
      const values: unknown[] = [];
      let column = 0;
      for (const c of (r[2] ?? "").matchAll(cellPattern)) {
        const attrs = c[1] ?? "";
        const ref = attr(attrs, "r");
        column = ref ? columnOf(ref) : column + 1;
        const body = c[2];
        if (body === undefined) continue;
        const type = attr(attrs, "t") ?? "n";
        let value: unknown = null;
        if (type === "inlineStr") value = stringItem(inlinePattern.exec(body)?.[1] ?? "");
        else {
          const v = valuePattern.exec(body)?.[1];
          if (v !== undefined && v !== "") {
            if (type === "s") value = shared[Number(v)] ?? null;
            else if (type === "str" || type === "e") value = xmlText(v);
            else if (type === "b") value = v === "1" || v === "true";
            else if (type === "d") value = xmlText(v).slice(0, 10);
            else {
              const n = Number(v);
              const style = attr(attrs, "s");
              value = style !== undefined && dates.has(Number(style)) ? serialDate(n, date1904) : n;
            }
          }
        }
        while (values.length < column - 1) values.push(null);
        values[column - 1] = value;
      }
      out.push({ row: rowNumber, values });
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
  }
  if (out.length) yield out;
}
