// SPDX-License-Identifier: GPL-3.0-or-later
// Mini-batch training with Adam and softmax cross-entropy, and evaluation, one sample at a time.
import { CLASSES, PIXELS, type MnistSet } from "./data.js";
import type { Sequential } from "./layers.js";
import { argmax, softmaxCrossEntropy } from "./loss.js";
import { Adam } from "./optimizer.js";
import { Random } from "./random.js";

export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The learning rate is multiplied by this after every epoch. */
  readonly learningRateDecay: number;
  /** Seed of the per-epoch sample order (initialisation has its own seed). */
  readonly shuffleSeed: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly meanLoss: number;
  readonly trainAccuracy: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/** Trains `model` in place; returns one report per epoch (the training accuracy is measured during the epoch). */
export function train(
  model: Sequential,
  data: MnistSet,
  config: TrainConfig,
  onEpoch: (report: EpochReport) => void = () => {},
): EpochReport[] {
  const random = new Random(config.shuffleSeed);
  const optimizer = new Adam(model.params, { learningRate: config.learningRate });
  const x = new Float64Array(PIXELS);
  const dLogits = new Float64Array(CLASSES);
  const reports: EpochReport[] = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    const order = random.permutation(data.count);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += config.batchSize) {
      const end = Math.min(start + config.batchSize, data.count);
      model.zeroGrad();
      for (let i = start; i < end; i++) {
        const s = order[i];
        for (let p = 0; p < PIXELS; p++) x[p] = data.images[s * PIXELS + p];
        const logits = model.forward(x);
        if (argmax(logits) === data.labels[s]) correct++;
        lossSum += softmaxCrossEntropy(logits, data.labels[s], dLogits);
        model.backward(dLogits);
      }
      optimizer.step(1 / (end - start));
    }
    const report: EpochReport = {
      epoch,
      meanLoss: lossSum / data.count,
      trainAccuracy: correct / data.count,
      learningRate: optimizer.learningRate,
      seconds: (performance.now() - started) / 1000,
    };
    reports.push(report);
    onEpoch(report);
    optimizer.learningRate *= config.learningRateDecay;
  }
  return reports;
}

/** The float model's logits for every sample, count × 10. */
export function logitsOf(model: Sequential, data: MnistSet): Float64Array {
  const out = new Float64Array(data.count * CLASSES);
  const x = new Float64Array(PIXELS);
  for (let s = 0; s < data.count; s++) {
    for (let p = 0; p < PIXELS; p++) x[p] = data.images[s * PIXELS + p];
    out.set(model.forward(x), s * CLASSES);
  }
  return out;
}

/** Predicted class of each sample from a count × 10 logit array. */
export function predictionsOf(logits: Float64Array | Float32Array): Uint8Array {
  const n = logits.length / CLASSES;
  const out = new Uint8Array(n);
  for (let s = 0; s < n; s++) out[s] = argmax(logits.subarray(s * CLASSES, (s + 1) * CLASSES));
  return out;
}

export function accuracy(predictions: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Rounds every parameter to float32 in place, so the float64 model computes with exactly the exported weights. */
export function roundToFloat32(model: Sequential): void {
  for (const p of model.params) for (let i = 0; i < p.value.length; i++) p.value[i] = Math.fround(p.value[i]);
}
