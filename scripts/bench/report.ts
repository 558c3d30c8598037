// Shared shape of benchmark results and the writer of bench/results.{json,md}.
import { mkdir, writeFile, rename } from "node:fs/promises";
import { join } from "node:path";

/** One measured row: what was measured, at which size, and the numbers. */
export interface BenchRow {
  suite: string;
  name: string;
  size: number;
  /** Median wall time in milliseconds over the repetitions. */
  ms: number;
  /** Elements (points, scalars, coefficients) per second, where meaningful. */
  throughput?: number;
  /** The same operation done directly on ffjavascript, for the overhead of our layer. */
  rawMs?: number;
  extra?: Record<string, number | string>;
}

/** Times `fn` `reps` times after one warm-up and returns the median in milliseconds. */
export async function timeMedian(fn: () => Promise<unknown>, reps = 3): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Times two implementations of the same operation in alternation (a, b, a, b, …) after one
 * warm-up each, so drift in machine load hits both alike; returns both medians in milliseconds.
 */
export async function timeAgainst(ours: () => Promise<unknown>, raw: () => Promise<unknown>, reps = 5): Promise<[number, number]> {
  await ours();
  await raw();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    for (const [fn, out] of [[ours, a], [raw, b]] as const) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
  }
  const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return [median(a), median(b)];
}

function details(r: BenchRow): string {
  return Object.entries(r.extra ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

function markdown(rows: readonly BenchRow[]): string {
  const lines = ["| suite | operation | size | ms | per second | raw ffjavascript ms | ours / raw | details |", "|---|---|---:|---:|---:|---:|---:|---|"];
  for (const r of rows) {
    const ratio = r.rawMs ? (r.ms / r.rawMs).toFixed(2) : "";
    lines.push(
      `| ${r.suite} | ${r.name} | ${r.size} | ${r.ms.toFixed(1)} | ${r.throughput ? Math.round(r.throughput).toLocaleString("en") : ""} | ${r.rawMs?.toFixed(1) ?? ""} | ${ratio} | ${details(r)} |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Writes results atomically (temp file + rename) so an interrupted run leaves no half-written file. */
export async function writeResults(dir: string, rows: readonly BenchRow[], meta: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify({ ...meta, rows }, null, 2) + "\n";
  const md = `# zkinfer benchmarks\n\n${Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`).join("\n")}\n\n${markdown(rows)}`;
  for (const [name, text] of [["results.json", json], ["results.md", md]] as const) {
    const tmp = join(dir, `.${name}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(dir, name));
  }
}
