// Lowerings without proving (fast): compiled example models agree with onnxruntime-node within
// compile's tolerance, the layout does not depend on the input, and a witness whose public output
// was changed (with its cell, so copies still hold) is refused by the lookup it came from; one
// hashed-input model is proved, with rows of its Poseidon hash placed in the product's weight and
// UV rows, and a tampered hosted cell refused by the self-check and the verifier.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compiledCircuit } from "../../../prover/compiler/circuit.js";
import { compileModel, planOf, runQuantized } from "../../../prover/compiler/compile.js";
import { writeModel } from "../../../prover/onnx/writer.js";
import { loadModelGraph } from "../../../prover/compiler/from-ir.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frMod } from "../../../verifier/engine/scalar.js";
import { frGet, frSet } from "../../../verifier/engine/fr.js";
import { parseInputData } from "../../../prover/quantize/calibration.js";
import { expectCheatCaught, expectProves, expectSelfCheckFails, keyFor } from "../blocks/harness.js";
import { layout as tableLayout } from "../../../prover/plonkish/index.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";

const FIXTURES = exampleModelsDir();

async function compileFixture(name: string, inputVisibility: "public" | "hashed" = "public", target: "accuracy" | "resources" = "accuracy") {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name, "network.onnx")));
  const graph = loadModelGraph(bytes);
  const samples = parseInputData(JSON.parse(readFileSync(join(FIXTURES, name, "input.json"), "utf8")), graph.graph.inputs, "input");
  return compileModel(bytes, { samples, inputVisibility, target });
}

describe("compiler: lowerings of example models (no proofs)", function () {
  this.timeout(120_000);
  after(releaseEngine);

  for (const name of ["1l_softmax", "1l_batch_norm", "1l_max_pool", "1l_concat", "layernorm", "1l_where", "1l_conv_transpose", "1l_div"]) {
    it(`${name}: dequantized outputs within the reported tolerance`, async () => {
      const { manifest } = await compileFixture(name);
      expect(manifest.accuracy.maxAbsError).to.be.at.most(manifest.accuracy.tolerance);
      // Tight: the error is a small fraction of the outputs' size (or tiny outright).
      expect(manifest.accuracy.maxAbsError).to.be.below(Math.max(0.02 * manifest.accuracy.maxAbsOutput, 0.005));
    });
  }

  it("the table is the same for any input; a changed public output is refused", async () => {
    const model = await compileFixture("1l_mlp");
    const circuit = compiledCircuit(model);
    const a = circuit.build({});
    const other = circuit.parseInput({}, [[0.5, -0.25, 1]]);
    const b = circuit.build({}, other);
    expect(a.table.fixed.every((col, i) => Buffer.compare(col, b.table.fixed[i]) === 0)).to.equal(true);
    a.table.weights.forEach((w, t) => expect(Buffer.compare(w, b.table.weights[t])).to.equal(0));
    expect(a.outputs).to.not.deep.equal(b.outputs);
    // Output 0 is the last public input; its cell is copied from the ReLU lookup's output.
    const layout = circuit.outputLayout({});
    const pi = layout.offset;
    const changed = [...b.witness.publicInputs];
    changed[pi] = frMod(changed[pi] + 1n);
    const wa = b.witness.a.slice();
    frSet(wa, pi, frMod(frGet(wa, pi) + 1n));
    const pk = await keyFor(b.table);
    await expectSelfCheckFails(pk, { ...b.witness, a: wa, publicInputs: changed }, "permutation");
  });

  it("hashed input: rows without a Freivalds role sit in the weight and UV rows, the same for any input; a tampered hosted cell is refused", async () => {
    const model = await compileFixture("1l_mlp", "hashed");
    const { rows, hostedRows, blockRows } = model.manifest.circuit;
    expect(hostedRows).to.be.greaterThan(0);
    // Every block's rows are counted where they sit; the table has the hosted ones fewer.
    expect(Object.values(blockRows).reduce((s, r) => s + r, 0)).to.be.at.least(rows + hostedRows! - model.manifest.publicInputs.count);
    const circuit = compiledCircuit(model);
    const a = circuit.build({});
    const b = circuit.build({}, circuit.parseInput({}, [[0.5, -0.25, 1]]));
    expect(a.rows).to.equal(rows);
    expect(a.table.fixed.every((col, i) => Buffer.compare(col, b.table.fixed[i]) === 0)).to.equal(true);
    const { FIXED } = tableLayout;
    const n = 2 ** b.table.logRows;
    const isHost = (r: number) => frGet(b.table.fixed[FIXED.qFWT], r) === 1n || frGet(b.table.fixed[FIXED.qFUV], r) === 1n;
    const hosting = [...Array(n).keys()].filter((r) => isHost(r) && frGet(b.table.fixed[FIXED.qM], r) !== 0n && frGet(b.witness.c, r) !== 0n);
    expect(hosting.length).to.be.greaterThan(0);
    const pk = await keyFor(b.table);
    await expectProves(pk, b.witness);
    const row = hosting[0];
    const c = b.witness.c.slice();
    frSet(c, row, frMod(frGet(c, row) + 1n));
    await expectCheatCaught(pk, { ...b.witness, c }, "arithmetic", row);
  });

  it("the resources target makes smaller tables at a larger (still reported) error", async () => {
    for (const name of ["1l_mlp", "1l_sigmoid"]) {
      const a = (await compileFixture(name, "public", "accuracy")).manifest;
      const r = (await compileFixture(name, "public", "resources")).manifest;
      expect(r.circuit.logRows).to.be.below(a.circuit.logRows);
      expect(r.accuracy.maxAbsError).to.be.at.most(r.accuracy.tolerance);
      expect(r.inputs[0].scale).to.be.below(a.inputs[0].scale);
    }
  });

  it("ArgMax and ArgMin give the exact indices", async () => {
    const bytes = writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [2, 5] }],
      outputs: [
        { name: "y", dtype: "int64", shape: [2] },
        { name: "z", dtype: "int64", shape: [1, 5] },
      ],
      nodes: [
        { op: "ArgMax", inputs: ["x"], outputs: ["y"], attrs: { axis: { int: 1 }, keepdims: { int: 0 } } },
        { op: "ArgMin", inputs: ["x"], outputs: ["z"], attrs: { axis: { int: 0 }, keepdims: { int: 1 } } },
      ],
    });
    const x = [0.1, 0.9, -0.3, 0.5, 0.2, -1, 0.4, 0.3, 0.8, 0.7];
    const { manifest, graph } = await compileModel(bytes, { samples: [[x]], inputVisibility: "public" });
    expect(manifest.accuracy.maxAbsError).to.equal(0);
    const { outputs } = runQuantized(graph, planOf(manifest), [x]);
    expect(Array.from(outputs[0])).to.deep.equal([1, 3]);
    expect(Array.from(outputs[1])).to.deep.equal([1, 1, 0, 0, 0]);
  });

  it("an input outside the calibrated range is refused naming the input", async () => {
    const model = await compileFixture("1l_mlp");
    const circuit = compiledCircuit(model);
    expect(() => circuit.parseInput({}, [[100, 0, 0]])).to.throw(/input input.*outside the range/);
    expect(() => circuit.parseInput({}, [[1, 2]])).to.throw(/needs 3 per sample/);
  });
});
