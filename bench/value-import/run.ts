import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pino from "pino";
import { type Database, openPglite, openPostgres } from "../../src/db/client.ts";
import { systemActor } from "../../src/modules/access/actor.ts";
import { createUser } from "../../src/modules/access/users.ts";
import { parseValuesFile } from "../../src/modules/reporting/files.ts";
import { importDataValues } from "../../src/modules/reporting/import-values.ts";
import { importReferenceUnits } from "../../src/modules/units/import-reference.ts";
import { referenceDataFolder } from "../../src/paths.ts";
import { createApp } from "../../src/server/app.ts";
import { listen } from "../../src/server/listen.ts";
import { createDeps } from "../../src/server/runtime.ts";
import { machine, type Result } from "../result.ts";
import { BENCH_FORM, prepareForm, writeWorkbook } from "./workbook.ts";

/**
 * The file import of issue 8 and 14: a 100,000-value .xlsx through the same path as `grassroots data import` and the
 * import API (streamed workbook, staging, claimed short transactions), on PGlite and PostgreSQL:
 * - the time of a first import (100,000 new values) while a signed-in client asks GET /auth/me every 50 ms over HTTP
 *   (its latencies: the embedded database has one connection, so this is what other users feel);
 * - the time and the peak RSS (a child process of its own) of a second import changing all 100,000 values, and of a
 *   20 MB workbook (the same values, plus a notes sheet as officials' files carry).
 */
const ctx = { actor: systemActor("bench"), requestId: null };
const password = "bench-mật-khẩu-dài-và-khó-đoán-2026";
const here = fileURLToPath(new URL(".", import.meta.url));

interface StoreFigures {
  store: string;
  "reference: plain INSERT of 100,000 rows (s)": number;
  "first import (s)": number;
  "values/s": number;
  "GET /auth/me during it p50 (ms)": number;
  "p99 (ms)": number;
  "max (ms)": number;
  requests: number;
  "second import, all changed (s)": number;
  "its peak RSS (MiB)": number;
  "20 MB workbook (s)": number;
  "its peak RSS (MiB) ": number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) : 0;

async function prepare(database: Database) {
  await database.migrate();
  await importReferenceUnits(database.db, ctx, referenceDataFolder);
  const units = await prepareForm(database.db, ctx);
  await createUser(database.db, ctx, new Date(), {
    username: "bench.officer",
    displayName: "Bench",
    role: "province_officer",
    scopeCode: "14",
    password,
  });
  return units;
}

/**
 * How busy the machine is, in the figure's own terms: one INSERT … SELECT of 100,000 rows into a copy of data_values
 * (its indexes, no keys or triggers), measured just before the import on the same database.
 */
async function plainInsertSeconds(database: Database): Promise<number> {
  await database.db.execute(
    sql`CREATE TABLE bench_reference (LIKE data_values INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)`,
  );
  const started = performance.now();
  await database.db.execute(sql`
    INSERT INTO bench_reference (element_id, unit_version_id, period, value, numeric_value, updated_by)
    SELECT e, u, '2025', (e * u % 997)::text, (e * u % 997), 'bench'
    FROM generate_series(1, 40) e CROSS JOIN generate_series(1, 2500) u`);
  const seconds = (performance.now() - started) / 1000;
  await database.db.execute(sql`DROP TABLE bench_reference`);
  return seconds;
}

