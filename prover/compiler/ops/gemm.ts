// Gemm: Y = alpha·A·B' + beta·C, A an activation, B and C private weights → one matmul block
// (Freivalds rows: weights + inputs + outputs, never M·K·N) with the bias as an extra weight
// column, then a rescale of the product (scale s_w + s_x) to Y's scale.
import { matmul } from "../../blocks/matmul.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import type { Cell } from "../../circuit/builder.js";
import { settle, type LoweringContext } from "../context.js";
import type { GraphNode } from "../graph.js";
import { floatAttr, intAttr, needConst, type OpLowering } from "./types.js";

export const gemm: OpLowering = {
  ops: ["Gemm"],
  check(node, graph) {
    if (graph.constants.has(node.inputs[0])) return "input A must be an activation";
    const b = needConst(node, graph, 1, "weight B");
    if (b) return b;
    if (node.inputs[2]) {
      const c = needConst(node, graph, 2, "bias C");
      if (c) return c;
      const cd = graph.constants.get(node.inputs[2])!.dims;
      const m = graph.values.get(node.inputs[0])!.dims[intAttr(node, "transA", 0) ? 1 : 0];
      if (cd.length === 2 && cd[0] !== 1 && m !== 1) return "a bias C that varies along the rows of A is not supported";
    }
    return undefined;
  },
  lower(ctx, node) {
    const a = ctx.input(0);
    const B = ctx.constant(node.inputs[1]);
    const transA = intAttr(node, "transA", 0) === 1;
    const transB = intAttr(node, "transB", 0) === 1;
    const alpha = floatAttr(node, "alpha", 1);
    const beta = floatAttr(node, "beta", 1);
    const [M, K] = transA ? [a.dims[1], a.dims[0]] : [a.dims[0], a.dims[1]];
    const N = transB ? B.dims[0] : B.dims[1];
    // W = alpha·Bᵀ (N×K): W[n][k] = alpha·B[k][n] (or B[n][k] when transB).
    const wAt = (n: number, k: number) => alpha * B.data[transB ? n * K + k : k * N + n];
    const x = (k: number, m: number) => a.cells[transA ? k * M + m : m * K + k];
    let bias: number[] | undefined;
    if (node.inputs[2]) {
      const C = ctx.constant(node.inputs[2]);
      const cn = C.dims.length === 0 ? 1 : C.dims[C.dims.length - 1];
      bias = Array.from({ length: N }, (_, n) => beta * C.data[cn === 1 ? 0 : n]);
    }
    linearLayer(ctx, node, { N, K, M, w: wAt, x, bias, xScale: a.scale });
  },
};

/**
 * Y (N×M) = W (N×K) · X (K×M) + bias against private weights quantized at their own scale s_w
 * (the bias at s_w + s_x); returns Y's cells and its scale s_w + s_x. Shared by Gemm, MatMul,
 * Conv and ConvTranspose.
 */
export function linearProduct(
  ctx: LoweringContext,
  p: { N: number; K: number; M: number; w: (n: number, k: number) => number; x: (k: number, m: number) => Cell; bias?: readonly number[]; xScale: number; weightScale?: number; outName: string },
): { y: Cell[][]; scale: number } {
  const { N, K, M } = p;
  let maxW = 0;
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) maxW = Math.max(maxW, Math.abs(p.w(n, k)));
  const sw = p.weightScale ?? ctx.productWeightScale(maxW, p.xScale, p.outName);
  const weights = Array.from({ length: N }, (_, n) => Array.from({ length: K }, (_, k) => quantizeValue(p.w(n, k), sw)));
  const xs = Array.from({ length: K }, (_, k) => Array.from({ length: M }, (_, m) => p.x(k, m)));
  const bias = p.bias?.map((v) => quantizeValue(v, sw + p.xScale));
  const y = ctx.block("matmul", () => matmul(ctx.b, weights, xs, bias));
  return { y, scale: sw + p.xScale };
}

/** Y (M×N, row-major) = (W·X)ᵀ + bias, settled at the node output's planned scale. */
export function linearLayer(
  ctx: LoweringContext,
  node: GraphNode,
  p: { N: number; K: number; M: number; w: (n: number, k: number) => number; x: (k: number, m: number) => Cell; bias?: number[]; xScale: number; outDims?: number[] },
): void {
  const { N, M } = p;
  const { y, scale } = linearProduct(ctx, { ...p, outName: node.outputs[0] });
  const cells = new Array<Cell>(M * N);
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) cells[m * N + n] = y[n][m];
  ctx.setOutput(0, settle(ctx, { dims: p.outDims ?? [M, N], cells, scale }, node.outputs[0]));
}
