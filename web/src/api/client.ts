import type { ApiErrorBody } from "./types.ts";

/** An error the API answered with ({ error: { code, message, details } }), or "network" when it did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
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

/** GETs a JSON resource of the API; any non-2xx answer becomes an ApiError carrying the server's code and message. */
export async function getJson<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${query ? `?${query}` : ""}`, {
      headers: { accept: "application/json" },
      signal: signal ?? null,
    });
  } catch (err: unknown) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", err instanceof Error ? err.message : String(err));
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) {
      throw new ApiError(response.status, body.error.code, body.error.message, body.error.details);
    }
    throw new ApiError(response.status, "http_error", `${response.status} ${response.statusText}`);
  }
  return body as T;
}
