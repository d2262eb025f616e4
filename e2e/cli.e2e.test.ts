import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
let dir: string;

/** Runs the built `grassroots` command against this file's own data folder. */
async function grassroots(...args: string[]) {
  return run(
    process.execPath,
    ["bin/grassroots.js", "--data-dir", join(dir, "data"), "--log-level", "silent", ...args],
    {
      env: { ...process.env, DATABASE_URL: "" },
    },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** The Sơn La part of the reference dataset: province 14, its old districts and communes, their lineage. */
async function writeSonLaDataset(folder: string, breakLine?: number) {
  const source = "data/vn-admin-2025";
  const keep = (file: string, test: (cols: string[]) => boolean) =>
    readFile(join(source, file), "utf8").then((text) => {
      const [header, ...rows] = text.trim().split(/\r?\n/);
      return [header, ...rows.filter((r) => test(r.split(",")))];
    });
  const districts = new Set(
    (await keep("old_units.csv", (c) => c[3] === "14")).slice(1).map((r) => r?.split(",")[1]),
  );
  const old = await keep("old_units.csv", (c) => c[1] === "14" || c[3] === "14" || districts.has(c[3]));
  const oldCodes = new Set(old.slice(1).map((r) => r?.split(",")[1]));
  const fresh = await keep("new_units.csv", (c) => c[1] === "14" || c[3] === "14");
  const lineage = await keep("lineage.csv", (c) => oldCodes.has(c[1]));
  if (breakLine) lineage[breakLine - 1] = lineage[breakLine - 1]?.replace(",full,", ",whole,");
  await writeFile(join(folder, "old_units.csv"), `${old.join("\n")}\n`);
  await writeFile(join(folder, "new_units.csv"), `${fresh.join("\n")}\n`);
  await writeFile(join(folder, "lineage.csv"), `${lineage.join("\n")}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gr-cli-"));
  await writeSonLaDataset(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the grassroots command", () => {
  it("imports a units dataset and reports what it wrote", async () => {
    const result = await grassroots("units", "import", dir);
    expect([result.code, JSON.parse(result.stdout).counts.newProvinces]).toEqual([0, 1]);
  });

  it("shows the unit a code named on a past date", async () => {
    const result = await grassroots("units", "show", "04168", "--at", "2025-06-30", "--json");
    expect(JSON.parse(result.stdout)).toMatchObject({ name: "Thị trấn Sông Mã", validTo: "2025-07-01" });
  });

  it("prints the lineage of a code", async () => {
    const result = await grassroots("units", "lineage", "04168");
    expect(result.stdout).toMatch(/Xã Sông Mã[\s\S]*← toàn bộ: Xã Nà Nghịu \(04198\)/);
  });

  it("refuses a dataset with a bad row, naming its line and column, and exits non-zero", async () => {
    const bad = join(dir, "bad");
    await run("mkdir", ["-p", bad]);
    await writeSonLaDataset(bad, 5);
    const result = await grassroots("units", "import", bad);
    expect([result.code, result.stderr]).toEqual([
      1,
      expect.stringMatching(/import_invalid[\s\S]*"line": 5[\s\S]*"column": "kind"/),
    ]);
  });

  it("refuses a malformed date naming the option", async () => {
    const result = await grassroots("units", "show", "04168", "--at", "30/06/2025");
    expect([result.code, result.stderr]).toEqual([1, expect.stringContaining("--at")]);
  });

  it("stops on a wrong setting with the list of what is wrong", async () => {
    const result = await run(process.execPath, ["bin/grassroots.js", "migrate"], {
      env: { ...process.env, PORT: "eighty", DATABASE_URL: "mysql://nope" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/PORT[\s\S]*DATABASE_URL/)]);
  });

  it.each([
    "serve",
    "migrate",
    "units import",
    "units show",
    "units lineage",
    "demo load",
    "users create-admin",
    "users list",
    "users disable",
    "tokens revoke",
    "data import",
    "data export",
    "analytics rebuild",
  ])("explains `%s` with --help", async (command) => {
    const result = await grassroots(...command.split(" "), "--help");
    expect([result.code, result.stdout]).toEqual([
      0,
      expect.stringContaining(`Usage: grassroots ${command}`),
    ]);
  });
});

describe("the grassroots command with the demo content", () => {
  let demoDir: string;
  const demo = (...args: string[]) =>
    run(
      process.execPath,
      ["bin/grassroots.js", "--data-dir", join(demoDir, "data"), "--log-level", "silent", ...args],
      {
        env: { ...process.env, DATABASE_URL: "" },
      },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  beforeAll(async () => {
    demoDir = await mkdtemp(join(tmpdir(), "gr-cli-demo-"));
    await demo("demo", "load");
  }, 120_000);
  afterAll(async () => {
    await rm(demoDir, { recursive: true, force: true });
  });

  it("exports a form's values for a province as CSV", async () => {
    const out = join(demoDir, "songma.csv");
    const result = await demo(
      "data",
      "export",
      "--form",
      "KTXH_XA",
      "--period",
      "2025",
      "--unit",
      "14",
      "--format",
      "csv",
      "--out",
      out,
    );
    const lines = (await readFile(out, "utf8")).trim().split(/\r?\n/);
    expect([result.code, lines.length]).toEqual([0, 10]);
  });

  it("checks an import with --dry-run and writes nothing", async () => {
    const file = join(demoDir, "changed.csv");
    await writeFile(file, "unit,unit_name,period,VILLAGES\n04171,Xã Bó Sinh,2025,23\n");
    const result = await demo("data", "import", file, "--dry-run");
    expect([result.code, JSON.parse(result.stdout)]).toEqual([
      0,
      expect.objectContaining({ dryRun: true, written: 0 }),
    ]);
  });

  it("imports a changed value", async () => {
    const file = join(demoDir, "changed.csv");
    const result = await demo("data", "import", file);
    expect([result.code, JSON.parse(result.stdout)]).toEqual([0, expect.objectContaining({ written: 1 })]);
  });

  it("rebuilds the analytics replica from the values, also after its file was damaged", async () => {
    const replica = join(demoDir, "data", "analytics.duckdb");
    await writeFile(replica, "not a DuckDB file");
    const result = await demo("analytics", "rebuild");
    const head = (await readFile(replica)).subarray(8, 12).toString("latin1");
    expect([result.code, result.stdout, head]).toEqual([
      0,
      expect.stringContaining("Analytics replica rebuilt"),
      "DUCK",
    ]);
  });

  it("names the bad rows of an import and exits non-zero", async () => {
    const file = join(demoDir, "bad.csv");
    await writeFile(file, "unit,unit_name,period,VILLAGES,HH_TOTAL\n04171,x,2025,ba,\n04171,x,2025,,-\n");
    const result = await demo("data", "import", file);
    expect([result.code, result.stderr]).toEqual([
      1,
      expect.stringMatching(/"row": 2[\s\S]*"column": "D \(VILLAGES\)"[\s\S]*"row": 3/),
    ]);
  });
});
