import { expect } from "chai";
import * as ort from "onnxruntime-node";
import { loadGraph } from "../../../prover/ir/build.js";
import { evaluateGraph } from "../../../prover/ir/evaluate.js";
import type { Graph } from "../../../prover/ir/graph.js";
import type { OnnxTensor } from "../../../prover/onnx/tensor.js";
import { writeModel, type AttributeValue, type NodeSpec } from "../../../prover/onnx/writer.js";

// Op variants the example models do not exercise, each checked against onnxruntime-node.

function pseudoRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 4 - 2;
  }
  return out;
}

const f32 = (name: string, dims: number[], seed: number): OnnxTensor => ({ name, dtype: "float32", dims, data: pseudoRandom(dims.reduce((a, b) => a * b, 1), seed) });
const i64 = (name: string, values: (number | bigint)[]): OnnxTensor => ({ name, dtype: "int64", dims: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });

interface Case {
  name: string;
  inputShape: number[];
  nodes: NodeSpec[];
  initializers?: OnnxTensor[];
  opset?: number;
}

async function compare(c: Case): Promise<Graph> {
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: c.inputShape }],
    outputs: [{ name: "y", dtype: "float32" }],
    initializers: c.initializers ?? [],
    nodes: c.nodes,
    opset: c.opset ?? 13,
  });
  const x = pseudoRandom(c.inputShape.reduce((a, b) => a * b, 1), 7);
  const session = await ort.InferenceSession.create(bytes);
  const expected = (await session.run({ x: new ort.Tensor("float32", x, c.inputShape) })).y;
  const graph = loadGraph(bytes);
  const ours = evaluateGraph(graph, { x }).get("y")!;
  expect(ours.shape, "shape").to.deep.equal([...expected.dims]);
  const theirs = expected.data as Float32Array;
  for (let i = 0; i < theirs.length; i++) {
    expect(Math.abs(Number(ours.data[i]) - theirs[i]), `y[${i}]: ${ours.data[i]} vs ${theirs[i]}`).to.be.at.most(1e-5 * Math.max(1, Math.abs(theirs[i])));
  }
  return graph;
}

const op = (o: string, inputs: string[], outputs: string[], attrs: Record<string, AttributeValue> = {}): NodeSpec => ({ op: o, inputs, outputs, attrs });
const ints = (v: number[]): AttributeValue => ({ ints: v });
const int = (v: number): AttributeValue => ({ int: v });
const str = (v: string): AttributeValue => ({ string: v });