/** The first import in this process, with a client polling GET /auth/me over HTTP meanwhile. */
async function importWhilePolling(database: Database, file: string) {
  const deps = createDeps(
    { sessionIdleMinutes: 120, sessionMaxHours: 12, trustProxy: 0 },
    database,
    pino({ level: "silent" }),
  );
  const server = await listen(createApp(deps, { serveWeb: false }), { port: 0, host: "127.0.0.1" });
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bench.officer", password }),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (signIn.status !== 200) throw new Error(`bench sign-in failed: ${signIn.status}`);
  // Open loop, as independent users: a request is due every 50 ms and its latency counts from when it was due, so
  // time the server (and PGlite, which runs on the same thread) keeps everyone waiting is counted, not skipped.
  const latencies: number[] = [];
  let running = true;
  const poll = (async () => {
    const start = performance.now();
    const pending: Array<Promise<void>> = [];
    for (let k = 0; running; k++) {
      const due = start + k * 50;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(
        (async () => {
          // A kept-alive connection the server dropped meanwhile is tried again, as browsers do for a GET.
          for (let attempt = 1; ; attempt++) {
            try {
              const res = await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } });
              await res.arrayBuffer();
              if (res.status !== 200) throw new Error(`GET /auth/me answered ${res.status}`);
              latencies.push(performance.now() - due);
              return;
            } catch (err) {
              if (attempt >= 3) throw err;
            }
          }
        })(),
      );
    }
    await Promise.all(pending);
  })();
  const started = performance.now();
  const result = await importDataValues(database.db, ctx, parseValuesFile("xlsx", { path: file }));
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await poll;
  await server.close();
  if (result.written !== result.rows)
    throw new Error(`expected every value written: ${JSON.stringify(result)}`);
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    seconds,
    values: result.rows,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    requests: sorted.length,
  };
}

