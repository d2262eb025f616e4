import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openPglite, openPostgres } from "../../src/db/client.ts";
import { systemActor } from "../../src/modules/access/actor.ts";
import { currentVersionForScope, subtreeCodes } from "../../src/modules/access/scope.ts";
import { todayInVietnam } from "../../src/modules/units/text.ts";
import { projectRoot } from "../../src/paths.ts";
import { machine, type Result, type Rows } from "../result.ts";
import { LoadClient, type RunFigures, savingEverySecond, savingInALoop } from "./clients.ts";
import { prepareLoadFixture } from "./fixture.ts";

/**
 * The data-entry load of issue 14: a real server process started as `grassroots serve` starts it (compiled CLI,
 * migrations, analytics replica, request log), on PGlite and on PostgreSQL; `clients` commune officers signed in over
 * HTTP, each with its own session, saving values of their own commune's report over keep-alive connections:
 * - in a loop for `seconds` (the throughput: saves/s, latencies, errors),
 * - then each once a second for `seconds` (the latency people feel at a busy but not saturated hour).
 * And the scope check of a province account (scopeCodesOn through subtreeCodes), cold and cached.
 */
const ctx = { actor: systemActor("bench"), requestId: null };

export const loadSizes = {
  full: { clients: 200, seconds: 30, warmUpSeconds: 5 },
  small: { clients: 20, seconds: 5, warmUpSeconds: 2 },
  tiny: { clients: 5, seconds: 2, warmUpSeconds: 1 },
} as const;

export interface LoadOptions {
  size: keyof typeof loadSizes;
  postgresUrl: string | null;
  /** A folder: the server runs with --cpu-prof and writes its profile there. */
  profileDir?: string | undefined;
  seconds?: number | undefined;
  clients?: number | undefined;
}

interface StoreRun {
  store: "PGlite" | "PostgreSQL";
  loop: RunFigures;
  paced: RunFigures;
  scopeColdMs: number;
  scopeCachedP50Ms: number;
  scopeCachedP99Ms: number;
  scopeCodes: number;
  signInSeconds: number;
  /** CPU time of the server process per save in the loop (its share of the 2 cores is what limits it). */
  cpuMsPerSave: number | null;
  /** Why requests got no answer at all (network errors), each reason once. */
  failures: string[];
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) : 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** The scope check of a province account: the first call reads the registry, the next ones the cache. */
async function measureScope(database: Database, provinceCode: string) {
  const scope = await currentVersionForScope(database.db, provinceCode);
  const started = performance.now();
  const codes = await subtreeCodes(database.db, scope);
  const coldMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await subtreeCodes(database.db, scope);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    scopeColdMs: +coldMs.toFixed(1),
    scopeCachedP50Ms: +quantile(times, 0.5).toFixed(3),
    scopeCachedP99Ms: +quantile(times, 0.99).toFixed(3),
    scopeCodes: codes.size,
  };
}

async function startServer(env: Record<string, string>, logFile: string, profileDir?: string) {
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
      join(projectRoot, "bin", "grassroots.js"),
      "serve",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--demo",
      "off",
    ],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const base = new URL(`http://127.0.0.1:${port}`);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server stopped (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(new URL("/health", base));
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`the server did not answer /health in 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    /** CPU seconds the server process has used so far (Linux /proc; null elsewhere). */
    cpuSeconds: async (): Promise<number | null> => {
      try {
        const stat = await readFile(`/proc/${child.pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return null;
      }
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      log.end();
    },
  };
}

