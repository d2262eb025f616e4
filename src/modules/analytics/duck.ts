import type { DuckReplica, OpenDuckReplicaOptions } from "./index.ts";

/** Opens (or creates, or rebuilds) the DuckDB analytics replica. Being written: see docs/analytics.md. */
export async function openDuckReplica(_opts: OpenDuckReplicaOptions): Promise<DuckReplica> {
  throw new Error("The DuckDB replica is not written yet.");
}
