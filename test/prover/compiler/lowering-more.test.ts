// Lowerings added for issue #5's leftovers (signed division by an activation, Equal/And/Or/Xor,
// ReduceL1/L2/SumSquare/Prod, LogSoftmax, linear Resize, Gather with computed indices): small
// ONNX models written with the project's writer, compiled (calibrated on the samples given), and
// the dequantized circuit outputs compared with onnxruntime-node's float outputs; bad cases are
// refused at compile time naming the node.
import { expect } from "chai";
import { compileModel, planOf, runQuantized } from "../../../prover/compiler/compile.js";
import { QuantRangeError, UnsupportedModelError } from "../../../prover/compiler/errors.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { writeModel, type ModelSpec } from "../../../prover/onnx/writer.js";
import { compiledCircuit } from "../../../prover/compiler/circuit.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { expectRejection } from "../../helpers/assert.js";
import { expectProves, expectSelfCheckFails, keyFor } from "../blocks/harness.js";

/** Compiles `spec` calibrated on `samples` (each: one flat array per input); the accuracy report and a runner. */
async function compileSpec(spec: ModelSpec, samples: number[][][], target: "accuracy" | "resources" = "accuracy") {
  const bytes = writeModel(spec);
  const model = await compileModel(bytes, { samples, inputVisibility: "public", target });
  const run = (sample: number[][]) => runQuantized(model.graph, planOf(model.manifest), sample);
  return { ...model, run };
}

/** Within the reported tolerance, and tight: a small fraction of the outputs' size (or tiny outright). */
function expectAccurate(accuracy: { maxAbsError: number; tolerance: number; maxAbsOutput: number }, relative = 0.02): void {
  expect(accuracy.maxAbsError).to.be.at.most(accuracy.tolerance);
  expect(accuracy.maxAbsError).to.be.below(Math.max(relative * accuracy.maxAbsOutput, 0.005));
}

const f32 = (name: string, dims: number[], values: number[]) => ({ name, dtype: "float32" as const, dims, data: Float32Array.from(values) });

