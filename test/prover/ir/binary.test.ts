// The IR graph's binary form (graph.bin): every example model's graph reads back equal, value for
// value (weights, folded constants, attributes, shapes, the order of nodes and maps); numbers JSON
// cannot carry survive; a file of another format, another kind or cut short is refused by name.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeGraph, encodeGraph, GRAPH_FORMAT, IrError, loadGraph, type Graph } from "../../../prover/ir/index.js";
import { exampleModelsDir } from "../../../scripts/example-models.js";

function expectSameGraph(a: Graph, b: Graph): void {
  expect(b.opset).to.equal(a.opset);
  expect(b.inputs).to.deep.equal(a.inputs);
  expect(b.outputs).to.deep.equal(a.outputs);
  expect([...b.values]).to.deep.equal([...a.values]);
  expect([...b.constants.keys()]).to.deep.equal([...a.constants.keys()]);
  for (const [name, t] of a.constants) expect(b.constants.get(name), name).to.deep.equal(t);
  expect(b.nodes.map((n) => Object.keys(n.attrs))).to.deep.equal(a.nodes.map((n) => Object.keys(n.attrs)));
  expect(b.nodes).to.deep.equal(a.nodes);
}

describe("ir: the graph file", () => {
  it("reads back every example model's graph equal", () => {
    const root = exampleModelsDir();
    const models = readdirSync(root).filter((m) => {
      try {
        return readFileSync(join(root, m, "network.onnx")).length > 0;
      } catch {
        return false;
      }
    });
    expect(models.length).to.be.above(30);
    let read = 0;
    for (const m of models) {
      let graph: Graph;
      try {
        graph = loadGraph(new Uint8Array(readFileSync(join(root, m, "network.onnx"))));
      } catch {
        continue; // a model the IR does not take has no graph file either
      }
      expectSameGraph(graph, decodeGraph(encodeGraph(graph)));
      read++;
    }
    expect(read).to.be.above(30);
  });

  it("carries −0, ±Infinity and NaN attributes, bool and integer tensors, and tensor-valued attributes", () => {
    const f = Float64Array.from([1.5, -0, Infinity]);
    const graph: Graph = {
      opset: 17,
      inputs: ["x"],
      outputs: ["y"],
      values: new Map([
        ["x", { dtype: "float32", shape: [3] }],
        ["y", { dtype: "float32", shape: [3] }],
        ["k", { dtype: "int64", shape: [2] }],
      ]),
      constants: new Map([
        ["k", { dtype: "int64", shape: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 40n]) }],
        ["m", { dtype: "bool", shape: [3], data: Uint8Array.from([1, 0, 1]) }],
      ]),
      nodes: [
        {
          name: "n",
          op: "Clip",
          inputs: ["x", "k"],
          outputs: ["y"],
          attrs: { a: -0, b: Infinity, c: -Infinity, d: NaN, e: [0.1, -0, 2], s: "same", ss: ["p", "q"], t: { dtype: "float32", shape: [3], data: f }, empty: [] },
        },
      ],
    };
    const back = decodeGraph(encodeGraph(graph));
    expectSameGraph(graph, back);
    const attrs = back.nodes[0].attrs;
    expect(Object.is(attrs.a, -0)).to.equal(true);
    expect(Object.is((attrs.e as number[])[1], -0)).to.equal(true);
    expect(Number.isNaN(attrs.d)).to.equal(true);
  });

  it("refuses another format, another kind of file and a file cut short, naming it", () => {
    const bytes = encodeGraph(loadGraph(new Uint8Array(readFileSync(join(exampleModelsDir(), "1l_relu", "network.onnx")))));
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, GRAPH_FORMAT + 1, true);
    expect(() => decodeGraph(other, "m/graph.bin")).to.throw(IrError, `m/graph.bin: graph format ${GRAPH_FORMAT + 1}; this version of zkinfer reads format ${GRAPH_FORMAT}: compile the model again`);
    expect(() => decodeGraph(new TextEncoder().encode("not a graph at all"), "m/graph.bin")).to.throw(IrError, /m\/graph\.bin: not a zkinfer graph file/);
    expect(() => decodeGraph(bytes.subarray(0, bytes.length - 8), "m/graph.bin")).to.throw(IrError, /m\/graph\.bin: cut short/);
    expect(() => decodeGraph(bytes.subarray(0, 20), "m/graph.bin")).to.throw(IrError, /m\/graph\.bin: cut short/);
  });
});
