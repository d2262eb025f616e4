import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A message a person may read: every one exists in Vietnamese and English. */
export interface Localized {
  vi: string;
  en: string;
}

/** The languages the server answers in; Vietnamese first. */
export type Language = "vi" | "en";

/**
 * The one error type operations and routes throw. Every error leaves the server as
 * `{ "error": { "code", "message", "messages": { "vi", "en" }, "details" } }` with a stable `code`; `message` is
 * the one in the reader's language (Accept-Language, Vietnamese by default).
 * A test (error-messages.test.ts) walks every call and fails on a message without both languages.
 */
export class AppError extends Error {
  readonly messages: Localized;
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: Localized,
    readonly details?: unknown,
  ) {
    super(message.en);
    this.messages = message;
    this.name = "AppError";
  }
}

export const notFound = (code: string, message: Localized, details?: unknown) =>
  new AppError(404, code, message, details);
export const badRequest = (code: string, message: Localized, details?: unknown) =>
  new AppError(400, code, message, details);
export const unprocessable = (code: string, message: Localized, details?: unknown) =>
  new AppError(422, code, message, details);
export const conflict = (code: string, message: Localized, details?: unknown) =>
  new AppError(409, code, message, details);
export const unauthorized = (
  message: Localized = { vi: "Hãy đăng nhập để làm việc này.", en: "Sign in to do this." },
) => new AppError(401, "unauthenticated", message);
export const forbidden = (
  message: Localized = {
    vi: "Bạn không có quyền làm việc này.",
    en: "You are not allowed to do this.",
  },
) => new AppError(403, "forbidden", message);

/** What a refusal means for the security log: an out-of-scope read or write, or a forbidden action. */
export interface SecurityNote {
  kind: "out_of_scope" | "forbidden";
  unitCode?: string | null;
}

const securityNotes = new WeakMap<AppError, SecurityNote>();

/** Marks an error as one the security log records (the error handler writes it when the error leaves). */
export function noteSecurity<E extends AppError>(err: E, note: SecurityNote): E {
  securityNotes.set(err, note);
  return err;
}

export const securityNoteOf = (err: AppError): SecurityNote | undefined => securityNotes.get(err);

export interface ErrorBody {
  error: { code: string; message: string; messages: Localized; details?: unknown };
}

/** The language to answer in: the first of Accept-Language that we speak, else Vietnamese. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return "vi";
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("vi")) return "vi";
    if (tag.startsWith("en")) return "en";
  }
  return "vi";
}

export function errorBody(
  code: string,
  message: Localized,
  details?: unknown,
  language: Language = "vi",
): ErrorBody {
  const error = { code, message: message[language], messages: message };
  return { error: details === undefined ? error : { ...error, details } };
}