describe("compiler: lowerings of LogSoftmax, logic, L1/L2/Prod reductions, linear Resize, computed Gather, signed Div", function () {
  this.timeout(120_000);
  after(releaseEngine);

  describe("Div", () => {
    it("by an activation of either sign (quotients within tolerance); a zero divisor is refused naming the node", async () => {
      const spec: ModelSpec = {
        inputs: [
          { name: "x", dtype: "float32", shape: [6] },
          { name: "y", dtype: "float32", shape: [6] },
        ],
        outputs: [{ name: "z", dtype: "float32", shape: [6] }],
        nodes: [{ op: "Div", inputs: ["x", "y"], outputs: ["z"], name: "divide" }],
      };
      const samples = [
        [
          [0.5, -1.25, 2, -0.75, 1.5, 0.3],
          [-2, 0.5, -1.5, -0.25, 3, 1],
        ],
        [
          [-0.4, 1, 0.8, 1.9, -2, 0.1],
          [1.5, -3, 2.5, -1, -0.5, 2],
        ],
      ];
      const { manifest, run } = await compileSpec(spec, samples);
      expectAccurate(manifest.accuracy);
      const out = run(samples[0]).outputs[0];
      expect(out[0]).to.be.closeTo(-0.25, 0.01);
      expect(out[3]).to.be.closeTo(3, 0.02);
      expect(() => run([[1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 1, 1]])).to.throw(QuantRangeError, /divide.*division by zero/);
    });

    it("by a negative constant: the reciprocal is a negative weight; a zero constant is refused at compile", async () => {
      const spec: ModelSpec = {
        inputs: [{ name: "x", dtype: "float32", shape: [4] }],
        outputs: [{ name: "z", dtype: "float32", shape: [4] }],
        initializers: [f32("c", [4], [-2, -0.5, 3, -7])],
        nodes: [{ op: "Div", inputs: ["x", "c"], outputs: ["z"], name: "by_const" }],
      };
      const { manifest } = await compileSpec(spec, [[[0.3, -0.7, 1.2, 0.9]], [[-1, 0.25, -0.6, 2]]]);
      expectAccurate(manifest.accuracy);
      const zero = { ...spec, initializers: [f32("c", [4], [1, 0, 2, 3])] };
      const err = await expectRejection(compileSpec(zero, [[[1, 1, 1, 1]]]), /by_const.*zero entry/);
      expect(err).to.be.instanceOf(UnsupportedModelError);
    });
  });
  describe("Equal, And, Or, Xor", () => {
    const spec: ModelSpec = {
      inputs: [
        { name: "x", dtype: "float32", shape: [6] },
        { name: "y", dtype: "float32", shape: [6] },
        { name: "m", dtype: "bool", shape: [6] },
      ],
      outputs: ["o1", "o2", "o3", "eq"].map((name) => ({ name, dtype: "bool" as const, shape: [6] })),
      nodes: [
        { op: "Less", inputs: ["x", "y"], outputs: ["lt"] },
        { op: "Equal", inputs: ["x", "y"], outputs: ["eq"] },
        { op: "Greater", inputs: ["x", "y"], outputs: ["gt"] },
        { op: "And", inputs: ["lt", "m"], outputs: ["o1"] },
        { op: "Or", inputs: ["eq", "gt"], outputs: ["o2"] },
        { op: "Xor", inputs: ["lt", "m"], outputs: ["o3"], name: "xor" },
      ],
    };
    const samples = [
      [
        [0.5, -0.25, 1, 0.75, -1, 0.125],
        [0.5, 0.25, -1, 0.75, 1, 0.25],
        [1, 0, 1, 1, 0, 1],
      ],
      [
        [0.25, 0.5, 0.5, -0.5, 0, 1],
        [0.25, -0.5, 0.75, -0.5, 0, -1],
        [0, 1, 1, 0, 1, 0],
      ],
    ];

    it("exact truth values; only the model's bool input is asserted boolean", async () => {
      const { manifest, run } = await compileSpec(spec, samples);
      expect(manifest.accuracy.maxAbsError).to.equal(0);
      const [o1, o2, o3, eq] = run(samples[0]).outputs.map((o) => Array.from(o));
      expect(eq).to.deep.equal([1, 0, 0, 1, 0, 0]);
      expect(o1).to.deep.equal([0, 0, 0, 0, 0, 1]);
      expect(o2).to.deep.equal([1, 0, 1, 1, 0, 0]);
      expect(o3).to.deep.equal([1, 1, 1, 1, 1, 0]);
      // m is asserted once per use (two uses), the comparisons' outputs not at all.
      expect(manifest.circuit.blockRows.boolean).to.equal(12);
      expect(manifest.circuit.blockRows.logic).to.equal(18);
    });

    it("Where on a bool model input asserts it boolean (a 2 would select 2x − y); on a comparison it does not", async () => {
      const where = (cond: string): ModelSpec => ({
        inputs: spec.inputs,
        outputs: [{ name: "w", dtype: "float32", shape: [6] }],
        nodes: [
          { op: "Less", inputs: ["x", "y"], outputs: ["lt"] },
          { op: "Where", inputs: [cond, "x", "y"], outputs: ["w"] },
        ],
      });
      const fromInput = await compileSpec(where("m"), samples);
      expect(fromInput.manifest.accuracy.maxAbsError).to.equal(0);
      expect(fromInput.manifest.circuit.blockRows.boolean).to.equal(6);
      const fromLess = await compileSpec(where("lt"), samples);
      expect(fromLess.manifest.circuit.blockRows.boolean ?? 0).to.equal(0);
    });

    it("a non-boolean constant operand is refused at compile naming the node", async () => {
      const bad: ModelSpec = {
        inputs: [{ name: "m", dtype: "bool", shape: [2] }],
        outputs: [{ name: "o", dtype: "bool", shape: [2] }],
        initializers: [{ name: "k", dtype: "int64", dims: [2], data: BigInt64Array.from([1n, 2n]) }],
        nodes: [{ op: "Xor", inputs: ["m", "k"], outputs: ["o"], name: "xor_k" }],
      };
      await expectRejection(compileSpec(bad, [[[1, 0]]]), /xor_k/);
    });
  });
  describe("ReduceL1, ReduceL2, ReduceSumSquare, ReduceProd", () => {
    const reduce = (op: string, axes: number[], keepdims: number, out: string, name?: string) => ({
      op,
      inputs: ["x"],
      outputs: [out],
      ...(name && { name }),
      attrs: { axes: { ints: axes }, keepdims: { int: keepdims } },
    });
    const spec: ModelSpec = {
      inputs: [{ name: "x", dtype: "float32", shape: [2, 5] }],
      outputs: [
        { name: "l1", dtype: "float32", shape: [2] },
        { name: "l2", dtype: "float32", shape: [2, 1] },
        { name: "ss", dtype: "float32", shape: [5] },
        { name: "pr", dtype: "float32", shape: [2] },
        { name: "all", dtype: "float32", shape: [] },
      ],
      nodes: [reduce("ReduceL1", [1], 0, "l1"), reduce("ReduceL2", [1], 1, "l2"), reduce("ReduceSumSquare", [0], 0, "ss"), reduce("ReduceProd", [1], 0, "pr"), reduce("ReduceL2", [0, 1], 0, "all")],
    };
    const samples = [
      [[0.5, -1.25, 0.9, -0.3, 1.1, -0.7, 0.2, 1.4, -1.6, 0.8]],
      [[1.2, 0.4, -0.6, 1.5, -0.9, 0.3, -1.1, 0.05, 0.75, -1.3]],
      [[-0.2, 0.6, 1.3, -1.4, 0.45, 1.7, -0.5, -0.8, 0.1, 0.95]],
    ];

    it("dequantized outputs within the reported tolerance (and close to the float values)", async () => {
      const { manifest, run } = await compileSpec(spec, samples);
      expectAccurate(manifest.accuracy);
      const [l1, l2, , pr] = run(samples[0]).outputs;
      const x = samples[0][0];
      expect(l1[0]).to.be.closeTo(x.slice(0, 5).reduce((a, v) => a + Math.abs(v), 0), 0.01);
      expect(l2[1]).to.be.closeTo(Math.hypot(...x.slice(5)), 0.01);
      expect(pr[0]).to.be.closeTo(x.slice(0, 5).reduce((a, v) => a * v, 1), 0.01);
      expect(manifest.circuit.blockRows.sqrt).to.be.above(0);
    });

    it("also under the resources target", async () => {
      const { manifest } = await compileSpec(spec, samples, "resources");
      expectAccurate(manifest.accuracy, 0.05);
    });
  });
  describe("LogSoftmax", () => {
    const samples = [
      [[0.5, -1.25, 2.1, -0.3, 1.1, -0.7, 0.2, 1.4, -1.6, 0.8, 3.1, -2.2]],
      [[1.2, 0.4, -0.6, 1.5, -0.9, 0.3, -1.1, 0.05, 0.75, -1.3, -3, 2.5]],
    ];

    it("along the last axis and (opset 11) over the flattened trailing axes, within the reported tolerance", async () => {
      for (const [opset, axis, shape] of [
        [17, -1, [2, 6]],
        [11, 1, [2, 3, 2]],
        [13, 0, [3, 4]],
      ] as const) {
        const spec: ModelSpec = {
          opset,
          inputs: [{ name: "x", dtype: "float32", shape: [...shape] }],
          outputs: [{ name: "y", dtype: "float32", shape: [...shape] }],
          nodes: [{ op: "LogSoftmax", inputs: ["x"], outputs: ["y"], attrs: { axis: { int: axis } } }],
        };
        const { manifest, run } = await compileSpec(spec, samples);
        expectAccurate(manifest.accuracy);
        if (opset === 17) {
          const x = samples[0][0].slice(0, 6);
          const lse = Math.log(x.reduce((a, v) => a + Math.exp(v), 0));
          expect(run(samples[0]).outputs[0][2]).to.be.closeTo(x[2] - lse, 0.01);
        }
      }
    });

    it("a long axis (the sum rescaled before its log table) under the resources target", async () => {
      const n = 300;
      const spec: ModelSpec = {
        inputs: [{ name: "x", dtype: "float32", shape: [1, n] }],
        outputs: [{ name: "y", dtype: "float32", shape: [1, n] }],
        nodes: [{ op: "LogSoftmax", inputs: ["x"], outputs: ["y"], attrs: { axis: { int: 1 } } }],
      };
      const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 2);
      const { manifest } = await compileSpec(spec, [[x]], "resources");
      expectAccurate(manifest.accuracy, 0.05);
    });
  });
  describe("Resize / Upsample, linear", () => {
    const x = Array.from({ length: 12 }, (_, i) => Math.sin(i * 1.3) * 1.5);
    const samples = [[x], [x.map((v) => -0.7 * v + 0.2)]];
    const f32s = (name: string, values: number[]) => f32(name, [values.length], values);

    it("every coordinate mode, enlarging and shrinking, opset 13 / 10 / Upsample-9, within the reported tolerance", async () => {
      const cases: { opset: number; op: string; out: number[]; inputs: string[]; init: ReturnType<typeof f32>[]; attrs: Record<string, { string: string }> }[] = [
        ...["half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"].map((mode) => ({
          opset: 13,
          op: "Resize",
          out: [1, 1, 6, 8],
          inputs: ["x", "", "scales"],
          init: [f32s("scales", [1, 1, 2, 2])],
          attrs: { mode: { string: "linear" }, coordinate_transformation_mode: { string: mode } },
        })),
        { opset: 13, op: "Resize", out: [1, 1, 2, 3], inputs: ["x", "", "", "sizes"], init: [{ name: "sizes", dtype: "int64", dims: [4], data: BigInt64Array.from([1n, 1n, 2n, 3n]) }] as never, attrs: { mode: { string: "linear" } } },
        { opset: 10, op: "Resize", out: [1, 1, 6, 4], inputs: ["x", "scales"], init: [f32s("scales", [1, 1, 2, 1])], attrs: { mode: { string: "linear" } } },
        { opset: 9, op: "Upsample", out: [1, 1, 3, 8], inputs: ["x", "scales"], init: [f32s("scales", [1, 1, 1, 2])], attrs: { mode: { string: "linear" } } },
      ];
      for (const c of cases) {
        const spec: ModelSpec = {
          opset: c.opset,
          inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 3, 4] }],
          outputs: [{ name: "y", dtype: "float32", shape: c.out }],
          initializers: c.init,
          nodes: [{ op: c.op, inputs: c.inputs, outputs: ["y"], attrs: c.attrs }],
        };
        const { manifest } = await compileSpec(spec, samples);
        expect(manifest.accuracy.maxAbsError, JSON.stringify(c.attrs)).to.be.at.most(manifest.accuracy.tolerance);
        expect(manifest.accuracy.maxAbsError, JSON.stringify(c.attrs)).to.be.below(0.01);
      }
    });

    it("cubic mode is refused naming the node", async () => {
      const spec: ModelSpec = {
        inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 3, 4] }],
        outputs: [{ name: "y", dtype: "float32", shape: [1, 1, 6, 8] }],
        initializers: [f32s("scales", [1, 1, 2, 2])],
        nodes: [{ op: "Resize", name: "up_cubic", inputs: ["x", "", "scales"], outputs: ["y"], attrs: { mode: { string: "cubic" } } }],
      };
      await expectRejection(compileSpec(spec, samples), /up_cubic.*cubic/);
    });
  });
  describe("Gather with computed indices", () => {
    const table = Array.from({ length: 18 }, (_, i) => Math.cos(i * 0.9) * 1.7);

    it("an embedding lookup (constant table, int64 ids from the input, negative ids) is exact up to the weights' quantization", async () => {
      const spec: ModelSpec = {
        inputs: [{ name: "ids", dtype: "int64", shape: [1, 4] }],
        outputs: [{ name: "emb", dtype: "float32", shape: [1, 4, 3] }],
        initializers: [f32("table", [6, 3], table)],
        nodes: [{ op: "Gather", name: "embed", inputs: ["table", "ids"], outputs: ["emb"], attrs: { axis: { int: 0 } } }],
      };
      const samples = [[[0, 5, -1, 2]], [[3, 1, -6, 4]]];
      const { manifest, run } = await compileSpec(spec, samples);
      expectAccurate(manifest.accuracy);
      expect(manifest.accuracy.maxAbsError).to.be.below(0.002);
      const out = run(samples[1]).outputs[0];
      // Token −6 is row 0.
      expect(out[6]).to.be.closeTo(table[0], 0.002);
      expect(manifest.circuit.blockRows["one-hot"]).to.be.above(0);
      // An id past the table (within the input's calibrated range) is refused naming the node.
      expect(() => run([[0, 7, 1, 1]])).to.throw(QuantRangeError, /embed/);
    });

    it("along axis 1 of an activation table, indices from an ArgMax", async () => {
      const spec: ModelSpec = {
        inputs: [{ name: "x", dtype: "float32", shape: [2, 5] }],
        outputs: [{ name: "y", dtype: "float32", shape: [2, 2] }],
        nodes: [
          { op: "ArgMax", inputs: ["x"], outputs: ["i"], attrs: { axis: { int: 1 }, keepdims: { int: 0 } } },
          { op: "Gather", inputs: ["x", "i"], outputs: ["y"], attrs: { axis: { int: 1 } } },
        ],
      };
      const samples = [[[0.5, -1.25, 0.9, -0.3, 1.1, -0.7, 0.2, 1.4, -1.6, 0.8]], [[1.2, 0.4, -0.6, 1.5, -0.9, 0.3, -1.1, 0.05, 0.75, -1.3]]];
      const { manifest, run } = await compileSpec(spec, samples);
      expectAccurate(manifest.accuracy);
      const y = run(samples[0]).outputs[0];
      // y[o][j] = x[o][argmax of row j]: row 0's max is at 4, row 1's at 2.
      expect(y[0]).to.be.closeTo(1.1, 0.005);
      expect(y[1]).to.be.closeTo(0.9, 0.005);
      expect(y[2]).to.be.closeTo(0.8, 0.005);
      expect(y[3]).to.be.closeTo(1.4, 0.005);
    });

    it("float indices are refused at compile naming the node", async () => {
      const spec: ModelSpec = {
        inputs: [{ name: "x", dtype: "float32", shape: [3] }],
        outputs: [{ name: "y", dtype: "float32", shape: [3] }],
        nodes: [
          { op: "Cast", inputs: ["x"], outputs: ["xi"], attrs: { to: { int: 1 } } },
          { op: "Gather", name: "gather_f", inputs: ["x", "xi"], outputs: ["y"] },
        ],
      };
      await expectRejection(compileSpec(spec, [[[0, 1, 2]]]), /gather_f/);
    });
  });
  it("end to end: an embedding, ReduceL2, a signed Div, LogSoftmax, Equal and And prove and verify; a changed output is refused", async () => {
    const spec: ModelSpec = {
      inputs: [
        { name: "ids", dtype: "int64", shape: [3] },
        { name: "y", dtype: "float32", shape: [3] },
      ],
      outputs: [
        { name: "ls", dtype: "float32", shape: [3] },
        { name: "both", dtype: "bool", shape: [3] },
      ],
      initializers: [f32("table", [5, 4], Array.from({ length: 20 }, (_, i) => Math.sin(i * 0.8))), { name: "two", dtype: "int64", dims: [], data: BigInt64Array.from([2n]) }, f32("zero", [], [0])],
      nodes: [
        { op: "Gather", inputs: ["table", "ids"], outputs: ["emb"] },
        { op: "ReduceL2", inputs: ["emb"], outputs: ["l2"], attrs: { axes: { ints: [1] }, keepdims: { int: 0 } } },
        { op: "Div", inputs: ["l2", "y"], outputs: ["q"] },
        { op: "LogSoftmax", inputs: ["q"], outputs: ["ls"], attrs: { axis: { int: 0 } } },
        { op: "Equal", inputs: ["ids", "two"], outputs: ["eq"] },
        { op: "Less", inputs: ["y", "zero"], outputs: ["neg"] },
        { op: "And", inputs: ["eq", "neg"], outputs: ["both"] },
      ],
    };
    const samples = [
      [
        [2, 4, 0],
        [-1.5, 2, 1],
      ],
      [
        [1, 2, 3],
        [2.5, -0.8, -1.2],
      ],
    ];
    const model = await compileSpec(spec, samples, "resources");
    expectAccurate(model.manifest.accuracy, 0.05);
    const circuit = compiledCircuit(model);
    const { table, witness, outputs } = circuit.build({});
    expect(outputs.slice(3)).to.deep.equal([1, 0, 0]);
    const pk = await keyFor(table);
    await expectProves(pk, witness);
    // The last public input is the last output (And's gate output, copied out): changed with its cell.
    const last = witness.publicInputs.length - 1;
    const wa = witness.a.slice();
    frSet(wa, last, frMod(frGet(wa, last) + 1n));
    const changed = [...witness.publicInputs];
    changed[last] = frMod(changed[last] + 1n);
    await expectSelfCheckFails(pk, { ...witness, a: wa, publicInputs: changed }, "permutation");
  });

  it("Conv → Relu → MaxPool: the conv's rescale sits in its Y rows, the pool takes two rows a pair; without the Relu, four", async () => {
    const w = Array.from({ length: 2 * 1 * 3 * 3 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
    const spec = (relu: boolean): ModelSpec => ({
      inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 6, 6] }],
      outputs: [{ name: "p", dtype: "float32", shape: [1, 2, 3, 3] }],
      initializers: [f32("W", [2, 1, 3, 3], w)],
      nodes: [
        { op: "Conv", inputs: ["x", "W"], outputs: ["y"], attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } } },
        ...(relu ? [{ op: "Relu", inputs: ["y"], outputs: ["r"] }] : []),
        { op: "MaxPool", inputs: [relu ? "r" : "y"], outputs: ["p"], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } } },
      ],
    });
    const samples = [0, 1].map((s) => [Array.from({ length: 36 }, (_, i) => Math.sin(i * 0.7 + s) * 0.9)]);
    const pairs = 2 * 3 * 3 * 3; // 18 windows of 4 values: 3 pairs each
    for (const relu of [true, false]) {
      const model = await compileSpec(spec(relu), samples);
      expectAccurate(model.manifest.accuracy);
      expect(model.manifest.circuit.blockRows.rescale ?? 0, "rescale rows").to.equal(0);
      expect(model.manifest.circuit.blockRows.max, "max rows").to.equal((relu ? 2 : 4) * pairs);
      if (relu) {
        const { table, witness } = compiledCircuit(model).build({});
        await expectProves(await keyFor(table), witness);
      }
    }
  });
});