/** An import in a child process of its own (as `grassroots data import`), for its time and peak RSS. */
function importInChild(target: { pgliteDir?: string; url?: string }, file: string) {
  return new Promise<{ seconds: number; values: number; peakRssMiB: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "child.js"), file], {
      env: {
        ...process.env,
        ...(target.url ? { BENCH_IMPORT_URL: target.url } : { BENCH_IMPORT_DIR: target.pgliteDir ?? "" }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    // A child that makes no progress for 10 minutes is stopped, so that one stuck run cannot hold the whole bench.
    const timer = setTimeout(() => child.kill(), 10 * 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`import child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}"));
    });
  });
}

async function measure(
  store: string,
  open: () => Promise<Database>,
  target: { pgliteDir?: string; url?: string },
  dir: string,
): Promise<{ figures: StoreFigures; sizes: string }> {
  const database = await open();
  const units = await prepare(database);
  const first = join(dir, "first.xlsx");
  const second = join(dir, "second.xlsx");
  const big = join(dir, "twenty-mb.xlsx");
  await writeWorkbook(first, units, 1);
  await writeWorkbook(second, units, 2);
  await writeWorkbook(big, units, 3, 20 * 2 ** 20);
  const reference = await plainInsertSeconds(database);
  const polled = await importWhilePolling(database, first);
  await database.close();
  const changed = await importInChild(target, second);
  const twenty = await importInChild(target, big);
  const mib = async (f: string) => ((await stat(f)).size / 2 ** 20).toFixed(1);
  return {
    figures: {
      store,
      "reference: plain INSERT of 100,000 rows (s)": +reference.toFixed(2),
      "first import (s)": +polled.seconds.toFixed(2),
      "values/s": Math.round(polled.values / polled.seconds),
      "GET /auth/me during it p50 (ms)": +polled.p50.toFixed(1),
      "p99 (ms)": +polled.p99.toFixed(1),
      "max (ms)": +polled.max.toFixed(1),
      requests: polled.requests,
      "second import, all changed (s)": +changed.seconds.toFixed(2),
      "its peak RSS (MiB)": changed.peakRssMiB,
      "20 MB workbook (s)": +twenty.seconds.toFixed(2),
      "its peak RSS (MiB) ": twenty.peakRssMiB,
    },
    sizes: `${polled.values.toLocaleString("en")} values per import; files of ${await mib(first)} MB, ${await mib(second)} MB and ${await mib(big)} MB`,
  };
}

export async function benchValueImport(postgresUrl: string | null): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), "gr-bench-import-"));
  const rows: Result["rows"] = [];
  const notes: string[] = [];
  try {
    const pgliteDir = join(dir, "pglite");
    const embedded = await measure("PGlite (on disk)", () => openPglite(pgliteDir), { pgliteDir }, dir);
    rows.push({ ...embedded.figures });
    notes.push(embedded.sizes);
    if (postgresUrl) {
      const admin = await openPostgres(postgresUrl, { max: 1 });
      await admin.db.execute("DROP DATABASE IF EXISTS gr_bench_import WITH (FORCE)");
      await admin.db.execute("CREATE DATABASE gr_bench_import");
      const url = new URL(postgresUrl);
      url.pathname = "/gr_bench_import";
      const server = await measure(
        "PostgreSQL server",
        () => openPostgres(url.toString()),
        { url: url.toString() },
        dir,
      );
      rows.push({ ...server.figures });
      await admin.db.execute("DROP DATABASE IF EXISTS gr_bench_import WITH (FORCE)");
      await admin.close();
    } else notes.push("No PostgreSQL server (TEST_DATABASE_URL / BENCH_DATABASE_URL): its row is missing.");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const worst = Math.max(
    ...rows.map((r) => Number(r["first import (s)"])),
    ...rows.map((r) => Number(r["second import, all changed (s)"])),
  );
  const p99 = Number(rows[0]?.["p99 (ms)"] ?? 0);
  const rss = Math.max(...rows.map((r) => Number(r["its peak RSS (MiB) "])));
  const verdicts = [
    `import of 100,000 values ${worst <= 10 ? "met" : "missed"}: worst ${worst} s (target ≤ 10 s)`,
    `GET /auth/me p99 on PGlite during it ${p99 <= 1000 ? "met" : "missed"}: ${p99} ms (target ≤ 1,000 ms)`,
    `peak RSS of the 20 MB import ${rss <= 600 ? "met" : "missed"}: ${rss} MiB (target ≤ 600 MiB)`,
  ];
  // Target and measured side by side, one line per target and store, each with the run's reference (how busy the
  // shared machine was: compare with the reference of other runs before comparing the figures).
  const targetRows: Result["rows"] = rows.flatMap((r) => {
    const reference = `${r["reference: plain INSERT of 100,000 rows (s)"]} s`;
    const slowest = Math.max(Number(r["first import (s)"]), Number(r["second import, all changed (s)"]));
    const line = (target: string, measured: string, met: boolean) => ({
      target,
      store: String(r.store),
      measured,
      verdict: met ? "met" : "missed",
      "reference INSERT": reference,
    });
    return [
      line(
        "100,000 values imported ≤ 10 s (issue 14)",
        `${r["first import (s)"]} s new, ${r["second import, all changed (s)"]} s all changed`,
        slowest <= 10,
      ),
      ...(String(r.store).startsWith("PGlite")
        ? [
            line(
              "other requests' p99 ≤ 1 s during the import (issue 8)",
              `GET /auth/me p99 ${r["p99 (ms)"]} ms, max ${r["max (ms)"]} ms, p50 ${r["GET /auth/me during it p50 (ms)"]} ms`,
              Number(r["p99 (ms)"]) <= 1000,
            ),
          ]
        : []),
      line(
        "peak RSS of a 20 MB workbook's import ≤ 600 MB (issue 8)",
        `${r["its peak RSS (MiB) "]} MiB`,
        Number(r["its peak RSS (MiB) "]) <= 600,
      ),
    ];
  });
  return {
    name: "value-import",
    title: `File import of values (${BENCH_FORM}: .xlsx, 100,000 values, all rows or none)`,
    measuredAt: new Date().toISOString(),
    machine: machine(),
    target:
      "100,000 values ≤ 10 s on either database (issue 14); on PGlite other requests' p99 ≤ 1 s during it, peak RSS of a 20 MB import ≤ 600 MB (issue 8)",
    rows: targetRows,
    verdict: verdicts.join("; "),
    sections: [{ title: "Per store", rows }],
    notes,
  };
}
