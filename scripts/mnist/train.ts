// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run train:mnist`: trains the MNIST MLP and CNN, exports them to ONNX, checks the ONNX files
// against the TypeScript models in onnxruntime-node, and writes the models, a small set of test
// digits, metadata.json and README.md to scripts/mnist/models/ (or --out).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CLASSES, PIXELS, loadMnistSplit, type MnistSet } from "./data.js";
import { exportOnnx, INPUT_NAME, ONNX_OPSET, OUTPUT_NAME } from "./export.js";
import { buildModel, type ModelName } from "./models.js";
import { onnxLogits } from "./onnx-check.js";
import { Random } from "./random.js";
import { renderReadme, summariseLayers, type Metadata, type ModelRecord } from "./report.js";
import { accuracy, logitsOf, predictionsOf, roundToFloat32, train, type TrainConfig } from "./trainer.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");

interface ModelPlan {
  readonly name: ModelName;
  readonly file: string;
  readonly description: string;
  readonly initSeed: number;
  readonly training: TrainConfig;
}

const PLANS: readonly ModelPlan[] = [
  {
    name: "mlp",
    file: "mnist-mlp.onnx",
    description: "Gemm 784→56, Relu, Gemm 56→10",
    initSeed: 1,
    training: { epochs: 10, batchSize: 32, learningRate: 0.002, learningRateDecay: 0.85, shuffleSeed: 2 },
  },
  {
    name: "cnn",
    file: "mnist-cnn.onnx",
    description: "Conv 1→4 5×5, Relu, MaxPool 2, Conv 4→8 5×5, Relu, MaxPool 2, Flatten, Gemm 128→10",
    initSeed: 3,
    training: { epochs: 10, batchSize: 32, learningRate: 0.003, learningRateDecay: 0.8, shuffleSeed: 4 },
  },
];

export const TEST_DIGITS_FILE = "test-digits.json";
const DIGITS_PER_CLASS = 2;

/** Test-set indices of the first `perClass` digits of each class, in test-set order. */
function pickTestDigits(test: MnistSet, perClass: number): number[] {
  const taken = new Array<number>(CLASSES).fill(0);
  const picked: number[] = [];
  for (let i = 0; i < test.count && picked.length < perClass * CLASSES; i++) {
    if (taken[test.labels[i]] < perClass) {
      taken[test.labels[i]]++;
      picked.push(i);
    }
  }
  return picked;
}

/** Pixel values written with at most 4 decimals. */
function roundPixel(v: number): number {
  return Math.round(v * 10000) / 10000;
}

