// Elementwise nonlinear ops → one (x, f(x)) lookup per element (the function-table block): the
// input is brought into a table-sized range (rescaled down if its calibrated range is too wide at
// its scale), the table spans that whole signed range, and f is tabulated with the IR's own float
// semantics on each dequantized point, rounded to the output's planned scale. Extra inputs must be
// constants (Pow's exponent): they shape the function, so they are structural, not weights.
// Non-finite values (sqrt/log of points outside the calibrated range) are clamped to the output's
// range. Sigmoid, HardSigmoid, Tanh, Erf, Softplus, Exp, Log, Sqrt, Reciprocal, Neg, Abs, Round,
// Floor, Ceil, LeakyRelu, Elu, Selu, Clip, Cast, Not, Pow.
import { quantizeValue } from "../../quantize/fixed-point.js";
import type { Cell } from "../../circuit/builder.js";
import type { LoweringContext, QTensor } from "../context.js";
import { CompileError } from "../errors.js";
import type { GraphNode } from "../graph.js";
import type { OpLowering } from "./types.js";

export const NONLINEAR_OPS = [
  "Sigmoid", "HardSigmoid", "Tanh", "Erf", "Softplus", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs",
  "Round", "Floor", "Ceil", "LeakyRelu", "Elu", "Selu", "Clip", "Cast", "Not", "Pow",
] as const;

export const nonlinear: OpLowering = {
  ops: NONLINEAR_OPS,
  check(node, graph) {
    if (graph.constants.has(node.inputs[0])) return "the input is a constant (should have been folded)";
    const extra = node.inputs.slice(1).find((n) => !graph.constants.has(n));
    if (extra) return `input ${extra} must be a constant (it shapes the function)`;
    return undefined;
  },
  lower(ctx, node) {
    const inName = node.inputs[0];
    const { t, bits } = ctx.forLookup(ctx.input(0), inName);
    const cells = tabulated(ctx, node, t, bits, ctx.scaleFor(node.outputs[0]), `the input of ${node.op} (${inName})`);
    ctx.setOutput(0, { dims: t.dims, cells, scale: ctx.scaleFor(node.outputs[0]) });
  },
};

/**
 * f(x) for the current node's op by one lookup per cell of `t` (its values within `bits` signed
 * bits at t.scale) into the (q, round(f(q/2^s)·2^sOut)) table, f tabulated with the IR's float
 * reference on every point of the domain at once (shared with every use of the same key).
 */
export function tabulated(ctx: LoweringContext, node: GraphNode, t: QTensor, bits: number, sOut: number, what: string): Cell[] {
  const reference = ctx.graph.reference;
  if (!reference) throw new CompileError("the graph has no float reference to tabulate functions with");
  const sIn = t.scale;
  const half = 1 << (bits - 1);
  const xs = new Float64Array(2 * half);
  for (let i = 0; i < xs.length; i++) xs[i] = (i - half) / 2 ** sIn;
  const extras = node.inputs.slice(1).map((n) => ctx.constant(n));
  const [ys] = reference(node.name, [{ dims: [xs.length], data: xs }, ...extras.map((c) => ({ dims: c.dims, data: c.data }))]);
  if (ys.length !== xs.length) throw new CompileError(`node ${node.name}: only elementwise ops with scalar extra inputs are tabulated`);
  const limit = 2 ** (ctx.bitsFor(node.outputs[0], sOut) + 2);
  const table = Array.from(ys, (y) => {
    const v = Number.isNaN(y) ? 0 : Math.max(-limit, Math.min(limit, y * 2 ** sOut));
    return quantizeValue(v, 0);
  });
  const attrs = JSON.stringify(node.attrs, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
  const key = `${node.op}|${attrs}|${extras.map((c) => Array.from(c.data).join(",")).join(";")}|${sIn}|${sOut}`;
  return ctx.lookup(key, node.op, t.cells, bits, (q) => table[Number(q) + half], what, sIn);
}
