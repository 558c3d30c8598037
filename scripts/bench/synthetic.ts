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

/**
 * Multi-head self-attention over t tokens of width d with h heads (a transformer block's attention):
 * Q, K, V = x·W, each reshaped to [1, t, h, d/h] and transposed to [1, h, t, d/h]; per head
 * S = Q·Kᵀ / √(d/h), A = softmax(S) over the keys, A·V; the heads transposed back, concatenated
 * to [1, t, d] and projected by Wo.
 */
export function multiHeadAttention(p: { t: number; d: number; heads: number; samples?: number; seed?: number }): SyntheticModel {
  const { t, d, heads } = p;
  const dh = d / heads;
  if (!Number.isInteger(dh)) throw new Error(`width ${d} is not a multiple of ${heads} heads`);
  const rng = new Random(p.seed ?? 6);
  const std = Math.sqrt(1 / d);
  const weights = ["Wq", "Wk", "Wv", "Wo"].map((n) => randomTensor(rng, n, [d, d], std));
  const scale: OnnxTensor = { name: "scale", dtype: "float32", dims: [], data: Float32Array.of(1 / Math.sqrt(dh)) };
  const split: OnnxTensor = { name: "split_heads", dtype: "int64", dims: [4], data: BigInt64Array.from([1n, BigInt(t), BigInt(heads), BigInt(dh)]) };
  const merge: OnnxTensor = { name: "merge_heads", dtype: "int64", dims: [3], data: BigInt64Array.from([1n, BigInt(t), BigInt(d)]) };
  const heads4 = (v: string): NodeSpec[] => [
    { op: "MatMul", inputs: ["x", `W${v}`], outputs: [`${v}`] },
    { op: "Reshape", inputs: [`${v}`, "split_heads"], outputs: [`${v}_split`] },
    { op: "Transpose", inputs: [`${v}_split`], outputs: [`${v}_heads`], attrs: { perm: { ints: [0, 2, 1, 3] } } },
  ];
  const nodes: NodeSpec[] = [
    ...heads4("q"),
    ...heads4("k"),
    ...heads4("v"),
    { op: "Transpose", inputs: ["k_heads"], outputs: ["kt"], attrs: { perm: { ints: [0, 1, 3, 2] } } },
    { op: "MatMul", inputs: ["q_heads", "kt"], outputs: ["s"] },
    { op: "Mul", inputs: ["s", "scale"], outputs: ["scaled"] },
    { op: "Softmax", inputs: ["scaled"], outputs: ["a"], attrs: { axis: { int: -1 } } },
    { op: "MatMul", inputs: ["a", "v_heads"], outputs: ["o_heads"] },
    { op: "Transpose", inputs: ["o_heads"], outputs: ["o_split"], attrs: { perm: { ints: [0, 2, 1, 3] } } },
    { op: "Reshape", inputs: ["o_split", "merge_heads"], outputs: ["o"] },
    { op: "MatMul", inputs: ["o", "Wo"], outputs: ["y"] },
  ];
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, t, d] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, t, d] }],
    initializers: [...weights, scale, split, merge],
    nodes,
  });
  return {
    name: `multi-head attention ${t} tokens × ${d}, ${heads} heads`,
    bytes,
    samples: randomSamples(rng, p.samples ?? 2, t * d),
    // Four projections, Q·Kᵀ and A·V over all heads.
    macs: 4 * t * d * d + 2 * t * t * d,
    sizes: { weights: 4 * d * d, input: t * d, im2col: 0, output: t * d },
  };
}

/**
 * A DCGAN-style generator: a latent [1, z, 1, 1] through ConvTranspose 4×4 (stride 1) to 4×4, then
 * ConvTranspose 4×4 stride 2 padding 1 layers doubling the side up to `side`, ReLU between them
 * and Tanh at the end; `channels` lists the feature maps from the first to the image's.
 */
export function generator(p: { z: number; channels: number[]; samples?: number; seed?: number }): SyntheticModel {
  const rng = new Random(p.seed ?? 7);
  const k = 4;
  const initializers: OnnxTensor[] = [];
  const nodes: NodeSpec[] = [];
  let [cin, side, prev, macs, im2col, weights] = [p.z, 1, "x", 0, 0, 0];
  for (const [i, cout] of p.channels.entries()) {
    const first = i === 0;
    const outSide = first ? k : 2 * side;
    initializers.push(randomTensor(rng, `W${i}`, [cin, cout, k, k], Math.sqrt(2 / (cin * k))), randomTensor(rng, `B${i}`, [cout], 0.05));
    const conv = `t${i}`;
    nodes.push({ op: "ConvTranspose", inputs: [prev, `W${i}`, `B${i}`], outputs: [conv], attrs: { kernel_shape: { ints: [k, k] }, strides: { ints: first ? [1, 1] : [2, 2] }, pads: { ints: first ? [0, 0, 0, 0] : [1, 1, 1, 1] } } });
    const last = i === p.channels.length - 1;
    prev = last ? "y" : `a${i}`;
    nodes.push({ op: last ? "Tanh" : "Relu", inputs: [conv], outputs: [prev] });
    macs += cin * cout * k * k * side * side;
    im2col += cin * k * k * outSide * outSide;
    weights += cin * cout * k * k + cout;
    [cin, side] = [cout, outSide];
  }
  const bytes = writeModel({
    inputs: [{ name: "x", dtype: "float32", shape: [1, p.z, 1, 1] }],
    outputs: [{ name: "y", dtype: "float32", shape: [1, cin, side, side] }],
    initializers,
    nodes,
  });
  return {
    name: `generator z ${p.z} → ${p.channels.join("→")} (transposed convolutions, ${side}×${side})`,
    bytes,
    samples: Array.from({ length: p.samples ?? 4 }, () => [Array.from({ length: p.z }, () => rng.normal())]),
    macs,
    sizes: { weights, input: p.z, im2col, output: cin * side * side },
  };
}
