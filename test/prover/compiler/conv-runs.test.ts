// Conv lowered onto convolution runs (compile's default, option convRuns; docs/compiler.md): a
// small CNN compiled with runs and with im2col gives the same quantized outputs on every sample,
// every output's rescale sits in two rows of its run (no rescale rows of its own), the run version
// has fewer rows, and its circuit proves and verifies. A stride-2 Conv keeps im2col.
import { expect } from "chai";
import { compileModel, planOf } from "../../../prover/compiler/compile.js";
import { compiledCircuit } from "../../../prover/compiler/circuit.js";
import { checkCompiledManifest } from "../../../prover/compiler/manifest.js";
import { writeModel, type ModelSpec } from "../../../prover/onnx/writer.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { expectProves, keyFor } from "../blocks/harness.js";
import { expectSameQuantizedOutputs } from "./same-outputs.js";

const f32 = (name: string, dims: number[], values: number[]) => ({ name, dtype: "float32" as const, dims, data: Float32Array.from(values) });
const wave = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => Math.sin(i * a + b) * 0.6);

// Conv 2 → 4 3×3 pad 1 with bias → Relu → Conv 4 → 4 3×3 valid, groups 2 → Conv 4 → 2 2×2 stride 2.
const SPEC: ModelSpec = {
  inputs: [{ name: "x", dtype: "float32", shape: [1, 2, 6, 6] }],
  outputs: [{ name: "z", dtype: "float32", shape: [1, 2, 2, 2] }],
  initializers: [f32("W1", [4, 2, 3, 3], wave(72, 0.9, 0.1)), f32("B1", [4], [0.1, -0.2, 0.05, 0.3]), f32("W2", [4, 2, 3, 3], wave(72, 1.3, 0.7)), f32("W3", [2, 4, 2, 2], wave(32, 0.7, 0.2))],
  nodes: [
    { op: "Conv", inputs: ["x", "W1", "B1"], outputs: ["y1"], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } } },
    { op: "Relu", inputs: ["y1"], outputs: ["r1"] },
    { op: "Conv", inputs: ["r1", "W2"], outputs: ["y2"], attrs: { kernel_shape: { ints: [3, 3] }, group: { int: 2 } } },
    { op: "Conv", inputs: ["y2", "W3"], outputs: ["z"], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } } },
  ],
};

describe("compiler: Conv onto convolution runs (convRuns)", function () {
  this.timeout(300_000);
  after(releaseEngine);

  it("same quantized outputs as im2col, rescales inside the runs, fewer rows; the circuit proves and verifies", async () => {
    const bytes = writeModel(SPEC);
    const samples = [0, 1, 2].map((s) => [wave(72, 0.37, s)]);
    const im2col = await compileModel(bytes, { samples, inputVisibility: "private", convRuns: false });
    const runs = await compileModel(bytes, { samples, inputVisibility: "private" });
    expect(checkCompiledManifest(JSON.parse(JSON.stringify(runs.manifest)), "model.json").convRuns, "on by default, recorded").to.equal(true);
    expect(im2col.manifest.convRuns, "off, recorded").to.equal(false);
    // A manifest from before runs (no convRuns) is lowered with im2col, as it was set up.
    const { convRuns: _, ...older } = im2col.manifest;
    expect(planOf(older).convRuns).to.equal(false);

    expectSameQuantizedOutputs(im2col, runs, samples);

    const rows = runs.manifest.circuit.blockRows;
    // Two runs (the stride-2 Conv stays a matmul); their outputs' rescales take run rows.
    expect(rows.conv, "conv block rows").to.be.above(0);
    expect(rows.matmul, "the stride-2 Conv's im2col product").to.be.above(0);
    expect(rows.rescale ?? 0, "rescale rows").to.equal(0);
    expect(runs.manifest.circuit.rows).to.be.below(im2col.manifest.circuit.rows);

    const { table, witness } = compiledCircuit(runs).build({});
    expect(table.runs?.length ?? 0, "declared runs").to.equal(2);
    await expectProves(await keyFor(table), witness);
  });
});
