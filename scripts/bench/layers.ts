// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer cost of compiled models: synthetic single-layer ONNX models (prover/onnx/writer.ts)
// compiled (input and output private, so only the layer's own rows count), set up on a dev SRS and
// proved. Reports MACs next to the tensor sizes (weights, input, im2col copies, outputs), the
// circuit's rows (and rows per block kind), 2^logRows and prove time, to check that prove cost
// follows tensor sizes rather than multiply-accumulates: the 3×3 conv over a 16-channel 32×32
// input with 64 output channels has 8× the MACs of the one with 8; the pair row gives the measured
// ratios.
import { compileModel } from "../../prover/compiler/compile.js";
import { compiledCircuit } from "../../prover/compiler/circuit.js";
import type { TargetName } from "../../prover/quantize/targets.js";
import { prove, setup, srsSizeFor, verify } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import type { BenchRow } from "./report.js";
import { attentionBlock, convLayer, denseLayer, type SyntheticModel } from "./synthetic.js";

export interface LayerCase {
  model: SyntheticModel;
  /** Compile only (rows and logRows), without setup and prove. */
  compileOnly?: boolean;
  /** The quantization target (default accuracy). */
  target?: TargetName;
  /** Key of a pair: the row compares the case with `pair` = "b" against the one with "a". */
  pair?: { id: string; role: "a" | "b" };
}

/**
 * The cases of a mode: quick (small sizes, and the conv pair compiled only), full (the conv pair
 * proved at 2^18; the dense 1024→256 layer, 2^19 rows, compiled only) or large (that one proved
 * too).
 */
export function layerCases(mode: "quick" | "full" | "large"): LayerCase[] {
  const pair = (id: string, cin: number, hw: number, couts: [number, number], compileOnly = false): LayerCase[] =>
    couts.map((cout, i) => ({ model: convLayer({ cin, cout, h: hw, w: hw }), compileOnly, pair: { id, role: i === 0 ? "a" : "b" } }));
  if (mode === "quick") {
    return [
      // The issue's pair at full size, compiled only (a few seconds each): its rows, not its prove time.
      ...pair("conv 16×32×32, 8 vs 64 output channels", 16, 32, [8, 64], true),
      ...pair("conv 2×6×6, 2 vs 16 output channels", 2, 6, [2, 16]),
      { model: denseLayer({ n: 64, m: 32 }) },
      // The resources target: its exp table fits 2^13 rows (2^15 under accuracy).
      { model: attentionBlock({ t: 4, d: 8 }), target: "resources" },
    ];
  }
  return [
    ...pair("conv 16×32×32, 8 vs 64 output channels", 16, 32, [8, 64]),
    { model: denseLayer({ n: 784, m: 56 }) },
    { model: denseLayer({ n: 1024, m: 256 }), compileOnly: mode !== "large" },
    { model: attentionBlock({ t: 8, d: 16 }) },
    { model: attentionBlock({ t: 16, d: 32 }) },
  ];
}

interface Measured {
  c: LayerCase;
  rows: number;
  logRows: number;
  blockRows: Record<string, number>;
  compileMs: number;
  setupMs?: number;
  proveMs?: number;
  proofBytes?: number;
}

export async function benchLayers(opts: { cases: readonly LayerCase[]; log: (s: string) => void }): Promise<BenchRow[]> {
  // Compile everything first, so one dev SRS of the largest size serves every proof.
  const compiled = [];
  for (const c of opts.cases) {
    const t0 = performance.now();
    const model = await compileModel(c.model.bytes, {
      samples: c.model.samples,
      target: c.target ?? "accuracy",
      inputVisibility: "private",
      outputVisibility: "private",
      maxAccuracySamples: 1,
    });
    const compileMs = performance.now() - t0;
    const k = model.manifest.circuit;
    opts.log(`layer ${c.model.name}${c.target ? ` (target ${c.target})` : ""}: ${c.model.macs} MACs, ${k.rows} rows → 2^${k.logRows} (compile ${compileMs.toFixed(0)} ms)`);
    compiled.push({ c, model, compileMs });
  }
  const proved = compiled.filter((x) => !x.c.compileOnly);
  const srs = proved.length > 0 ? await devSrs(srsSizeFor(Math.max(...proved.map((x) => x.model.manifest.circuit.logRows)))) : undefined;

  const measured: Measured[] = [];
  for (const { c, model, compileMs } of compiled) {
    const k = model.manifest.circuit;
    const m: Measured = { c, rows: k.rows, logRows: k.logRows, blockRows: k.blockRows, compileMs };
    if (!c.compileOnly && srs) {
      const { table, witness } = compiledCircuit(model).build({});
      const t0 = performance.now();
      const pk = await setup(table, srs);
      m.setupMs = performance.now() - t0;
      const { proof, publicInputs, timings } = await prove(pk, witness);
      m.proveMs = timings.total;
      m.proofBytes = proof.length;
      if (!(await verify(pk.vk, proof, publicInputs))) throw new Error(`the proof of layer ${c.model.name} does not verify`);
      opts.log(`layer ${c.model.name}: setup ${m.setupMs.toFixed(0)} ms, prove ${m.proveMs.toFixed(0)} ms (2^${k.logRows} rows)`);
    }
    measured.push(m);
  }

  const rows: BenchRow[] = measured.map((m) => ({
    suite: "layers",
    name: m.c.model.name,
    size: 2 ** m.logRows,
    ms: m.proveMs ?? 0,
    extra: {
      macs: m.c.model.macs,
      weights: m.c.model.sizes.weights,
      input: m.c.model.sizes.input,
      im2col: m.c.model.sizes.im2col,
      output: m.c.model.sizes.output,
      rows: m.rows,
      logRows: m.logRows,
      compileMs: Math.round(m.compileMs),
      ...(m.c.target && { target: m.c.target }),
      ...(m.setupMs === undefined ? { proved: "no (compile only)" } : { setupMs: Math.round(m.setupMs), proofBytes: m.proofBytes! }),
      blocks: Object.entries(m.blockRows)
        .sort((a, b) => b[1] - a[1])
        .map(([kind, n]) => `${kind} ${n}`)
        .join("; "),
    },
  }));

  // The pairs: b against a.
  const ids = [...new Set(measured.flatMap((m) => (m.c.pair ? [m.c.pair.id] : [])))];
  for (const id of ids) {
    const a = measured.find((m) => m.c.pair?.id === id && m.c.pair.role === "a");
    const b = measured.find((m) => m.c.pair?.id === id && m.c.pair.role === "b");
    if (!a || !b) continue;
    const ratio = (x: number, y: number): string => (x / y).toFixed(2);
    const extra: Record<string, string> = {
      macsRatio: ratio(b.c.model.macs, a.c.model.macs),
      rowsRatio: ratio(b.rows, a.rows),
      paddedRowsRatio: ratio(2 ** b.logRows, 2 ** a.logRows),
    };
    if (a.proveMs !== undefined && b.proveMs !== undefined) extra.proveRatio = ratio(b.proveMs, a.proveMs);
    rows.push({ suite: "layers", name: `ratio ${id}`, size: 2 ** b.logRows, ms: 0, extra });
    opts.log(
      `layer pair ${id}: MACs ×${extra.macsRatio}, rows ×${extra.rowsRatio}, padded rows ×${extra.paddedRowsRatio}` +
        (extra.proveRatio ? `, prove time ×${extra.proveRatio}` : " (not proved)"),
    );
  }
  return rows;
}