async function runStore(
  store: StoreRun["store"],
  options: LoadOptions,
  open: () => Promise<Database>,
  serverEnv: Record<string, string>,
  dir: string,
): Promise<StoreRun> {
  const size = loadSizes[options.size];
  const clientsWanted = options.clients ?? size.clients;
  const seconds = options.seconds ?? size.seconds;
  process.stderr.write(`  ${store}: preparing units, form and ${clientsWanted} accounts…\n`);
  const database = await open();
  await database.migrate();
  const { accounts, provinceCode } = await prepareLoadFixture(database.db, ctx, clientsWanted);
  const scope = await measureScope(database, provinceCode);
  await database.close();

  const server = await startServer(serverEnv, join(dir, `server-${store}.log`), options.profileDir);
  let clients: LoadClient[] = [];
  try {
    const period = todayInVietnam().slice(0, 4);
    clients = accounts.map((a) => new LoadClient(server.base, a, period));
    process.stderr.write(`  ${store}: signing in ${clients.length} accounts…\n`);
    const signInStarted = performance.now();
    for (let i = 0; i < clients.length; i += 10)
      await Promise.all(clients.slice(i, i + 10).map((c) => c.signIn()));
    const signInSeconds = +((performance.now() - signInStarted) / 1000).toFixed(1);
    process.stderr.write(`  ${store}: warming up ${size.warmUpSeconds} s…\n`);
    await savingInALoop(clients, size.warmUpSeconds);
    process.stderr.write(`  ${store}: ${clients.length} clients saving in a loop for ${seconds} s…\n`);
    const cpuBefore = await server.cpuSeconds();
    const loop = await savingInALoop(clients, seconds);
    const cpuAfter = await server.cpuSeconds();
    const cpuMsPerSave =
      cpuBefore === null || cpuAfter === null || loop.saves === 0
        ? null
        : +(((cpuAfter - cpuBefore) * 1000) / loop.saves).toFixed(2);
    process.stderr.write(`    ${JSON.stringify(loop)} server CPU ms/save ${cpuMsPerSave}\n`);
    process.stderr.write(`  ${store}: ${clients.length} clients saving once a second for ${seconds} s…\n`);
    const paced = await savingEverySecond(clients, seconds);
    process.stderr.write(`    ${JSON.stringify(paced)}\n`);
    const failures = [...new Set(clients.flatMap((c) => c.failures))];
    if (failures.length) process.stderr.write(`    requests without an answer: ${failures.join("; ")}\n`);
    return { store, loop, paced, signInSeconds, cpuMsPerSave, failures, ...scope };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

export async function benchLoad(options: LoadOptions): Promise<Result> {
  const size = loadSizes[options.size];
  const clients = options.clients ?? size.clients;
  const seconds = options.seconds ?? size.seconds;
  const runs: StoreRun[] = [];
  const dir = await mkdtemp(join(tmpdir(), "gr-bench-load-"));
  const notes: string[] = [];
  try {
    const pgliteDir = join(dir, "pglite-data");
    runs.push(
      await runStore(
        "PGlite",
        options,
        () => openPglite(join(pgliteDir, "pglite")),
        { GRASSROOTS_DATA_DIR: pgliteDir, DATABASE_URL: "" },
        dir,
      ),
    );
    if (options.postgresUrl) {
      const admin = await openPostgres(options.postgresUrl, { max: 1 });
      await admin.db.execute("DROP DATABASE IF EXISTS gr_bench_load WITH (FORCE)");
      await admin.db.execute("CREATE DATABASE gr_bench_load");
      const url = new URL(options.postgresUrl);
      url.pathname = "/gr_bench_load";
      try {
        runs.push(
          await runStore(
            "PostgreSQL",
            options,
            () => openPostgres(url.toString()),
            { GRASSROOTS_DATA_DIR: join(dir, "pg-data"), DATABASE_URL: url.toString() },
            dir,
          ),
        );
      } finally {
        await admin.db.execute("DROP DATABASE IF EXISTS gr_bench_load WITH (FORCE)");
        await admin.close();
      }
    } else notes.push("No PostgreSQL server (BENCH_DATABASE_URL / TEST_DATABASE_URL): its column is empty.");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  for (const r of runs)
    if (r.failures.length)
      notes.push(
        `${r.store}: requests that got no answer (status 0 in the tables): ${r.failures.join("; ")}.`,
      );
  const pg = runs.find((r) => r.store === "PGlite");
  const ps = runs.find((r) => r.store === "PostgreSQL");
  const both = (f: (r: StoreRun) => string) => ({ PGlite: pg ? f(pg) : "", PostgreSQL: ps ? f(ps) : "" });
  const verdicts: Array<{ what: string; met: boolean; measured: string }> = [];
  const check = (what: string, met: boolean, measured: string) => {
    verdicts.push({ what, met, measured });
    return met ? "met" : "missed";
  };
  const rows: Rows = [];
  const loopName = `${clients} clients saving in a loop, ${seconds} s`;
  const pacedName = `the same ${clients} clients each saving once a second, ${seconds} s`;
  rows.push({
    figure: `${loopName}: saves/s`,
    target: "≥ 300 (PGlite), ≥ 1,000 (PostgreSQL)",
    ...both((r) => fmt(r.loop.savesPerSecond)),
    verdict: [
      pg
        ? check("loop saves/s PGlite ≥ 300", pg.loop.savesPerSecond >= 300, fmt(pg.loop.savesPerSecond))
        : "",
      ps
        ? check(
            "loop saves/s PostgreSQL ≥ 1,000",
            ps.loop.savesPerSecond >= 1000,
            fmt(ps.loop.savesPerSecond),
          )
        : "",
    ]
      .filter(Boolean)
      .join(" / "),
  });
  rows.push({ figure: `${loopName}: p50 ms`, target: "", ...both((r) => fmt(r.loop.p50)), verdict: "" });
  rows.push({ figure: `${loopName}: p99 ms`, target: "", ...both((r) => fmt(r.loop.p99)), verdict: "" });
  rows.push({
    figure: `${loopName}: errors`,
    target: "0",
    ...both((r) => `${r.loop.errors} of ${fmt(r.loop.saves + r.loop.errors)}`),
    verdict: runs
      .map((r) => check(`loop errors ${r.store} = 0`, r.loop.errors === 0, String(r.loop.errors)))
      .join(" / "),
  });
  rows.push({
    figure: `${pacedName}: p99 ms`,
    target: "≤ 50",
    ...both((r) => fmt(r.paced.p99)),
    verdict: runs
      .map((r) => check(`once a second p99 ${r.store} ≤ 50 ms`, r.paced.p99 <= 50, `${fmt(r.paced.p99)} ms`))
      .join(" / "),
  });
  rows.push({ figure: `${pacedName}: p50 ms`, target: "", ...both((r) => fmt(r.paced.p50)), verdict: "" });
  rows.push({
    figure: `${pacedName}: saves/s`,
    target: "",
    ...both((r) => fmt(r.paced.savesPerSecond)),
    verdict: "",
  });
  rows.push({
    figure: `${pacedName}: errors`,
    target: "0",
    ...both((r) => `${r.paced.errors} of ${fmt(r.paced.saves + r.paced.errors)}`),
    verdict: runs
      .map((r) => check(`once a second errors ${r.store} = 0`, r.paced.errors === 0, String(r.paced.errors)))
      .join(" / "),
  });
  rows.push({
    figure: "scope check of a province account, cached (scopeCodesOn), p50 / p99 ms",
    target: "≤ 1 (median)",
    ...both((r) => `${r.scopeCachedP50Ms} / ${r.scopeCachedP99Ms}`),
    verdict: runs
      .map((r) =>
        check(
          `scope check ${r.store} ≤ 1 ms (median)`,
          r.scopeCachedP50Ms <= 1,
          `median ${r.scopeCachedP50Ms} ms, p99 ${r.scopeCachedP99Ms} ms`,
        ),
      )
      .join(" / "),
  });
  rows.push({
    figure: "scope check of a province account, first call (reads the registry) ms",
    target: "",
    ...both((r) => `${fmt(r.scopeColdMs)} (${fmt(r.scopeCodes)} codes)`),
    verdict: "",
  });
  const missed = verdicts.filter((v) => !v.met);
  const detail = (r: StoreRun, mode: "loop" | "paced") => {
    const f = r[mode];
    return {
      store: r.store,
      mode: mode === "loop" ? "in a loop" : "once a second",
      clients,
      seconds: f.seconds,
      saves: f.saves,
      "saves/s": f.savesPerSecond,
      "p50 ms": f.p50,
      "p90 ms": f.p90,
      "p99 ms": f.p99,
      "max ms": f.max,
      errors: f.errors,
      "error statuses": Object.entries(f.errorStatuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(", "),
      "server process CPU ms per save": mode === "loop" ? (r.cpuMsPerSave ?? "") : "",
      "sign-in of all (s)": r.signInSeconds,
    };
  };
  return {
    name: options.size === "full" ? "load" : `load-${options.size}`,
    title: `Data entry under load: ${clients} signed-in clients saving over HTTP (size ${options.size})`,
    measuredAt: new Date().toISOString(),
    machine: machine(),
    target:
      "≥ 300 saves/s on PGlite and ≥ 1,000 on PostgreSQL with 200 clients in a loop, 0 errors; p99 ≤ 50 ms with each saving once a second; scope check ≤ 1 ms cached (issue 14)",
    rows,
    verdict:
      missed.length === 0
        ? `all ${verdicts.length} targets met`
        : `${verdicts.length - missed.length} of ${verdicts.length} targets met; missed: ${missed.map((m) => `${m.what} — ${m.measured}`).join("; ")}`,
    sections: [
      {
        title: "Each run",
        rows: runs.flatMap((r) => [detail(r, "loop"), detail(r, "paced")]),
        notes: [
          `Each client is a commune officer of its own commune (the first ${clients} communes of today by code), signed in through POST /api/v1/auth/sign-in, saving the 12 integer elements of a yearly form (4 validation rules) in turn with the version it last saw, over a keep-alive connection of its own. Latency is from the client's request to the last byte of the answer; the clients run in the bench process on the same 2 cores as the server (and, for PostgreSQL, the database server).`,
          `The server is \`node bin/grassroots.js serve --demo off\` (the compiled CLI) on a fresh data directory: migrations, the analytics replica with its background sync, the request log to a file. Before the timed runs every client signs in and the clients save in a loop for ${size.warmUpSeconds} s (not counted).`,
        ],
      },
    ],
    notes,
  };
}
