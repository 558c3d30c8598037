// ConvTranspose lowered onto one convolution run (the sub-pixel split, ops/conv-transpose.ts;
// docs/compiler.md): for strides 1, 2, 3 (and 2 × 3), paddings that crop the input, output_padding,
// groups, bias and none, a kernel smaller than the stride, non-square inputs, the quantized outputs
// equal the im2col lowering's (compile --im2col) and the float reference (onnxruntime, the accuracy
// report) within the compiler's tolerance, with fewer rows. The circuits prove and verify; tampered
// run cells (an output, an unread phase output, an input copy) are refused by the prover's
// self-check, the TS verifier and the Solidity verifier, and so is a sub-kernel's zero tap proved as
// nonzero (there are no zero cells: padding is the run's geometry, zero taps committed weights). A
// dilated ConvTranspose keeps im2col, and so does a model compiled before ConvTranspose runs.
import { expect } from "chai";
import { compileModel, planOf, runQuantized } from "../../../prover/compiler/compile.js";
import { WIRE } from "../../../prover/circuit/builder.js";
import { compiledCircuit } from "../../../prover/compiler/circuit.js";
import { writeModel, type ModelSpec } from "../../../prover/onnx/writer.js";
import { layout, prove, UnsatisfiedError, verify, type ProvingKey, type Witness } from "../../../prover/plonkish/index.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { expectRejection } from "../../helpers/assert.js";
import { solidityVerdict } from "../../helpers/solidity-verifier.js";
import { cellValue, expectProves, expectSelfCheckFails, keyFor, tamper } from "../blocks/harness.js";
import { expectSameQuantizedOutputs } from "./same-outputs.js";

const { FIXED } = layout;
const f32 = (name: string, dims: number[], values: number[]) => ({ name, dtype: "float32" as const, dims, data: Float32Array.from(values) });
const wave = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => Math.sin(i * a + b) * 0.6);

interface Case {
  name: string;
  /** Input [1, C, H, W]. */
  x: [number, number, number, number];
  /** Output channels per group. */
  mg: number;
  kernel: [number, number];
  strides?: [number, number];
  pads?: [number, number, number, number];
  outputPadding?: [number, number];
  dilations?: [number, number];
  group?: number;
  bias?: boolean;
  /** The run is not cheaper here (docs/compiler.md: a kernel smaller than the stride, tiny sizes). */
  notCheaper?: boolean;
}

const CASES: Case[] = [
  { name: "stride 1, 3×3 pad 1, bias, 2 → 3 on 4×5", x: [1, 2, 4, 5], mg: 3, kernel: [3, 3], pads: [1, 1, 1, 1], bias: true },
  { name: "stride 2, 4×4 pad 1 (DCGAN), bias, 3 → 2 on 3×4", x: [1, 3, 3, 4], mg: 2, kernel: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1], bias: true },
  { name: "stride 3, 3×5, asymmetric pads, output_padding (1, 2), no bias, 2 → 2 on 3×3", x: [1, 2, 3, 3], mg: 2, kernel: [3, 5], strides: [3, 3], pads: [0, 1, 2, 1], outputPadding: [1, 2] },
  { name: "stride 2, groups 2, 3×3 pad 1, output_padding 1, bias, 4 → 4 on 3×2", x: [1, 4, 3, 2], mg: 2, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1], group: 2, bias: true },
  { name: "strides 2 × 3, kernel 1×2 (smaller than the stride: bias-only phases), bias, 2 → 3 on 2×3", x: [1, 2, 2, 3], mg: 3, kernel: [1, 2], strides: [2, 3], bias: true, notCheaper: true },
  { name: "stride 1, pads past the kernel (input rows cropped), 3×3 pads (3, 2, 3, 2), 2 → 2 on 6×7", x: [1, 2, 6, 7], mg: 2, kernel: [3, 3], pads: [3, 2, 3, 2] },
];

function spec(c: Case): ModelSpec {
  const [, C, H, W] = c.x;
  const [kh, kw] = c.kernel;
  const [sh, sw] = c.strides ?? [1, 1];
  const [pt, pl, pb, pr] = c.pads ?? [0, 0, 0, 0];
  const [oph, opw] = c.outputPadding ?? [0, 0];
  const [dh, dw] = c.dilations ?? [1, 1];
  const group = c.group ?? 1;
  const M = c.mg * group;
  const out = [sh * (H - 1) + oph + (kh - 1) * dh + 1 - pt - pb, sw * (W - 1) + opw + (kw - 1) * dw + 1 - pl - pr];
  const attrs: ModelSpec["nodes"][number]["attrs"] = { kernel_shape: { ints: c.kernel }, strides: { ints: [sh, sw] }, pads: { ints: [pt, pl, pb, pr] } };
  if (c.outputPadding) attrs.output_padding = { ints: c.outputPadding };
  if (c.dilations) attrs.dilations = { ints: c.dilations };
  if (group > 1) attrs.group = { int: group };
  const initializers = [f32("W", [C, c.mg, kh, kw], wave(C * c.mg * kh * kw, 0.77, 0.3))];
  if (c.bias) initializers.push(f32("B", [M], wave(M, 1.9, 0.4)));
  return {
    inputs: [{ name: "x", dtype: "float32", shape: c.x }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, M, ...out] }],
    initializers,
    // A Relu after it, so the ConvTranspose's output is rescaled and read by another block.
    nodes: [
      { op: "ConvTranspose", name: "up", inputs: c.bias ? ["x", "W", "B"] : ["x", "W"], outputs: ["t"], attrs },
      { op: "Relu", inputs: ["t"], outputs: ["y"] },
    ],
  };
}

