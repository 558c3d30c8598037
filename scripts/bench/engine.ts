// `npm run -s bench -- engine [--json]`: our own kernels (prover/engine/wasm/) against ffjavascript,
// side by side in one run: G1 MSM of 2^14, 2^16 and 2^18 points and the NTT of 2^16 and 2^18
// elements, on one thread and on all threads. Each pair is timed in alternation (ours,
// ffjavascript, ours, …) after a warm-up, so drifting load on a shared machine hits both alike;
// the medians and their ratio are reported.
import os from "node:os";
import { buildBn128, type Bn128 } from "ffjavascript";
import { R } from "../../prover/engine/bn254.js";
import { frVecFromBigints } from "../../prover/engine/fr.js";
import { g1MsmLem, maxThreads, nttLem } from "../../prover/engine/wasm/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { timeAgainst } from "./report.js";

export interface EngineRow {
  log2: number;
  threads: 1 | "all";
  ours_s: number;
  ffjavascript_s: number;
}

export interface EngineResults {
  msm: EngineRow[];
  ntt: EngineRow[];
  /** Facts about the run: the machine, its load when the run started and ended. */
  machine: { cpus: string; threads: number; loadBefore: number[]; loadAfter: number[]; node: string };
}

function pseudoRandomScalars(n: number, seed: bigint): bigint[] {
  const xs: bigint[] = new Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % R;
    xs[i] = x;
  }
  return xs;
}

export async function benchEngine(opts: { threaded: Bn128; msmLogs?: number[]; nttLogs?: number[]; reps?: number; log: (s: string) => void }): Promise<EngineResults> {
  const msmLogs = opts.msmLogs ?? [14, 16, 18];
  const nttLogs = opts.nttLogs ?? [16, 18];
  const reps = opts.reps ?? 3;
  const all = maxThreads();
  const loadBefore = os.loadavg();
  // ffjavascript on one thread: an engine of its own without workers.
  const single = await buildBn128(true);
  const results: EngineResults = {
    msm: [],
    ntt: [],
    machine: { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`, threads: all, loadBefore, loadAfter: [], node: process.version },
  };
  try {
    const maxN = 2 ** Math.max(...msmLogs);
    const srs = await devSrs(maxN);
    for (const log2 of msmLogs) {
      const n = 2 ** log2;
      const bases = srs.g1.subarray(0, n * 64);
      const scalars = await opts.threaded.Fr.batchFromMontgomery(frVecFromBigints(pseudoRandomScalars(n, BigInt(log2))));
      for (const threads of [1, "all"] as const) {
        const engine = threads === 1 ? single : opts.threaded;
        const [ours, theirs] = await timeAgainst(
          () => g1MsmLem(bases, scalars, 32, { threads: threads === 1 ? 1 : all }),
          () => engine.G1.multiExpAffine(bases, scalars),
          reps,
        );
        results.msm.push({ log2, threads, ours_s: ours / 1000, ffjavascript_s: theirs / 1000 });
        opts.log(`MSM 2^${log2}, ${threads} thread(s): ours ${(ours / 1000).toFixed(3)} s, ffjavascript ${(theirs / 1000).toFixed(3)} s, ×${(theirs / ours).toFixed(2)}`);
      }
    }
    for (const log2 of nttLogs) {
      const v = frVecFromBigints(pseudoRandomScalars(2 ** log2, 99n + BigInt(log2)));
      for (const threads of [1, "all"] as const) {
        const engine = threads === 1 ? single : opts.threaded;
        const [ours, theirs] = await timeAgainst(
          () => nttLem(v, false, { threads: threads === 1 ? 1 : all }),
          () => engine.Fr.fft(v),
          reps,
        );
        results.ntt.push({ log2, threads, ours_s: ours / 1000, ffjavascript_s: theirs / 1000 });
        opts.log(`NTT 2^${log2}, ${threads} thread(s): ours ${(ours / 1000).toFixed(3)} s, ffjavascript ${(theirs / 1000).toFixed(3)} s, ×${(theirs / ours).toFixed(2)}`);
      }
    }
  } finally {
    await single.terminate();
  }
  results.machine.loadAfter = os.loadavg();
  return results;
}

/** The results as a table: one row per operation, size and thread count, with the ratio. */
export function engineTable(r: EngineResults): string {
  const lines = ["| operation | size | threads | ours (s) | ffjavascript (s) | ffjavascript / ours |", "|---|---|---|---|---|---|"];
  for (const [name, rows] of [
    ["G1 MSM", r.msm],
    ["NTT", r.ntt],
  ] as const) {
    for (const row of rows) {
      lines.push(`| ${name} | 2^${row.log2} | ${row.threads} | ${row.ours_s.toFixed(3)} | ${row.ffjavascript_s.toFixed(3)} | ${(row.ffjavascript_s / row.ours_s).toFixed(2)}× |`);
    }
  }
  const load = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(" / ");
  lines.push("", `${r.machine.cpus}, "all" = ${r.machine.threads} threads, Node ${r.machine.node}; load average (1/5/15 min) ${load(r.machine.loadBefore)} at the start, ${load(r.machine.loadAfter)} at the end.`);
  return lines.join("\n");
}