function maxAbsDifference(a: Float64Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: join(here, "models") } } });
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

  const split = loadMnistSplit();
  const { train: trainSet, test } = split;
  log(`mnist: ${trainSet.count} training and ${test.count} test digits (split seed ${split.seed})`);

  // The shipped digits, exactly as a reader of the JSON file gets them.
  const digitIndices = pickTestDigits(test, DIGITS_PER_CLASS);
  const digitImages = new Float32Array(digitIndices.length * PIXELS);
  const digitLines = digitIndices.map((t, j) => {
    const pixels = Array.from(test.images.subarray(t * PIXELS, (t + 1) * PIXELS), roundPixel);
    digitImages.set(pixels, j * PIXELS);
    return JSON.stringify({ label: test.labels[t], testIndex: t, input_data: [pixels] });
  });
  writeFileSync(join(out, TEST_DIGITS_FILE), `{"digits":[\n${digitLines.join(",\n")}\n]}\n`);

  const models: Record<string, ModelRecord> = {};
  for (const plan of PLANS) {
    const model = buildModel(plan.name, new Random(plan.initSeed));
    log(`${plan.name}: ${plan.description}, ${model.parameterCount()} parameters`);
    const started = performance.now();
    const epochs = train(model, trainSet, plan.training, (r) =>
      log(`  epoch ${r.epoch}: loss ${r.meanLoss.toFixed(4)}, train accuracy ${(100 * r.trainAccuracy).toFixed(2)} %, ${r.seconds.toFixed(1)} s`),
    );
    log(`  trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    roundToFloat32(model);

    const floatLogits = logitsOf(model, test);
    const floatPredictions = predictionsOf(floatLogits);
    const floatTestAccuracy = accuracy(floatPredictions, test.labels);

    const bytes = exportOnnx(model, `mnist_${plan.name}`);
    writeFileSync(join(out, plan.file), bytes);
    const ortLogits = await onnxLogits(bytes, test.images, test.count);
    const ortPredictions = predictionsOf(ortLogits);
    const onnxTestAccuracy = accuracy(ortPredictions, test.labels);
    let predictionAgreement = 0;
    for (let i = 0; i < test.count; i++) if (ortPredictions[i] === floatPredictions[i]) predictionAgreement++;
    const maxAbsLogitDifference = maxAbsDifference(floatLogits, ortLogits);
    log(
      `  test accuracy: TS float ${(100 * floatTestAccuracy).toFixed(2)} %, onnxruntime ${(100 * onnxTestAccuracy).toFixed(2)} %, ` +
        `same prediction on ${predictionAgreement}/${test.count}, max |Δlogit| ${maxAbsLogitDifference.toExponential(2)}`,
    );
    if (predictionAgreement !== test.count) {
      throw new Error(`${plan.name}: the ONNX model disagrees with the TypeScript model on ${test.count - predictionAgreement} test digits`);
    }

    const digitPredictions = Array.from(predictionsOf(await onnxLogits(bytes, digitImages, digitIndices.length)));
    const digitsCorrect = digitPredictions.filter((p, j) => p === test.labels[digitIndices[j]]).length;

    models[plan.name] = {
      file: plan.file,
      description: plan.description,
      inputShape: [1, ...model.inputShape],
      outputShape: [1, ...model.outputShape],
      ops: model.layers.map((l) => l.op),
      parameters: model.parameterCount(),
      parameterTensors: Object.fromEntries(model.params.map((p) => [p.name, p.shape])),
      layers: summariseLayers(model),
      initSeed: plan.initSeed,
      training: { ...plan.training, optimizer: "Adam (β1 0.9, β2 0.999, ε 1e-8)", loss: "softmax cross-entropy, mean over the batch", initialisation: "He normal, zero biases" },
      epochs: epochs.map(({ epoch, meanLoss, trainAccuracy, learningRate }) => ({ epoch, meanLoss, trainAccuracy, learningRate })),
      floatTestAccuracy,
      onnxTestAccuracy,
      predictionAgreement,
      maxAbsLogitDifference,
      onnxBytes: bytes.length,
      onnxSha256: createHash("sha256").update(bytes).digest("hex"),
      testDigits: { predictions: digitPredictions, correct: digitsCorrect, count: digitIndices.length },
    };
  }

  const metadata: Metadata = {
    date: new Date().toISOString().slice(0, 10),
    generator: "npm run train:mnist (scripts/mnist/train.ts)",
    data: {
      source: "the mnist npm package 1.1.0",
      digits: trainSet.count + test.count,
      trainCount: trainSet.count,
      testCount: test.count,
      splitSeed: split.seed,
      split: "a seeded permutation of all digits, its first part the test set",
    },
    onnx: { opset: ONNX_OPSET, input: INPUT_NAME, output: OUTPUT_NAME },
    testDigitsFile: TEST_DIGITS_FILE,
    models,
  };
  writeFileSync(join(out, "metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
  writeFileSync(join(out, "README.md"), renderReadme(metadata));
  log(`wrote ${relative(repoRoot, out) || "."}: ${PLANS.map((p) => p.file).join(", ")}, ${TEST_DIGITS_FILE}, metadata.json, README.md`);
}

await main();
