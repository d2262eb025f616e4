import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { App } from "../http/context.ts";

export interface RunningServer {
  url: string;
  /** Stops taking connections and closes as soon as the requests in flight are answered. */
  close(): Promise<void>;
  /**
   * Graceful stop: no new connections, idle keep-alive connections closed, requests in flight answered; those still
   * running after `timeoutMs` are cut. Resolves with whether everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Serves the app on a port (0 = any free one) and resolves once it listens. */
export function listen(
  app: Pick<App, "fetch">,
  options: { port: number; host: string },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        const host = options.host === "0.0.0.0" ? "localhost" : options.host;
        const http = server as Server;
        const closed = new Promise<void>((done) => http.once("close", () => done()));
        resolve({
          url: `http://${host}:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
          drain: async (timeoutMs) => {
            server.close();
            http.closeIdleConnections();
            let timer: NodeJS.Timeout | undefined;
            const timedOut = new Promise<false>((done) => {
              timer = setTimeout(() => done(false), timeoutMs);
            });
            const finished = await Promise.race([closed.then(() => true as const), timedOut]);
            clearTimeout(timer);
            if (!finished) http.closeAllConnections();
            return finished;
          },
        });
      },
    );
    server.once("error", reject);
  });
}
