// SPDX-License-Identifier: GPL-3.0-or-later
// The layers of the two MNIST models, one sample at a time, in float64 arithmetic. Each layer keeps
// what its backward pass needs from the last forward pass, adds its parameter gradients into
// `grad` (so a mini-batch sums them) and returns the gradient with respect to its input.
// Layouts follow ONNX: activations are CHW, Gemm weights [out, in] (transB = 1), Conv weights
// [out channels, in channels, kH, kW].
import type { Random } from "./random.js";

/** A trainable tensor and its accumulated gradient. */
export interface Param {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float64Array;
  readonly grad: Float64Array;
}

export interface Layer {
  /** The ONNX operator this layer exports to. */
  readonly op: "Gemm" | "Conv" | "Relu" | "MaxPool" | "Flatten";
  /** Shape of one sample's input and output, without the batch dimension. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly params: readonly Param[];
  forward(x: Float64Array): Float64Array;
  /** Gradient of the loss with respect to the last forward's input, given it with respect to the output. */
  backward(dy: Float64Array): Float64Array;
}

/** Number of values in a tensor of this shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function param(name: string, shape: readonly number[]): Param {
  const size = sizeOf(shape);
  return { name, shape, value: new Float64Array(size), grad: new Float64Array(size) };
}

/** He-normal initialisation (standard deviation √(2 / fan-in)), suited to ReLU networks. */
function heNormal(p: Param, fanIn: number, random: Random): void {
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal() * std;
}

/** y = W x + b with W of shape [out, in]. */
export class Dense implements Layer {
  readonly op = "Gemm" as const;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly weight: Param;
  readonly bias: Param;
  readonly params: readonly Param[];
  private readonly y: Float64Array;
  private readonly dx: Float64Array;
  private x: Float64Array = new Float64Array(0);

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    name: string,
    random: Random,
  ) {
    this.inputShape = [inputs];
    this.outputShape = [outputs];
    this.weight = param(`${name}.weight`, [outputs, inputs]);
    this.bias = param(`${name}.bias`, [outputs]);
    heNormal(this.weight, inputs, random);
    this.params = [this.weight, this.bias];
    this.y = new Float64Array(outputs);
    this.dx = new Float64Array(inputs);
  }

  forward(x: Float64Array): Float64Array {
    this.x = x;
    const { inputs, outputs, y } = this;
    const w = this.weight.value;
    const b = this.bias.value;
    for (let o = 0; o < outputs; o++) {
      let s = b[o];
      const row = o * inputs;
      for (let i = 0; i < inputs; i++) s += w[row + i] * x[i];
      y[o] = s;
    }
    return y;
  }

  backward(dy: Float64Array): Float64Array {
    const { inputs, outputs, x, dx } = this;
    const w = this.weight.value;
    const gw = this.weight.grad;
    const gb = this.bias.grad;
    dx.fill(0);
    for (let o = 0; o < outputs; o++) {
      const d = dy[o];
      if (d === 0) continue;
      gb[o] += d;
      const row = o * inputs;
      for (let i = 0; i < inputs; i++) {
        gw[row + i] += d * x[i];
        dx[i] += d * w[row + i];
      }
    }
    return dx;
  }
}

/** Convolution with stride 1 and no padding: [cin, h, w] → [cout, h − k + 1, w − k + 1]. */
export class Conv2d implements Layer {
  readonly op = "Conv" as const;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly weight: Param;
  readonly bias: Param;
  readonly params: readonly Param[];
  private readonly outH: number;
  private readonly outW: number;
  private readonly y: Float64Array;
  private readonly dx: Float64Array;
  private x: Float64Array = new Float64Array(0);

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernel: number,
    readonly inH: number,
    readonly inW: number,
    name: string,
    random: Random,
    /** False for a first layer: its input gradient is never used, and skipping it saves a third of the backward pass. */
    readonly inputGradient = true,
  ) {
    this.outH = inH - kernel + 1;
    this.outW = inW - kernel + 1;
    if (this.outH < 1 || this.outW < 1) throw new Error(`${name}: kernel ${kernel} larger than input ${inH}×${inW}`);
    this.inputShape = [inChannels, inH, inW];
    this.outputShape = [outChannels, this.outH, this.outW];
    this.weight = param(`${name}.weight`, [outChannels, inChannels, kernel, kernel]);
    this.bias = param(`${name}.bias`, [outChannels]);
    heNormal(this.weight, inChannels * kernel * kernel, random);
    this.params = [this.weight, this.bias];
    this.y = new Float64Array(outChannels * this.outH * this.outW);
    this.dx = new Float64Array(inChannels * inH * inW);
  }

  forward(x: Float64Array): Float64Array {
    this.x = x;
    const { inChannels, outChannels, kernel: k, inH, inW, outH, outW, y } = this;
    const w = this.weight.value;
    const b = this.bias.value;
    for (let co = 0; co < outChannels; co++) {
      const plane = co * outH * outW;
      y.fill(b[co], plane, plane + outH * outW);
      for (let ci = 0; ci < inChannels; ci++) {
        const xPlane = ci * inH * inW;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const wv = w[((co * inChannels + ci) * k + ky) * k + kx];
            for (let oy = 0; oy < outH; oy++) {
              const xRow = xPlane + (oy + ky) * inW + kx;
              const yRow = plane + oy * outW;
              for (let ox = 0; ox < outW; ox++) y[yRow + ox] += wv * x[xRow + ox];
            }
          }
        }
      }
    }
    return y;
  }

  backward(dy: Float64Array): Float64Array {
    const { inChannels, outChannels, kernel: k, inH, inW, outH, outW, x, dx, inputGradient } = this;
    const w = this.weight.value;
    const gw = this.weight.grad;
    const gb = this.bias.grad;
    dx.fill(0);
    for (let co = 0; co < outChannels; co++) {
      const plane = co * outH * outW;
      let db = 0;
      for (let i = 0; i < outH * outW; i++) db += dy[plane + i];
      gb[co] += db;
      for (let ci = 0; ci < inChannels; ci++) {
        const xPlane = ci * inH * inW;
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const wi = ((co * inChannels + ci) * k + ky) * k + kx;
            const wv = w[wi];
            let gs = 0;
            for (let oy = 0; oy < outH; oy++) {
              const xRow = xPlane + (oy + ky) * inW + kx;
              const yRow = plane + oy * outW;
              for (let ox = 0; ox < outW; ox++) gs += dy[yRow + ox] * x[xRow + ox];
              if (inputGradient) for (let ox = 0; ox < outW; ox++) dx[xRow + ox] += dy[yRow + ox] * wv;
            }
            gw[wi] += gs;
          }
        }
      }
    }
    return dx; // all zeros when inputGradient is false
  }
}

