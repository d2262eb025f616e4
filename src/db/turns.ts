import { AsyncLocalStorage } from "node:async_hooks";
import type { PGlite, Transaction } from "@electric-sql/pglite";

/**
 * Fair turns on the embedded database (issue 8).
 *
 * PGlite runs in this process, on the server's own thread, and runs each statement synchronously: the promises it
 * hands back are already settled, so a chain of statements (an import's hundreds of them, one after the other)
 * continues as microtasks and never gives the event loop a turn. Timers, sockets and every other HTTP request then
 * wait for the whole chain, however short each statement is: a GET /auth/me waited 3.7–5.6 s behind a 100,000-value
 * import whose statements each took under 0.41 s. So:
 *
 * - a statement or transaction that starts after `sliceMs` of uninterrupted work first lets the event loop run
 *   (setImmediate): requests are read and queue for the database between two statements;
 * - work marked as background (`inBackground`: a file import) lets the queued requests go first. PGlite has one
 *   connection and serves waiters in order, and a request runs several statements one after the other, each of
 *   which would otherwise queue again behind the next statement of the import. Before each of its top-level
 *   statements and transactions, background work waits (at most `maxWaitMs`, so that it is never starved) until no
 *   other statement is waiting or running.
 *
 * Inside a transaction nothing waits for others (they wait for its end anyway: PGlite runs one transaction at a
 * time), so nothing is interleaved that was not before; the server only stays responsive.
 */
const background = new AsyncLocalStorage<true>();

/** Runs `work` as background work: on the embedded database, other requests' statements go first. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

export function takeTurns(client: PGlite, options: { sliceMs?: number; maxWaitMs?: number } = {}): void {
  const sliceMs = options.sliceMs ?? 10;
  const maxWaitMs = options.maxWaitMs ?? 250;
  let turnAt = performance.now();
  /** Statements of foreground work (requests) waiting or running. */
  let foreground = 0;
  /** Background work waiting for the foreground to be done: each looks again when the foreground empties. */
  let idle: Array<() => void> = [];
  const nextTurn = () =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        turnAt = performance.now();
        resolve();
      }),
    );
  /** Resolves once no foreground statement is waiting or running, or after maxWaitMs (never starved). */
  const foregroundDone = () =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        idle = idle.filter((w) => w !== check);
        resolve();
      };
      const check = () => {
        if (foreground === 0) finish();
      };
      const timer = setTimeout(finish, maxWaitMs);
      idle.push(check);
    });
  const turn = async () => {
    if (background.getStore()) {
      await nextTurn();
      if (foreground > 0) await foregroundDone();
    } else if (performance.now() - turnAt >= sliceMs) await nextTurn();
  };
  const track = async <T>(run: () => Promise<T>): Promise<T> => {
    if (background.getStore()) {
      await turn();
      return run();
    }
    foreground++;
    try {
      await turn();
      return await run();
    } finally {
      foreground--;
      // A request's next statement follows within the same turn of the event loop: background work looks again on
      // the next turn, and waits on if the request went on.
      if (foreground === 0 && idle.length)
        setImmediate(() => {
          for (const check of [...idle]) check();
        });
    }
  };
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (...args: Parameters<PGlite["query"]>) => track(() => query(...args));
  client.exec = (...args: Parameters<PGlite["exec"]>) => track(() => exec(...args));
  client.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    track(() => transaction((tx) => callback(slicing(tx, sliceMs, nextTurn, () => turnAt))));
}

/** Inside a transaction, long runs of statements still let the event loop read requests now and then. */
function slicing(
  tx: Transaction,
  sliceMs: number,
  nextTurn: () => Promise<void>,
  turnAt: () => number,
): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if ((prop === "query" || prop === "exec" || prop === "sql") && typeof value === "function")
        return async (...args: unknown[]) => {
          if (performance.now() - turnAt() >= sliceMs) await nextTurn();
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      return value;
    },
  });
}
