/**
 * Numbers as officials type them. Vietnamese writes "1.234,5" (dot groups thousands, comma marks decimals); a
 * calculator or an English-trained hand writes "1234.5" or "1,234.5". Most texts read one way only; one shape does
 * not: a single separator followed by exactly three digits ("1.250", "12,500"). In Vietnamese "1.250" is one thousand
 * two hundred and fifty, but in a road-length field it is more likely 1.25 typed the English way — so it is not
 * guessed: the reader answers "ambiguous" with both readings, and the entry screen asks.
 *
 * Pure and dependency-free: the browser's entry screen uses it, and its tests run with the server's.
 */

export type NumberReading =
  | { kind: "number"; value: number }
  | { kind: "ambiguous"; grouped: number; decimal: number }
  | { kind: "invalid" };

const groupedWith = (sep: "." | ",") =>
  sep === "." ? /^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/ : /^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;

/** A lone separator with exactly three digits after it and a non-zero lead: thousands, or decimals? */
const ambiguousShape = /^-?[1-9]\d{0,2}[.,]\d{3}$/;

function finite(normal: string): NumberReading {
  if (!/^-?\d+(\.\d+)?$/.test(normal)) return { kind: "invalid" };
  const n = Number(normal);
  return Number.isFinite(n) ? { kind: "number", value: n } : { kind: "invalid" };
}

/**
 * Reads a typed number in the UI language ("vi" or "en"). Spaces (also no-break ones) may group thousands; a leading
 * "+" or the minus sign "−" are accepted.
 */
export function readNumber(text: string, language: string): NumberReading {
  const compact = text
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/^\+/, "")
    .replace(/^−/, "-");
  if (compact === "" || !/^-?[\d.,]+$/.test(compact) || !/\d/.test(compact)) return { kind: "invalid" };
  if (ambiguousShape.test(compact)) {
    const sep = compact.includes(".") ? "." : ",";
    return {
      kind: "ambiguous",
      grouped: Number(compact.replace(sep, "")),
      decimal: Number(compact.replace(sep, ".")),
    };
  }
  const group = language === "en" ? "," : ".";
  const hasDot = compact.includes(".");
  const hasComma = compact.includes(",");
  if (hasDot && hasComma) {
    // Both: the one that comes last marks the decimals, the other groups thousands.
    const decimalSep = compact.lastIndexOf(".") > compact.lastIndexOf(",") ? "." : ",";
    const groupSep = decimalSep === "." ? "," : ".";
    if (!groupedWith(groupSep).test(compact)) return { kind: "invalid" };
    return finite(compact.replaceAll(groupSep, "").replace(decimalSep, "."));
  }
  if (hasDot || hasComma) {
    const sep: "." | "," = hasDot ? "." : ",";
    const count = compact.split(sep).length - 1;
    // "1.234.567" can only group; "1234.5" or "3,5" has one decimal separator.
    if (count > 1)
      return groupedWith(sep).test(compact) ? finite(compact.replaceAll(sep, "")) : { kind: "invalid" };
    if (sep === group && groupedWith(group).test(compact)) return finite(compact.replaceAll(group, ""));
    return finite(compact.replace(sep, "."));
  }
  return finite(compact);
}

const digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/** 0–999 in words; `full` reads leading zeros ("không trăm linh năm") as inside a larger number. */
function threeDigits(n: number, full: boolean): string {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  const words: string[] = [];
  if (hundreds > 0 || full) words.push(digits[hundreds] ?? "", "trăm");
  if (tens === 0) {
    if (ones > 0 && words.length > 0) words.push("linh");
  } else if (tens === 1) words.push("mười");
  else words.push(digits[tens] ?? "", "mươi");
  if (ones > 0) {
    if (ones === 1 && tens >= 2) words.push("mốt");
    else if (ones === 5 && tens >= 1) words.push("lăm");
    else words.push(digits[ones] ?? "");
  }
  return words.join(" ");
}

/**
 * A number in Vietnamese words, to ask which reading was meant: 1250 → "một nghìn hai trăm năm mươi",
 * 1.25 → "một phẩy hai năm" (decimals digit by digit, as they are read aloud from a form).
 */
export function vietnameseWords(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const negative = value < 0;
  const [intText = "0", fracText] = Math.abs(value).toString().split(".");
  let whole = Number(intText);
  const scales = ["", "nghìn", "triệu", "tỷ"];
  const groups: number[] = [];
  do {
    groups.push(whole % 1000);
    whole = Math.floor(whole / 1000);
  } while (whole > 0 && groups.length < scales.length);
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i] ?? 0;
    if (group === 0 && groups.length > 1) continue;
    const words = threeDigits(group, i < groups.length - 1);
    parts.push(scales[i] ? `${words} ${scales[i]}` : words);
  }
  let text = parts.join(" ") || "không";
  if (fracText) text += ` phẩy ${[...fracText].map((d) => digits[Number(d)] ?? d).join(" ")}`;
  return negative ? `âm ${text}` : text;
}
