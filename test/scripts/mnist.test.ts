// SPDX-License-Identifier: GPL-3.0-or-later
import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { decodeModel } from "../../prover/onnx/proto.js";
import { CLASSES, PIXELS, loadMnistSplit, type MnistSet } from "../../scripts/mnist/data.js";
import { exportOnnx } from "../../scripts/mnist/export.js";
import { Conv2d, Dense, Flatten, MaxPool, Relu, Sequential, sizeOf, type Layer } from "../../scripts/mnist/layers.js";
import { argmax, softmaxCrossEntropy } from "../../scripts/mnist/loss.js";
import { onnxLogits } from "../../scripts/mnist/onnx-check.js";
import { Adam } from "../../scripts/mnist/optimizer.js";
import { Random } from "../../scripts/mnist/random.js";
import type { Metadata } from "../../scripts/mnist/report.js";
import { accuracy, logitsOf, predictionsOf, roundToFloat32, train } from "../../scripts/mnist/trainer.js";

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scripts", "mnist", "models");
const metadata = JSON.parse(readFileSync(join(modelsDir, "metadata.json"), "utf8")) as Metadata;
interface TestDigit {
  label: number;
  testIndex: number;
  input_data: number[][];
}
const testDigits = (JSON.parse(readFileSync(join(modelsDir, metadata.testDigitsFile), "utf8")) as { digits: TestDigit[] }).digits;

function randomArray(n: number, random: Random, scale = 1): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = random.normal() * scale;
  return a;
}

/** Central finite difference of `loss` with respect to values[i]. */
function numericDerivative(loss: () => number, values: Float64Array, i: number, h = 1e-6): number {
  const keep = values[i];
  values[i] = keep + h;
  const up = loss();
  values[i] = keep - h;
  const down = loss();
  values[i] = keep;
  return (up - down) / (2 * h);
}

/**
 * Checks a layer's backward pass against central finite differences of L = Σ c·forward(x),
 * for every parameter and every input value.
 */
function checkLayerGradient(layer: Layer, random: Random, checkInput = true): void {
  const inSize = sizeOf(layer.inputShape);
  const outSize = sizeOf(layer.outputShape);
  const x = randomArray(inSize, random);
  const c = randomArray(outSize, random);
  const loss = (): number => {
    const y = layer.forward(x);
    let s = 0;
    for (let i = 0; i < outSize; i++) s += c[i] * y[i];
    return s;
  };
  for (const p of layer.params) p.grad.fill(0);
  layer.forward(x);
  const dx = Float64Array.from(layer.backward(c));
  const numeric = (values: Float64Array, i: number): number => numericDerivative(loss, values, i);
  for (const p of layer.params) {
    for (let i = 0; i < p.value.length; i++) {
      expect(p.grad[i], `${p.name}[${i}]`).to.be.closeTo(numeric(p.value, i), 1e-6 * (1 + Math.abs(p.grad[i])));
    }
  }
  if (checkInput) {
    for (let i = 0; i < inSize; i++) expect(dx[i], `input[${i}]`).to.be.closeTo(numeric(x, i), 1e-6 * (1 + Math.abs(dx[i])));
  }
}

