// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic ONNX models for the benchmarks, written with zkinfer's own ONNX writer: single layers
// (a 3×3 convolution, a dense layer, a single-head attention block) and the design's reference
// small CNN and LeNet-5 (its time and memory targets), with seeded random weights and calibration
// samples, and the tensor sizes that set their cost (weights, input, im2col copies, outputs) next
// to their multiply-accumulates.
import { readFileSync } from "node:fs";
import { writeModel, type NodeSpec } from "../../prover/onnx/writer.js";
import type { OnnxTensor } from "../../prover/onnx/tensor.js";
import { exportOnnx } from "../mnist/export.js";
import { Conv2d, Dense, Flatten, MaxPool, Relu, Sequential } from "../mnist/layers.js";
import { Random } from "../mnist/random.js";

export interface SyntheticModel {
  name: string;
  bytes: Uint8Array;
  /** Calibration samples: samples[s][i] is sample s's flat values for input i. */
  samples: number[][][];
  /** Multiply-accumulates per inference. */
  macs: number;
  /** Tensor sizes in cells: weights (and biases), input, im2col copies, outputs. */
  sizes: { weights: number; input: number; im2col: number; output: number };
}

function randomTensor(rng: Random, name: string, dims: number[], std: number): OnnxTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dtype: "float32", dims, data: Float32Array.from({ length: n }, () => rng.normal() * std) };
}

function randomSamples(rng: Random, count: number, n: number): number[][][] {
  return Array.from({ length: count }, () => [Array.from({ length: n }, () => Math.round((rng.uniform() * 2 - 1) * 1000) / 1000)]);
}

/** Conv with a k×k kernel, stride 1, "same" padding, over a [1, cin, h, w] input. */
export function convLayer(p: { cin: number; cout: number; h: number; w: number; k?: number; samples?: number; seed?: number }): SyntheticModel {
  const k = p.k ?? 3;
  const pad = (k - 1) / 2;
  const rng = new Random(p.seed ?? 1);
  const fanIn = p.cin * k * k;
  const W = randomTensor(rng, "W", [p.cout, p.cin, k, k], Math.sqrt(2 / fanIn));
  const B = randomTensor(rng, "B", [p.cout], 0.1);
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, p.cin, p.h, p.w] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, p.cout, p.h, p.w] }],
    initializers: [W, B],
    nodes: [{ op: "Conv", inputs: ["x", "W", "B"], outputs: ["y"], attrs: { kernel_shape: { ints: [k, k] }, pads: { ints: [pad, pad, pad, pad] } } }],
  });
  const positions = p.h * p.w;
  return {
    name: `conv ${k}×${k} ${p.cin}→${p.cout} on ${p.h}×${p.w}`,
    bytes,
    samples: randomSamples(rng, p.samples ?? 2, p.cin * positions),
    macs: p.cout * fanIn * positions,
    sizes: { weights: p.cout * fanIn + p.cout, input: p.cin * positions, im2col: fanIn * positions, output: p.cout * positions },
  };
}

/** Gemm y = x·Wᵀ + b over a [1, n] input. */
export function denseLayer(p: { n: number; m: number; samples?: number; seed?: number }): SyntheticModel {
  const rng = new Random(p.seed ?? 2);
  const W = randomTensor(rng, "W", [p.m, p.n], Math.sqrt(2 / p.n));
  const B = randomTensor(rng, "B", [p.m], 0.1);
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, p.n] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, p.m] }],
    initializers: [W, B],
    nodes: [{ op: "Gemm", inputs: ["x", "W", "B"], outputs: ["y"], attrs: { transB: { int: 1 } } }],
  });
  return {
    name: `dense ${p.n}→${p.m}`,
    bytes,
    samples: randomSamples(rng, p.samples ?? 2, p.n),
    macs: p.n * p.m,
    sizes: { weights: p.n * p.m + p.m, input: p.n, im2col: 0, output: p.m },
  };
}

/**
 * The design's reference small CNN (DESIGN.md, performance targets): Conv 4→8 3×3 with padding 1
 * on a 12×12 input, ReLU, Flatten, Gemm 1152→10.
 */
export function designCnn(p: { samples?: number; seed?: number } = {}): SyntheticModel {
  const [cin, cout, h, w, k, classes] = [4, 8, 12, 12, 3, 10];
  const rng = new Random(p.seed ?? 4);
  const fanIn = cin * k * k;
  const flat = cout * h * w;
  const Wc = randomTensor(rng, "Wc", [cout, cin, k, k], Math.sqrt(2 / fanIn));
  const Bc = randomTensor(rng, "Bc", [cout], 0.1);
  const Wd = randomTensor(rng, "Wd", [classes, flat], Math.sqrt(2 / flat));
  const Bd = randomTensor(rng, "Bd", [classes], 0.1);
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, cin, h, w] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, classes] }],
    initializers: [Wc, Bc, Wd, Bd],
    nodes: [
      { op: "Conv", inputs: ["x", "Wc", "Bc"], outputs: ["c"], attrs: { kernel_shape: { ints: [k, k] }, pads: { ints: [1, 1, 1, 1] } } },
      { op: "Relu", inputs: ["c"], outputs: ["r"] },
      { op: "Flatten", inputs: ["r"], outputs: ["f"], attrs: { axis: { int: 1 } } },
      { op: "Gemm", inputs: ["f", "Wd", "Bd"], outputs: ["y"], attrs: { transB: { int: 1 } } },
    ],
  });
  return {
    name: "the design's small CNN (conv 4→8 3×3 on 12×12, ReLU, dense 1152→10)",
    bytes,
    samples: randomSamples(rng, p.samples ?? 4, cin * h * w),
    macs: cout * fanIn * h * w + flat * classes,
    sizes: { weights: cout * fanIn + cout + flat * classes + classes, input: cin * h * w, im2col: fanIn * h * w, output: classes },
  };
}

