import { cpus, totalmem } from "node:os";

/** One benchmark's results: bench/results/<name>.json, and a section of BENCHMARKS.md. */
export type Rows = Array<Record<string, string | number>>;

export interface Result {
  name: string;
  title: string;
  measuredAt: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  target: string;
  rows: Rows;
  verdict: string;
  /** Further tables, each under its own heading. */
  sections?: Array<{ title: string; rows: Rows; notes?: string[] }>;
  /** What a reader must know to read the figures (how they were taken, what was not run and why). */
  notes?: string[];
  /**
   * The issue targets this suite measures, one line each, for the table at the top of BENCHMARKS.md. Without it, the
   * rows (and section rows) that carry a `target` and a `verdict` stand for themselves.
   */
  targets?: Target[];
}

export interface Target {
  target: string;
  measured: string;
  verdict: "met" | "missed";
}

export function machine(): Result["machine"] {
  const cpu = cpus()[0]?.model ?? "unknown";
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
