import { expect } from "chai";
import { loadGraph } from "../../../prover/ir/build.js";
import { IrError } from "../../../prover/ir/errors.js";
import { evaluateGraph } from "../../../prover/ir/evaluate.js";
import { writeModel, type NodeSpec } from "../../../prover/onnx/writer.js";

const model = (nodes: NodeSpec[], shape: number[] = [2, 3]) =>
  writeModel({ inputs: [{ name: "x", dtype: "float32", shape }], outputs: [{ name: "y", dtype: "float32" }], nodes });

describe("ir/build", () => {
  it("refuses shapes that do not broadcast, naming the node", () => {
    const bytes = writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [2, 3] }],
      outputs: [{ name: "y", dtype: "float32" }],
      initializers: [{ name: "b", dtype: "float32", dims: [2], data: new Float32Array(2) }],
      nodes: [{ op: "Add", name: "bias_add", inputs: ["x", "b"], outputs: ["y"] }],
    });
    expect(() => loadGraph(bytes)).to.throw(IrError, /node "bias_add" \(Add\): shapes \[2,3\], \[2\] do not broadcast/);
  });

  it("refuses a Reshape whose shape is computed from the input's values", () => {
    const bytes = model([
      { op: "Cast", inputs: ["x"], outputs: ["xi"], attrs: { to: { int: 7 } } },
      { op: "Reshape", name: "dyn", inputs: ["x", "xi"], outputs: ["y"] },
    ], [2]);
    expect(() => loadGraph(bytes)).to.throw(IrError, /node "dyn" \(Reshape\): its shape \("xi"\) must be a constant/);
  });

  it("refuses dangling inputs and cycles", () => {
    expect(() => loadGraph(model([{ op: "Relu", name: "r", inputs: ["nowhere"], outputs: ["y"] }]))).to.throw(IrError, /node "r" \(Relu\) reads "nowhere", which no node, input or initializer provides/);
    const cyc = model([
      { op: "Add", name: "a", inputs: ["x", "z"], outputs: ["y"] },
      { op: "Relu", name: "b", inputs: ["y"], outputs: ["z"] },
    ]);
    expect(() => loadGraph(cyc)).to.throw(IrError, /cycle/);
  });

  it("orders nodes topologically, turns Constant (value_floats) into a constant and Dropout into Identity", () => {
    const g = loadGraph(model([
      { op: "Mul", inputs: ["d", "c"], outputs: ["y"] },
      { op: "Dropout", inputs: ["x"], outputs: ["d"], attrs: { ratio: { float: 0.3 } } },
      { op: "Constant", inputs: [], outputs: ["c"], attrs: { value_floats: { floats: [1, 2, 3] } } },
    ]));
    expect(g.nodes.map((n) => n.op)).to.deep.equal(["Identity", "Mul"]);
    const y = evaluateGraph(g, { x: [1, 1, 1, 2, 2, 2] }).get("y")!;
    expect(Array.from(y.data as Float64Array)).to.deep.equal([1, 2, 3, 2, 4, 6]);
  });

  it("checks graph inputs given to the interpreter", () => {
    const g = loadGraph(model([{ op: "Relu", inputs: ["x"], outputs: ["y"] }]));
    expect(() => evaluateGraph(g, { x: [1, 2] })).to.throw(IrError, /input "x" needs 6 values for shape \[2,3\], got 2/);
    expect(() => evaluateGraph(g, {})).to.throw(IrError, /missing graph input "x"/);
  });
});
