// SPDX-License-Identifier: GPL-3.0-or-later
// A trained Sequential model as an ONNX file (opset 13): input "input" float32 [1, …sample shape],
// output "output" float32 [1, 10] logits, weights as float32 initializers.
import type { NodeSpec, ValueSpec } from "../../prover/onnx/writer.js";
import { writeModel } from "../../prover/onnx/writer.js";
import type { OnnxTensor } from "../../prover/onnx/tensor.js";
import type { Conv2d, Layer, MaxPool, Sequential } from "./layers.js";

export const ONNX_OPSET = 13;
export const INPUT_NAME = "input";
export const OUTPUT_NAME = "output";

function float32Tensor(name: string, dims: readonly number[], values: Float64Array): OnnxTensor {
  return { name, dtype: "float32", dims: [...dims], data: Float32Array.from(values) };
}

function node(layer: Layer, index: number, input: string, output: string): NodeSpec {
  const name = `${layer.op.toLowerCase()}_${index}`;
  const params = layer.params.map((p) => p.name);
  switch (layer.op) {
    case "Gemm":
      return { op: "Gemm", name, inputs: [input, ...params], outputs: [output], attrs: { transB: { int: 1 } } };
    case "Conv": {
      const k = (layer as Conv2d).kernel;
      return {
        op: "Conv",
        name,
        inputs: [input, ...params],
        outputs: [output],
        attrs: { kernel_shape: { ints: [k, k] }, strides: { ints: [1, 1] }, pads: { ints: [0, 0, 0, 0] }, dilations: { ints: [1, 1] }, group: { int: 1 } },
      };
    }
    case "MaxPool": {
      const s = (layer as MaxPool).size;
      return { op: "MaxPool", name, inputs: [input], outputs: [output], attrs: { kernel_shape: { ints: [s, s] }, strides: { ints: [s, s] }, pads: { ints: [0, 0, 0, 0] } } };
    }
    case "Flatten":
      return { op: "Flatten", name, inputs: [input], outputs: [output], attrs: { axis: { int: 1 } } };
    case "Relu":
      return { op: "Relu", name, inputs: [input], outputs: [output] };
  }
}

/** The ONNX bytes of `model` at batch size 1, with its current parameters rounded to float32. */
export function exportOnnx(model: Sequential, graphName: string): Uint8Array {
  const input: ValueSpec = { name: INPUT_NAME, dtype: "float32", shape: [1, ...model.inputShape] };
  const output: ValueSpec = { name: OUTPUT_NAME, dtype: "float32", shape: [1, ...model.outputShape] };
  const nodes: NodeSpec[] = [];
  let current = INPUT_NAME;
  model.layers.forEach((layer, i) => {
    const next = i === model.layers.length - 1 ? OUTPUT_NAME : `${layer.op.toLowerCase()}_${i}_out`;
    nodes.push(node(layer, i, current, next));
    current = next;
  });
  return writeModel({
    inputs: [input],
    outputs: [output],
    initializers: model.params.map((p) => float32Tensor(p.name, p.shape, p.value)),
    nodes,
    opset: ONNX_OPSET,
    graphName,
    producerName: "zkinfer scripts/mnist",
  });
}