describe("scripts/mnist: trainer", () => {
  it("Dense backward matches finite differences", () => {
    const random = new Random(11);
    checkLayerGradient(new Dense(7, 5, "d", random), random);
  });

  it("Conv2d backward matches finite differences (parameters and input)", () => {
    const random = new Random(12);
    const conv = new Conv2d(2, 3, 3, 6, 5, "c", random);
    for (let i = 0; i < conv.bias.value.length; i++) conv.bias.value[i] = random.normal();
    checkLayerGradient(conv, random);
  });

  it("Conv2d without input gradient still computes its parameter gradients", () => {
    const random = new Random(13);
    checkLayerGradient(new Conv2d(1, 2, 3, 5, 5, "c", random, false), random, false);
  });

  it("Relu and MaxPool backward match finite differences", () => {
    const random = new Random(14);
    checkLayerGradient(new Relu([3, 4]), random);
    checkLayerGradient(new MaxPool(2, 6, 5, 2), random); // odd width: the last column is dropped
  });

  it("a whole network with softmax cross-entropy has the right gradient", () => {
    const random = new Random(15);
    const net = new Sequential([
      new Conv2d(1, 2, 3, 8, 8, "conv", random),
      new Relu([2, 6, 6]),
      new MaxPool(2, 6, 6, 2),
      new Flatten([2, 3, 3]),
      new Dense(18, 4, "fc", random),
    ]);
    const x = randomArray(64, random);
    const label = 2;
    const scratch = new Float64Array(4);
    const loss = (): number => softmaxCrossEntropy(net.forward(x), label, scratch);
    net.zeroGrad();
    const dLogits = new Float64Array(4);
    softmaxCrossEntropy(net.forward(x), label, dLogits);
    const dx = Float64Array.from(net.backward(dLogits));
    const numeric = (values: Float64Array, i: number): number => numericDerivative(loss, values, i);
    for (const p of net.params) {
      for (let i = 0; i < p.value.length; i++) expect(p.grad[i], `${p.name}[${i}]`).to.be.closeTo(numeric(p.value, i), 1e-6);
    }
    for (let i = 0; i < x.length; i++) expect(dx[i], `input[${i}]`).to.be.closeTo(numeric(x, i), 1e-6);
  });

  it("softmax cross-entropy is stable for large logits and its gradient sums to zero", () => {
    const d = new Float64Array(3);
    const loss = softmaxCrossEntropy(new Float64Array([1000, 0, -1000]), 0, d);
    expect(loss).to.be.closeTo(Math.log(1 + Math.exp(-1000) + Math.exp(-2000)), 1e-12);
    expect(d[0] + d[1] + d[2]).to.be.closeTo(0, 1e-12);
    expect(softmaxCrossEntropy(new Float64Array([0, 0]), 1, d)).to.be.closeTo(Math.LN2, 1e-15);
    expect(argmax([1, 3, 3, 2])).to.equal(1);
  });

  it("Adam's first step moves each parameter by the learning rate against its gradient's sign", () => {
    const p = { name: "p", shape: [3], value: new Float64Array([1, 2, 3]), grad: new Float64Array([0.5, -4, 1e-3]) };
    new Adam([p], { learningRate: 0.1 }).step(1);
    expect(p.value[0]).to.be.closeTo(0.9, 1e-6);
    expect(p.value[1]).to.be.closeTo(2.1, 1e-6);
    expect(p.value[2]).to.be.closeTo(2.9, 1e-4);
  });

  it("random numbers are seeded: same seed, same permutation; normals have mean 0 and variance 1", () => {
    expect(new Random(7).permutation(50)).to.deep.equal(new Random(7).permutation(50));
    expect(new Random(7).permutation(50)).to.not.deep.equal(new Random(8).permutation(50));
    const sorted = Array.from(new Random(9).permutation(100)).sort((a, b) => a - b);
    expect(sorted).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    const random = new Random(10);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      s += z;
      s2 += z * z;
    }
    expect(s / n).to.be.closeTo(0, 0.03);
    expect(s2 / n).to.be.closeTo(1, 0.03);
  });
});

