import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one error type operations and routes throw. Every error leaves the server as
 * `{ "error": { "code", "message", "details" } }` with a stable `code`.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (code: string, message: string, details?: unknown) =>
  new AppError(404, code, message, details);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const unauthorized = (message = "Sign in to do this.") =>
  new AppError(401, "unauthenticated", message);
export const forbidden = (message = "You are not allowed to do this.") =>
  new AppError(403, "forbidden", message);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
