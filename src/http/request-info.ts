import type { Context } from "hono";
import type { AppEnv } from "./context.ts";

/** How many reverse proxies the operator said sit in front of this server (GRASSROOTS_TRUST_PROXY). */
export function trustedHops(trustProxy: boolean | number): number {
  if (trustProxy === true) return 1;
  if (trustProxy === false) return 0;
  return Math.max(0, Math.floor(trustProxy));
}

/**
 * The client's address. Without trusted proxies, the socket's. With n trusted proxies, the n-th entry of
 * X-Forwarded-For counted from the right: each proxy appends the address it received the request from, so that entry
 * was written by our own outermost proxy, and everything left of it by the client (who may write anything, e.g. a
 * fresh address per request to escape the sign-in throttle). Too few entries: the leftmost one, which a proxy wrote.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket?.remoteAddress;
  const hops = trustedHops(c.get("deps").trustProxy);
  if (hops > 0) {
    const entries = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean);
    const chosen = entries[Math.max(0, entries.length - hops)];
    if (chosen) return chosen.slice(0, 64);
  }
  return socket ?? "local";
}

/** Whether the browser reached us over TLS: the socket, a trusted proxy's X-Forwarded-Proto, or an https public URL. */
export function isSecureRequest(c: Context<AppEnv>): boolean {
  const deps = c.get("deps");
  if (deps.publicUrl?.startsWith("https:")) return true;
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustedHops(deps.trustProxy) > 0 && c.req.header("x-forwarded-proto") === "https";
}
