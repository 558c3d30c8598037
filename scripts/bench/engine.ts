// `npm run -s bench -- engine [--json]`: our own kernels (prover/engine/wasm/) against ffjavascript,
// side by side in one run: G1 MSM of 2^14, 2^16 and 2^18 points and the NTT of 2^16 and 2^18
// elements, on one thread and on all threads; the fixed-base MSM (a table built once) against our
// variable-base one and ffjavascript's at the same sizes; and a whole prove of a 2^16-row circuit
// (or of a model directory) with the commit key's table and without. Each set is timed in
// alternation (A, B, C, A, …) after a warm-up, so drifting load on a shared machine hits all
// alike; the medians and their ratios are reported.
import { readFile } from "node:fs/promises";
import os from "node:os";
import { buildBn128, type Bn128 } from "ffjavascript";
import { matvec, sizedMatvec } from "../../prover/circuits/index.js";
import { loadManifest, loadProvingKey } from "../../prover/cli/model-dir.js";
import { P, R } from "../../verifier/engine/bn254.js";
import { frVecFromBigints } from "../../verifier/engine/fr.js";
import { commitKeyTable } from "../../prover/engine/g1.js";
import { glvConstants, glvSplit, HALF_BYTES } from "../../prover/engine/wasm/glv.js";
import { g1FixedBaseTable, g1MsmFixed, g1MsmLem, maxThreads, nttLem } from "../../prover/engine/wasm/index.js";
import { prove, setup, srsSizeFor, verify, type ProvingKey, type Witness } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { median, timeAgainst, timeAlternately } from "./report.js";

export interface EngineRow {
  log2: number;
  threads: 1 | "all";
  ours_s: number;
  ffjavascript_s: number;
  /** MSM rows: ours without the GLV endomorphism (ours_s is with it). */
  ours_no_glv_s?: number;
  /** MSM rows: the process's CPU time (all its threads, medians) for ours with GLV, without, and ffjavascript. */
  cpu_s?: { ours: number; ours_no_glv: number; ffjavascript: number };
}

/**
 * Times each of `fns` `reps` times in alternation after a warm-up, as timeAlternately does, and also
 * the process's CPU time (user + system, all threads) per call: on a loaded machine the CPU time of a
 * single-threaded call varies far less than its wall time. Medians, in milliseconds.
 */