/**
 * LeNet-5, the design's memory target (DESIGN.md), with ReLU and max pooling: Conv 1→6 5×5 on
 * 32×32, ReLU, MaxPool 2, Conv 6→16 5×5, ReLU, MaxPool 2, Flatten (400), Dense 400→120, ReLU,
 * Dense 120→84, ReLU, Dense 84→10; He-initialised, untrained. Its samples are the shipped MNIST test
 * digits padded from 28×28 to 32×32.
 */
export function lenet5(p: { samples?: number; seed?: number } = {}): SyntheticModel {
  const random = new Random(p.seed ?? 5);
  const model = new Sequential([
    new Conv2d(1, 6, 5, 32, 32, "conv1", random, false),
    new Relu([6, 28, 28]),
    new MaxPool(6, 28, 28, 2),
    new Conv2d(6, 16, 5, 14, 14, "conv2", random),
    new Relu([16, 10, 10]),
    new MaxPool(16, 10, 10, 2),
    new Flatten([16, 5, 5]),
    new Dense(400, 120, "fc1", random),
    new Relu([120]),
    new Dense(120, 84, "fc2", random),
    new Relu([84]),
    new Dense(84, 10, "fc3", random),
  ]);
  const digits = JSON.parse(readFileSync(new URL("../mnist/models/test-digits.json", import.meta.url), "utf8")) as { digits: { input_data: number[][] }[] };
  const padded = (pixels: number[]): number[] => Array.from({ length: 32 * 32 }, (_, i) => {
    const [r, c] = [Math.floor(i / 32) - 2, (i % 32) - 2];
    return r >= 0 && r < 28 && c >= 0 && c < 28 ? pixels[r * 28 + c] : 0;
  });
  const conv = (cin: number, cout: number, out: number) => ({ im2col: cin * 25 * out * out, macs: cout * cin * 25 * out * out });
  const [c1, c2] = [conv(1, 6, 28), conv(6, 16, 10)];
  const dense = [400 * 120, 120 * 84, 84 * 10];
  return {
    name: "LeNet-5 (ReLU, max pooling) on 32×32",
    bytes: exportOnnx(model, "lenet5"),
    samples: digits.digits.slice(0, p.samples ?? 8).map((d) => [padded(d.input_data[0])]),
    macs: c1.macs + c2.macs + dense.reduce((a, b) => a + b, 0),
    sizes: { weights: model.params.reduce((a, q) => a + q.value.length, 0), input: 32 * 32, im2col: c1.im2col + c2.im2col, output: 10 },
  };
}

/**
 * Single-head self-attention over t tokens of width d: Q, K, V = x·W (weights), S = Q·Kᵀ / √d
 * (a product of two activations), A = softmax(S) over the keys, y = A·V (another product of two
 * activations).
 */
export function attentionBlock(p: { t: number; d: number; samples?: number; seed?: number }): SyntheticModel {
  const { t, d } = p;
  const rng = new Random(p.seed ?? 3);
  const std = Math.sqrt(1 / d);
  const weights = ["Wq", "Wk", "Wv"].map((n) => randomTensor(rng, n, [d, d], std));
  const scale: OnnxTensor = { name: "scale", dtype: "float32", dims: [], data: Float32Array.of(1 / Math.sqrt(d)) };
  const nodes: NodeSpec[] = [
    { op: "MatMul", inputs: ["x", "Wq"], outputs: ["q"] },
    { op: "MatMul", inputs: ["x", "Wk"], outputs: ["k"] },
    { op: "MatMul", inputs: ["x", "Wv"], outputs: ["v"] },
    { op: "Transpose", inputs: ["k"], outputs: ["kt"], attrs: { perm: { ints: [0, 2, 1] } } },
    { op: "MatMul", inputs: ["q", "kt"], outputs: ["s"] },
    { op: "Mul", inputs: ["s", "scale"], outputs: ["scaled"] },
    { op: "Softmax", inputs: ["scaled"], outputs: ["a"], attrs: { axis: { int: -1 } } },
    { op: "MatMul", inputs: ["a", "v"], outputs: ["y"] },
  ];
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, t, d] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, t, d] }],
    initializers: [...weights, scale],
    nodes,
  });
  return {
    name: `attention ${t} tokens × ${d}`,
    bytes,
    samples: randomSamples(rng, p.samples ?? 2, t * d),
    // Three projections, Q·Kᵀ and A·V.
    macs: 3 * t * d * d + 2 * t * t * d,
    sizes: { weights: 3 * d * d, input: t * d, im2col: 0, output: t * d },
  };
}
