// Softmax along an axis: per slice, m = max (the max block), d = x − m ≤ 0, e = exp(d) by a lookup
// (table over d's range, outputs at the activation scale, e(0) = 2^s ≥ 1 so the sum is positive),
// S = Σ e (sum block), y = e·2^s_out / S (division by an activation).
import { divide } from "../../blocks/division.js";
import { maxMany } from "../../blocks/max.js";
import { signedRange } from "../../blocks/range-check.js";
import { sum } from "../../blocks/sum.js";
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size } from "../../ir/tensor.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { activationScaleFor } from "../../quantize/targets.js";
import { intAttr, type OpLowering } from "./types.js";

export const softmax: OpLowering = {
  ops: ["Softmax"],
  lower(ctx, node) {
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
    const sOut = ctx.scaleFor(node.outputs[0]);
    const dBits = bits + 1;
    const sumBits = se + Math.ceil(Math.log2(n + 1)) + 2;
    const out = new Array<Cell>(x.cells.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const idx = Array.from({ length: n }, (_, k) => (o * n + k) * inner + i);
        const cells = idx.map((j) => x.cells[j]);
        const m = ctx.block("max", () => (n === 1 ? cells[0] : maxMany(ctx.b, cells, bits)));
        const d = ctx.block("add", () => cells.map((c) => ctx.linear(c, m, 1n, -1n)));
        const e = ctx.lookup(`softmax-exp|${x.scale}|${se}`, "exp", d, dBits, (q) => quantizeValue(Math.exp(Math.min(0, Number(q)) / 2 ** x.scale), se), `softmax input − max (${node.inputs[0]})`, x.scale);
        const S = ctx.block("sum", () => sum(ctx.b, e));
        const f = 1n << BigInt(Math.max(0, sOut));
        const ys = ctx.block("division", () =>
          e.map((c) => divide(ctx.b, ctx.scaleCell(c, f), S, { divisorBits: sumBits, outRange: signedRange(sOut + 2), what: `softmax ${node.outputs[0]}` })),
        );
        idx.forEach((j, k) => (out[j] = ys[k]));
      }
    }
    ctx.setOutput(0, { dims: x.dims, cells: out, scale: Math.max(0, sOut) });
  },
};