async function compileBoth(c: Case) {
  const bytes = writeModel(spec(c));
  const n = c.x.reduce((a, b) => a * b, 1);
  const samples = [0, 1, 2].map((s) => [wave(n, 0.41 + s * 0.13, s)]);
  const im2col = await compileModel(bytes, { samples, inputVisibility: "private", convRuns: false });
  const runs = await compileModel(bytes, { samples, inputVisibility: "private" });
  expect(runs.manifest.convTransposeRuns, "on by default, recorded").to.equal(true);
  expect(im2col.manifest.convTransposeRuns, "off with convRuns: false (--im2col), recorded").to.equal(false);
  return { samples, im2col, runs };
}

describe("compiler: ConvTranspose onto a convolution run (sub-pixel split)", function () {
  this.timeout(600_000);
  after(releaseEngine);

  for (const c of CASES) {
    it(`${c.name}: the im2col lowering's quantized outputs, within onnxruntime's tolerance${c.notCheaper ? "" : ", fewer rows"}`, async () => {
      const { samples, im2col, runs } = await compileBoth(c);
      expectSameQuantizedOutputs(im2col, runs, samples);
      // The accuracy report is against onnxruntime's float outputs on the samples.
      expect(runs.manifest.accuracy.maxAbsError).to.be.at.most(runs.manifest.accuracy.tolerance);
      const rows = runs.manifest.circuit.blockRows;
      expect(rows.conv, "conv block rows").to.be.above(0);
      expect(rows.matmul ?? 0, "no im2col product").to.equal(0);
      expect(rows.rescale ?? 0, "the rescales sit in the run").to.equal(0);
      expect(im2col.manifest.circuit.blockRows.matmul).to.be.above(0);
      if (!c.notCheaper) expect(runs.manifest.circuit.rows).to.be.below(im2col.manifest.circuit.rows);
    });
  }

  it("a manifest from before (convRuns but no convTransposeRuns) lowers ConvTranspose with im2col, as it was set up", async () => {
    const { samples, im2col, runs } = await compileBoth(CASES[1]);
    const { convTransposeRuns: _, ...older } = runs.manifest;
    expect(older.convRuns).to.equal(true);
    expect(planOf(older).convTransposeRuns).to.equal(false);
    const lowered = runQuantized(runs.graph, planOf(older), samples[0]).lowered;
    expect(lowered.builder.rows).to.equal(runQuantized(im2col.graph, planOf(im2col.manifest), samples[0]).lowered.builder.rows);
  });

  it("a dilated ConvTranspose keeps im2col (same outputs either way)", async () => {
    const { im2col, runs } = await compileBoth({ name: "dilated", x: [1, 2, 3, 3], mg: 2, kernel: [2, 2], strides: [2, 2], dilations: [2, 2], bias: true });
    expect(runs.manifest.circuit.blockRows.conv ?? 0).to.equal(0);
    expect(runs.manifest.circuit.rows).to.equal(im2col.manifest.circuit.rows);
  });

  for (const k of [1, 3]) {
    it(`${CASES[k].name}: the compiled circuit proves and verifies`, async () => {
      const { runs } = await compileBoth(CASES[k]);
      const { table, witness } = compiledCircuit(runs).build({});
      expect(table.runs?.length ?? 0, "one declared run").to.equal(1);
      await expectProves(await keyFor(table), witness);
    });
  }

  describe("malicious witnesses (stride 2, 4×4 pad 1, bias)", () => {
    let made: Promise<{ witness: Witness; pk: ProvingKey; read: number[]; unread: number[]; x: number[]; solidity: Awaited<ReturnType<typeof solidityVerdict>> }> | undefined;
    // The run's Y and X rows: Freivalds rows whose column index is the run's p. A Y row whose own
    // arithmetic gate is on holds an output read by its rescale (in place, pairOutputs); the others
    // are junk or phase outputs past the output's edge, which nothing reads.
    const key = () =>
      (made ??= (async () => {
        const { runs } = await compileBoth(CASES[1]);
        const { table, witness } = compiledCircuit(runs).build({});
        const p = table.runs![0].p;
        const rowsOf = (selector: number) => {
          const out: number[] = [];
          for (let r = 0; r < 1 << table.logRows; r++) if (frGet(table.fixed[selector], r) === 1n && frGet(table.fixed[FIXED.idB], r) === p) out.push(r);
          return out;
        };
        const gated = (r: number) => [FIXED.qM, FIXED.qL, FIXED.qR, FIXED.qO, FIXED.qC, FIXED.qN].some((q) => frGet(table.fixed[q], r) !== 0n);
        const y = rowsOf(FIXED.qFY);
        const pk = await keyFor(table);
        return { witness, pk, read: y.filter(gated), unread: y.filter((r) => !gated(r)), x: rowsOf(FIXED.qFX), solidity: await solidityVerdict(pk.vk, "ConvTransposeRunVerifier") };
      })());
    const verdicts = async (pk: ProvingKey, witness: Witness, solidity: Awaited<ReturnType<typeof solidityVerdict>>) => {
      const { proof, publicInputs } = await prove(pk, witness, { skipSelfCheck: true });
      return [await verify(pk.vk, proof, publicInputs), await solidity(proof, publicInputs)];
    };
    const plus = (w: Witness, row: number, d: bigint) => {
      const cell = { col: WIRE.c, row };
      return tamper(w, [[cell, cellValue(w, cell) + d]]);
    };

    it("the honest proof verifies in TS and in Solidity", async () => {
      const { witness, pk, solidity } = await key();
      expect(await verdicts(pk, witness, solidity)).to.deep.equal([true, true]);
    });

    it("a tampered output (a Y row read by its rescale in place) is refused (the rescale's gate, the Freivalds gate)", async () => {
      const { witness, pk, read, solidity } = await key();
      // 2 output channels → 2 · 4 phases · 4 × 5 run positions; 2 · 6 × 8 of them are outputs.
      expect(read.length).to.equal(2 * 6 * 8);
      const cheat = plus(witness, read[17], 1n);
      // The self-check meets the rescale's arithmetic gate on that row first; the unread rows
      // below show the Freivalds gate alone binding a Y row.
      const err = await expectRejection(prove(pk, cheat), /fails at row/);
      expect(err).to.be.instanceOf(UnsatisfiedError);
      expect((err as UnsatisfiedError).gate).to.be.oneOf(["arithmetic", "freivalds"]);
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("a tampered Y row that no later block reads (an unread phase output or junk) is refused (Freivalds gate)", async () => {
      const { witness, pk, unread, solidity } = await key();
      expect(unread.length).to.be.above(0);
      const cheat = plus(witness, unread[unread.length >> 1], -2n);
      await expectSelfCheckFails(pk, cheat, "freivalds");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });

    it("a zero tap of a sub-kernel (stride 2, kernel 3: the taps past the kernel) proved as nonzero is refused (the key commits the zero)", async () => {
      // CASES[3]: k′ = 2, and phase 1's sub-kernel tap v = 0 stands for tap 3 ≥ 3, a zero weight.
      const { runs } = await compileBoth(CASES[3]);
      const { table, witness } = compiledCircuit(runs).build({});
      const run = table.runs![0];
      const C = run.geometry.inChannels;
      const inRun = (r: number) => {
        const [i, j] = [frGet(table.fixed[FIXED.idA], r) - run.i, frGet(table.fixed[FIXED.idB], r) - run.j];
        return i >= 0n && i < 2n && j >= 0n && j < BigInt(C);
      };
      let target: { row: number; slot: number } | undefined;
      for (let r = 0; r < 1 << table.logRows && !target; r++) {
        if (frGet(table.fixed[FIXED.qFWT], r) !== 1n || !inRun(r)) continue;
        const slots = table.weights.map((col) => frGet(col, r));
        const zero = slots.findIndex((v) => v === 0n);
        if (zero >= 0 && slots.some((v) => v !== 0n)) target = { row: r, slot: zero };
      }
      expect(target, "a weight row with a zero tap beside nonzero ones").to.not.equal(undefined);
      const pk = await keyFor(table);
      const weights = pk.table.weights.map((col) => col.slice());
      frSet(weights[target!.slot], target!.row, 1n);
      const other = { ...pk, table: { ...pk.table, weights } };
      await expectRejection(prove(other, witness, { weightsFromTable: true }), /freivalds|weight-link/);
      const { proof, publicInputs } = await prove(other, witness, { weightsFromTable: true, skipSelfCheck: true });
      expect(await verify(pk.vk, proof, publicInputs)).to.equal(false);
    });

    it("an input copy in its X row that differs from the producer's cell is refused (permutation)", async () => {
      const { witness, pk, x, solidity } = await key();
      const cheat = plus(witness, x[x.length >> 1], 3n);
      await expectSelfCheckFails(pk, cheat, "permutation");
      expect(await verdicts(pk, cheat, solidity)).to.deep.equal([false, false]);
    });
  });
});
