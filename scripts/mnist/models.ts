// SPDX-License-Identifier: GPL-3.0-or-later
// The two MNIST architectures. Both end in raw logits (no softmax): the loss applies softmax
// itself, and a classifier only needs the argmax.
import { CLASSES, IMAGE_SIDE, PIXELS } from "./data.js";
import { Conv2d, Dense, Flatten, MaxPool, Relu, Sequential } from "./layers.js";
import type { Random } from "./random.js";

export type ModelName = "mlp" | "cnn";

/** Dense 784→56, ReLU, Dense 56→10: the reference MLP shape of DESIGN.md. Input [784]. */
export function mlp(random: Random): Sequential {
  const hidden = 56;
  return new Sequential([new Dense(PIXELS, hidden, "fc1", random), new Relu([hidden]), new Dense(hidden, CLASSES, "fc2", random)]);
}

/**
 * LeNet-style: Conv 1→4 5×5 (28×28 → 24×24), ReLU, MaxPool 2 (→ 12×12), Conv 4→8 5×5 (→ 8×8),
 * ReLU, MaxPool 2 (→ 4×4), Flatten (128), Dense 128→10. Input [1, 28, 28].
 * Few channels keep the tensors small (the prover pays per tensor cell): the largest activation
 * is 4×24×24 = 2,304 cells, and the im2col copies are 576×25 and 64×100.
 */
export function cnn(random: Random): Sequential {
  const s = IMAGE_SIDE;
  const c1 = 4;
  const c2 = 8;
  const k = 5;
  const h1 = s - k + 1; // 24
  const p1 = h1 / 2; // 12
  const h2 = p1 - k + 1; // 8
  const p2 = h2 / 2; // 4
  return new Sequential([
    new Conv2d(1, c1, k, s, s, "conv1", random, false),
    new Relu([c1, h1, h1]),
    new MaxPool(c1, h1, h1, 2),
    new Conv2d(c1, c2, k, p1, p1, "conv2", random),
    new Relu([c2, h2, h2]),
    new MaxPool(c2, h2, h2, 2),
    new Flatten([c2, p2, p2]),
    new Dense(c2 * p2 * p2, CLASSES, "fc", random),
  ]);
}

export function buildModel(name: ModelName, random: Random): Sequential {
  return name === "mlp" ? mlp(random) : cnn(random);
}
