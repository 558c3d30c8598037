// Softmax and LogSoftmax along an axis: per slice, m = max (the max block), d = x − m ≤ 0,
// e = exp(d) by a lookup (table over d's range, outputs at the activation scale, e(0) = 2^s ≥ 1 so
// the sum is positive), S = Σ e (sum block). Softmax: y = e·2^s_out / S (division by an activation).
// LogSoftmax: y = d − log(S/2^s_e), the log by a lookup over S (S rescaled down first when its range
// is wider than the widest table; S ≥ 2^s_e keeps the relative error of the rescaled S small), at
// d's scale, then rescaled to the planned output scale.
import { divide } from "../../blocks/division.js";
import { maxMany } from "../../blocks/max.js";
import { signedRange } from "../../blocks/range-check.js";
import { sum } from "../../blocks/sum.js";
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size } from "../../ir/tensor.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { activationScaleFor } from "../../quantize/targets.js";
import { settle, type LoweringContext } from "../context.js";
import type { GraphNode } from "../graph.js";
import { intAttr, type OpLowering } from "./types.js";

interface Slice {
  /** x − max (scale `scale`), exp of it (scale `se`) and the sum of those. */
  d: Cell[];
  e: Cell[];
  S: Cell;
}

/** Runs `finish` on every slice along the node's axis; its outputs land at the slice's positions. */
function expSlices(ctx: LoweringContext, node: GraphNode, finish: (s: Slice, info: { scale: number; se: number; n: number }) => Cell[]): { dims: number[]; cells: Cell[]; scale: number } {
  // x − max spans twice x's range: keep it within the activation width.
  const inName = node.inputs[0];
  const x0 = ctx.input(0);
  const x = ctx.toScale(x0, Math.min(x0.scale, activationScaleFor(ctx.maxAbs(inName), ctx.target, x0.scale, ctx.target.activationBits - 1)), inName);
  const bits = ctx.bitsFor(inName, x.scale);
  const axis = normalizeAxis(intAttr(node, "axis", -1), x.dims.length, node.name);
  const n = x.dims[axis];
  const inner = size(x.dims.slice(axis + 1));
  const outer = size(x.dims.slice(0, axis));
  const se = ctx.target.activationBits - 2;
  const dBits = bits + 1;
  const out = new Array<Cell>(x.cells.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const idx = Array.from({ length: n }, (_, k) => (o * n + k) * inner + i);
      const cells = idx.map((j) => x.cells[j]);
      const m = ctx.block("max", () => (n === 1 ? cells[0] : maxMany(ctx.b, cells, ctx.differenceBits(cells, bits), bits)));
      const d = ctx.block("add", () => cells.map((c) => ctx.linear(c, m, 1n, -1n)));
      const e = ctx.lookup(`softmax-exp|${x.scale}|${se}`, "exp", d, dBits, (q) => quantizeValue(Math.exp(Math.min(0, Number(q)) / 2 ** x.scale), se), `softmax input − max (${inName})`, x.scale);
      const S = ctx.block("sum", () => sum(ctx.b, e));
      const ys = finish({ d, e, S }, { scale: x.scale, se, n });
      idx.forEach((j, k) => (out[j] = ys[k]));
    }
  }
  return { dims: x.dims, cells: out, scale: x.scale };
}

/** Signed bits of Σ e over n values of at most 2^se each. */
const sumBitsFor = (se: number, n: number): number => se + Math.ceil(Math.log2(n + 1)) + 2;

export const softmax: OpLowering = {
  ops: ["Softmax", "LogSoftmax"],
  lower(ctx, node) {
    const outName = node.outputs[0];
    if (node.op === "Softmax") {
      const sOut = ctx.scaleFor(outName);
      const f = 1n << BigInt(Math.max(0, sOut));
      const y = expSlices(ctx, node, ({ e, S }, { se, n }) =>
        ctx.block("division", () => e.map((c) => divide(ctx.b, ctx.scaleCell(c, f), S, { divisorBits: sumBitsFor(se, n), outRange: signedRange(sOut + 2), what: `softmax ${outName}` }))),
      );
      ctx.setOutput(0, { ...y, scale: Math.max(0, sOut) });
      return;
    }
    const y = expSlices(ctx, node, ({ d, S }, { scale, se, n }) => {
      // log(S / 2^se) at d's scale, from a table over S (or over S / 2^k when S is too wide).
      const sumBits = sumBitsFor(se, n);
      const k = Math.max(0, sumBits - ctx.target.maxTableBits);
      const s = k > 0 ? ctx.rescale([S], k, sumBits - k, `log-sum-exp of ${node.inputs[0]}`)[0] : S;
      const log = (q: bigint) => (q >= 1n ? quantizeValue(Math.log(Number(q)) + (k - se) * Math.LN2, scale) : 0n);
      const [L] = ctx.lookup(`logsoftmax-log|${k}|${se}|${scale}`, "log", [s], sumBits - k, log, `softmax sum (${node.inputs[0]})`);
      return ctx.block("add", () => d.map((c) => ctx.linear(c, L, 1n, -1n)));
    });
    ctx.setOutput(0, settle(ctx, y, outName));
  },
};
