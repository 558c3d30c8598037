// No crash instead of an error: graph walks do not recurse with the graph's depth (a chain of
// thousands of reshapes compiles), an unexpected failure while lowering a node is a CompileError
// naming the node and saying what to do, and a model onnxruntime refuses is bad input (exit 2).
import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileModel, planOf, runQuantized } from "../../../prover/compiler/compile.js";
import { CompileError } from "../../../prover/compiler/errors.js";
import { loadModelGraph } from "../../../prover/compiler/from-ir.js";
import { lowerModel } from "../../../prover/compiler/lower.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { writeModel, type NodeSpec } from "../../../prover/onnx/writer.js";
import { getTarget } from "../../../prover/quantize/targets.js";
import { zk } from "../../helpers/cli.js";

describe("compiler: deep graphs and unexpected failures", function () {
  this.timeout(120_000);
  after(releaseEngine);

  it("a chain of 12000 reshapes between a comparison and a logic op compiles (the boolean walk is a loop)", async () => {
    const depth = 12_000;
    const nodes: NodeSpec[] = [{ op: "Not", inputs: ["x"], outputs: ["n0"] }];
    for (let i = 0; i < depth; i++) nodes.push({ op: "Reshape", inputs: [`n${i}`, "shape"], outputs: [`n${i + 1}`] });
    nodes.push({ op: "And", inputs: [`n${depth}`, "w"], outputs: ["y"], name: "last" });
    const bytes = writeModel({
      inputs: [
        { name: "x", dtype: "bool", shape: [2] },
        { name: "w", dtype: "bool", shape: [2] },
      ],
      outputs: [{ name: "y", dtype: "bool", shape: [2] }],
      initializers: [{ name: "shape", dtype: "int64", dims: [1], data: BigInt64Array.from([2n]) }],
      nodes,
    });
    const model = await compileModel(bytes, { samples: [[[1, 0], [1, 1]]], inputVisibility: "public", maxAccuracySamples: 1 });
    const { outputs } = runQuantized(model.graph, planOf(model.manifest), [[0, 1], [1, 1]]);
    expect(Array.from(outputs[0])).to.deep.equal([1, 0]);
    // Only the model input w is asserted boolean (2 rows): the value reaching And through the
    // reshapes is 0/1 already (Not's table), which the walk found.
    expect(model.manifest.circuit.blockRows.boolean).to.equal(2);
  });

  it("an unexpected failure inside a lowering is a CompileError naming the node and what to do", () => {
    const bytes = writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [2] }],
      outputs: [{ name: "y", dtype: "float32", shape: [2] }],
      nodes: [{ op: "Sigmoid", inputs: ["x"], outputs: ["y"], name: "squash" }],
    });
    const { graph } = loadModelGraph(bytes);
    // A float reference that breaks (as a bug in an op's tabulation would).
    graph.reference = () => {
      throw new TypeError("cannot read properties of undefined");
    };
    const plan = { target: getTarget("accuracy"), ranges: { x: 1, y: 1 }, inputVisibility: "public" as const, outputVisibility: "public" as const };
    let caught: unknown;
    try {
      lowerModel(graph, plan, [1n, 2n]);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(CompileError);
    expect((caught as Error).message).to.match(/node "squash" \(Sigmoid\): lowering failed: cannot read properties/).and.match(/rewrite or simplify the model around this node/);
  });

  it("zkinfer compile of a model onnxruntime refuses exits 2 with its reason, not an internal error", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "zkinfer-robust-"));
    try {
      const model = join(tmp, "m.onnx");
      await writeFile(
        model,
        writeModel({
          inputs: [{ name: "x", dtype: "float32", shape: [2] }],
          outputs: [{ name: "y", dtype: "float32", shape: [2] }],
          nodes: [{ op: "LeakyRelu", inputs: ["x"], outputs: ["y"], name: "act", attrs: { alpha: { string: "big" } } }],
        }),
      );
      await writeFile(join(tmp, "input.json"), JSON.stringify({ input_data: [[0.5, -1]] }));
      const r = await zk("compile", model, "--out", join(tmp, "out"));
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/onnxruntime \(the float reference\) refuses the model/).and.match(/alpha/).and.not.match(/internal error/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
