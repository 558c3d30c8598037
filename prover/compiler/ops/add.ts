// Add, Sub: both operands at the finer of their scales (the coarser one multiplied up exactly by
// a power of two), one arithmetic row per element (numpy broadcasting); constants are private
// values brought in as cells. The result is rescaled if finer than planned.
import type { Cell } from "../../circuit/builder.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import type { GraphNode } from "../graph.js";
import { broadcastIndex, broadcastShapes, size } from "../../ir/tensor.js";
import type { OpLowering } from "./types.js";

/** The two operands at one common scale (constants quantized at it). */
export function alignedOperands(ctx: LoweringContext, node: GraphNode): [QTensor, QTensor] {
  const [an, bn] = node.inputs;
  const scales = [an, bn].filter((n) => !ctx.isConst(n)).map((n) => ctx.tensor(n).scale);
  const s = scales.length > 0 ? Math.max(...scales) : ctx.scaleFor(node.outputs[0]);
  const get = (n: string) => (ctx.isConst(n) ? ctx.privateConstant(n, s) : ctx.toScale(ctx.tensor(n), s, n));
  return [get(an), get(bn)];
}

/** Applies `f` to broadcast pairs of cells. */
export function zipBroadcast(a: QTensor, b: QTensor, f: (x: Cell, y: Cell) => Cell): { dims: number[]; cells: Cell[] } {
  const dims = broadcastShapes([a.dims, b.dims], "broadcast");
  const ia = broadcastIndex(a.dims, dims);
  const ib = broadcastIndex(b.dims, dims);
  const cells = Array.from({ length: size(dims) }, (_, i) => f(a.cells[ia[i]], b.cells[ib[i]]));
  return { dims, cells };
}

export const addSub: OpLowering = {
  ops: ["Add", "Sub"],
  check(node, graph) {
    if (node.inputs.every((n) => graph.constants.has(n))) return "both operands are constants (should have been folded)";
    return undefined;
  },
  lower(ctx, node) {
    const [a, b] = alignedOperands(ctx, node);
    const sign = node.op === "Sub" ? -1n : 1n;
    const r = ctx.block("add", () => zipBroadcast(a, b, (x, y) => ctx.linear(x, y, 1n, sign)));
    ctx.setOutput(0, settle(ctx, { ...r, scale: a.scale }, node.outputs[0]));
  },
};