/** max(x, 0), elementwise. */
export class Relu implements Layer {
  readonly op = "Relu" as const;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly params: readonly Param[] = [];
  private readonly y: Float64Array;
  private readonly dx: Float64Array;

  constructor(shape: readonly number[]) {
    this.inputShape = shape;
    this.outputShape = shape;
    const size = sizeOf(shape);
    this.y = new Float64Array(size);
    this.dx = new Float64Array(size);
  }

  forward(x: Float64Array): Float64Array {
    const y = this.y;
    for (let i = 0; i < y.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
    return y;
  }

  backward(dy: Float64Array): Float64Array {
    const { y, dx } = this;
    for (let i = 0; i < dx.length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
    return dx;
  }
}

/** Max over non-overlapping size×size windows (kernel = stride = size, no padding; the edge that does not fill a window is dropped). */
export class MaxPool implements Layer {
  readonly op = "MaxPool" as const;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly params: readonly Param[] = [];
  private readonly y: Float64Array;
  private readonly dx: Float64Array;
  /** Input index of each output's maximum (the first one on ties). */
  private readonly argmax: Uint32Array;

  constructor(
    readonly channels: number,
    readonly inH: number,
    readonly inW: number,
    readonly size: number,
  ) {
    const outH = Math.floor(inH / size);
    const outW = Math.floor(inW / size);
    this.inputShape = [channels, inH, inW];
    this.outputShape = [channels, outH, outW];
    this.y = new Float64Array(channels * outH * outW);
    this.argmax = new Uint32Array(this.y.length);
    this.dx = new Float64Array(channels * inH * inW);
  }

  forward(x: Float64Array): Float64Array {
    const { channels, inH, inW, size, y, argmax } = this;
    const [, outH, outW] = this.outputShape;
    let o = 0;
    for (let c = 0; c < channels; c++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, o++) {
          let best = -Infinity;
          let at = 0;
          for (let dy = 0; dy < size; dy++) {
            const row = (c * inH + oy * size + dy) * inW + ox * size;
            for (let dx = 0; dx < size; dx++) {
              if (x[row + dx] > best) {
                best = x[row + dx];
                at = row + dx;
              }
            }
          }
          y[o] = best;
          argmax[o] = at;
        }
      }
    }
    return y;
  }

  backward(dy: Float64Array): Float64Array {
    const { dx, argmax } = this;
    dx.fill(0);
    for (let o = 0; o < argmax.length; o++) dx[argmax[o]] += dy[o];
    return dx;
  }
}

/** CHW → one vector: the memory order is already ONNX Flatten's (axis 1), so values pass through. */
export class Flatten implements Layer {
  readonly op = "Flatten" as const;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly params: readonly Param[] = [];

  constructor(shape: readonly number[]) {
    this.inputShape = shape;
    this.outputShape = [sizeOf(shape)];
  }

  forward(x: Float64Array): Float64Array {
    return x;
  }

  backward(dy: Float64Array): Float64Array {
    return dy;
  }
}

/** Layers applied in order. */
export class Sequential {
  readonly params: readonly Param[];

  constructor(readonly layers: readonly Layer[]) {
    if (layers.length === 0) throw new Error("a model needs at least one layer");
    for (let i = 1; i < layers.length; i++) {
      const a = layers[i - 1].outputShape.join("×");
      const b = layers[i].inputShape.join("×");
      if (sizeOf(layers[i - 1].outputShape) !== sizeOf(layers[i].inputShape)) throw new Error(`layer ${i} (${layers[i].op}) takes ${b} but layer ${i - 1} gives ${a}`);
    }
    this.params = layers.flatMap((l) => l.params);
  }

  get inputShape(): readonly number[] {
    return this.layers[0].inputShape;
  }

  get outputShape(): readonly number[] {
    return this.layers[this.layers.length - 1].outputShape;
  }

  forward(x: Float64Array): Float64Array {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  backward(dy: Float64Array): Float64Array {
    let d = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) d = this.layers[i].backward(d);
    return d;
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  parameterCount(): number {
    return this.params.reduce((n, p) => n + p.value.length, 0);
  }
}
