import type { MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import type { AppEnv } from "./context.ts";
import { everywhere } from "./route.ts";

/**
 * What a commune officer on a weak mountain link needs from the server (issue 10): small answers and files the
 * browser keeps. The web app's files are compressed once at build time, as .br and .gz beside each file (see
 * web/vite.config.ts), and served as they are by serveStatic's `precompressed`; API answers are gzipped on the fly.
 */

/** gzip (or deflate) for API answers; files that come precompressed already carry their Content-Encoding. */
export const apiCompression = (): MiddlewareHandler<AppEnv> =>
  everywhere(compress({ threshold: 1024 }) as MiddlewareHandler<AppEnv>);

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
