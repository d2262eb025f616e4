import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = decodeURIComponent(new URL(".", import.meta.url).pathname);

/** The browser app: built into dist/web, which the Grassroots server serves with index.html as SPA fallback. */
export default defineConfig({
  root: webRoot,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    // Officials on weak mountain connections: no source maps to download, one chunk per page.
    sourcemap: false,
    target: "es2022",
  },
  server: {
    // `npm run dev:web` talks to a server started with `node bin/grassroots.js serve` (port 3000 by default).
    proxy: { "/api": "http://localhost:3000" },
  },
});
