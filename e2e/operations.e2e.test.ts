import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openPglite, openPostgres, rowsOf } from "../src/db/client.ts";

/**
 * Grassroots run as an operator runs it: real server processes started with the built `grassroots serve`. A SIGTERM
 * during a stream of saves loses none that were answered 2xx; two servers on one PostgreSQL behave as one.
 */
interface Server {
  url: string;
  proc: ChildProcess;
  passwords: Map<string, string>;
  exited: Promise<number | null>;
}

let work: string;
const servers: Server[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gr-ops-"));
});
afterAll(async () => {
  for (const s of servers) s.proc.kill("SIGKILL");
  await rm(work, { recursive: true, force: true });
});

/** Starts `grassroots serve` on a free port and waits until it says it runs; keeps the demo passwords it prints. */
function startServer(dataDir: string, env: Record<string, string>, args: string[] = []): Promise<Server> {
  const proc = spawn(
    process.execPath,
    ["bin/grassroots.js", "--data-dir", dataDir, "serve", "--port", "0", "--host", "127.0.0.1", ...args],
    {
      env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const passwords = new Map<string, string>();
  const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
  return new Promise((resolve, reject) => {
    let buffer = "";
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    proc.stdout?.on("data", (d: Buffer) => {
      buffer += d.toString();
      for (;;) {
        const end = buffer.indexOf("\n");
        if (end < 0) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const account = /^ {2}(\S+)\s+(\S+) {2}/.exec(line);
        if (account?.[1] && account[2]) passwords.set(account[1], account[2]);
        if (line.startsWith("{")) {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === "Grassroots is running" && entry.url) {
            const server = { url: entry.url, proc, passwords, exited };
            servers.push(server);
            resolve(server);
          }
        }
      }
    });
    void exited.then((code) => reject(new Error(`grassroots serve exited with ${code}: ${stderr}`)));
  });
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(
  server: Server,
  username: string,
  password = server.passwords.get(username),
): Promise<Session> {
  const res = await fetch(`${server.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function save(
  server: Server,
  session: Session,
  element: string,
  value: number,
  expectedVersion: number,
): Promise<{ status: number; version?: number }> {
  const res = await fetch(`${server.url}/api/v1/data-values`, {
    method: "PUT",
    headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
    body: JSON.stringify({ form: "KTXH_XA", unit: "04222", period: "2025", element, value, expectedVersion }),
  });
  const body = (await res.json().catch(() => null)) as { value?: { version: number } } | null;
  return { status: res.status, ...(body?.value ? { version: body.value.version } : {}) };
}

async function storedValues(database: Database, elements: string[]): Promise<Map<string, number>> {
  const rows = rowsOf<{ code: string; value: string }>(
    await database.db.execute(sql`SELECT e.code, v.numeric_value::text AS value
      FROM data_values v JOIN data_elements e ON e.id = v.element_id
      JOIN unit_versions u ON u.id = v.unit_version_id
      WHERE u.code = '04222' AND v.period = '2025' AND e.code IN (${sql.join(elements, sql`, `)})`),
  );
  return new Map(rows.map((r) => [r.code, Number(r.value)]));
}

async function currentVersions(server: Server, session: Session): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/api/v1/data-entry?form=KTXH_XA&unit=04222&period=2025`, {
    headers: { cookie: session.cookie },
  });
  const { values } = (await res.json()) as { values: Array<{ element: string; version: number }> };
  return new Map(values.map((v) => [v.element, v.version]));
}

describe("SIGTERM on the embedded database", () => {
  it("answers the saves in flight and loses none that were answered 2xx", { timeout: 300_000 }, async () => {
    const dataDir = join(work, "sigterm");
    const server = await startServer(dataDir, {});
    const session = await signIn(server, "chiengkhuong");
    const elements = ["HH_GRID", "HH_TOTAL", "ROAD_KM_TOTAL", "ROAD_KM_CONCRETE"];
    const versions = await currentVersions(server, session);
    const acked = new Map<string, number>();
    const sent = new Map<string, number[]>();
    let stopAt = Number.POSITIVE_INFINITY;
    // Four writers, each saving its own element again and again; SIGTERM lands while they are at it.
    const writers = elements.map(async (element, w) => {
      let version = versions.get(element) ?? 0;
      for (let i = 1; i < 10_000; i++) {
        const value = 1000 * (w + 1) + i;
        (sent.get(element) ?? sent.set(element, []).get(element))?.push(value);
        const result = await save(server, session, element, value, version).catch(() => null);
        if (!result || result.status >= 500 || result.status === 0) break;
        if (result.status === 200 && result.version !== undefined) {
          version = result.version;
          acked.set(element, value);
        }
        if (i >= stopAt) break;
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    stopAt = 0;
    server.proc.kill("SIGTERM");
    await Promise.all(writers);
    expect(await server.exited).toBe(0);

    const database = await openPglite(join(dataDir, "pglite"));
    try {
      const stored = await storedValues(database, elements);
      for (const element of elements) {
        const last = acked.get(element);
        expect(last, `${element} had a save answered 200`).toBeDefined();
        // What was answered 2xx is there; at most a later save whose answer was cut is there instead.
        const attempted = sent.get(element) ?? [];
        const stillThere = stored.get(element) ?? -1;
        expect(stillThere).toBeGreaterThanOrEqual(last ?? 0);
        expect(attempted).toContain(stillThere);
      }
    } finally {
      await database.close();
    }
  });

  it("refuses a second server on the same data folder with a clear message", {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(work, "single");
    await startServer(dataDir, {});
    const second = spawn(process.execPath, ["bin/grassroots.js", "--data-dir", dataDir, "migrate"], {
      env: { ...process.env, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    second.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((done) => second.once("exit", done));
    expect(code).toBe(2);
    expect(stderr).toMatch(/already open in process \d+/);
    expect(stderr).toMatch(/PGlite serves one process at a time/);
  });
});

function grassroots(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ["bin/grassroots.js", "--log-level", "silent", ...args], {
    env: { ...process.env, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  proc.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((done) => proc.once("exit", (code) => done({ code, stdout, stderr })));
}

// Uses the data folder the SIGTERM test left behind (its server is stopped): starting another costs a minute.
describe("the backup and restore commands", () => {
  it("back up a stopped embedded database and restore it into another data folder", {
    timeout: 300_000,
  }, async () => {
    const from = join(work, "sigterm");
    const archive = join(work, "cli-backup.tar.gz");
    const backup = await grassroots("--data-dir", from, "backup", "--out", archive);
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file: archive, rows: expect.any(Number) });
    const to = join(work, "restored");
    const restore = await grassroots("--data-dir", to, "restore", archive);
    expect(restore.code).toBe(0);
    const shown = await grassroots("--data-dir", to, "units", "show", "04222", "--json");
    expect(JSON.parse(shown.stdout)).toMatchObject({ code: "04222", name: "Xã Chiềng Khương" });
    const again = await grassroots("--data-dir", to, "restore", archive);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/restore_target_not_empty/);
  });
});

describe("two servers on one PostgreSQL", () => {
  let a: Server;
  let b: Server;
  let url: string;
  let admin: Database;
  const dbName = `gr_two_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl)
      throw new Error("The two-server test needs TEST_DATABASE_URL (run through scripts/with-postgres.sh).");
    admin = await openPostgres(adminUrl, { max: 1 });
    await admin.db.execute(`CREATE DATABASE ${dbName}`);
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    url = u.toString();
    // Both back up every 3 seconds: each slot must be backed up once, by one of them.
    const env = {
      DATABASE_URL: url,
      GRASSROOTS_BACKUP_CRON: "*/3 * * * * *",
      GRASSROOTS_BACKUP_KEEP: "1000",
    };
    a = await startServer(join(work, "a"), env);
    b = await startServer(join(work, "b"), env, ["--demo", "off"]);
  }, 300_000);
  afterAll(async () => {
    for (const s of [a, b]) s?.proc.kill("SIGTERM");
    await Promise.all([a?.exited, b?.exited]);
    await admin.db.execute(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  it("shows a value saved through one server on the other's analytics within seconds", async () => {
    const writer = await signIn(a, "chiengkhuong");
    const reader = await signIn(b, "sonla.officer", a.passwords.get("sonla.officer"));
    const versions = await currentVersions(a, writer);
    const value = 4000 + Math.floor(Math.random() * 1000);
    const saved = await save(a, writer, "HH_GRID", value, versions.get("HH_GRID") ?? 0);
    expect(saved.status).toBe(200);
    const savedAt = Date.now();
    let seen: number | null = null;
    while (Date.now() - savedAt < 10_000) {
      const res = await fetch(`${b.url}/api/v1/analytics?dx=HH_GRID&pe=2025&ou=04222`, {
        headers: { cookie: reader.cookie },
      });
      const body = (await res.json()) as { rows: Array<{ value: number | null }> };
      seen = body.rows[0]?.value ?? null;
      if (seen === value) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(value);
    console.info(
      `Server B's analytics showed the value ${((Date.now() - savedAt) / 1000).toFixed(2)} s after A saved it.`,
    );
  });

  it("ends on the other server a session signed out on one", async () => {
    const session = await signIn(a, "sonla.viewer");
    const me = () => fetch(`${b.url}/api/v1/auth/me`, { headers: { cookie: session.cookie } });
    expect((await me()).status).toBe(200);
    const out = await fetch(`${a.url}/api/v1/auth/sign-out`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
    });
    expect(out.status).toBe(204);
    expect((await me()).status).toBe(401);
  });

  it("runs a scheduled job once per slot, not once per server", { timeout: 60_000 }, async () => {
    await new Promise((r) => setTimeout(r, 8_000));
    const database = await openPostgres(url, { max: 1 });
    try {
      const [run] = rowsOf<{ runs: number }>(
        await database.db.execute(sql`SELECT runs FROM job_runs WHERE name = 'scheduled-backup'`),
      );
      const files = [
        ...(await readdir(join(work, "a", "backups")).catch(() => [])),
        ...(await readdir(join(work, "b", "backups")).catch(() => [])),
      ].filter((f) => f.endsWith(".tar.gz"));
      // Each file is named by its slot: no slot was backed up by both servers. One claimed slot may still be writing.
      expect(run?.runs).toBeGreaterThanOrEqual(2);
      expect(new Set(files).size).toBe(files.length);
      expect(files.length).toBeGreaterThanOrEqual((run?.runs ?? 0) - 1);
      expect(files.length).toBeLessThanOrEqual(run?.runs ?? 0);
    } finally {
      await database.close();
    }
  });
});
