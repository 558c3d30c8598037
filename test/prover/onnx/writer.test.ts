import { expect } from "chai";
import * as ort from "onnxruntime-node";
import { OnnxError } from "../../../prover/onnx/errors.js";
import { decodeModel } from "../../../prover/onnx/proto.js";
import { decodeTensor } from "../../../prover/onnx/tensor.js";
import { writeModel } from "../../../prover/onnx/writer.js";

describe("onnx/writer", () => {
  // y = relu(x · Wᵀ + b) · 0.5, x: [batch, 3], W: [2, 3]
  const weight = new Float32Array([1, -2, 0.5, 3, 0.25, -1]);
  const bias = new Float32Array([0.5, -4]);
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
    outputs: [{ name: "y", dtype: "float32", shape: ["batch", 2] }],
    initializers: [
      { name: "W", dtype: "float32", dims: [2, 3], data: weight },
      { name: "b", dtype: "float32", dims: [2], data: bias },
    ],
    nodes: [
      { op: "Gemm", inputs: ["x", "W", "b"], outputs: ["h"], attrs: { transB: { int: 1 }, alpha: { float: 1 } } },
      { op: "Relu", inputs: ["h"], outputs: ["r"] },
      {
        op: "Constant",
        inputs: [],
        outputs: ["half"],
        attrs: { value: { tensor: { name: "half", dtype: "float32", dims: [], data: new Float32Array([0.5]) } } },
      },
      { op: "Mul", inputs: ["r", "half"], outputs: ["y"] },
    ],
    opset: 13,
  });

  it("writes a model that onnxruntime-node runs", async () => {
    const session = await ort.InferenceSession.create(bytes);
    const x = new Float32Array([1, 2, 3, -1, 0, 4]);
    const result = await session.run({ x: new ort.Tensor("float32", x, [2, 3]) });
    const y = result.y.data as Float32Array;
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      for (let o = 0; o < 2; o++) {
        let acc = bias[o];
        for (let k = 0; k < 3; k++) acc += x[r * 3 + k] * weight[o * 3 + k];
        expected.push(Math.max(acc, 0) * 0.5);
      }
    }
    expect(Array.from(y)).to.deep.equal(expected);
    expect(result.y.dims).to.deep.equal([2, 2]);
  });

  it("decodes back to the same graph", () => {
    const model = decodeModel(bytes);
    expect(model.opsetImport?.[0].version).to.equal(13n);
    const graph = model.graph!;
    expect(graph.node?.map((n) => n.opType)).to.deep.equal(["Gemm", "Relu", "Constant", "Mul"]);
    expect(graph.node?.[0].attribute?.find((a) => a.name === "transB")?.i).to.equal(1n);
    expect(graph.input?.[0].type?.tensorType?.shape?.dim?.map((d) => d.dimParam ?? d.dimValue)).to.deep.equal(["batch", 3n]);
    const w = decodeTensor(graph.initializer![0]);
    expect(w.dims).to.deep.equal([2, 3]);
    expect(w.data).to.deep.equal(weight);
  });

  it("keeps int64 values exact past 2^53", () => {
    const big = new BigInt64Array([9223372036854775807n, -9223372036854775808n, 3n]);
    const model = decodeModel(
      writeModel({
        inputs: [],
        outputs: [{ name: "c", dtype: "int64", shape: [3] }],
        nodes: [{ op: "Constant", inputs: [], outputs: ["c"], attrs: { value: { tensor: { name: "c", dtype: "int64", dims: [3], data: big } } } }],
        initializers: [],
      }),
    );
    expect(decodeTensor(model.graph!.node![0].attribute![0].t!).data).to.deep.equal(big);
  });

  it("refuses data of the wrong typed array", () => {
    expect(() =>
      writeModel({
        inputs: [],
        outputs: [],
        nodes: [],
        initializers: [{ name: "w", dtype: "float32", dims: [1], data: new Float64Array([1]) }],
      }),
    ).to.throw(OnnxError, /float32 but its data is a Float64Array/);
  });
});
