// Conv → im2col + the matmul block: the X matrix of the Freivalds product has one row per (input
// channel, kernel tap) and one column per output position; its cells are copies of the input
// cells (padding taps copy one constant-zero cell). Rows = weights + im2col cells + outputs, never
// MACs. Groups are separate products sharing one weight scale; the bias is an extra weight column.
// Then a rescale to the output's planned scale. With the convRuns plan option (compile's default), a
// stride-1, dilation-1 2-D convolution at batch 1 is one convolution run of the conv block instead
// (no im2col copies; docs/compiler.md); any other Conv keeps im2col.
import { conv2d } from "../../blocks/conv.js";
import type { Cell } from "../../circuit/builder.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { readWindow, windowTaps, type WindowAttrs } from "../../ir/ops/window.js";
import type { Node } from "../../ir/graph.js";
import { size } from "../../ir/tensor.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import { CompileError } from "../errors.js";
import type { ConstTensor, GraphNode, ModelGraph } from "../graph.js";
import { linearProduct } from "./gemm.js";
import { intAttr, needConst, type OpLowering } from "./types.js";

export const conv: OpLowering = {
  ops: ["Conv"],
  check: checkWindowOp,
  lower(ctx, node) {
    const { x, W, B } = windowOperands(ctx, node);
    const w = readWindow(node as unknown as Node);
    const group = intAttr(node, "group", 1);
    if (ctx.convRuns && takesRun(x, w)) return convRun(ctx, node, x, W, B, w, group);
    const C = x.dims[1];
    const spatial = x.dims.slice(2);
    const outDims = ctx.graph.values.get(node.outputs[0])!.dims;
    const outSpatial = outDims.slice(2);
    const M = outDims[1];
    const { taps, kCount, outCount } = windowTaps(spatial, outSpatial, w);
    const { cells, scale } = groupedWindowProduct(ctx, x, W, B, {
      outName: node.outputs[0],
      group,
      M,
      kCount,
      outCount,
      tap: (o, t) => taps[o * kCount + t],
      weight: (g, m, c, t) => W.data[((g * (M / group) + m) * (C / group) + c) * kCount + t],
    });
    ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, node.outputs[0]));
  },
};

/** Whether the conv block lays this convolution out: batch 1, two spatial axes, stride 1, dilation 1. */
function takesRun(x: QTensor, w: WindowAttrs): boolean {
  return x.dims.length === 4 && x.dims[0] === 1 && w.strides.every((v) => v === 1) && w.dilations.every((v) => v === 1);
}

/** The convolution as one run of the conv block (runConvolution); output dims as the graph says. */
function convRun(ctx: LoweringContext, node: GraphNode, x: QTensor, W: ConstTensor, B: ConstTensor | undefined, w: WindowAttrs, group: number): void {
  const outName = node.outputs[0];
  const outDims = ctx.graph.values.get(outName)!.dims;
  const [M, Cg, kh, kw] = W.dims;
  const [pt, pl, pb, pr] = w.pads;
  const { y, scale } = runConvolution(ctx, outName, x, {
    outChannels: M,
    groups: group,
    kernel: [kh, kw],
    weights: W.data,
    weight: (m, c, ky, kx) => W.data[((m * Cg + c) * kh + ky) * kw + kx],
    bias: B ? (m) => B.data[m] : undefined,
    pads: [pt, pl, pb, pr],
  });
  const [Ho, Wo] = [outDims[2], outDims[3]];
  if (y.length !== M || y[0].length !== Ho || y[0][0].length !== Wo) throw new CompileError(`node ${node.name}: the conv block's output is not ${M} × ${Ho} × ${Wo}`);
  const cells = y.flatMap((plane) => plane.flat());
  ctx.setOutput(0, settle(ctx, { dims: outDims, cells, scale }, outName));
}

/** A convolution run's weights and shape, as runConvolution takes them (float weights, one scale). */
export interface RunSpec {
  outChannels: number;
  groups: number;
  kernel: readonly [number, number];
  /** Every float weight of the node (sets the weight scale, as the im2col product's). */
  weights: ArrayLike<number>;
  /** Float weight of run output channel o, input channel c of its group, tap (ky, kx). */
  weight: (o: number, c: number, ky: number, kx: number) => number;
  /** Float bias of run output channel o. */
  bias?: (o: number) => number;
  /** Top, left, bottom, right. */
  pads: readonly [number, number, number, number];
  /** Rows and columns of x the run reads: [top, left, bottom, right] cut off (default none). */
  crop?: readonly [number, number, number, number];
}

