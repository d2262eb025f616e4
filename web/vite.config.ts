import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const webRoot = decodeURIComponent(new URL(".", import.meta.url).pathname);
const outDir = join(webRoot, "../dist/web");

/**
 * Writes a .br and a .gz beside every text file of the build, once, at the highest levels: the server sends them as
 * they are (serveStatic `precompressed`), so a weak mountain link carries a quarter of the bytes at no CPU cost.
 */
function precompress(): Plugin {
  const compressible = /\.(?:js|css|html|svg|json|webmanifest|txt)$/;
  const brotli = promisify(brotliCompress);
  const gzipAsync = promisify(gzip);
  async function walk(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
    );
    return nested.flat();
  }
  return {
    name: "grassroots-precompress",
    apply: "build",
    enforce: "post",
    async closeBundle() {
      for (const file of await walk(outDir)) {
        if (!compressible.test(file) || (await stat(file)).size < 1024) continue;
        const body = await readFile(file);
        await writeFile(
          `${file}.br`,
          await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        await writeFile(`${file}.gz`, await gzipAsync(body, { level: 9 }));
      }
    },
  };
}

/** The browser app: built into dist/web, which the Grassroots server serves with index.html as SPA fallback. */
export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [
    react(),
    // The offline application shell (issue 10): a commune officer opens the app and the forms opened before with no
    // connection. The shell is precached; pages' code and API answers are kept as they are used.
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: "script-defer",
      includeAssets: ["icon.svg"],
      manifest: {
        name: "Grassroots — hệ thống thông tin cấp tỉnh, cấp xã",
        short_name: "Grassroots",
        description: "Báo cáo, số liệu và việc cần làm của xã và tỉnh",
        lang: "vi",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1864ab",
        icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      workbox: {
        // The shell and the reporting pages; the heavy analytics charts are cached when first opened instead.
        globPatterns: ["index.html", "assets/*.{js,css}", "icon.svg"],
        globIgnores: ["**/echarts-setup-*"],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/health/],
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith("/assets/"),
            handler: "CacheFirst",
            options: { cacheName: "grassroots-assets", expiration: { maxEntries: 200 } },
          },
          {
            // What the forms need to open offline: the account, the forms, an entry, its guardrails, units.
            // Network first (always fresh when there is a connection); the last answer when there is none.
            urlPattern: ({ url, request, sameOrigin }) =>
              sameOrigin &&
              request.method === "GET" &&
              /^\/api\/v1\/(?:auth\/me|forms|data-entry|catalogue|units|reports\/status)/.test(url.pathname),
            handler: "NetworkFirst",
            options: {
              cacheName: "grassroots-api",
              networkTimeoutSeconds: 10,
              expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
    precompress(),
  ],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // The JS budget test (web/budget.test.ts) reads which chunks each page loads from the manifest.
    manifest: true,
    // Officials on weak mountain connections: no source maps to download, one chunk per page.
    sourcemap: false,
    target: "es2022",
  },
  server: {
    // `npm run dev:web` talks to a server started with `node bin/grassroots.js serve` (port 3000 by default).
    proxy: { "/api": "http://localhost:3000" },
  },
});
