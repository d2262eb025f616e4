import { Agent, request } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { LOAD_ELEMENTS, LOAD_FORM, LOAD_PASSWORD, type LoadAccount } from "./fixture.ts";

/**
 * Concurrent data-entry clients over keep-alive HTTP, each signed in with its own session (cookie + CSRF token), each
 * saving the values of its own commune's report the way the entry screen does: one element at a time, sending the
 * version it last saw. Every answer other than 200 counts as an error (a 409 would mean a lost update was refused:
 * with one writer per report there must be none).
 */
interface Answer {
  status: number;
  body: string;
  cookie: string | null;
}

export class LoadClient {
  private cookie = "";
  private csrf = "";
  private readonly versions = new Map<string, number>();
  private turn = 0;

  /** Like a browser tab, each client keeps a connection of its own (idle at most a second, under the server's 5 s). */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** Why requests failed without an answer (network errors), for the report. */
  readonly failures: string[] = [];

  constructor(
    private readonly base: URL,
    readonly account: LoadAccount,
    private readonly period: string,
  ) {}

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            "content-type": "application/json",
            // As a browser asks: the server may gzip the answer.
            "accept-encoding": "gzip, deflate",
            ...(payload ? { "content-length": Buffer.byteLength(payload) } : {}),
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...(this.csrf ? { "x-csrf-token": this.csrf } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const raw = Buffer.concat(chunks);
            const encoding = res.headers["content-encoding"];
            const bytes =
              encoding === "gzip" ? gunzipSync(raw) : encoding === "deflate" ? inflateSync(raw) : raw;
            resolve({
              status: res.statusCode ?? 0,
              body: bytes.toString("utf8"),
              cookie: res.headers["set-cookie"]?.[0]?.split(";")[0] ?? null,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  async signIn(): Promise<void> {
    const answer = await this.send("POST", "/api/v1/auth/sign-in", {
      username: this.account.username,
      password: LOAD_PASSWORD,
    });
    if (answer.status !== 200 || !answer.cookie)
      throw new Error(`sign-in of ${this.account.username}: ${answer.status} ${answer.body.slice(0, 200)}`);
    this.cookie = answer.cookie;
    this.csrf = (JSON.parse(answer.body) as { csrfToken: string }).csrfToken;
  }

  /** One save of the next element; resolves with its latency in ms and whether it was answered 200. */
  async save(): Promise<{ ms: number; ok: boolean; status: number }> {
    const element = LOAD_ELEMENTS[this.turn++ % LOAD_ELEMENTS.length] as string;
    const started = performance.now();
    try {
      const answer = await this.send("PUT", "/api/v1/data-values", {
        form: LOAD_FORM,
        unit: this.account.unitCode,
        period: this.period,
        element,
        value: 100 + ((this.turn * 7919) % 900),
        expectedVersion: this.versions.get(element) ?? 0,
      });
      const ms = performance.now() - started;
      if (answer.status !== 200) {
        if (answer.status === 409) {
          // Learn the current version so that one refusal does not turn into a stream of them.
          const current = (
            JSON.parse(answer.body) as { error?: { details?: { current?: { version: number } } } }
          ).error?.details?.current;
          if (current) this.versions.set(element, current.version);
        }
        return { ms, ok: false, status: answer.status };
      }
      const saved = (JSON.parse(answer.body) as { value: { version: number } | null }).value;
      this.versions.set(element, saved?.version ?? 0);
      return { ms, ok: true, status: 200 };
    } catch (err) {
      this.failures.push(
        err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? ""} ${err.message}` : String(err),
      );
      return { ms: performance.now() - started, ok: false, status: 0 };
    }
  }
}

export interface RunFigures {
  saves: number;
  errors: number;
  /** Status → count of the errors. */
  errorStatuses: Record<string, number>;
  seconds: number;
  savesPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) : 0;

function figures(latencies: number[], errors: Map<number, number>, seconds: number): RunFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => +n.toFixed(1);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  return {
    saves: sorted.length - errorCount,
    errors: errorCount,
    errorStatuses: Object.fromEntries([...errors].map(([s, n]) => [String(s), n])),
    seconds: round(seconds),
    savesPerSecond: round((sorted.length - errorCount) / seconds),
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** Every client saves again as soon as its last save is answered, for `seconds`. */
export async function savingInALoop(clients: LoadClient[], seconds: number): Promise<RunFigures> {
  const latencies: number[] = [];
  const errors = new Map<number, number>();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const r = await client.save();
        latencies.push(r.ms);
        if (!r.ok) errors.set(r.status, (errors.get(r.status) ?? 0) + 1);
      }
    }),
  );
  return figures(latencies, errors, (performance.now() - started) / 1000);
}

/**
 * Every client saves once a second (spread over the second, as people type), for `seconds`: an open load, so a slow
 * answer shows as latency instead of lowering the rate. A client whose save is still running when its next one is due
 * sends it as soon as the answer comes.
 */
export async function savingEverySecond(clients: LoadClient[], seconds: number): Promise<RunFigures> {
  const latencies: number[] = [];
  const errors = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const offset = (i / clients.length) * 1000;
      for (let k = 0; k < seconds; k++) {
        const due = started + offset + k * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const r = await client.save();
        latencies.push(r.ms);
        if (!r.ok) errors.set(r.status, (errors.get(r.status) ?? 0) + 1);
      }
    }),
  );
  return figures(latencies, errors, (performance.now() - started) / 1000);
}
