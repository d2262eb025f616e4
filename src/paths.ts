import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (the folder holding package.json), whether running from src/ or from dist/src/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find the Grassroots project root (no package.json above)");
    dir = parent;
  }
}

export const projectRoot = findRoot();
export const migrationsFolder = join(projectRoot, "src", "db", "migrations");
export const referenceDataFolder = join(projectRoot, "data", "vn-admin-2025");
export const webDistFolder = join(projectRoot, "dist", "web");
