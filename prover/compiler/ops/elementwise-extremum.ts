// Max, Min (elementwise, any number of inputs, numpy broadcasting; torch.maximum / torch.minimum
// and skl2onnx write them): every operand at one scale, the finest computed one or the output's
// planned scale if coarser (constants as private cells at it), then per output cell the max/min block over the cells it reads, a tree of pairs.
// A pair costs 4 rows (m − x, m − y range-checked in the operands' width, their product 0), or 2
// when both operands are ReLU outputs (their difference fits a table the circuit already holds).
// No table of its own. The result is rescaled if finer than planned.
import { maxMany, minMany } from "../../blocks/max.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import { alignedOperands, broadcastGroups, finestInputScale } from "./add.js";
import type { OpLowering } from "./types.js";

/** Signed bits of an operand at its (aligned) scale: its calibrated range, or a constant's own values. */
function operandBits(ctx: LoweringContext, name: string, t: QTensor): number {
  if (!ctx.isConst(name)) return ctx.bitsFor(name, t.scale);
  let m = 0n;
  for (const c of t.cells) {
    const v = ctx.signed(c);
    if ((v < 0n ? -v : v) > m) m = v < 0n ? -v : v;
  }
  return m.toString(2).length + 1;
}

export const elementwiseExtremum: OpLowering = {
  ops: ["Max", "Min"],
  check(node, graph) {
    return node.inputs.every((n) => graph.constants.has(n)) ? "every input is a constant (should have been folded)" : undefined;
  },
  lower(ctx, node) {
    // Rounding is monotone, so it commutes with max and min: operands finer than the output's
    // planned scale are rescaled to it first (the result is the one settling it afterwards would
    // give), which keeps the compared values, and so the block's range checks, within that width.
    const xs = alignedOperands(ctx, node, Math.min(ctx.scaleFor(node.outputs[0]), finestInputScale(ctx, node)));
    const bits = Math.max(...xs.map((t, i) => operandBits(ctx, node.inputs[i], t)));
    const diffBits = ctx.differenceBits(xs.flatMap((t) => t.cells), bits);
    const { dims, groups } = broadcastGroups(xs);
    const many = node.op === "Max" ? maxMany : minMany;
    const cells = ctx.block(node.op === "Max" ? "max" : "min", () => groups.map((g) => (g.length === 1 ? g[0] : many(ctx.b, g, diffBits, bits))));
    ctx.setOutput(0, settle(ctx, { dims, cells, scale: xs[0].scale }, node.outputs[0]));
  },
};
