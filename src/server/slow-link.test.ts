import { gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../http/context.ts";
import { apiCompression } from "./slow-link.ts";

const app = new Hono<AppEnv>();
app.use("/api/*", apiCompression());
app.get("/api/small", (c) => c.json({ value: "12", version: 3 }));
app.get("/api/large", (c) => c.json({ items: Array.from({ length: 200 }, (_, i) => ({ code: `E${i}` })) }));
const ask = (path: string) => app.request(path, { headers: { "accept-encoding": "gzip, deflate" } });

describe("API answers on a weak link", () => {
  it("sends a small JSON answer as it is, with its length, rather than through gzip", async () => {
    const res = await ask("/api/small");
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(res.headers.get("content-length")).toBe(
      String(JSON.stringify({ value: "12", version: 3 }).length),
    );
    expect(await res.json()).toEqual({ value: "12", version: 3 });
  });

  it("gzips a JSON answer of 1 KB or more", async () => {
    const res = await ask("/api/large");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const body = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8"));
    expect(body.items).toHaveLength(200);
  });
});
