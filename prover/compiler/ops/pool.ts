// MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool: per output position, the window's input
// cells (copies, no im2col rows) reduced by the max block or by a sum and a division by the
// public tap count (count_include_pad decides whether padding taps count).
import type { Cell } from "../../circuit/builder.js";
import type { Node } from "../../ir/graph.js";
import { readWindow, windowTaps } from "../../ir/ops/window.js";
import { size } from "../../ir/tensor.js";
import { reduceGroups } from "./reduce-helpers.js";
import { intAttr, type OpLowering } from "./types.js";

export const pool: OpLowering = {
  ops: ["MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"],
  check(node) {
    if (node.op === "MaxPool" && node.outputs.length > 1) return "MaxPool's Indices output is not supported";
    return undefined;
  },
  lower(ctx, node) {
    const x = ctx.input(0);
    const [N, C] = x.dims;
    const spatial = x.dims.slice(2);
    const inSize = size(spatial);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const isMax = node.op === "MaxPool" || node.op === "GlobalMaxPool";
    const groups: Cell[][] = [];
    const divisors: number[] = [];
    if (node.op.startsWith("Global")) {
      for (let nc = 0; nc < N * C; nc++) {
        groups.push(x.cells.slice(nc * inSize, (nc + 1) * inSize));
        divisors.push(inSize);
      }
    } else {
      const w = readWindow(node as unknown as Node);
      const outSpatial = outDims.slice(2);
      const { taps, kCount, outCount, inside, insidePadded } = windowTaps(spatial, outSpatial, w);
      const includePad = intAttr(node, "count_include_pad", 0) === 1;
      for (let nc = 0; nc < N * C; nc++) {
        for (let o = 0; o < outCount; o++) {
          const g: Cell[] = [];
          for (let t = 0; t < kCount; t++) {
            const idx = taps[o * kCount + t];
            if (idx >= 0) g.push(x.cells[nc * inSize + idx]);
          }
          // Padding taps of an average add zeros: they change only the divisor.
          groups.push(g);
          divisors.push(includePad ? insidePadded[o] : inside[o]);
        }
      }
    }
    const cells = reduceGroups(ctx, x, node.inputs[0], node.outputs[0], groups, isMax ? "max" : "mean", divisors);
    ctx.setOutput(0, { dims: outDims, cells, scale: x.scale });
  },
};
