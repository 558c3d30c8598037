// The second conformance set: one small model per operator added for issue 25 (and the ones the
// tests need), written with the project's own ONNX writer, each with an input.json that is both its
// calibration data and the input proved. `npm run conformance` writes them to a temporary directory
// (network.onnx + input.json per model, the layout of the example models) and runs them after the
// example models; the compiler tests use the same specs.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeModel, type ModelSpec } from "../prover/onnx/writer.js";

export interface OpModel {
  name: string;
  spec: ModelSpec;
  /** One sample: a flat array per model input. */
  input: number[][];
}

const f32 = (name: string, shape: number[]) => ({ name, dtype: "float32" as const, shape });

/** n values spread over [lo, hi] (both ends included), deterministic. */
export function spread(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * ((i * 7) % n)) / (n - 1));
}

/** x [n] → op → y [n], input spread over [lo, hi]. */
function unaryModel(op: string, lo: number, hi: number, n = 16, name = `op_${op.toLowerCase()}`): OpModel {
  return {
    name,
    spec: { inputs: [f32("x", [n])], outputs: [f32("y", [n])], nodes: [{ op, inputs: ["x"], outputs: ["y"], name: op.toLowerCase() }] },
    input: [spread(n, lo, hi)],
  };
}

export function opModels(): OpModel[] {
  return [
    unaryModel("Sign", -2, 2),
    unaryModel("Sin", -3, 3),
    // Wide: the input spans about six periods, so the lowering reduces it modulo 2π first.
    unaryModel("Sin", -20, 20, 16, "op_sin_wide"),
    unaryModel("Cos", -3, 3),
    unaryModel("Tan", -1.2, 1.2),
    unaryModel("Asin", -0.95, 0.95),
    unaryModel("Acos", -0.95, 0.95),
    unaryModel("Atan", -4, 4),
    unaryModel("Sinh", -2.5, 2.5),
    unaryModel("Cosh", -2.5, 2.5),
    unaryModel("Asinh", -4, 4),
    unaryModel("Acosh", 1.05, 4),
    unaryModel("Atanh", -0.9, 0.9),
    {
      // PyTorch's broadcast: a row expanded over a batch, then used.
      name: "op_expand",
      spec: {
        inputs: [f32("x", [1, 3])],
        outputs: [f32("y", [4, 3])],
        initializers: [
          { name: "shape", dtype: "int64", dims: [2], data: BigInt64Array.from([4n, 1n]) },
          { name: "bias", dtype: "float32", dims: [4, 1], data: Float32Array.from([0.5, -0.25, 1, -1]) },
        ],
        nodes: [
          { op: "Expand", inputs: ["x", "shape"], outputs: ["e"], name: "expand" },
          { op: "Add", inputs: ["e", "bias"], outputs: ["y"], name: "add" },
        ],
      },
      input: [[0.75, -1.5, 0.2]],
    },
    {
      // torch.repeat.
      name: "op_tile",
      spec: {
        inputs: [f32("x", [2, 3])],
        outputs: [f32("y", [4, 6])],
        initializers: [{ name: "repeats", dtype: "int64", dims: [2], data: BigInt64Array.from([2n, 2n]) }],
        nodes: [{ op: "Tile", inputs: ["x", "repeats"], outputs: ["y"], name: "tile" }],
      },
      input: [[0.5, -1, 1.5, -2, 0.25, 3]],
    },
    {
      // A moving-average start value: zeros of the input's shape (Shape → ConstantOfShape), added.
      name: "op_constant_of_shape",
      spec: {
        inputs: [f32("x", [2, 3])],
        outputs: [f32("y", [2, 3])],
        nodes: [
          { op: "Shape", inputs: ["x"], outputs: ["s"], name: "shape" },
          { op: "ConstantOfShape", inputs: ["s"], outputs: ["c"], name: "fill", attrs: { value: { tensor: { name: "v", dtype: "float32", dims: [1], data: Float32Array.from([0.75]) } } } },
          { op: "Mul", inputs: ["x", "c"], outputs: ["y"], name: "scale" },
        ],
      },
      input: [[0.5, -1, 1.5, -2, 0.25, 3]],
    },
    // torch.maximum / torch.minimum over three inputs, one broadcast along the batch.
    variadicModel("Max", "op_max"),
    variadicModel("Min", "op_min"),
    // Two ReLU outputs: their difference fits the ReLU table, so each pair costs 2 rows, not 4.
    {
      name: "op_max_relu",
      spec: {
        inputs: [f32("x", [8]), f32("y", [8])],
        outputs: [f32("z", [8])],
        nodes: [
          { op: "Relu", inputs: ["x"], outputs: ["rx"], name: "relu_x" },
          { op: "Relu", inputs: ["y"], outputs: ["ry"], name: "relu_y" },
          { op: "Max", inputs: ["rx", "ry"], outputs: ["z"], name: "max" },
        ],
      },
      input: [spread(8, -2, 2), spread(8, 2, -1.6)],
    },
    variadicModel("Sum", "op_sum"),
    // Mean with a constant operand (a private one) among the three.
    variadicModel("Mean", "op_mean", true),
    // A transposed convolution on one convolution run (the sub-pixel split): stride 2, output_padding,
    // two groups, bias, a non-square input.
    {
      name: "op_conv_transpose_strided",
      spec: {
        inputs: [f32("x", [1, 4, 3, 4])],
        outputs: [f32("y", [1, 4, 6, 8])],
        initializers: [
          { name: "W", dtype: "float32", dims: [4, 2, 3, 3], data: Float32Array.from(spread(72, -0.6, 0.6)) },
          { name: "B", dtype: "float32", dims: [4], data: Float32Array.from([0.1, -0.2, 0.05, 0.3]) },
        ],
        nodes: [
          {
            op: "ConvTranspose",
            inputs: ["x", "W", "B"],
            outputs: ["y"],
            name: "up",
            attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] }, output_padding: { ints: [1, 1] }, group: { int: 2 } },
          },
        ],
      },
      input: [spread(48, -1.5, 1.5)],
    },
    recurrentModel("RNN", 1, "op_rnn"),
    recurrentModel("GRU", 3, "op_gru"),
    recurrentModel("GRU", 3, "op_gru_linear_before_reset", { linear_before_reset: { int: 1 } }, true),
    recurrentModel("LSTM", 4, "op_lstm", {}, true),
    recurrentModel("RNN", 1, "op_rnn_reverse", { direction: { string: "reverse" } }),
    recurrentModel("GRU", 3, "op_gru_bidirectional", { direction: { string: "bidirectional" } }, true),
    recurrentModel("LSTM", 4, "op_lstm_bidirectional", { direction: { string: "bidirectional" } }, true),
  ];
}