describe("scripts/mnist: data and a short training run", function () {
  this.timeout(30_000);
  let split: ReturnType<typeof loadMnistSplit>;
  before(() => {
    split = loadMnistSplit();
  });

  it("loadMnistSplit is deterministic, 8,000/2,000, disjoint and covers all 10,000 digits", () => {
    const again = loadMnistSplit();
    expect(split.train.count).to.equal(metadata.data.trainCount);
    expect(split.test.count).to.equal(metadata.data.testCount);
    expect(again.test.sources).to.deep.equal(split.test.sources);
    expect(again.test.images).to.deep.equal(split.test.images);
    const seen = new Set<number>([...split.train.sources, ...split.test.sources]);
    expect(seen.size).to.equal(10000);
    expect(split.test.images.length).to.equal(2000 * PIXELS);
    const perClass = new Array<number>(CLASSES).fill(0);
    for (const l of split.test.labels) perClass[l]++;
    for (const n of perClass) expect(n).to.be.within(150, 250);
  });

  it("the shipped test digits are the test set's, with their labels", () => {
    for (const d of testDigits) {
      expect(split.test.labels[d.testIndex]).to.equal(d.label);
      const pixels = d.input_data[0];
      expect(pixels.length).to.equal(PIXELS);
      let maxDiff = 0;
      for (let p = 0; p < PIXELS; p++) maxDiff = Math.max(maxDiff, Math.abs(pixels[p] - split.test.images[d.testIndex * PIXELS + p]));
      expect(maxDiff, `digit ${d.testIndex}`).to.be.lessThan(1e-6);
    }
  });

  it("a small MLP trained on 600 digits for 3 epochs learns, and its ONNX export predicts the same", async () => {
    const take = (set: MnistSet, n: number): MnistSet => ({
      count: n,
      images: set.images.slice(0, n * PIXELS),
      labels: set.labels.slice(0, n),
      sources: set.sources.slice(0, n),
    });
    const small = take(split.train, 600);
    const test = take(split.test, 300);
    const random = new Random(21);
    const model = new Sequential([new Dense(PIXELS, 16, "fc1", random), new Relu([16]), new Dense(16, CLASSES, "fc2", random)]);
    const reports = train(model, small, { epochs: 3, batchSize: 20, learningRate: 0.003, learningRateDecay: 1, shuffleSeed: 22 });
    expect(reports[2].meanLoss).to.be.lessThan(reports[0].meanLoss);
    roundToFloat32(model);
    const predictions = predictionsOf(logitsOf(model, test));
    expect(accuracy(predictions, test.labels)).to.be.greaterThan(0.7);
    const onnx = predictionsOf(await onnxLogits(exportOnnx(model, "small"), test.images, test.count));
    expect(onnx).to.deep.equal(predictions);
  });
});

describe("scripts/mnist: shipped models", function () {
  this.timeout(30_000);
  const allowed = new Set(["Gemm", "Conv", "Relu", "MaxPool", "Flatten", "Reshape"]);

  for (const [name, record] of Object.entries(metadata.models)) {
    const path = join(modelsDir, record.file);

    it(`${name}: the file is the one metadata.json describes (opset 13, allowed ops only)`, () => {
      const bytes = readFileSync(path);
      expect(bytes.length).to.equal(record.onnxBytes);
      expect(createHash("sha256").update(bytes).digest("hex")).to.equal(record.onnxSha256);
      const model = decodeModel(bytes);
      expect(model.opsetImport?.map((o) => [o.domain ?? "", o.version])).to.deep.equal([["", 13n]]);
      const ops = model.graph!.node!.map((n) => n.opType!);
      for (const op of ops) expect(allowed.has(op), op).to.equal(true);
      expect(ops).to.deep.equal(record.ops);
      let weights = 0;
      for (const t of model.graph!.initializer!) weights += t.dims!.reduce((a, b) => a * Number(b), 1);
      expect(weights).to.equal(record.parameters);
    });

    it(`${name}: loads in onnxruntime-node with input [${record.inputShape}] and output [${record.outputShape}]`, async () => {
      const session = await ort.InferenceSession.create(path);
      try {
        expect(session.inputNames).to.deep.equal([metadata.onnx.input]);
        expect(session.outputNames).to.deep.equal([metadata.onnx.output]);
        const input = session.inputMetadata[0];
        const output = session.outputMetadata[0];
        if (!input.isTensor || !output.isTensor) throw new Error("expected tensor input and output");
        expect(input.type).to.equal("float32");
        expect(input.shape).to.deep.equal(record.inputShape);
        expect(output.shape).to.deep.equal(record.outputShape);
      } finally {
        await session.release();
      }
    });

    it(`${name}: classifies the shipped test digits as recorded (at least 18 of 20)`, async () => {
      const images = new Float32Array(testDigits.length * PIXELS);
      testDigits.forEach((d, j) => images.set(d.input_data[0], j * PIXELS));
      const predictions = Array.from(predictionsOf(await onnxLogits(path, images, testDigits.length)));
      expect(predictions).to.deep.equal(record.testDigits.predictions);
      const correct = predictions.filter((p, j) => p === testDigits[j].label).length;
      expect(correct).to.equal(record.testDigits.correct);
      expect(correct).to.be.at.least(18);
      expect(testDigits.length).to.equal(20);
    });

    it(`${name}: recorded test accuracy is at least 95 % and the ONNX file agreed with the TS model`, () => {
      expect(record.floatTestAccuracy).to.be.at.least(0.95);
      expect(record.onnxTestAccuracy).to.equal(record.floatTestAccuracy);
      expect(record.predictionAgreement).to.equal(metadata.data.testCount);
    });
  }
});
