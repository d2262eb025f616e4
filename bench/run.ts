import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openPglite, openPostgres } from "../src/db/client.ts";
import { systemActor } from "../src/modules/access/actor.ts";
import { importReferenceUnits } from "../src/modules/units/import-reference.ts";
import { projectRoot, referenceDataFolder } from "../src/paths.ts";
import type { SizeName } from "./analytics/generator.ts";
import { benchAnalytics } from "./analytics/run.ts";
import { benchHouseholds } from "./households/run.ts";
import { benchLoad } from "./load/run.ts";
import { machine, type Result, type Target } from "./result.ts";
import { benchValueImport } from "./value-import/run.ts";

/**
 * `npm run bench`: measures, writes bench/results/<name>.json, and rewrites BENCHMARKS.md from every result file.
 * Figures that are compared are measured in the same run, because machines here are noisy.
 */

const resultsDir = join(projectRoot, "bench", "results");
const ctx = { actor: systemActor("bench"), requestId: null };

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

/**
 * What the figures of a suite mean, written by a person (why a target is missed, what would close the gap): kept
 * beside the results as bench/results/<name>.md and printed under that suite's figures.
 */
async function readingOf(name: string): Promise<string> {
  try {
    return `\n${(await readFile(join(resultsDir, `${name}.md`), "utf8")).trim()}\n`;
  } catch {
    return "";
  }
}

/** A suite's issue targets: its own list, or the rows (and section rows) that name a target and a verdict. */
function targetsOf(r: Result): Target[] {
  if (r.targets) return r.targets;
  const rows = [...r.rows, ...(r.sections ?? []).flatMap((s) => s.rows)];
  return rows.flatMap((row) => {
    const target = row.target ?? row["target values/s (issue 14)"];
    const verdict = String(row.verdict ?? "");
    if (target === undefined || target === "" || !verdict) return [];
    const named =
      row.target === undefined
        ? `${row.store}: values/s ${target}`
        : row.figure !== undefined
          ? `${row.figure}: ${target}`
          : String(target);
    const measured =
      row.measured ??
      row["values/s"] ??
      [row.PGlite && `PGlite ${row.PGlite}`, row.PostgreSQL && `PostgreSQL ${row.PostgreSQL}`]
        .filter(Boolean)
        .join("; ");
    return [
      {
        target: row.store && row.target !== undefined ? `${named} — ${row.store}` : named,
        measured: String(measured),
        verdict: verdict.includes("missed") ? ("missed" as const) : ("met" as const),
      },
    ];
  });
}

/** Every issue target of every suite in one table, so that what is met and what is missed reads at a glance. */
function targetsAtAGlance(results: Result[]): string {
  const rows = results.flatMap((r) =>
    targetsOf(r).map((t) => ({
      suite: r.name,
      measured: r.measuredAt.slice(0, 16).replace("T", " "),
      target: t.target,
      figure: t.measured,
      verdict: t.verdict === "met" ? "met" : "**missed**",
    })),
  );
  if (rows.length === 0) return "";
  const met = rows.filter((r) => r.verdict === "met").length;
  return `## Targets at a glance\n\n${met} of ${rows.length} targets met. Each line comes from the suite named, measured at the time given (UTC) on the machine its section names; the sections below give every figure, the load the machine was under and, for each missed target, why.\n\n${table(
    rows.map((r) => ({
      suite: r.suite,
      "measured (UTC)": r.measured,
      target: r.target,
      measured: r.figure,
      verdict: r.verdict,
    })),
  )}\n\n`;
}

