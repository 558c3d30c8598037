// MatMul with numpy semantics: 1-D operands are promoted (and the added axis dropped), batch axes broadcast.

import { IrError } from "../errors.js";
import { allocate, broadcastIndex, broadcastShapes, kindOf, size, type ValueType } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, single } from "./util.js";

interface MatMulShape {
  batch: number[];
  m: number;
  k: number;
  n: number;
  out: number[];
}

function matmulShape(a: readonly number[], b: readonly number[], where: string): MatMulShape {
  if (a.length === 0 || b.length === 0) throw new IrError(`${where}: MatMul does not take scalars`);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const m = a2[a2.length - 2];
  const k = a2[a2.length - 1];
  const n = b2[b2.length - 1];
  if (b2[b2.length - 2] !== k) throw new IrError(`${where}: inner dimensions differ ([${a}] · [${b}])`);
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)], where);
  const out = [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  return { batch, m, k, n, out };
}

export const matmul: OpDef = {
  normalize: (ctx) => single(ctx),
  inferShape(node, inputs: ValueType[]) {
    expectInputs(node, inputs, 2);
    if (inputs[0].dtype !== inputs[1].dtype || kindOf(inputs[0].dtype) === "bool") {
      throw new IrError(`node "${node.name}" (MatMul): unsupported input types ${inputs[0].dtype}, ${inputs[1].dtype}`);
    }
    return [{ dtype: inputs[0].dtype, shape: matmulShape(inputs[0].shape, inputs[1].shape, `node "${node.name}" (MatMul)`).out }];
  },
  evaluate(node, [a, b]) {
    const s = matmulShape(a.shape, b.shape, `node "${node.name}" (MatMul)`);
    const { m, k, n } = s;
    const aBatch = a.shape.length > 2 ? a.shape.slice(0, -2) : [];
    const bBatch = b.shape.length > 2 ? b.shape.slice(0, -2) : [];
    const ia = broadcastIndex(aBatch, s.batch);
    const ib = broadcastIndex(bBatch, s.batch);
    const out = allocate(a.dtype, s.out);
    const batches = size(s.batch);
    const big = out.data instanceof BigInt64Array;
    for (let t = 0; t < batches; t++) {
      const ao = ia[t] * m * k;
      const bo = ib[t] * k * n;
      const oo = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          if (big) {
            let acc = 0n;
            for (let p = 0; p < k; p++) acc += (a.data[ao + i * k + p] as bigint) * (b.data[bo + p * n + j] as bigint);
            out.data[oo + i * n + j] = BigInt.asIntN(64, acc);
          } else {
            let acc = 0;
            for (let p = 0; p < k; p++) acc += (a.data[ao + i * k + p] as number) * (b.data[bo + p * n + j] as number);
            out.data[oo + i * n + j] = acc;
          }
        }
      }
    }
    return [out];
  },
};
