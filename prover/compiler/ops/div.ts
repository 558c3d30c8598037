// Div: by a constant → multiplication by its private reciprocal (a weight, quantized at its own
// scale) and a rescale (a negative constant is a negative reciprocal: nothing special); by an
// activation → the signed division block (σ = sign(y) with σ² = 1, then q·|y| + ρ = σ·x·2^k with
// 0 ≤ ρ < |y|, so the divisor may take either sign; zero is refused), the numerator scaled so that
// the quotient lands at the output's scale.
import { divideSigned } from "../../blocks/division.js";
import { signedRange } from "../../blocks/range-check.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { zipBroadcast } from "./add.js";
import type { OpLowering } from "./types.js";

export const div: OpLowering = {
  ops: ["Div"],
  check(node, graph) {
    if (graph.constants.has(node.inputs[0]) && graph.constants.has(node.inputs[1])) return "both operands are constants (should have been folded)";
    if (graph.values.get(node.inputs[0])?.integer) return "integer division is not supported";
    if (graph.constants.get(node.inputs[1])?.data.some((v) => v === 0)) return "the constant divisor has a zero entry";
    return undefined;
  },
  lower(ctx, node) {
    const [an, bn] = node.inputs;
    const out = node.outputs[0];
    const a = ctx.input(0);
    if (ctx.isConst(bn)) {
      const c = ctx.constant(bn);
      const recip = Array.from(c.data, (v) => 1 / v);
      const sw = weightScaleFor(recip.reduce((m, v) => Math.max(m, Math.abs(v)), 0), ctx.target);
      const r = { dims: c.dims, cells: ctx.privateValues(recip.map((v) => quantizeValue(v, sw))), scale: sw };
      const p = ctx.block("mul", () => zipBroadcast(a, r, (x, y) => ctx.mul(x, y)));
      ctx.setOutput(0, settle(ctx, { ...p, scale: a.scale + sw }, out));
      return;
    }
    const b = ctx.input(1);
    const sOut = ctx.scaleFor(out);
    // q = x·2^(sOut + sb − sa) / y: shift the numerator up (or a down first).
    let shift = sOut + b.scale - a.scale;
    let num = a;
    if (shift < 0) {
      num = ctx.toScale(a, a.scale + shift, an);
      shift = 0;
    }
    const factor = 1n << BigInt(shift);
    const divisorBits = ctx.bitsFor(bn, b.scale);
    const outBits = ctx.bitsFor(out, sOut);
    const q = ctx.block("division", () =>
      zipBroadcast(num, b, (x, y) => divideSigned(ctx.b, factor === 1n ? x : ctx.scaleCell(x, factor), y, { divisorBits, outRange: signedRange(outBits), what: `${node.op} ${out}` })),
    );
    ctx.setOutput(0, { ...q, scale: sOut });
  },
};
