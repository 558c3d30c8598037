import { expect } from "chai";
import { OnnxError } from "../../../prover/onnx/errors.js";
import { loadOnnx } from "../../../prover/onnx/loader.js";
import { DataLocation, DataType, encodeModel } from "../../../prover/onnx/proto.js";
import { buildModel, writeModel, type ModelSpec } from "../../../prover/onnx/writer.js";
import { buildGraph, unsupportedNodes } from "../../../prover/ir/build.js";
import { UnsupportedOpsError } from "../../../prover/ir/errors.js";

const relu = (overrides: Partial<ModelSpec> = {}): ModelSpec => ({
  inputs: [{ name: "x", dtype: "float32", shape: ["N", 3] }],
  outputs: [{ name: "y", dtype: "float32", shape: ["N", 3] }],
  nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }],
  ...overrides,
});

describe("onnx/loader", () => {
  it("reads opset, inputs (batch dim → 1), outputs, initializers and typed attributes", () => {
    const model = loadOnnx(
      writeModel({
        inputs: [{ name: "ids", dtype: "int64", shape: ["batch", 4] }],
        outputs: [{ name: "y", dtype: "float32", shape: ["batch", 4] }],
        initializers: [{ name: "scale", dtype: "float32", dims: [4], data: new Float32Array([1, 2, 3, 4]) }],
        nodes: [
          { op: "Cast", inputs: ["ids"], outputs: ["f"], attrs: { to: { int: DataType.FLOAT } } },
          { op: "Mul", inputs: ["f", "scale"], outputs: ["m"], name: "scale_it" },
          { op: "LeakyRelu", inputs: ["m"], outputs: ["y"], attrs: { alpha: { float: 0.5 } } },
        ],
        opset: 11,
      }),
    );
    expect(model.opset).to.equal(11);
    expect(model.inputs).to.deep.equal([{ name: "ids", dtype: "int64", shape: [1, 4] }]);
    expect(model.outputs[0]).to.deep.equal({ name: "y", dtype: "float32", shape: ["batch", 4] });
    expect(model.initializers.get("scale")?.data).to.deep.equal(new Float32Array([1, 2, 3, 4]));
    expect(model.nodes.map((n) => n.name)).to.deep.equal(["Cast_0", "scale_it", "LeakyRelu_2"]);
    expect(model.nodes[0].attributes.get("to")).to.deep.equal({ kind: "int", value: 1n });
    expect(model.nodes[2].attributes.get("alpha")).to.deep.equal({ kind: "float", value: 0.5 });
  });

  it("names unnamed nodes op_<index>", () => {
    const proto = buildModel(relu());
    delete proto.graph!.node![0].name;
    expect(loadOnnx(encodeModel(proto)).nodes[0].name).to.equal("op_0");
  });

  it("leaves initializers listed among the graph inputs out of the inputs", () => {
    const proto = buildModel({
      ...relu(),
      inputs: [{ name: "x", dtype: "float32", shape: [1, 3] }, { name: "w", dtype: "float32", shape: [3] }],
      initializers: [{ name: "w", dtype: "float32", dims: [3], data: new Float32Array(3) }],
    });
    expect(loadOnnx(encodeModel(proto)).inputs.map((i) => i.name)).to.deep.equal(["x"]);
  });

  it("refuses bytes that are not protobuf, and a protobuf without a graph", () => {
    expect(() => loadOnnx(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]))).to.throw(OnnxError, /not an ONNX model: the protobuf does not decode/);
    expect(() => loadOnnx(new Uint8Array([0x08, 0x07]))).to.throw(OnnxError, /not an ONNX model: it holds no graph/);
    expect(() => loadOnnx("/nonexistent/model.onnx")).to.throw(OnnxError, /cannot read the model file/);
  });

  it("refuses external-data weights, naming the tensor and how to embed them", () => {
    const proto = buildModel({ ...relu(), initializers: [{ name: "fc.weight", dtype: "float32", dims: [2], data: new Float32Array(2) }] });
    const t = proto.graph!.initializer![0];
    delete t.rawData;
    t.dataLocation = DataLocation.EXTERNAL;
    t.externalData = [{ key: "location", value: "weights.bin" }, { key: "offset", value: "0" }];
    expect(() => loadOnnx(encodeModel(proto))).to.throw(OnnxError, /tensor "fc\.weight" stores its weights in external data \("weights\.bin"\).*save_as_external_data=False/);
  });

  it("refuses tensors whose data does not match their dims", () => {
    const proto = buildModel({ ...relu(), initializers: [{ name: "w", dtype: "float32", dims: [2], data: new Float32Array(2) }] });
    proto.graph!.initializer![0].dims = [3n];
    expect(() => loadOnnx(encodeModel(proto))).to.throw(OnnxError, /tensor "w" holds 8 bytes of raw data, but dims \[3\] of float32 need 12/);
  });

  it("refuses opsets outside 7–20 and unresolvable symbolic dims; input shapes can resolve them", () => {
    expect(() => loadOnnx(writeModel(relu({ opset: 6 })))).to.throw(OnnxError, /opset 6; zkinfer supports opsets 7 to 20/);
    const seq = relu({ inputs: [{ name: "x", dtype: "float32", shape: ["N", "seq"] }] });
    expect(() => loadOnnx(writeModel(seq))).to.throw(OnnxError, /graph input "x" has a symbolic dimension "seq" at axis 1/);
    expect(loadOnnx(writeModel(seq), { inputShapes: { x: [1, 7] } }).inputs[0].shape).to.deep.equal([1, 7]);
    // A dim named like the batch dim of some input is the batch too.
    const shared = relu({ inputs: [{ name: "x", dtype: "float32", shape: ["N", 3, "N"] }] });
    expect(loadOnnx(writeModel(shared)).inputs[0].shape).to.deep.equal([1, 3, 1]);
  });

  it("lists unsupported nodes by name and op, and buildGraph refuses them", () => {
    const model = loadOnnx(
      writeModel(
        relu({
          nodes: [
            { op: "Relu", inputs: ["x"], outputs: ["r"] },
            { op: "Hardmax", inputs: ["r"], outputs: ["h"], name: "pick" },
            { op: "LinearRegressor", domain: "ai.onnx.ml", inputs: ["h"], outputs: ["y"], name: "sk" },
          ],
        }),
      ),
    );
    expect(unsupportedNodes(model)).to.deep.equal([
      { name: "pick", op: "Hardmax", domain: "" },
      { name: "sk", op: "LinearRegressor", domain: "ai.onnx.ml" },
    ]);
    expect(() => buildGraph(model)).to.throw(UnsupportedOpsError, /\(Hardmax, ai\.onnx\.ml::LinearRegressor\) in 2 nodes: pick \(Hardmax\), sk \(ai\.onnx\.ml::LinearRegressor\)/);
  });
});
