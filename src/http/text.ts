import { z } from "@hono/zod-openapi";
import { zodMessage } from "./validation.ts";

/**
 * Characters no text we store may hold: NUL (PostgreSQL refuses it in text), the other C0 and C1 controls, and lone
 * UTF-16 surrogates (not valid Unicode; they cannot be encoded as UTF-8). Tab and line breaks are allowed only in
 * multi-line text (comments, minutes, narratives).
 */
const tab = 0x09;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/** Whether a text holds a character it may not (see above); `multiLine` allows tab, CR and LF. */
export function hasForbiddenCharacter(text: string, multiLine = false): boolean {
  // String.prototype.isWellFormed is in Node 20 (V8 11.3) but not in the ES2023 lib we compile against.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20) {
      if (multiLine && (c === tab || c === lineFeed || c === carriageReturn)) continue;
      return true;
    }
    if (c <= 0x9f) return true;
  }
  return false;
}

const forbiddenMessage = {
  single: zodMessage({
    vi: "không được chứa ký tự điều khiển (NUL, xuống dòng, …) hay ký tự Unicode hỏng",
    en: "must not contain control characters (NUL, line breaks, …) or broken Unicode",
  }),
  multi: zodMessage({
    vi: "không được chứa ký tự điều khiển (NUL, …) hay ký tự Unicode hỏng",
    en: "must not contain control characters (NUL, …) or broken Unicode",
  }),
};

/**
 * The string type every API input uses (body, path, query): a zod string that refuses NUL, control characters and
 * lone surrogates with a 400 naming the field. Chain length limits and formats on it as on `z.string()`.
 */
export function safeText(options: { multiLine?: boolean } = {}) {
  const multiLine = options.multiLine ?? false;
  return z.string().refine((value) => !hasForbiddenCharacter(value, multiLine), {
    message: multiLine ? forbiddenMessage.multi : forbiddenMessage.single,
  });
}
