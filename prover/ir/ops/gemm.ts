// Gemm: Y = alpha · A' · B' + beta · C, with A' = transA ? Aᵀ : A and B' likewise; C broadcasts to [M, N].

import { IrError } from "../errors.js";
import { attrNumber } from "../graph.js";
import { allocate, broadcastIndex, broadcastShapes, type Tensor } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, single } from "./util.js";

export const gemm: OpDef = {
  normalize: (ctx) => single(ctx, { alpha: 1, beta: 1, transA: 0, transB: 0 }),
  inferShape(node, inputs) {
    expectInputs(node, inputs, 2, 3);
    const [a, b] = inputs;
    for (const t of inputs) expectFloat(node, t);
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new IrError(`node "${node.name}" (Gemm): A and B must be matrices, got [${a.shape}] and [${b.shape}]`);
    const [m, k] = attrNumber(node, "transA") ? [a.shape[1], a.shape[0]] : a.shape;
    const [kb, n] = attrNumber(node, "transB") ? [b.shape[1], b.shape[0]] : b.shape;
    if (k !== kb) throw new IrError(`node "${node.name}" (Gemm): inner dimensions differ (${k} vs ${kb})`);
    if (inputs[2]) {
      const c = broadcastShapes([inputs[2].shape, [m, n]], `node "${node.name}" (Gemm) C`);
      if (c.length !== 2 || c[0] !== m || c[1] !== n) throw new IrError(`node "${node.name}" (Gemm): C of shape [${inputs[2].shape}] does not broadcast to [${m}, ${n}]`);
    }
    return [{ dtype: a.dtype, shape: [m, n] }];
  },
  evaluate(node, inputs) {
    const [a, b] = inputs;
    const ta = attrNumber(node, "transA") !== 0;
    const tb = attrNumber(node, "transB") !== 0;
    const alpha = attrNumber(node, "alpha");
    const beta = attrNumber(node, "beta");
    const [m, k] = ta ? [a.shape[1], a.shape[0]] : a.shape;
    const n = tb ? b.shape[0] : b.shape[1];
    const A = a.data as Float64Array;
    const B = b.data as Float64Array;
    const out: Tensor = allocate(a.dtype, [m, n]);
    const Y = out.data as Float64Array;
    const c = inputs[2];
    const ci = c ? broadcastIndex(c.shape, [m, n]) : null;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += (ta ? A[p * m + i] : A[i * k + p]) * (tb ? B[j * k + p] : B[p * n + j]);
        Y[i * n + j] = alpha * acc + (c && ci ? beta * Number(c.data[ci[i * n + j]]) : 0);
      }
    }
    return [out];
  },
};
