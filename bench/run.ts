import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { type Database, openPglite, openPostgres } from "../src/db/client.ts";
import { systemActor } from "../src/modules/access/actor.ts";
import { importReferenceUnits } from "../src/modules/units/import-reference.ts";
import { projectRoot, referenceDataFolder } from "../src/paths.ts";

/**
 * `npm run bench`: measures, writes bench/results/<name>.json, and rewrites BENCHMARKS.md from every result file.
 * Figures that are compared are measured in the same run, because machines here are noisy.
 */

interface Result {
  name: string;
  title: string;
  measuredAt: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  target: string;
  rows: Array<Record<string, string | number>>;
  verdict: string;
}

const resultsDir = join(projectRoot, "bench", "results");
const ctx = { actor: systemActor("bench"), requestId: null };

function machine(): Result["machine"] {
  const cpu = cpus()[0]?.model ?? "unknown";
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function timeImport(open: () => Promise<Database & { cleanup?: () => Promise<void> }>) {
  const database = await open();
  await database.migrate();
  const started = performance.now();
  const first = await importReferenceUnits(database.db, ctx, referenceDataFolder);
  const firstSeconds = (performance.now() - started) / 1000;
  const again = performance.now();
  const second = await importReferenceUnits(database.db, ctx, referenceDataFolder);
  const secondSeconds = (performance.now() - again) / 1000;
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  await database.close();
  await database.cleanup?.();
  return {
    firstSeconds: +firstSeconds.toFixed(2),
    secondSeconds: +secondSeconds.toFixed(2),
    rowsWritten: first.written.versions + first.written.events + first.written.edges,
    rowsWrittenAgain: second.written.versions + second.written.events + second.written.edges,
    processRssMiB: rssMiB,
  };
}

async function benchUnitsImport(): Promise<Result> {
  const rows: Result["rows"] = [];
  const dir = await mkdtemp(join(tmpdir(), "gr-bench-"));
  rows.push({
    store: "PGlite (on disk, the embedded default)",
    ...(await timeImport(async () => ({
      ...(await openPglite(join(dir, "pglite"))),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    }))),
  });
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = await openPostgres(url, { max: 1 });
    await admin.db.execute("DROP DATABASE IF EXISTS gr_bench");
    await admin.db.execute("CREATE DATABASE gr_bench");
    const benchUrl = new URL(url);
    benchUrl.pathname = "/gr_bench";
    rows.push({ store: "PostgreSQL server", ...(await timeImport(() => openPostgres(benchUrl.toString()))) });
    await admin.db.execute("DROP DATABASE IF EXISTS gr_bench WITH (FORCE)");
    await admin.close();
  }
  const embedded = rows[0]?.firstSeconds as number;
  return {
    name: "units-import",
    title: "Import of the 2025 reference units (14,161 versions, 3,356 events, 10,667 lineage edges)",
    measuredAt: new Date().toISOString(),
    machine: machine(),
    target: "under 30 s on the embedded store (issue: foundation)",
    rows,
    verdict: embedded < 30 ? `met: ${embedded} s` : `missed: ${embedded} s`,
  };
}

function table(rows: Result["rows"]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [
    `| ${cols.join(" | ")} |`,
    `| ${cols.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cols.map((c) => String(r[c] ?? "")).join(" | ")} |`),
  ].join("\n");
}

async function writeReport() {
  const files = (await readdir(resultsDir)).filter((f) => f.endsWith(".json")).sort();
  const results: Result[] = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(join(resultsDir, f), "utf8"))),
  );
  const body = results
    .map(
      (r) =>
        `## ${r.title}\n\nMeasured ${r.measuredAt} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGiB} GiB), Node ${r.machine.node}, ${r.machine.platform}.\n\nTarget: ${r.target}. **${r.verdict}**.\n\n${table(r.rows)}\n`,
    )
    .join("\n");
  await writeFile(
    join(projectRoot, "BENCHMARKS.md"),
    `# Benchmarks\n\nWritten by \`npm run bench\` from bench/results/*.json; do not edit by hand. Each figure comes from one run on the machine named; compare figures of one run, not across machines.\n\n${body}`,
  );
}

const only = process.argv[2];
const suites: Record<string, () => Promise<Result>> = { "units-import": benchUnitsImport };
for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench ${name}…\n`);
  const result = await run();
  await writeFile(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.rows), result.verdict);
}
await writeReport();
