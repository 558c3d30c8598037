// SPDX-License-Identifier: GPL-3.0-or-later
// Adam (Kingma & Ba, 2015) over the models' parameters, with bias-corrected moment estimates.
import type { Param } from "./layers.js";

export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export class Adam {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private steps = 0;

  constructor(
    private readonly params: readonly Param[],
    options: AdamOptions,
  ) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.m = params.map((p) => new Float64Array(p.value.length));
    this.v = params.map((p) => new Float64Array(p.value.length));
  }

  /** One update from the accumulated gradients, each multiplied by `gradScale` first (1 / batch size for a mean). */
  step(gradScale: number): void {
    this.steps++;
    const { beta1, beta2, epsilon } = this;
    const c1 = 1 - beta1 ** this.steps;
    const c2 = 1 - beta2 ** this.steps;
    const rate = this.learningRate;
    for (let j = 0; j < this.params.length; j++) {
      const { value, grad } = this.params[j];
      const m = this.m[j];
      const v = this.v[j];
      for (let i = 0; i < value.length; i++) {
        const g = grad[i] * gradScale;
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        value[i] -= (rate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
      }
    }
  }
}
