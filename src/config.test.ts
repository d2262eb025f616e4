import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("configuration", () => {
  it("defaults to the embedded database on port 3000", () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: ".data",
      demo: "auto",
    });
  });

  it("lets a flag override the environment", () => {
    expect(loadConfig({ PORT: "4000" }, { port: "5000" }).port).toBe(5000);
  });

  it("stops with every wrong setting named by its variable", () => {
    const attempt = () => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", GRASSROOTS_DEMO: "maybe" });
    expect(attempt).toThrow(ConfigError);
    expect(() => attempt()).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*GRASSROOTS_DEMO/);
  });

  it("reads a secret from the file NAME_FILE names", () => {
    const dir = mkdtempSync(join(tmpdir(), "gr-config-"));
    writeFileSync(join(dir, "token"), "s3cret-token-of-the-operator\n");
    expect(loadConfig({ GRASSROOTS_METRICS_TOKEN_FILE: join(dir, "token") }).metricsToken).toBe(
      "s3cret-token-of-the-operator",
    );
    rmSync(dir, { recursive: true });
  });

  it("stops when a secret's file cannot be read, naming the variable", () => {
    expect(() => loadConfig({ DATABASE_URL_FILE: "/nonexistent/secret" })).toThrow(/DATABASE_URL_FILE/);
  });
});

describe("secrets from files", () => {
  it("reads a setting from the file its _FILE variable names", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "gr-cfg-")), "smtp");
    writeFileSync(file, "s3cret-from-file\n");
    expect(loadConfig({ SMTP_PASSWORD_FILE: file }).smtpPassword).toBe("s3cret-from-file");
  });

  it("stops when the _FILE it is given cannot be read", () => {
    expect(() => loadConfig({ SMTP_PASSWORD_FILE: "/nonexistent/smtp" })).toThrow(/SMTP_PASSWORD_FILE/);
  });
});
