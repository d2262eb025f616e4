import type { MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "../http/context.ts";
import { everywhere } from "../http/route.ts";

/**
 * What a commune officer on a weak mountain link needs from the server (issue 10): small answers and files the
 * browser keeps. The web app's files are compressed once at build time, as .br and .gz beside each file (see
 * web/vite.config.ts), and served as they are by serveStatic's `precompressed`; API answers are gzipped on the fly.
 */

/**
 * gzip (or deflate) for API answers of 1 KB or more; files that come precompressed already carry their
 * Content-Encoding. A JSON answer is built from a string and carries no length, which `compress` reads as "large":
 * its length is set first, so that a small answer (a saved value, ~500 bytes, on every keystroke a commune types) goes
 * out as it is instead of through a gzip stream that costs the server more than it saves on the wire (issue 14).
 */
export const apiCompression = (): MiddlewareHandler<AppEnv> => {
  const gzip = compress({ threshold: 1024 }) as MiddlewareHandler<AppEnv>;
  return everywhere((c, next) =>
    gzip(c, async () => {
      await next();
      const res = c.res;
      if (
        res.headers.has("content-length") ||
        !res.headers.get("content-type")?.startsWith("application/json")
      )
        return;
      const body = new Uint8Array(await res.arrayBuffer());
      c.res = new Response(body, res);
      c.res.headers.set("content-length", String(body.byteLength));
    }),
  );
};

/** Vite names built assets after their content: they never change, so the browser keeps them for a year. */
const hashedAsset = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.(?:js|css|woff2?|svg|png|webp)$/;

/**
 * Caching of the web app's files: hashed assets immutable, everything else (index.html, the service worker, the
 * manifest) revalidated on every visit so that a new release is picked up at once.
 */
export const webCaching = (): MiddlewareHandler<AppEnv> =>
  everywhere(async (c, next) => {
    await next();
    if (c.req.path.startsWith("/api/") || c.req.method !== "GET" || c.res.status !== 200) return;
    c.header(
      "Cache-Control",
      hashedAsset.test(c.req.path) ? "public, max-age=31536000, immutable" : "no-cache",
    );
  });