const CASES: Case[] = [
  { name: "Softmax opset 11 on axis 1 of a rank-3 input (flattened semantics)", inputShape: [2, 3, 4], opset: 11, nodes: [op("Softmax", ["x"], ["y"], { axis: int(1) })] },
  { name: "LogSoftmax opset 13 on axis 1", inputShape: [2, 3, 4], nodes: [op("LogSoftmax", ["x"], ["y"], { axis: int(1) })] },
  {
    name: "Conv SAME_UPPER, stride 2, groups 2",
    inputShape: [1, 4, 9, 8],
    initializers: [f32("w", [6, 2, 3, 3], 1), f32("b", [6], 2)],
    nodes: [op("Conv", ["x", "w", "b"], ["y"], { auto_pad: str("SAME_UPPER"), strides: ints([2, 2]), group: int(2) })],
  },
  {
    name: "Conv with dilations, asymmetric pads and strides",
    inputShape: [2, 3, 9, 8],
    initializers: [f32("w", [2, 3, 3, 2], 16)],
    nodes: [op("Conv", ["x", "w"], ["y"], { pads: ints([2, 0, 1, 3]), strides: ints([2, 3]), dilations: ints([2, 3]) })],
  },
  { name: "Conv 1-D with SAME_LOWER", inputShape: [1, 2, 7], initializers: [f32("w", [3, 2, 4], 3)], nodes: [op("Conv", ["x", "w"], ["y"], { auto_pad: str("SAME_LOWER") })] },
  {
    name: "ConvTranspose stride 2, pads, output_padding, groups",
    inputShape: [1, 4, 3, 4],
    initializers: [f32("w", [4, 3, 3, 2], 4), f32("b", [6], 5)],
    nodes: [op("ConvTranspose", ["x", "w", "b"], ["y"], { strides: ints([2, 3]), pads: ints([1, 0, 0, 1]), output_padding: ints([1, 1]), group: int(2) })],
  },
  { name: "ConvTranspose with output_shape", inputShape: [1, 2, 3, 3], initializers: [f32("w", [2, 1, 3, 3], 6)], nodes: [op("ConvTranspose", ["x", "w"], ["y"], { strides: ints([2, 2]), output_shape: ints([6, 6]) })] },
  { name: "MaxPool ceil_mode with pads and dilation", inputShape: [1, 2, 7, 6], opset: 12, nodes: [op("MaxPool", ["x"], ["y"], { kernel_shape: ints([3, 2]), strides: ints([2, 2]), pads: ints([1, 0, 1, 1]), dilations: ints([1, 2]), ceil_mode: int(1) })] },
  { name: "AveragePool count_include_pad with ceil_mode", inputShape: [1, 2, 7, 6], nodes: [op("AveragePool", ["x"], ["y"], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), count_include_pad: int(1), ceil_mode: int(1) })] },
  { name: "AveragePool SAME_UPPER excluding pads", inputShape: [1, 1, 5, 5], nodes: [op("AveragePool", ["x"], ["y"], { kernel_shape: ints([2, 2]), strides: ints([2, 2]), auto_pad: str("SAME_UPPER") })] },
  { name: "GlobalAveragePool and GlobalMaxPool", inputShape: [1, 3, 4, 5], nodes: [op("GlobalAveragePool", ["x"], ["a"]), op("GlobalMaxPool", ["x"], ["m"]), op("Add", ["a", "m"], ["y"])] },
  { name: "Resize linear half_pixel (sizes)", inputShape: [1, 2, 3, 4], initializers: [i64("sizes", [1, 2, 7, 5])], nodes: [op("Resize", ["x", "", "", "sizes"], ["y"], { mode: str("linear") })] },
  {
    name: "Resize linear align_corners (scales)",
    inputShape: [1, 1, 3, 4],
    initializers: [{ name: "scales", dtype: "float32", dims: [4], data: new Float32Array([1, 1, 2, 1.5]) }],
    nodes: [op("Resize", ["x", "", "scales"], ["y"], { mode: str("linear"), coordinate_transformation_mode: str("align_corners") })],
  },
  {
    name: "Resize nearest asymmetric floor, downsampling",
    inputShape: [1, 1, 6, 6],
    initializers: [{ name: "scales", dtype: "float32", dims: [4], data: new Float32Array([1, 1, 0.5, 0.75]) }],
    nodes: [op("Resize", ["x", "", "scales"], ["y"], { mode: str("nearest"), coordinate_transformation_mode: str("asymmetric"), nearest_mode: str("floor") })],
  },
  {
    name: "Upsample opset 9 nearest",
    inputShape: [1, 2, 2, 3],
    opset: 9,
    initializers: [{ name: "scales", dtype: "float32", dims: [4], data: new Float32Array([1, 1, 2, 3]) }],
    nodes: [op("Upsample", ["x", "scales"], ["y"], { mode: str("nearest") })],
  },
  { name: "Pad reflect", inputShape: [1, 2, 4, 3], initializers: [i64("pads", [0, 0, 2, 1, 0, 0, 3, 2])], nodes: [op("Pad", ["x", "pads"], ["y"], { mode: str("reflect") })] },
  { name: "Pad edge with a crop", inputShape: [1, 2, 4, 3], initializers: [i64("pads", [0, 0, -1, 2, 0, 0, 1, 0])], nodes: [op("Pad", ["x", "pads"], ["y"], { mode: str("edge") })] },
  { name: "Pad opset 9 constant (attributes)", inputShape: [2, 3], opset: 9, nodes: [op("Pad", ["x"], ["y"], { pads: ints([1, 0, 0, 2]), value: { float: 1.5 } })] },
  {
    name: "Slice with negative step and INT64_MAX end",
    inputShape: [3, 8],
    initializers: [i64("starts", [-1, 1]), i64("ends", [-9223372036854775807n, 9223372036854775807n]), i64("axes", [1, 0]), i64("steps", [-2, 1])],
    nodes: [op("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
  },
  { name: "Slice opset 9 attributes", inputShape: [3, 8], opset: 9, nodes: [op("Slice", ["x"], ["y"], { starts: ints([1, -5]), ends: ints([3, 100]), axes: ints([0, 1]) })] },
  { name: "ReduceSum opset 13 axes input, keepdims 0", inputShape: [2, 3, 4], initializers: [i64("axes", [-1, 0])], nodes: [op("ReduceSum", ["x", "axes"], ["y"], { keepdims: int(0) })] },
  { name: "ReduceMean opset 18 axes input", inputShape: [2, 3, 4], opset: 18, initializers: [i64("axes", [1])], nodes: [op("ReduceMean", ["x", "axes"], ["y"])] },
  { name: "ReduceMax and ReduceMin over all axes", inputShape: [2, 3], nodes: [op("ReduceMax", ["x"], ["a"], { keepdims: int(0) }), op("ReduceMin", ["x"], ["b"], { keepdims: int(0) }), op("Sub", ["a", "b"], ["y"])] },
  { name: "Clip opset 9 attributes", inputShape: [2, 5], opset: 9, nodes: [op("Clip", ["x"], ["y"], { min: { float: -0.5 }, max: { float: 0.7 } })] },
  {
    name: "Clip opset 13 with only max",
    inputShape: [2, 5],
    initializers: [{ name: "hi", dtype: "float32", dims: [], data: new Float32Array([0.3]) }],
    nodes: [op("Clip", ["x", "", "hi"], ["y"])],
  },
  { name: "Gather negative indices on axis 1", inputShape: [2, 5, 2], initializers: [{ name: "idx", dtype: "int64", dims: [2, 2], data: new BigInt64Array([-1n, 0n, 2n, -3n]) }], nodes: [op("Gather", ["x", "idx"], ["y"], { axis: int(1) })] },
  {
    name: "Transpose, Concat on a negative axis, Squeeze/Unsqueeze (opset 13 inputs), Flatten",
    inputShape: [1, 2, 3],
    initializers: [i64("a0", [0]), i64("a2", [2])],
    nodes: [
      op("Transpose", ["x"], ["t"], { perm: ints([0, 2, 1]) }),
      op("Concat", ["t", "t"], ["c"], { axis: int(-1) }),
      op("Squeeze", ["c", "a0"], ["s"]),
      op("Unsqueeze", ["s", "a2"], ["u"]),
      op("Flatten", ["u"], ["y"], { axis: int(2) }),
    ],
  },
  { name: "MatMul with batch broadcast", inputShape: [2, 1, 3, 4], initializers: [f32("w", [3, 4, 5], 8)], nodes: [op("MatMul", ["x", "w"], ["y"])] },
  { name: "Gemm transA with a broadcast C row", inputShape: [4, 3], initializers: [f32("b", [4, 2], 9), f32("c", [2], 10)], nodes: [op("Gemm", ["x", "b", "c"], ["y"], { transA: int(1), alpha: { float: 0.5 }, beta: { float: 2 } })] },
  {
    name: "BatchNormalization and LayerNormalization over two axes",
    inputShape: [2, 3, 4],
    opset: 17,
    initializers: [f32("s", [3], 11), f32("bb", [3], 12), f32("m", [3], 13), { name: "v", dtype: "float32", dims: [3], data: new Float32Array([0.5, 1, 2]) }, f32("ls", [3, 4], 14)],
    nodes: [op("BatchNormalization", ["x", "s", "bb", "m", "v"], ["n"], { epsilon: { float: 1e-3 } }), op("LayerNormalization", ["n", "ls"], ["y"], { axis: int(-2) })],
  },
  { name: "Equal, Greater, Where, ArgMax (cast to float)", inputShape: [3, 4], nodes: [
    op("ArgMax", ["x"], ["am"], { axis: int(1), keepdims: int(1) }),
    op("Cast", ["am"], ["amf"], { to: int(1) }),
    op("Greater", ["x", "amf"], ["g"]),
    op("Where", ["g", "x", "amf"], ["y"]),
  ] },
];

describe("ir/ops against onnxruntime-node", function () {
  this.timeout(30_000);
  for (const c of CASES) it(c.name, async () => void (await compare(c)));

  it("folds weight-only subgraphs and shape arithmetic into constants", async () => {
    const graph = await compare({
      name: "folding",
      inputShape: [1, 2, 3],
      initializers: [f32("w", [4, 6], 15), i64("zero", [0]), i64("minus1", [-1])],
      nodes: [
        op("Shape", ["x"], ["shape"]),
        op("Gather", ["shape", "zero"], ["batch"], { axis: int(0) }),
        op("Concat", ["batch", "minus1"], ["target"], { axis: int(0) }),
        op("Reshape", ["x", "target"], ["flat"]),
        op("Transpose", ["w"], ["wt"]),
        op("Relu", ["wt"], ["wr"]),
        op("MatMul", ["flat", "wr"], ["y"]),
      ],
    });
    expect(graph.nodes.map((n) => n.op)).to.deep.equal(["Reshape", "MatMul"]);
    expect(graph.nodes[0].attrs.shape).to.deep.equal([1, 6]);
    expect([...graph.constants.keys()]).to.deep.equal(["wr"]);
    expect(graph.constants.get("wr")!.shape).to.deep.equal([6, 4]);
  });

  it("returns every intermediate value", async () => {
    const graph = loadGraph(writeModel({
      inputs: [{ name: "x", dtype: "float32", shape: [2] }],
      outputs: [{ name: "y", dtype: "float32", shape: [2] }],
      nodes: [op("Neg", ["x"], ["n"]), op("Relu", ["n"], ["y"])],
    }));
    const values = evaluateGraph(graph, { x: [1, -3] });
    expect([...values.keys()].sort()).to.deep.equal(["n", "x", "y"]);
    expect(Array.from(values.get("n")!.data as Float64Array)).to.deep.equal([-1, 3]);
    expect(Array.from(values.get("y")!.data as Float64Array)).to.deep.equal([0, 3]);
  });
});
