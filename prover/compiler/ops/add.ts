// Add, Sub: both operands at the finer of their scales (the coarser one multiplied up exactly by
// a power of two), one arithmetic row per element (numpy broadcasting); constants are private
// values brought in as cells. The result is rescaled if finer than planned.
import type { Cell } from "../../circuit/builder.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import type { GraphNode } from "../graph.js";
import { broadcastIndex, broadcastShapes, size } from "../../ir/tensor.js";
import type { OpLowering } from "./types.js";

/** The finest scale among the node's computed inputs (the output's planned scale if none). */
export function finestInputScale(ctx: LoweringContext, node: GraphNode): number {
  const scales = node.inputs.filter((n) => !ctx.isConst(n)).map((n) => ctx.tensor(n).scale);
  return scales.length > 0 ? Math.max(...scales) : ctx.scaleFor(node.outputs[0]);
}

/** The operands at one common scale, by default the finest of the computed ones (constants quantized at it). */
export function alignedOperands(ctx: LoweringContext, node: GraphNode, s = finestInputScale(ctx, node)): QTensor[] {
  return node.inputs.map((n) => (ctx.isConst(n) ? ctx.privateConstant(n, s) : ctx.toScale(ctx.tensor(n), s, n)));
}

/** Applies `f` to broadcast pairs of cells. */
export function zipBroadcast(a: QTensor, b: QTensor, f: (x: Cell, y: Cell) => Cell): { dims: number[]; cells: Cell[] } {
  const { dims, groups } = broadcastGroups([a, b]);
  return { dims, cells: groups.map(([x, y]) => f(x, y)) };
}

/** For each cell of the broadcast of the tensors, the cells of every tensor it reads (numpy broadcasting). */
export function broadcastGroups(ts: readonly QTensor[]): { dims: number[]; groups: Cell[][] } {
  const dims = broadcastShapes(ts.map((t) => t.dims), "broadcast");
  const index = ts.map((t) => broadcastIndex(t.dims, dims));
  const groups = Array.from({ length: size(dims) }, (_, i) => ts.map((t, k) => t.cells[index[k][i]]));
  return { dims, groups };
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
