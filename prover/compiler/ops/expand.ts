// Expand and Tile → copy/permute (copy.ts): no rows, each output cell is an input cell. The IR
// reads their shape and repeats (constants) into attributes, so the index map comes from the IR's
// own reference semantics like the other copies.
import { copy } from "./copy.js";
import type { OpLowering } from "./types.js";

export const expandTile: OpLowering = {
  ops: ["Expand", "Tile"],
  check(node, graph) {
    return graph.constants.has(node.inputs[0]) ? "the data input is a constant (should have been folded)" : undefined;
  },
  lower: (ctx, node) => copy.lower(ctx, node),
};
