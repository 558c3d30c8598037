// Sum, Mean (elementwise over any number of inputs, numpy broadcasting): every operand at the
// finest computed scale (constants as private cells at it), then per output cell the sum block
// over the n cells it reads (about n/2 rows); Mean divides that sum by the public count n with
// rounding half up (the division-by-constant block: 2 rows when n is a power of two within the
// limb width, else 1 + the range checks of quotient and remainder). No table of its own. The result
// is rescaled if finer than planned.
import { divideByConstant } from "../../blocks/division.js";
import { signedRange } from "../../blocks/range-check.js";
import { sum } from "../../blocks/sum.js";
import { settle } from "../context.js";
import { alignedOperands, broadcastGroups } from "./add.js";
import type { OpLowering } from "./types.js";

export const variadicSum: OpLowering = {
  ops: ["Sum", "Mean"],
  check(node, graph) {
    return node.inputs.every((n) => graph.constants.has(n)) ? "every input is a constant (should have been folded)" : undefined;
  },
  lower(ctx, node) {
    const xs = alignedOperands(ctx, node);
    const scale = xs[0].scale;
    const out = node.outputs[0];
    const { dims, groups } = broadcastGroups(xs);
    let cells = ctx.block("sum", () => groups.map((g) => (g.length === 1 ? g[0] : sum(ctx.b, g))));
    const n = BigInt(node.inputs.length);
    if (node.op === "Mean" && n > 1n) {
      const outRange = signedRange(ctx.bitsFor(out, scale));
      cells = ctx.block("mean", () => cells.map((s) => divideByConstant(ctx.b, s, n, { outRange, rounding: "half-up", what: `mean of the inputs of ${node.name}` })));
    }
    ctx.setOutput(0, settle(ctx, { dims, cells, scale }, out));
  },
};