/**
 * One convolution run (prover/blocks/conv.ts) over x [1, C, H, W] (cropped by spec.crop): the same
 * weight scale and bias quantization as im2col, so the same quantized outputs. When the output is
 * rescaled, each output's Y row is followed by a free row of the run (fillers where there are too
 * few), so every rescale takes two run rows. Returns the run's outputs (before the rescale).
 */
export function runConvolution(ctx: LoweringContext, outName: string, x: QTensor, spec: RunSpec): { y: Cell[][][]; scale: number } {
  const [, C, H, Wd] = x.dims;
  const [ct, cl, cb, cr] = spec.crop ?? [0, 0, 0, 0];
  const [kh, kw] = spec.kernel;
  const Cg = C / spec.groups;
  let maxW = 0;
  for (let i = 0; i < spec.weights.length; i++) maxW = Math.max(maxW, Math.abs(spec.weights[i]));
  const sw = ctx.productWeightScale(maxW, x.scale, outName);
  const scale = sw + x.scale;
  const weights = Array.from({ length: spec.outChannels }, (_, o) =>
    Array.from({ length: Cg }, (_, c) => Array.from({ length: kh }, (_, ky) => Array.from({ length: kw }, (_, kx) => quantizeValue(spec.weight(o, c, ky, kx), sw)))),
  );
  const xs = Array.from({ length: C }, (_, c) => Array.from({ length: H - ct - cb }, (_, iy) => x.cells.slice((c * H + iy + ct) * Wd + cl, (c * H + iy + ct + 1) * Wd - cr)));
  const bias = spec.bias ? Array.from({ length: spec.outChannels }, (_, o) => quantizeValue(spec.bias!(o), scale)) : undefined;
  const pairOutputs = scale > ctx.scaleFor(outName);
  const r = ctx.block("conv", () => conv2d(ctx.b, xs, weights, { pads: spec.pads, groups: spec.groups, bias, pairOutputs }));
  return { y: r.y, scale };
}

/** Conv and ConvTranspose: X an activation, W and B private weights. */
export function checkWindowOp(node: GraphNode, graph: ModelGraph): string | undefined {
  if (graph.constants.has(node.inputs[0])) return "input X must be an activation";
  return needConst(node, graph, 1, "weight W") ?? (node.inputs[2] ? needConst(node, graph, 2, "bias B") : undefined);
}

export function windowOperands(ctx: LoweringContext, node: GraphNode): { x: QTensor; W: ConstTensor; B: ConstTensor | undefined } {
  return { x: ctx.input(0), W: ctx.constant(node.inputs[1]), B: node.inputs[2] ? ctx.constant(node.inputs[2]) : undefined };
}

/**
 * The grouped window product shared by Conv and ConvTranspose: per group, W' (M/group × C/group·k)
 * times the gathered X (C/group·k × N·outCount) whose cell (c, t; n, o) is input cell
 * `tap(o, t)` of channel c (the zero cell where it is −1); one weight scale for all groups.
 */
export function groupedWindowProduct(
  ctx: LoweringContext,
  x: QTensor,
  W: ConstTensor,
  B: ConstTensor | undefined,
  p: { outName: string; group: number; M: number; kCount: number; outCount: number; tap: (o: number, t: number) => number; weight: (g: number, m: number, c: number, t: number) => number },
): { cells: Cell[]; scale: number } {
  const { group, M, kCount, outCount } = p;
  const [N, C] = x.dims;
  const inSize = size(x.dims.slice(2));
  const Cg = C / group;
  const Mg = M / group;
  const zero = ctx.constantCell(0n);
  let maxW = 0;
  for (const v of W.data) maxW = Math.max(maxW, Math.abs(v));
  const sw = ctx.productWeightScale(maxW, x.scale, p.outName);
  const cells = new Array<Cell>(N * M * outCount);
  let scale = 0;
  for (let g = 0; g < group; g++) {
    const r = linearProduct(ctx, {
      N: Mg,
      K: Cg * kCount,
      M: N * outCount,
      w: (m, k) => p.weight(g, m, Math.floor(k / kCount), k % kCount),
      x: (k, q) => {
        const idx = p.tap(q % outCount, k % kCount);
        return idx < 0 ? zero : x.cells[(Math.floor(q / outCount) * C + g * Cg + Math.floor(k / kCount)) * inSize + idx];
      },
      bias: B ? Array.from({ length: Mg }, (_, m) => B.data[g * Mg + m]) : undefined,
      xScale: x.scale,
      weightScale: sw,
      outName: p.outName,
    });
    scale = r.scale;
    for (let m = 0; m < Mg; m++) {
      for (let q = 0; q < N * outCount; q++) cells[(Math.floor(q / outCount) * M + g * Mg + m) * outCount + (q % outCount)] = r.y[m][q];
    }
  }
  return { cells, scale };
}
