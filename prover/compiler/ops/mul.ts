// Mul: one multiplication row per element (broadcast), product at scale s_a + s_b, then rescaled
// to the planned scale. A constant operand is a private value at its own weight scale.
import { settle } from "../context.js";
import { zipBroadcast } from "./add.js";
import type { OpLowering } from "./types.js";

export const mulOp: OpLowering = {
  ops: ["Mul"],
  check(node, graph) {
    if (node.inputs.every((n) => graph.constants.has(n))) return "both operands are constants (should have been folded)";
    return undefined;
  },
  lower(ctx, node) {
    const a = ctx.input(0);
    const b = ctx.input(1);
    const r = ctx.block("mul", () => zipBroadcast(a, b, (x, y) => ctx.mul(x, y)));
    ctx.setOutput(0, settle(ctx, { ...r, scale: a.scale + b.scale }, node.outputs[0]));
  },
};