async function writeReport() {
  const files = (await readdir(resultsDir)).filter((f) => f.endsWith(".json")).sort();
  const results: Array<Result & { reading: string }> = await Promise.all(
    files.map(async (f) => {
      const result: Result = JSON.parse(await readFile(join(resultsDir, f), "utf8"));
      return { ...result, reading: await readingOf(f.replace(/\.json$/, "")) };
    }),
  );
  const section = (r: Result & { reading: string }) => {
    const m = r.machine;
    const head = `## ${r.title}\n\nMeasured ${r.measuredAt} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}, ${m.platform}.`;
    const subsections = (r.sections ?? [])
      .map((s) => `\n### ${s.title}\n\n${table(s.rows)}\n${(s.notes ?? []).map((n) => `\n${n}\n`).join("")}`)
      .join("");
    const notes = `${(r.notes ?? []).map((n) => `\n- ${n}`).join("")}${r.notes?.length ? "\n" : ""}`;
    return `${head}\n\nTarget: ${r.target}. **${r.verdict}**.\n\n${table(r.rows)}\n${subsections}${notes}${r.reading}`;
  };
  const body = results.map(section).join("\n");
  const glance = targetsAtAGlance(results);
  await writeFile(
    join(projectRoot, "BENCHMARKS.md"),
    `# Benchmarks\n\nWritten by \`npm run bench\` from bench/results/*.json; do not edit by hand. Each figure comes from one run on the machine named; compare figures of one run, not across machines.\n\n${glance}${body}`,
  );
}

/**
 * `npm run bench [-- <suite>] [-- --size full|small]`: every suite, or one. The analytics suite runs at the full size
 * (10 M values, many minutes) unless `--size small` or BENCH_SIZE=small asks for the quick one; BENCH_REPS sets its
 * repetitions (default 30), BENCH_PGLITE_VALUES how many values go into PGlite at the full size (default 1,000,000),
 * BENCH_DATABASE_URL (else TEST_DATABASE_URL) the PostgreSQL server. `--report-only` measures nothing and rewrites
 * BENCHMARKS.md from the result files (after editing a bench/results/<name>.md reading).
 */
function parseArgs(argv: string[]) {
  let only: string | undefined;
  let reportOnly = false;
  let size = process.env.BENCH_SIZE ?? "full";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--size") size = argv[++i] ?? "";
    else if (arg.startsWith("--size=")) size = arg.slice("--size=".length);
    else if (arg === "--report-only") reportOnly = true;
    else if (!arg.startsWith("-")) only = arg;
  }
  if (size !== "full" && size !== "small" && size !== "tiny")
    throw new Error(`--size must be full, small or tiny, not "${size}"`);
  return { only, size: size as SizeName, reportOnly };
}

const { only, size, reportOnly } = parseArgs(process.argv.slice(2));
const suites: Record<string, () => Promise<Result>> = {
  "units-import": benchUnitsImport,
  analytics: () =>
    benchAnalytics({
      size,
      reps: Number(process.env.BENCH_REPS ?? 30),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      pgliteLimit:
        size === "full" ? Number(process.env.BENCH_PGLITE_VALUES ?? 1_000_000) : Number.POSITIVE_INFINITY,
      slowBudgetSeconds: Number(process.env.BENCH_SLOW_BUDGET_S ?? 120),
    }),
  "value-import": () =>
    benchValueImport(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null),
  households: () =>
    benchHouseholds({
      households: Number(process.env.BENCH_HOUSEHOLDS ?? 300_000),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
    }),
  load: () =>
    benchLoad({
      size,
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      profileDir: process.env.BENCH_LOAD_PROFILE_DIR,
      seconds: process.env.BENCH_LOAD_SECONDS ? Number(process.env.BENCH_LOAD_SECONDS) : undefined,
      clients: process.env.BENCH_LOAD_CLIENTS ? Number(process.env.BENCH_LOAD_CLIENTS) : undefined,
    }),
};
if (only && !suites[only])
  throw new Error(`No bench suite "${only}"; there are ${Object.keys(suites).join(", ")}`);
for (const [name, run] of Object.entries(suites)) {
  if (reportOnly || (only && only !== name)) continue;
  process.stderr.write(`bench ${name}…\n`);
  const result = await run();
  await writeFile(join(resultsDir, `${result.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.rows), result.verdict);
}
await writeReport();
