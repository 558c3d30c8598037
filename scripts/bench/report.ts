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
  /** ms in units of the run's reference MSM (2^16 G1 points through ffjavascript), so machines compare. */
  msmUnits?: number;
  extra?: Record<string, number | string>;
}

/** The median of `xs` (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
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
  return median(times);
}

/**
 * Times two implementations of the same operation in alternation (a, b, a, b, …) after one
 * warm-up each, so drift in machine load hits both alike; returns both medians in milliseconds.
 */
export async function timeAgainst(ours: () => Promise<unknown>, raw: () => Promise<unknown>, reps = 5): Promise<[number, number]> {
  const [a, b] = await timeAlternately([ours, raw], reps);
  return [a, b];
}

/** Times each of `fns` `reps` times in alternation (A, B, …, A, B, …) after one warm-up each; the medians in milliseconds. */
export async function timeAlternately(fns: readonly (() => Promise<unknown>)[], reps = 5): Promise<number[]> {
  for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < reps; i++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      times[k].push(performance.now() - t0);
    }
  }
  return times.map(median);
}

function details(r: BenchRow): string {
  return Object.entries(r.extra ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

/**
 * Suites with a table of their own: [column header, key of `extra` (or "ms" for the row's ms)].
 * Any other key of `extra` goes to the details column.
 */
const SUITE_COLUMNS: Record<string, [string, string][]> = {
  peer: [
    ["log₂ rows", "logRows"],
    ["zkinfer prove ms", "ms"],
    ["zkinfer MSMs", "msmUnits"],
    ["snarkjs Groth16 ms", "snarkjsMs"],
    ["snarkjs MSMs", "snarkjsUnits"],
    ["ratio", "ratio"],
    ["key load ms", "loadKeyMs"],
    ["witness ms", "witnessMs"],
    ["key wait ms", "keyWaitMs"],
    ["prover ms", "proveMs"],
    ["MSM", "msm"],
    ["FFT", "fft"],
    ["gates", "gates"],
    ["reference MSM ms", "referenceMsmMs"],
  ],
  layers: [
    ["MACs", "macs"],
    ["weights", "weights"],
    ["input", "input"],
    ["im2col", "im2col"],
    ["output cells", "output"],
    ["rows", "rows"],
    ["log₂ rows", "logRows"],
    ["compile ms", "compileMs"],
    ["setup ms", "setupMs"],
    ["prove ms", "ms"],
    ["prove MSMs", "msmUnits"],
  ],
  models: [
    ["rows", "rows"],
    ["log₂ rows", "logRows"],
    ["compile ms", "compileMs"],
    ["setup ms", "setupMs"],
    ["prove ms", "ms"],
    ["prove MSMs", "msmUnits"],
    ["MSM", "msm"],
    ["FFT", "fft"],
    ["peak RSS MiB", "peakRssMiB"],
    ["proof bytes", "proofBytes"],
    ["verify ms", "verifyMs"],
    ["verifyProof gas", "verifyGas"],
    ["submitInference gas", "submitGas"],
  ],
};

function cell(v: number | string | undefined): string {
  if (v === undefined) return "";
  return typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v.replace(/\|/g, "/");
}

function suiteTable(columns: [string, string][], rows: readonly BenchRow[]): string[] {
  const keys = new Set(columns.map(([, k]) => k));
  const lines = [`| operation | ${columns.map(([h]) => h).join(" | ")} | details |`, `|---|${columns.map(() => "---:").join("|")}|---|`];
  for (const r of rows) {
    const rest = Object.entries(r.extra ?? {}).filter(([k]) => !keys.has(k));
    // A row that was not timed (ratios, compile-only cases, failures) has ms 0: left blank.
    const values = columns.map(([, k]) => cell(k === "ms" ? (r.ms > 0 ? r.ms : undefined) : k === "msmUnits" ? r.msmUnits : r.extra?.[k]));
    lines.push(`| ${r.name} | ${values.join(" | ")} | ${rest.map(([k, v]) => `${k} ${cell(v)}`).join(", ")} |`);
  }
  return lines;
}

function markdown(rows: readonly BenchRow[]): string {
  const generic = rows.filter((r) => !(r.suite in SUITE_COLUMNS));
  const sections: string[] = [];
  if (generic.length > 0) {
    const lines = ["| suite | operation | size | ms | MSMs | per second | raw ffjavascript ms | ours / raw | details |", "|---|---|---:|---:|---:|---:|---:|---:|---|"];
    for (const r of generic) {
      const ratio = r.rawMs ? (r.ms / r.rawMs).toFixed(2) : "";
      lines.push(
        `| ${r.suite} | ${r.name} | ${r.size} | ${r.ms.toFixed(1)} | ${cell(r.msmUnits)} | ${r.throughput ? Math.round(r.throughput).toLocaleString("en") : ""} | ${r.rawMs?.toFixed(1) ?? ""} | ${ratio} | ${details(r)} |`,
      );
    }
    sections.push(lines.join("\n"));
  }
  for (const [suite, columns] of Object.entries(SUITE_COLUMNS)) {
    const own = rows.filter((r) => r.suite === suite);
    if (own.length > 0) sections.push(`## ${suite}\n\n${suiteTable(columns, own).join("\n")}`);
  }
  return sections.join("\n\n") + "\n";
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
