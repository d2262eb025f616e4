/**
 * The Content-Disposition of a download (RFC 6266), with the file name twice: `filename*=UTF-8''…` (RFC 5987
 * percent-encoding, which every current browser reads, so "Chiềng Khương.xlsx" keeps its diacritics) and a plain
 * `filename="…"` fallback of ASCII only for older clients. A header value can hold nothing above U+00FF, so a raw
 * Vietnamese name must never be written into it.
 */
export function attachment(fileName: string): string {
  const fallback = asciiFallback(fileName);
  const encoded = encodeRfc5987(fileName);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Diacritics dropped (đ → d), then anything not safe in a quoted string replaced by "_". */
function asciiFallback(name: string): string {
  const plain = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
  return plain.replace(/[^\x20-\x7e]|["\\%]/g, "_") || "download";
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded from UTF-8. */
function encodeRfc5987(name: string): string {
  return encodeURIComponent(name.replace(loneSurrogate, "\uFFFD")).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
