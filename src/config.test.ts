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

  it("reads how many proxies to trust: true is one, a number is that many, false none", () => {
    const hops = (value: string) => loadConfig({ GRASSROOTS_TRUST_PROXY: value }).trustProxy;
    expect([hops("false"), hops("true"), hops("2")]).toEqual([0, 1, 2]);
  });

  it("refuses a public address that is not http or https", () => {
    expect(() => loadConfig({ GRASSROOTS_PUBLIC_URL: "ftp://gr.example.vn" })).toThrow(
      /GRASSROOTS_PUBLIC_URL/,
    );
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
