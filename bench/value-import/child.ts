import { openPglite, openPostgres } from "../../src/db/client.ts";
import { systemActor } from "../../src/modules/access/actor.ts";
import { parseValuesFile } from "../../src/modules/reporting/files.ts";
import { importDataValues } from "../../src/modules/reporting/import-values.ts";

/**
 * One import in a process of its own, as `grassroots data import <file>` runs it, so that its peak RSS is the
 * import's alone. Prints { seconds, values, peakRssMiB } as the last line.
 */
const file = process.argv[2] ?? "";
const url = process.env.BENCH_IMPORT_URL;
const database = url ? await openPostgres(url) : await openPglite(process.env.BENCH_IMPORT_DIR ?? "");
const started = performance.now();
const result = await importDataValues(
  database.db,
  { actor: systemActor("bench"), requestId: null },
  parseValuesFile("xlsx", { path: file }),
);
const seconds = (performance.now() - started) / 1000;
await database.close();
console.log(
  JSON.stringify({
    seconds,
    values: result.rows,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
