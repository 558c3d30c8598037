// MatMul: activation × private weights → the matmul block (as Gemm, batch dims of A folded into
// rows); weights × activation → the matmul block with W on the left; activation × activation
// (attention's Q·Kᵀ) → matmulActivations, the product of two activations, then a rescale.
import { matmulActivations } from "../../blocks/matmul.js";
import type { Cell } from "../../circuit/builder.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { matmul } from "../../blocks/matmul.js";
import { size as sizeOf } from "../../ir/tensor.js";
import { linearLayer } from "./gemm.js";
import type { OpLowering } from "./types.js";

export const matmulOp: OpLowering = {
  ops: ["MatMul"],
  check(node, graph) {
    const a = graph.values.get(node.inputs[0])?.dims ?? [];
    const b = graph.values.get(node.inputs[1])?.dims ?? [];
    if (graph.constants.has(node.inputs[0]) && graph.constants.has(node.inputs[1])) return undefined;
    if (graph.constants.has(node.inputs[1]) && b.length !== 2) return "constant B must be a matrix";
    if (graph.constants.has(node.inputs[0]) && (a.length !== 2 || b.length !== 2)) return "constant A times an activation needs 2-D operands";
    if (!graph.constants.has(node.inputs[0]) && !graph.constants.has(node.inputs[1])) {
      if (a.length < 2 || b.length < 2 || sizeOf(a.slice(0, -2)) !== sizeOf(b.slice(0, -2))) return "a product of two activations needs equal batch dimensions";
    }
    return undefined;
  },
  lower(ctx, node) {
    const [an, bn] = node.inputs;
    if (ctx.isConst(bn) && !ctx.isConst(an)) {
      const a = ctx.input(0);
      const B = ctx.constant(bn);
      const [K, N] = B.dims;
      const lead = a.dims.slice(0, -1);
      const M = sizeOf(lead);
      linearLayer(ctx, node, { N, K, M, w: (n, k) => B.data[k * N + n], x: (k, m) => a.cells[m * K + k], xScale: a.scale, outDims: [...lead, N] });
      return;
    }
    if (ctx.isConst(an)) {
      // Y (M×N) = A (M×K) · X (K×N) with A private: the block's W is A itself.
      const A = ctx.constant(an);
      const x = ctx.input(1);
      const [M, K] = A.dims;
      const N = x.dims[1];
      let maxW = 0;
      for (const v of A.data) maxW = Math.max(maxW, Math.abs(v));
      const sw = ctx.productWeightScale(maxW, x.scale, node.outputs[0]);
      const w = Array.from({ length: M }, (_, m) => Array.from({ length: K }, (_, k) => quantizeValue(A.data[m * K + k], sw)));
      const xs = Array.from({ length: K }, (_, k) => Array.from({ length: N }, (_, n) => x.cells[k * N + n]));
      const y = ctx.block("matmul", () => matmul(ctx.b, w, xs));
      const out = node.outputs[0];
      ctx.setOutput(0, ctx.toScale({ dims: [M, N], cells: y.flat(), scale: sw + x.scale }, ctx.scaleFor(out), out));
      return;
    }
    // Two activations, batched over the leading dims.
    const a = ctx.input(0);
    const b = ctx.input(1);
    const [M, K] = a.dims.slice(-2);
    const N = b.dims[b.dims.length - 1];
    const batch = sizeOf(a.dims.slice(0, -2));
    const cells: Cell[] = [];
    for (let t = 0; t < batch; t++) {
      const left = Array.from({ length: M }, (_, m) => Array.from({ length: K }, (_, k) => a.cells[t * M * K + m * K + k]));
      const right = Array.from({ length: K }, (_, k) => Array.from({ length: N }, (_, n) => b.cells[t * K * N + k * N + n]));
      const y = ctx.block("matmul activations", () => matmulActivations(ctx.b, left, right));
      for (const row of y) for (const c of row) cells.push(c);
    }
    const out = node.outputs[0];
    const dims = [...a.dims.slice(0, -1), N];
    ctx.setOutput(0, ctx.toScale({ dims, cells, scale: a.scale + b.scale }, ctx.scaleFor(out), out));
  },
};
