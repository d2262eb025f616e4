import { readNumber } from "../../../../src/modules/reporting/number-text.ts";
import type { RawValue, ValueType } from "./api.ts";

/**
 * Values as typed and as shown. Officials type numbers the Vietnamese way ("1.234,5": dot groups thousands, comma
 * marks decimals) or the way a calculator shows them ("1234.5"); both are read, and numbers are shown back in the UI
 * language's style. The server receives plain JSON numbers, never a formatted string.
 */

export type ParsedInput =
  | { ok: true; value: RawValue }
  | { ok: false; reason: "notNumber" | "notInteger" | "tooLong" }
  /** "1.250": thousands or decimals? The entry screen asks (number-text.ts). */
  | { ok: false; reason: "ambiguous"; grouped: number; decimal: number };

/**
 * "1.234,5", "1234,5", "1234.5", "1 234,5", "1.234.567" → a number; null when the text is not one or could be read
 * two ways ("1.250"), which parseInput turns into a question.
 */
export function parseNumber(text: string, language: string): number | null {
  const reading = readNumber(text, language);
  return reading.kind === "number" ? reading.value : null;
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
      const reading = readNumber(trimmed, language);
      if (reading.kind === "invalid") return { ok: false, reason: "notNumber" };
      if (reading.kind === "ambiguous") {
        // Only one reading fits the element: a count has no decimals, a percentage goes to 100.
        if (type === "integer") return { ok: true, value: reading.grouped };
        if (type === "percentage" && reading.grouped > 100) return { ok: true, value: reading.decimal };
        return { ok: false, reason: "ambiguous", grouped: reading.grouped, decimal: reading.decimal };
      }
      const n = reading.value;
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