/** op(x [2, 4], y [2, 4], z [4] or a constant [4]) → [2, 4]: the variadic elementwise ops. */
function variadicModel(op: "Max" | "Min" | "Sum" | "Mean", name: string, constantLast = false): OpModel {
  const c = Float32Array.from([0.5, -0.75, 1.25, -0.1]);
  return {
    name,
    spec: {
      inputs: [f32("x", [2, 4]), f32("y", [2, 4]), ...(constantLast ? [] : [f32("z", [4])])],
      outputs: [f32("out", [2, 4])],
      initializers: constantLast ? [{ name: "z", dtype: "float32", dims: [4], data: c }] : [],
      nodes: [{ op, inputs: ["x", "y", "z"], outputs: ["out"], name: op.toLowerCase() }],
    },
    input: [spread(8, -2, 2), spread(8, 1.5, -1.5), ...(constantLast ? [] : [spread(4, -1, 3)])],
  };
}

/** A recurrent layer over a sequence of T steps (batch 1, I inputs, hidden H, the direction of `attrs`), outputs Y and Y_h. */
export function recurrentModel(
  op: "RNN" | "GRU" | "LSTM",
  gates: number,
  name: string,
  attrs: ModelSpec["nodes"][number]["attrs"] = {},
  initialH = false,
  [T, I, H] = [3, 3, 4],
): OpModel {
  const weights = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => (((i * 37 + seed * 11) % 23) - 11) / 18);
  const D = attrs.direction && "string" in attrs.direction && attrs.direction.string === "bidirectional" ? 2 : 1;
  return {
    name,
    spec: {
      inputs: [f32("x", [T, 1, I]), ...(initialH ? [f32("h0", [D, 1, H])] : [])],
      outputs: [f32("y", [T, D, 1, H]), f32("y_h", [D, 1, H])],
      initializers: [
        { name: "W", dtype: "float32", dims: [D, gates * H, I], data: weights(D * gates * H * I, 1) },
        { name: "R", dtype: "float32", dims: [D, gates * H, H], data: weights(D * gates * H * H, 2) },
        { name: "B", dtype: "float32", dims: [D, 2 * gates * H], data: weights(D * 2 * gates * H, 3) },
      ],
      nodes: [{ op, inputs: ["x", "W", "R", "B", "", ...(initialH ? ["h0"] : [])], outputs: ["y", "y_h"], name: op.toLowerCase(), attrs: { hidden_size: { int: H }, ...attrs } }],
    },
    input: [spread(T * I, -1.5, 1.5), ...(initialH ? [spread(D * H, -0.5, 0.5)] : [])],
  };
}

/** Writes every op model as <dir>/<name>/{network.onnx, input.json}; returns the names. */
export async function writeOpModels(dir: string): Promise<string[]> {
  const models = opModels();
  for (const m of models) {
    await mkdir(join(dir, m.name), { recursive: true });
    await writeFile(join(dir, m.name, "network.onnx"), writeModel(m.spec));
    await writeFile(join(dir, m.name, "input.json"), `${JSON.stringify({ input_data: m.input })}\n`);
  }
  return models.map((m) => m.name);
}
