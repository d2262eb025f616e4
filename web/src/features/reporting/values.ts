import type { RawValue, ValueType } from "./api.ts";

/**
 * Values as typed and as shown. Officials type numbers the Vietnamese way ("1.234,5": dot groups thousands, comma
 * marks decimals) or the way a calculator shows them ("1234.5"); both are read, and numbers are shown back in the UI
 * language's style. The server receives plain JSON numbers, never a formatted string.
 */

export type ParsedInput =
  | { ok: true; value: RawValue }
  | { ok: false; reason: "notNumber" | "notInteger" | "tooLong" };

const groupedWith = (sep: "." | ",") =>
  sep === "." ? /^-?\d{1,3}(\.\d{3})+(,\d+)?$/ : /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * "1.234,5", "1234,5", "1234.5", "1 234,5", "1.234.567" → a number; null when the text is not one. In Vietnamese a
 * lone "1.234" is one thousand two hundred and thirty-four (grouping); in English a lone "1,234" is.
 */
export function parseNumber(text: string, language: string): number | null {
  const compact = text
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/^\+/, "")
    .replace(/^−/, "-");
  if (compact === "" || !/^-?[\d.,]+$/.test(compact) || !/\d/.test(compact)) return null;
  const group = language === "en" ? "," : ".";
  let normal: string;
  const hasDot = compact.includes(".");
  const hasComma = compact.includes(",");
  if (hasDot && hasComma) {
    // Both: the one that comes last marks the decimals, the other groups thousands.
    const decimalSep = compact.lastIndexOf(".") > compact.lastIndexOf(",") ? "." : ",";
    const groupSep = decimalSep === "." ? "," : ".";
    if (!groupedWith(groupSep).test(compact)) return null;
    normal = compact.replaceAll(groupSep, "").replace(decimalSep, ".");
  } else if (hasDot || hasComma) {
    const sep: "." | "," = hasDot ? "." : ",";
    const count = compact.split(sep).length - 1;
    // "1.234" in Vietnamese groups thousands; "1234.5" or "3,5" has one decimal separator; "1,234,567" can only group.
    if (sep === group && groupedWith(group).test(compact)) normal = compact.replaceAll(group, "");
    else if (count === 1) normal = compact.replace(sep, ".");
    else if (groupedWith(sep).test(compact)) normal = compact.replaceAll(sep, "");
    else return null;
  } else normal = compact;
  if (!/^-?\d+(\.\d+)?$/.test(normal)) return null;
  const n = Number(normal);
  return Number.isFinite(n) ? n : null;
}

/** 1234.5 → "1.234,5" (vi) or "1,234.5" (en), without rounding what was typed. */
export function formatNumberValue(n: number, language: string): string {
  return new Intl.NumberFormat(language === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 10 }).format(
    n,
  );
}

/** A stored value as the field shows it: numbers in the UI language's style, booleans as "true"/"false". */
export function displayValue(stored: string | null | undefined, type: ValueType, language: string): string {
  if (stored === null || stored === undefined || stored === "") return "";
  if (type === "number" || type === "integer" || type === "percentage") {
    const n = Number(stored);
    return Number.isFinite(n) ? formatNumberValue(n, language) : stored;
  }
  return stored;
}

/** A queued raw value as the field shows it. */
export function displayRaw(raw: RawValue, type: ValueType, language: string): string {
  if (raw === null) return "";
  if (typeof raw === "number") return formatNumberValue(raw, language);
  if (typeof raw === "boolean") return raw ? "true" : "false";
  return displayValue(raw, type, language);
}

/** What the field's text means for its element's type: the value to send, or why it cannot be sent. */
export function parseInput(text: string, type: ValueType, language: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  switch (type) {
    case "text":
      return trimmed.length > 2000 ? { ok: false, reason: "tooLong" } : { ok: true, value: trimmed };
    case "boolean":
      return { ok: true, value: trimmed === "true" };
    default: {
      const n = parseNumber(trimmed, language);
      if (n === null) return { ok: false, reason: "notNumber" };
      if (type === "integer" && !Number.isInteger(n)) return { ok: false, reason: "notInteger" };
      return { ok: true, value: n };
    }
  }
}

/** Whether a value to send is what the server already holds ("348.8" and 348.8 are the same). */
export function sameValue(raw: RawValue, stored: string | null): boolean {
  if (raw === null) return stored === null || stored === "";
  if (stored === null) return false;
  if (typeof raw === "number") return Number(stored) === raw && stored.trim() !== "";
  return String(raw) === stored;
}

/** A stored value in words for history and conflicts: "1.234,5", "Có", "(trống)". */
export function describeStored(
  stored: string | null | undefined,
  type: ValueType,
  language: string,
  words: { yes: string; no: string; empty: string },
): string {
  if (stored === null || stored === undefined || stored === "") return words.empty;
  if (type === "boolean") return stored === "true" ? words.yes : stored === "false" ? words.no : stored;
  return displayValue(stored, type, language);
}

/** A raw value in words (what the person typed). */
export function describeRaw(
  raw: RawValue,
  type: ValueType,
  language: string,
  words: { yes: string; no: string; empty: string },
): string {
  if (raw === null) return words.empty;
  return describeStored(typeof raw === "string" ? raw : String(raw), type, language, words);
}
