// Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout (inference): the same cells under the
// output's shape — no rows at all.
import type { OpLowering } from "./types.js";

export const reshape: OpLowering = {
  ops: ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"],
  lower(ctx, node) {
    const x = ctx.input(0);
    const dims = ctx.graph.values.get(node.outputs[0])!.dims;
    ctx.setOutput(0, { dims, cells: x.cells, scale: x.scale });
  },
};
