// ConvTranspose → the matmul block over a transposed im2col: output position o gathers, for each
// (input channel, kernel tap), the input cell i with o = i·stride − pad + tap·dilation (or the zero
// cell where no such i exists). Rows = weights + gathered cells + outputs. Then a rescale.
import { size, strides } from "../../ir/tensor.js";
import { settle } from "../context.js";
import { checkWindowOp, groupedWindowProduct, windowOperands } from "./conv.js";
import { intAttr, intsAttr, type OpLowering } from "./types.js";

export const convTranspose: OpLowering = {
  ops: ["ConvTranspose"],
  check: checkWindowOp,
  lower(ctx, node) {
    const { x, W, B } = windowOperands(ctx, node);
    const group = intAttr(node, "group", 1);
    const C = x.dims[1];
    const spatial = x.dims.slice(2);
    const r = spatial.length;
    const kernel = W.dims.slice(2);
    const st = intsAttr(node, "strides") ?? new Array<number>(r).fill(1);
    const dil = intsAttr(node, "dilations") ?? new Array<number>(r).fill(1);
    const pads = intsAttr(node, "pads") ?? new Array<number>(2 * r).fill(0);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const outSpatial = outDims.slice(2);
    const M = outDims[1];
    const kCount = size(kernel);
    const outCount = size(outSpatial);
    const inStrides = strides(spatial);
    const kStrides = strides(kernel);
    const oStrides = strides(outSpatial);
    // src[o·kCount + t]: the input spatial index feeding output o through tap t, or −1.
    const src = new Int32Array(outCount * kCount).fill(-1);
    for (let o = 0; o < outCount; o++) {
      for (let t = 0; t < kCount; t++) {
        let flat = 0;
        let ok = true;
        for (let a = 0; a < r && ok; a++) {
          const oa = Math.floor(o / oStrides[a]) % outSpatial[a];
          const ta = Math.floor(t / kStrides[a]) % kernel[a];
          const num = oa + pads[a] - ta * dil[a];
          if (num < 0 || num % st[a] !== 0 || num / st[a] >= spatial[a]) ok = false;
          else flat += (num / st[a]) * inStrides[a];
        }
        if (ok) src[o * kCount + t] = flat;
      }
    }
    // W is [C, M/group, k…]: W'[m][(c, t)] = W[g·C/group + c][m][t].
    const { cells, scale } = groupedWindowProduct(ctx, x, W, B, {
      outName: node.outputs[0],
      group,
      M,
      kCount,
      outCount,
      tap: (o, t) => src[o * kCount + t],
      weight: (g, m, c, t) => W.data[((g * (C / group) + c) * (M / group) + m) * kCount + t],
    });
    ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, node.outputs[0]));
  },
};
