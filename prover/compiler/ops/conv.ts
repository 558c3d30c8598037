// Conv → im2col + the matmul block: the X matrix of the Freivalds product has one row per (input
// channel, kernel tap) and one column per output position; its cells are copies of the input
// cells (padding taps copy one constant-zero cell). Rows = weights + im2col cells + outputs, never
// MACs. Groups are separate products sharing one weight scale; the bias is an extra weight column.
// Then a rescale to the output's planned scale.
import type { Cell } from "../../circuit/builder.js";
import { readWindow, windowTaps } from "../../ir/ops/window.js";
import type { Node } from "../../ir/graph.js";
import { size } from "../../ir/tensor.js";
import { weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { linearProduct } from "./gemm.js";
import { intAttr, needConst, type OpLowering } from "./types.js";

export const conv: OpLowering = {
  ops: ["Conv"],
  check(node, graph) {
    if (graph.constants.has(node.inputs[0])) return "input X must be an activation";
    return needConst(node, graph, 1, "weight W") ?? (node.inputs[2] ? needConst(node, graph, 2, "bias B") : undefined);
  },
  lower(ctx, node) {
    const x = ctx.input(0);
    const W = ctx.constant(node.inputs[1]);
    const B = node.inputs[2] ? ctx.constant(node.inputs[2]) : undefined;
    const w = readWindow(node as unknown as Node);
    const group = intAttr(node, "group", 1);
    const [N, C] = x.dims;
    const spatial = x.dims.slice(2);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const outSpatial = outDims.slice(2);
    const M = outDims[1];
    const { taps, kCount, outCount } = windowTaps(spatial, outSpatial, w);
    const inSize = size(spatial);
    const Cg = C / group;
    const Mg = M / group;
    const zero = ctx.constantCell(0n);
    let maxW = 0;
    for (const v of W.data) maxW = Math.max(maxW, Math.abs(v));
    const sw = weightScaleFor(maxW, ctx.target);
    const cells = new Array<Cell>(N * M * outCount);
    let scale = 0;
    for (let g = 0; g < group; g++) {
      const r = linearProduct(ctx, {
        N: Mg,
        K: Cg * kCount,
        M: N * outCount,
        w: (m, k) => W.data[((g * Mg + m) * Cg + Math.floor(k / kCount)) * kCount + (k % kCount)],
        x: (k, p) => {
          const n = Math.floor(p / outCount);
          const idx = taps[(p % outCount) * kCount + (k % kCount)];
          return idx < 0 ? zero : x.cells[(n * C + g * Cg + Math.floor(k / kCount)) * inSize + idx];
        },
        bias: B ? Array.from({ length: Mg }, (_, m) => B.data[g * Mg + m]) : undefined,
        xScale: x.scale,
        weightScale: sw,
      });
      scale = r.scale;
      for (let m = 0; m < Mg; m++) {
        for (let p = 0; p < N * outCount; p++) {
          const n = Math.floor(p / outCount);
          cells[(n * M + g * Mg + m) * outCount + (p % outCount)] = r.y[m][p];
        }
      }
    }
    ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, node.outputs[0]));
  },
};
