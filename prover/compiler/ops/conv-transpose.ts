// ConvTranspose → the matmul block over a transposed im2col: output position o gathers, for each
// (input channel, kernel tap), the input cell i with o = i·stride − pad + tap·dilation (or the zero
// cell where no such i exists). Rows = weights + gathered cells + outputs. Then a rescale.
import type { Cell } from "../../circuit/builder.js";
import { size, strides } from "../../ir/tensor.js";
import { weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { linearProduct } from "./gemm.js";
import { intAttr, intsAttr, needConst, type OpLowering } from "./types.js";

export const convTranspose: OpLowering = {
  ops: ["ConvTranspose"],
  check(node, graph) {
    if (graph.constants.has(node.inputs[0])) return "input X must be an activation";
    return needConst(node, graph, 1, "weight W") ?? (node.inputs[2] ? needConst(node, graph, 2, "bias B") : undefined);
  },
  lower(ctx, node) {
    const x = ctx.input(0);
    const W = ctx.constant(node.inputs[1]);
    const B = node.inputs[2] ? ctx.constant(node.inputs[2]) : undefined;
    const group = intAttr(node, "group", 1);
    const [N, C] = x.dims;
    const spatial = x.dims.slice(2);
    const r = spatial.length;
    const kernel = W.dims.slice(2);
    const st = intsAttr(node, "strides") ?? new Array<number>(r).fill(1);
    const dil = intsAttr(node, "dilations") ?? new Array<number>(r).fill(1);
    const pads = intsAttr(node, "pads") ?? new Array<number>(2 * r).fill(0);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const outSpatial = outDims.slice(2);
    const M = outDims[1];
    const Cg = C / group;
    const Mg = M / group;
    const kCount = size(kernel);
    const outCount = size(outSpatial);
    const inSize = size(spatial);
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
    const zero = ctx.constantCell(0n);
    let maxW = 0;
    for (const v of W.data) maxW = Math.max(maxW, Math.abs(v));
    const sw = weightScaleFor(maxW, ctx.target);
    const cells = new Array<Cell>(N * M * outCount);
    let scale = 0;
    for (let g = 0; g < group; g++) {
      // W is [C, M/group, k…]: W'[m][(c, t)] = W[g·Cg + c][m][t].
      const res = linearProduct(ctx, {
        N: Mg,
        K: Cg * kCount,
        M: N * outCount,
        w: (m, k) => W.data[((g * Cg + Math.floor(k / kCount)) * Mg + m) * kCount + (k % kCount)],
        x: (k, p) => {
          const n = Math.floor(p / outCount);
          const idx = src[(p % outCount) * kCount + (k % kCount)];
          return idx < 0 ? zero : x.cells[(n * C + g * Cg + Math.floor(k / kCount)) * inSize + idx];
        },
        bias: B ? Array.from({ length: Mg }, (_, m) => B.data[g * Mg + m]) : undefined,
        xScale: x.scale,
        weightScale: sw,
      });
      scale = res.scale;
      for (let m = 0; m < Mg; m++) {
        for (let p = 0; p < N * outCount; p++) {
          const n = Math.floor(p / outCount);
          cells[(n * M + g * Mg + m) * outCount + (p % outCount)] = res.y[m][p];
        }
      }
    }
    ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, node.outputs[0]));
  },
};
