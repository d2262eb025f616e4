import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { App } from "./context.ts";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the app on a port (0 = any free one) and resolves once it listens. */
export function listen(app: App, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        const host = options.host === "0.0.0.0" ? "localhost" : options.host;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
        });
      },
    );
    server.once("error", reject);
  });
}
