// Relu: y = max(x, 0) by a lookup of (x, relu(x)) in the signed range table of x's width: the
// range check's table is the ReLU table, so ReLU costs one row per element and no table of its own.
import type { OpLowering } from "./types.js";

export const relu: OpLowering = {
  ops: ["Relu"],
  lower(ctx, node) {
    const { t, bits } = ctx.forLookup(ctx.input(0), node.inputs[0]);
    const cells = ctx.relu(t.cells, bits, `the input of Relu (${node.inputs[0]})`, t.scale);
    ctx.setOutput(0, { dims: t.dims, cells, scale: t.scale });
  },
};
