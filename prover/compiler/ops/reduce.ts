// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceL1, ReduceL2, ReduceSumSquare, ReduceProd over
// the `axes` attribute (all axes when absent), keepdims either way: groups of input cells reduced by
// sum, mean (sum and division by the public count) or the max block, or (reduce-norms.ts) by
// absolute values, squares, a square root or a chain of products.
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size, strides } from "../../ir/tensor.js";
import { reduceGroups, type Reduction } from "./reduce-helpers.js";
import { reduceNorms, type NormReduction } from "./reduce-norms.js";
import { intsAttr, type OpLowering } from "./types.js";

const KIND: Record<string, Reduction> = { ReduceSum: "sum", ReduceMean: "mean", ReduceMax: "max", ReduceMin: "min" };
const NORM: Record<string, NormReduction> = { ReduceL1: "l1", ReduceL2: "l2", ReduceSumSquare: "sumsquare", ReduceProd: "prod" };

export const reduce: OpLowering = {
  ops: [...Object.keys(KIND), ...Object.keys(NORM)],
  lower(ctx, node) {
    const x = ctx.input(0);
    const rank = x.dims.length;
    const axes = (intsAttr(node, "axes") ?? x.dims.map((_, i) => i)).map((a) => normalizeAxis(a, rank, node.name));
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const inStrides = strides(x.dims);
    const kept = x.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const keptStrides = strides(kept);
    const groups: Cell[][] = Array.from({ length: size(kept) }, () => []);
    for (let f = 0; f < x.cells.length; f++) {
      let g = 0;
      for (let a = 0; a < rank; a++) {
        const coord = Math.floor(f / inStrides[a]) % x.dims[a];
        if (!axes.includes(a)) g += coord * keptStrides[a];
      }
      groups[g].push(x.cells[f]);
    }
    if (NORM[node.op]) {
      ctx.setOutput(0, reduceNorms(ctx, x, node.inputs[0], node.outputs[0], groups, NORM[node.op], outDims));
      return;
    }
    const cells = reduceGroups(ctx, x, node.inputs[0], node.outputs[0], groups, KIND[node.op]);
    ctx.setOutput(0, { dims: outDims, cells, scale: x.scale });
  },
};
