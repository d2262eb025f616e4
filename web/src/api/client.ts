import type { ApiErrorBody } from "./types.ts";

/** An error the API answered with ({ error: { code, message, details } }), or "network" when it did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The request's id (x-request-id), to quote to support when the message means nothing to the reader. */
    readonly requestId?: string,
    /**
     * Whether `message` is the server's own text in the reader's language. False for an answer that is not one of
     * ours (a proxy's page) or that carries no message in this language: the app then shows a generic one.
     */
    readonly isLocalized = false,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

type Params = Record<string, string | number | undefined>;

/**
 * The CSRF token of the browser's session. The server refuses every write of a cookie session that does not echo
 * it in `x-csrf-token`; it is kept in memory only (a page reload asks /auth/me for it again).
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Why a request found nobody signed in: the session ended (idle, too old, signed out elsewhere) or never was. */
export type SessionEnd = "session_expired" | "unauthenticated";
let onSessionEnd: ((why: SessionEnd) => void) | undefined;

/** Called when an API call answers 401 because the session is gone: the app sends the person to sign in. */
export function handleSessionEnd(listener: (why: SessionEnd) => void): void {
  onSessionEnd = listener;
}

let apiLanguage = "vi";

/** The language the API's error messages come back in: the app's own (set when the person switches). */
export function setApiLanguage(language: string): void {
  apiLanguage = language;
}

type WriteMethod = "POST" | "PUT" | "PATCH" | "DELETE";

interface RequestOptions {
  method?: "GET" | WriteMethod;
  params?: Params;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as they are (a file), instead of `body`. */
  bytes?: Blob;
  signal?: AbortSignal | undefined;
  /** The caller deals with a 401 itself (the who-am-I check, signing in) instead of being sent to sign in. */
  isSessionCheck?: boolean;
}

async function request<T>(path: string, options: RequestOptions): Promise<T> {
  const method = options.method ?? "GET";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  // The server answers errors in the language the person reads the app in.
  const headers: Record<string, string> = { accept: "application/json", "accept-language": apiLanguage };
  if (options.bytes) headers["content-type"] = options.bytes.type || "application/octet-stream";
  else if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${query ? `?${query}` : ""}`, {
      method,
      headers,
      body: options.bytes ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      credentials: "same-origin",
      signal: options.signal ?? null,
    });
  } catch (err: unknown) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const requestId = response.headers.get("x-request-id") ?? undefined;
    if (!isErrorBody(body)) {
      throw new ApiError(
        response.status,
        "http_error",
        `${response.status} ${response.statusText}`,
        undefined,
        requestId,
      );
    }
    const localized = body.error.messages?.[apiLanguage === "en" ? "en" : "vi"];
    const error = new ApiError(
      response.status,
      body.error.code,
      localized ?? body.error.message,
      body.error.details,
      requestId,
      typeof localized === "string" && localized.trim() !== "" && body.error.code !== "internal",
    );
    if (
      response.status === 401 &&
      !options.isSessionCheck &&
      (error.code === "session_expired" || error.code === "unauthenticated")
    ) {
      onSessionEnd?.(error.code);
    }
    throw error;
  }
  return body as T;
}

/** GETs a JSON resource of the API; any non-2xx answer becomes an ApiError carrying the server's code and message. */
export function getJson<T>(
  path: string,
  params: Params = {},
  signal?: AbortSignal,
  options: Pick<RequestOptions, "isSessionCheck"> = {},
): Promise<T> {
  return request<T>(path, { params, signal, ...options });
}

/** A write (POST, PUT, PATCH, DELETE) with a JSON body; sends the session's CSRF token. 204 resolves to undefined. */
export function sendJson<T = undefined>(
  method: WriteMethod,
  path: string,
  body?: unknown,
  options: Pick<RequestOptions, "isSessionCheck"> = {},
): Promise<T> {
  return request<T>(path, { method, body, ...options });
}

/** POSTs a file's bytes as they are (content type from the file), with query params; answers JSON. */
export function sendBytes<T>(path: string, bytes: Blob, params: Params = {}): Promise<T> {
  return request<T>(path, { method: "POST", bytes, params });
}

/** The field errors of a 400 invalid_input or weak_password answer: { field, message } each. */
export function fieldErrors(error: unknown): Array<{ field: string; message: string }> {
  if (!(error instanceof ApiError)) return [];
  const details = error.details;
  if (typeof details !== "object" || details === null || !("fields" in details)) return [];
  const { fields } = details as { fields: unknown };
  if (!Array.isArray(fields)) return [];
  return fields.flatMap((f: unknown) => {
    if (typeof f !== "object" || f === null) return [];
    const { field, message } = f as Record<string, unknown>;
    return typeof field === "string" && typeof message === "string" ? [{ field, message }] : [];
  });
}