async function timeAlternatelyWithCpu(fns: readonly (() => Promise<unknown>)[], reps: number): Promise<{ wall: number[]; cpu: number[] }> {
  for (const fn of fns) await fn();
  const wall: number[][] = fns.map(() => []);
  const cpu: number[][] = fns.map(() => []);
  for (let i = 0; i < reps; i++) {
    for (const [k, fn] of fns.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      wall[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  return { wall: wall.map(median), cpu: cpu.map(median) };
}

export interface FixedBaseRow {
  log2: number;
  threads: 1 | "all";
  /** The table: window width, size and build time (on the same threads). */
  c: number;
  table_mib: number;
  build_s: number;
  fixed_s: number;
  ours_s: number;
  ffjavascript_s: number;
}

/** GLV in the fixed-base MSM, timed: a table over the n bases and 254-bit scalars against one over 2n (the bases and φ of them) and 128-bit halves. */
export interface FixedGlvRow {
  log2: number;
  c: number;
  /** The plain table MSM, and the split plus the MSM over the 2n-point table. */
  fixed_s: number;
  fixed_glv_s: number;
}

export interface ProveRow {
  circuit: string;
  logRows: number;
  runs: number;
  /** Building the commit key's table (once per key and process). */
  build_s: number;
  /** Medians of the prove time and of its MSM part, with the table and without (our variable-base MSM). */
  fixed_s: number;
  fixed_msm_s: number;
  variable_s: number;
  variable_msm_s: number;
  /** Peak resident set of the bench process so far (MiB), after the proves. */
  peak_rss_mib: number;
}

export const ENGINE_SECTIONS = ["msm", "ntt", "fixed", "fixed-glv", "prove"] as const;
export type EngineSection = (typeof ENGINE_SECTIONS)[number];

export interface EngineResults {
  msm: EngineRow[];
  ntt: EngineRow[];
  fixed: FixedBaseRow[];
  fixedGlv: FixedGlvRow[];
  prove: ProveRow[];
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

export async function benchEngine(opts: {
  threaded: Bn128;
  msmLogs?: number[];
  nttLogs?: number[];
  /** The prove section's circuit rows (default 2^16), unless `model` names a model directory. */
  proveLogRows?: number;
  model?: { dir: string; input: string };
  sections?: readonly EngineSection[];
  reps?: number;
  log: (s: string) => void;
}): Promise<EngineResults> {
  const sections = opts.sections ?? ENGINE_SECTIONS;
  const msmLogs = sections.includes("msm") || sections.includes("fixed") || sections.includes("fixed-glv") ? (opts.msmLogs ?? [14, 16, 18]) : [];
  const nttLogs = sections.includes("ntt") ? (opts.nttLogs ?? [16, 18]) : [];
  const reps = opts.reps ?? 3;
  const all = maxThreads();
  const loadBefore = os.loadavg();
  // ffjavascript on one thread: an engine of its own without workers.
  const single = await buildBn128(true);
  const results: EngineResults = {
    msm: [],
    ntt: [],
    fixed: [],
    fixedGlv: [],
    prove: [],
    machine: { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`, threads: all, loadBefore, loadAfter: [], node: process.version },
  };
  try {
    const srs = msmLogs.length > 0 ? await devSrs(2 ** Math.max(...msmLogs)) : undefined;
    for (const log2 of sections.includes("msm") ? msmLogs : []) {
      const n = 2 ** log2;
      const bases = srs!.g1.subarray(0, n * 64);
      const scalars = await opts.threaded.Fr.batchFromMontgomery(frVecFromBigints(pseudoRandomScalars(n, BigInt(log2))));
      for (const threads of [1, "all"] as const) {
        const engine = threads === 1 ? single : opts.threaded;
        const count = threads === 1 ? 1 : all;
        const { wall, cpu } = await timeAlternatelyWithCpu(
          [() => g1MsmLem(bases, scalars, 32, { threads: count, glv: "on" }), () => g1MsmLem(bases, scalars, 32, { threads: count, glv: "off" }), () => engine.G1.multiExpAffine(bases, scalars)],
          reps,
        );
        const [ours, noGlv, theirs] = wall;
        results.msm.push({ log2, threads, ours_s: ours / 1000, ours_no_glv_s: noGlv / 1000, ffjavascript_s: theirs / 1000, cpu_s: { ours: cpu[0] / 1000, ours_no_glv: cpu[1] / 1000, ffjavascript: cpu[2] / 1000 } });
        opts.log(
          `MSM 2^${log2}, ${threads} thread(s): ours ${(ours / 1000).toFixed(3)} s (without GLV ${(noGlv / 1000).toFixed(3)} s, ×${(noGlv / ours).toFixed(2)}), ffjavascript ${(theirs / 1000).toFixed(3)} s, ×${(theirs / ours).toFixed(2)}; ` +
            `CPU ${(cpu[0] / 1000).toFixed(3)} / ${(cpu[1] / 1000).toFixed(3)} / ${(cpu[2] / 1000).toFixed(3)} s`,
        );
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
    for (const log2 of sections.includes("fixed") ? msmLogs : []) {
      const n = 2 ** log2;
      const bases = srs!.g1.subarray(0, n * 64);
      const scalars = await opts.threaded.Fr.batchFromMontgomery(frVecFromBigints(pseudoRandomScalars(n, 7n + BigInt(log2))));
      for (const threads of [1, "all"] as const) {
        const engine = threads === 1 ? single : opts.threaded;
        const count = threads === 1 ? 1 : all;
        const t0 = performance.now();
        const table = await g1FixedBaseTable(bases, { threads: count });
        const build = (performance.now() - t0) / 1000;
        const [fixed, ours, theirs] = await timeAlternately(
          [() => g1MsmFixed(table, scalars, 32, { threads: count }), () => g1MsmLem(bases, scalars, 32, { threads: count }), () => engine.G1.multiExpAffine(bases, scalars)],
          reps,
        );
        const row: FixedBaseRow = { log2, threads, c: table.c, table_mib: table.data.length / 2 ** 20, build_s: build, fixed_s: fixed / 1000, ours_s: ours / 1000, ffjavascript_s: theirs / 1000 };
        results.fixed.push(row);
        opts.log(
          `fixed-base MSM 2^${log2}, ${threads} thread(s): table c = ${row.c}, ${row.table_mib.toFixed(0)} MiB, built in ${build.toFixed(1)} s; ` +
            `fixed ${row.fixed_s.toFixed(3)} s, variable ${row.ours_s.toFixed(3)} s (×${(ours / fixed).toFixed(2)}), ffjavascript ${row.ffjavascript_s.toFixed(3)} s (×${(theirs / fixed).toFixed(2)})`,
        );
      }
    }
    for (const log2 of sections.includes("fixed-glv") ? msmLogs.filter((l) => l <= 16) : []) {
      // Timing only: the halves' signs are dropped (g1MsmFixed takes none; a negated digit costs the same), so the GLV sum is not the MSM's.
      const n = 2 ** log2;
      const bases = srs!.g1.subarray(0, n * 64);
      const scalars = await opts.threaded.Fr.batchFromMontgomery(frVecFromBigints(pseudoRandomScalars(n, 5n + BigInt(log2))));
      const doubled = new Uint8Array(2 * n * 64);
      doubled.set(bases);
      const { beta } = glvConstants();
      for (let i = 0; i < n; i++) {
        // φ(P) in LEM form: x·2^256 times β, mod p, is (β·x)·2^256; y unchanged.
        let x = 0n;
        for (let b = 31; b >= 0; b--) x = (x << 8n) | BigInt(bases[i * 64 + b]);
        x = (x * beta) % P;
        for (let b = 0; b < 32; b++, x >>= 8n) doubled[(n + i) * 64 + b] = Number(x & 0xffn);
        doubled.set(bases.subarray(i * 64 + 32, i * 64 + 64), (n + i) * 64 + 32);
      }
      const table = await g1FixedBaseTable(bases, { threads: all });
      const table2 = await g1FixedBaseTable(doubled, { threads: all, c: table.c });
      const halves = new Uint8Array(2 * n * HALF_BYTES);
      const negative = new Uint8Array(2 * n);
      const [fixed, glv] = await timeAlternately(
        [
          () => g1MsmFixed(table, scalars, 32, { threads: all }),
          () => {
            glvSplit(scalars, n, 32, halves, negative);
            return g1MsmFixed(table2, halves, HALF_BYTES, { threads: all });
          },
        ],
        reps,
      );
      results.fixedGlv.push({ log2, c: table.c, fixed_s: fixed / 1000, fixed_glv_s: glv / 1000 });
      opts.log(`fixed-base MSM 2^${log2}, all threads, c = ${table.c}: plain ${(fixed / 1000).toFixed(3)} s, with GLV (split + 2n table points) ${(glv / 1000).toFixed(3)} s, ×${(fixed / glv).toFixed(2)}`);
    }
    if (sections.includes("prove")) results.prove.push(await benchProve({ logRows: opts.proveLogRows ?? 16, model: opts.model, reps, log: opts.log }));
  } finally {
    await single.terminate();
  }
  results.machine.loadAfter = os.loadavg();
  return results;
}

/** The key and witness to prove: a compiled model directory's, or the built-in matvec circuit's at 2^logRows rows. */
async function proveInputs(logRows: number, model?: { dir: string; input: string }): Promise<{ name: string; pk: ProvingKey; witness: Witness }> {
  if (model) {
    const { circuit, params } = await loadManifest(model.dir);
    const input = circuit.parseInput(params, (JSON.parse(await readFile(model.input, "utf8")) as { input_data: unknown }).input_data);
    return { name: model.dir, pk: await loadProvingKey(model.dir), witness: circuit.build(params, input).witness };
  }
  const params = sizedMatvec(logRows);
  const { table, witness } = matvec.build({ ...params }, Array.from({ length: params.k * params.P }, (_, i) => BigInt((i % 201) - 100)));
  return { name: `matvec ${params.m}×${params.k}`, pk: await setup(table, await devSrs(srsSizeFor(logRows))), witness };
}

/**
 * A whole prove with the commit key's fixed-base table (ZKINFER_FIXED_BASE=on, the table built
 * before the runs) and without (=off), alternating; every proof is verified.
 */
async function benchProve(opts: { logRows: number; model?: { dir: string; input: string }; reps: number; log: (s: string) => void }): Promise<ProveRow> {
  const { name, pk, witness } = await proveInputs(opts.logRows, opts.model);
  const saved = process.env.ZKINFER_FIXED_BASE;
  const t0 = performance.now();
  await commitKeyTable(pk.commitKey.g1);
  const build = (performance.now() - t0) / 1000;
  const times: Record<"on" | "off", { total: number[]; msm: number[] }> = { on: { total: [], msm: [] }, off: { total: [], msm: [] } };
  try {
    for (let run = -1; run < opts.reps; run++) {
      for (const mode of ["on", "off"] as const) {
        process.env.ZKINFER_FIXED_BASE = mode;
        const result = await prove(pk, witness);
        if (!(await verify(pk.vk, result.proof, result.publicInputs))) throw new Error(`${name}: a proof made with ZKINFER_FIXED_BASE=${mode} does not verify`);
        if (run < 0) continue; // warm-up
        times[mode].total.push(result.timings.total / 1000);
        times[mode].msm.push(result.timings.msm / 1000);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.ZKINFER_FIXED_BASE;
    else process.env.ZKINFER_FIXED_BASE = saved;
  }
  const row: ProveRow = {
    circuit: name,
    logRows: pk.vk.logRows,
    runs: opts.reps,
    build_s: build,
    fixed_s: median(times.on.total),
    fixed_msm_s: median(times.on.msm),
    variable_s: median(times.off.total),
    variable_msm_s: median(times.off.msm),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  opts.log(
    `prove ${name} (2^${row.logRows} rows), ${row.runs} runs each, alternating: with the table ${row.fixed_s.toFixed(2)} s (MSM ${row.fixed_msm_s.toFixed(2)} s), ` +
      `without ${row.variable_s.toFixed(2)} s (MSM ${row.variable_msm_s.toFixed(2)} s), ×${(row.variable_s / row.fixed_s).toFixed(2)} (MSM ×${(row.variable_msm_s / row.fixed_msm_s).toFixed(2)}); table built in ${build.toFixed(1)} s; peak RSS ${row.peak_rss_mib} MiB`,
  );
  return row;
}

/** The results as a table: one row per operation, size and thread count, with the ratio. */
export function engineTable(r: EngineResults): string {
  const lines: string[] = [];
  if (r.msm.length > 0) {
    lines.push(
      "| G1 MSM | threads | ours, GLV (s) | ours, no GLV (s) | ffjavascript (s) | no GLV / GLV | ffjavascript / GLV | CPU s: GLV / no GLV / ffjavascript | CPU: no GLV / GLV | CPU: ffjavascript / GLV |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
  }
  for (const row of r.msm) {
    const noGlv = row.ours_no_glv_s ?? NaN;
    const cpu = row.cpu_s ?? { ours: NaN, ours_no_glv: NaN, ffjavascript: NaN };
    lines.push(
      `| 2^${row.log2} | ${row.threads} | ${row.ours_s.toFixed(3)} | ${noGlv.toFixed(3)} | ${row.ffjavascript_s.toFixed(3)} | ${(noGlv / row.ours_s).toFixed(2)}× | ${(row.ffjavascript_s / row.ours_s).toFixed(2)}× | ` +
        `${cpu.ours.toFixed(2)} / ${cpu.ours_no_glv.toFixed(2)} / ${cpu.ffjavascript.toFixed(2)} | ${(cpu.ours_no_glv / cpu.ours).toFixed(2)}× | ${(cpu.ffjavascript / cpu.ours).toFixed(2)}× |`,
    );
  }
  if (r.ntt.length > 0) lines.push(...(lines.length > 0 ? [""] : []), "| NTT | threads | ours (s) | ffjavascript (s) | ffjavascript / ours |", "|---|---|---|---|---|");
  for (const row of r.ntt) {
    lines.push(`| 2^${row.log2} | ${row.threads} | ${row.ours_s.toFixed(3)} | ${row.ffjavascript_s.toFixed(3)} | ${(row.ffjavascript_s / row.ours_s).toFixed(2)}× |`);
  }
  if (r.fixed.length > 0) {
    lines.push(...(lines.length > 0 ? [""] : []), "| fixed-base G1 MSM | threads | table (c, MiB, build s) | fixed (s) | ours, variable (s) | ffjavascript (s) | variable / fixed | ffjavascript / fixed |", "|---|---|---|---|---|---|---|---|");
    for (const f of r.fixed) {
      lines.push(
        `| 2^${f.log2} | ${f.threads} | ${f.c}, ${f.table_mib.toFixed(0)}, ${f.build_s.toFixed(1)} | ${f.fixed_s.toFixed(3)} | ${f.ours_s.toFixed(3)} | ${f.ffjavascript_s.toFixed(3)} | ${(f.ours_s / f.fixed_s).toFixed(2)}× | ${(f.ffjavascript_s / f.fixed_s).toFixed(2)}× |`,
      );
    }
  }
  if (r.fixedGlv.length > 0) {
    lines.push(...(lines.length > 0 ? [""] : []), "| fixed-base G1 MSM, all threads | c | plain (s) | GLV: split + 2n table points (s) | plain / GLV |", "|---|---|---|---|---|");
    for (const f of r.fixedGlv) lines.push(`| 2^${f.log2} | ${f.c} | ${f.fixed_s.toFixed(3)} | ${f.fixed_glv_s.toFixed(3)} | ${(f.fixed_s / f.fixed_glv_s).toFixed(2)}× |`);
  }
  for (const p of r.prove) {
    lines.push(
      "",
      `| prove ${p.circuit} (2^${p.logRows} rows, ${p.runs} runs each) | prove (s) | of which MSM (s) |`,
      "|---|---|---|",
      `| commit key's table (built once in ${p.build_s.toFixed(1)} s) | ${p.fixed_s.toFixed(2)} | ${p.fixed_msm_s.toFixed(2)} |`,
      `| variable-base MSMs | ${p.variable_s.toFixed(2)} | ${p.variable_msm_s.toFixed(2)} |`,
      `| ratio | ${(p.variable_s / p.fixed_s).toFixed(2)}× | ${(p.variable_msm_s / p.fixed_msm_s).toFixed(2)}× |`,
      "",
      `Peak RSS of the bench process: ${p.peak_rss_mib} MiB.`,
    );
  }
  const load = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(" / ");
  lines.push("", `${r.machine.cpus}, "all" = ${r.machine.threads} threads, Node ${r.machine.node}; load average (1/5/15 min) ${load(r.machine.loadBefore)} at the start, ${load(r.machine.loadAfter)} at the end.`);
  return lines.join("\n");
}
