// Elementwise Max, Min, Sum, Mean over several inputs (the op models op_max, op_min, op_max_relu,
// op_sum, op_mean of scripts/op-models.ts, whose accuracy and proofs the issue-25 test checks) and
// reverse / bidirectional recurrent layers: their row costs, and the refusals.
import { expect } from "chai";
import { compileModel } from "../../../prover/compiler/compile.js";
import { writeModel, type ModelSpec } from "../../../prover/onnx/writer.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { opModels, recurrentModel, type OpModel } from "../../../scripts/op-models.js";
import { expectRejection } from "../../helpers/assert.js";

const opModel = (name: string): OpModel => opModels().find((m) => m.name === name)!;
const compile = (m: OpModel) => compileModel(writeModel(m.spec), { samples: [m.input], inputVisibility: "public" });

describe("compiler: variadic Max, Min, Sum, Mean; reverse and bidirectional RNN, GRU, LSTM", function () {
  this.timeout(300_000);
  after(releaseEngine);

  it("Max/Min of three [2, 4] operands cost 4 rows per pair; two ReLU outputs 2 rows per pair, no new table", async () => {
    for (const name of ["op_max", "op_min"]) {
      const { manifest } = await compile(opModel(name));
      // 8 outputs, 2 pairs each (x, y, z broadcast); the finer input rescaled to the output's scale first.
      expect(manifest.circuit.blockRows[name === "op_max" ? "max" : "min"], name).to.equal(8 * 2 * 4);
    }
    const relu = await compile(opModel("op_max_relu"));
    expect(relu.manifest.circuit.blockRows.max).to.equal(8 * 2);
    expect(relu.manifest.circuit.tables.map((t) => t.kind)).to.deep.equal(["signed range / relu 12 bits"]);
  });

  it("Sum of three costs the sum block; Mean adds a division by the public count 3", async () => {
    const sum = await compile(opModel("op_sum"));
    expect(sum.manifest.circuit.blockRows.sum).to.equal(8 * 2);
    expect(sum.manifest.circuit.blockRows.mean).to.equal(undefined);
    const mean = await compile(opModel("op_mean"));
    expect(mean.manifest.circuit.blockRows.mean).to.be.greaterThan(0);
  });

  it("Mean of integers is refused at load naming the node", async () => {
    const spec: ModelSpec = {
      inputs: [{ name: "x", dtype: "int64", shape: [3] }],
      outputs: [{ name: "y", dtype: "int64", shape: [3] }],
      nodes: [{ op: "Mean", inputs: ["x", "x"], outputs: ["y"], name: "avg" }],
    };
    await expectRejection(compileModel(writeModel(spec), { samples: [[[1, 2, 3]]] }), /node "avg" \(Mean\) takes float inputs only/);
  });

  it("a bidirectional layer costs a forward and a reverse unrolling; a reverse one as much as a forward one", async () => {
    const rows = async (m: OpModel) => (await compile(m)).manifest.circuit.blockRows;
    const forward = await rows(recurrentModel("LSTM", 4, "fw", {}, true));
    const reverse = await rows(recurrentModel("LSTM", 4, "rev", { direction: { string: "reverse" } }, true));
    const both = await rows(recurrentModel("LSTM", 4, "bi", { direction: { string: "bidirectional" } }, true));
    // Matmul rows depend on shapes only: each direction has its own W, R and steps.
    expect(reverse.matmul).to.equal(forward.matmul);
    expect(both.matmul).to.be.within(2 * forward.matmul - 2, 2 * forward.matmul);
    expect(both["lookup Sigmoid"]).to.equal(2 * forward["lookup Sigmoid"]);
    expect(both["lookup Tanh"]).to.equal(2 * forward["lookup Tanh"]);
  });
});
