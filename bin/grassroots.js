#!/usr/bin/env node
// The `grassroots` command runs the compiled CLI (npm run build creates dist/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("Grassroots is not built yet: run `npm run build` first.\n");
  process.exit(1);
}
await import(entry.href);
