// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax cross-entropy on logits, the training loss of both MNIST models.

/**
 * −log softmax(logits)[label], and into `dLogits` its gradient softmax(logits) − onehot(label).
 * Computed with the maximum logit subtracted first, so large logits do not overflow.
 */
export function softmaxCrossEntropy(logits: Float64Array, label: number, dLogits: Float64Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    dLogits[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) dLogits[i] /= sum;
  const loss = Math.log(sum) + max - logits[label];
  dLogits[label] -= 1;
  return loss;
}

/** Index of the largest value (the first one on ties), the predicted class. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
