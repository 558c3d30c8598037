// Sign → one lookup per element (the function-table block): (q, sign(q)) over the input's
// calibrated signed range. The output is exact at scale 0 (−1, 0, 1); an input that rounds to 0
// at its scale has sign 0, which the accuracy report counts.
import { tabulated } from "./nonlinear.js";
import type { OpLowering } from "./types.js";

export const sign: OpLowering = {
  ops: ["Sign"],
  check(node, graph) {
    return graph.constants.has(node.inputs[0]) ? "the input is a constant (should have been folded)" : undefined;
  },
  lower(ctx, node) {
    const inName = node.inputs[0];
    const { t, bits } = ctx.forLookup(ctx.input(0), inName);
    ctx.setOutput(0, { dims: t.dims, cells: tabulated(ctx, node, t, bits, 0, `the input of Sign (${inName})`), scale: 0 });
  },
};
