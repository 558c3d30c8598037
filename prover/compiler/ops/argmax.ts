// ArgMax, ArgMin along an axis (first extreme, select_last_index = 0): per slice, the argmax block
// (one-hot selectors with prefix sums, the selected value at least every other); the index is an
// integer output (scale 0).
import { argmax, argmin } from "../../blocks/max.js";
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size } from "../../ir/tensor.js";
import { intAttr, type OpLowering } from "./types.js";

export const argExtreme: OpLowering = {
  ops: ["ArgMax", "ArgMin"],
  check(node) {
    return intAttr(node, "select_last_index", 0) !== 0 ? "select_last_index = 1 is not supported" : undefined;
  },
  lower(ctx, node) {
    const { t: x, bits } = ctx.forLookup(ctx.input(0), node.inputs[0]);
    const axis = normalizeAxis(intAttr(node, "axis", 0), x.dims.length, node.name);
    const n = x.dims[axis];
    const inner = size(x.dims.slice(axis + 1));
    const outer = size(x.dims.slice(0, axis));
    const pick = node.op === "ArgMax" ? argmax : argmin;
    const cells: Cell[] = [];
    ctx.block(node.op === "ArgMax" ? "argmax" : "argmin", () => {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const slice = Array.from({ length: n }, (_, k) => x.cells[(o * n + k) * inner + i]);
          // Differences of two values of `bits` signed bits need bits + 1.
          cells.push(pick(ctx.b, slice, bits + 1).index);
        }
      }
    });
    ctx.setOutput(0, { dims: ctx.graph.values.get(node.outputs[0])!.dims, cells, scale: 0 });
  },
};
