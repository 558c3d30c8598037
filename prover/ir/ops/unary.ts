// Elementwise float functions (activations, rounding, exp/sqrt/erf…): same shape in and out.

import type { Attrs, Node } from "../graph.js";
import type { Tensor, ValueType } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, mapFloat, single } from "./util.js";

/** erf to ~1e-14: Taylor series near 0, continued fraction for erfc in the tails. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x); // erfc(6) ≈ 2e-17
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated bottom-up.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Round half to even, as ONNX Round does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** An elementwise float op: `f` receives the node's attributes (defaults filled in). */
function unary(f: (attrs: Attrs) => (x: number) => number, defaults: Attrs = {}): OpDef {
  return {
    normalize: (ctx) => single(ctx, defaults),
    inferShape(node: Node, inputs: ValueType[]) {
      expectInputs(node, inputs, 1);
      expectFloat(node, inputs[0]);
      return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
    },
    evaluate: (node: Node, inputs: Tensor[]) => [mapFloat(inputs[0], f(node.attrs))],
  };
}

// Defaults are filled in by normalisation, so the numeric attributes are always present.
const n = (attrs: Attrs, name: string) => attrs[name] as number;

export const UNARY_OPS: Record<string, OpDef> = {
  Relu: unary(() => (x) => (x > 0 ? x : 0)),
  LeakyRelu: unary((a) => ((alpha) => (x: number) => (x >= 0 ? x : alpha * x))(n(a, "alpha")), { alpha: 0.01 }),
  Elu: unary((a) => ((alpha) => (x: number) => (x >= 0 ? x : alpha * Math.expm1(x)))(n(a, "alpha")), { alpha: 1 }),
  Selu: unary(
    (a) => ((alpha, gamma) => (x: number) => (x > 0 ? gamma * x : gamma * alpha * Math.expm1(x)))(n(a, "alpha"), n(a, "gamma")),
    { alpha: 1.67326319217681884765625, gamma: 1.05070102214813232421875 },
  ),
  Sigmoid: unary(() => sigmoid),
  HardSigmoid: unary(
    (a) => ((alpha, beta) => (x: number) => Math.max(0, Math.min(1, alpha * x + beta)))(n(a, "alpha"), n(a, "beta")),
    { alpha: 0.2, beta: 0.5 },
  ),
  Tanh: unary(() => Math.tanh),
  Erf: unary(() => erf),
  Softplus: unary(() => softplus),
  Exp: unary(() => Math.exp),
  Log: unary(() => Math.log),
  Sqrt: unary(() => Math.sqrt),
  Reciprocal: unary(() => (x) => 1 / x),
  Neg: unary(() => (x) => -x),
  Abs: unary(() => Math.abs),
  Round: unary(() => roundHalfEven),
  Floor: unary(() => Math.floor),
  Ceil: unary(() => Math.ceil),
  Sign: unary(() => (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
  Sin: unary(() => Math.sin),
  Cos: unary(() => Math.cos),
  Tan: unary(() => Math.tan),
  Asin: unary(() => Math.asin),
  Acos: unary(() => Math.acos),
  Atan: unary(() => Math.atan),
  Sinh: unary(() => Math.sinh),
  Cosh: unary(() => Math.cosh),
  Asinh: unary(() => Math.asinh),
  Acosh: unary(() => Math.acosh),
  Atanh: unary(() => Math.atanh),
};
