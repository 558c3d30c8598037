// Comparisons and logic: Less, Greater, Equal, LessOrEqual, GreaterOrEqual, Not, And, Or, Xor, Where.

import { IrError } from "../errors.js";
import type { Node } from "../graph.js";
import { allocate, broadcastIndex, broadcastShapes, type Tensor, type ValueType } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, single } from "./util.js";

type Accepts = "numeric" | "bool" | "any";

function comparison(test: (a: number | bigint, b: number | bigint) => boolean, accepts: Accepts = "numeric"): OpDef {
  return {
    normalize: (ctx) => single(ctx),
    inferShape(node: Node, inputs: ValueType[]) {
      expectInputs(node, inputs, 2);
      if (inputs[0].dtype !== inputs[1].dtype) {
        throw new IrError(`node "${node.name}" (${node.op}): input types differ (${inputs[0].dtype}, ${inputs[1].dtype})`);
      }
      if (accepts !== "any" && (accepts === "bool") !== (inputs[0].dtype === "bool")) {
        throw new IrError(`node "${node.name}" (${node.op}) takes ${accepts} inputs, got ${inputs[0].dtype}`);
      }
      return [{ dtype: "bool", shape: broadcastShapes([inputs[0].shape, inputs[1].shape], `node "${node.name}" (${node.op})`) }];
    },
    evaluate(_node: Node, [a, b]: Tensor[]) {
      const shape = broadcastShapes([a.shape, b.shape], "comparison");
      const ia = broadcastIndex(a.shape, shape);
      const ib = broadcastIndex(b.shape, shape);
      const out = allocate("bool", shape);
      const dst = out.data;
      for (let i = 0; i < dst.length; i++) dst[i] = test(a.data[ia[i]], b.data[ib[i]]) ? 1 : 0;
      return [out];
    },
  };
}

const not: OpDef = {
  normalize: (ctx) => single(ctx),
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    if (inputs[0].dtype !== "bool") throw new IrError(`node "${node.name}" (Not) takes a bool input, got ${inputs[0].dtype}`);
    return [{ dtype: "bool", shape: [...inputs[0].shape] }];
  },
  evaluate(_node, [x]) {
    const out = allocate("bool", x.shape);
    for (let i = 0; i < x.data.length; i++) out.data[i] = x.data[i] ? 0 : 1;
    return [out];
  },
};

const where: OpDef = {
  normalize: (ctx) => single(ctx),
  inferShape(node, inputs) {
    expectInputs(node, inputs, 3);
    if (inputs[0].dtype !== "bool") throw new IrError(`node "${node.name}" (Where): condition must be bool, got ${inputs[0].dtype}`);
    if (inputs[1].dtype !== inputs[2].dtype) {
      throw new IrError(`node "${node.name}" (Where): branch types differ (${inputs[1].dtype}, ${inputs[2].dtype})`);
    }
    return [{ dtype: inputs[1].dtype, shape: broadcastShapes(inputs.map((t) => t.shape), `node "${node.name}" (Where)`) }];
  },
  evaluate(_node, [c, x, y]) {
    const shape = broadcastShapes([c.shape, x.shape, y.shape], "Where");
    const ic = broadcastIndex(c.shape, shape);
    const ix = broadcastIndex(x.shape, shape);
    const iy = broadcastIndex(y.shape, shape);
    const out = allocate(x.dtype, shape);
    const dst = out.data;
    for (let i = 0; i < dst.length; i++) dst[i] = c.data[ic[i]] ? x.data[ix[i]] : y.data[iy[i]];
    return [out];
  },
};

export const COMPARE_OPS: Record<string, OpDef> = {
  Less: comparison((a, b) => a < b),
  LessOrEqual: comparison((a, b) => a <= b),
  Greater: comparison((a, b) => a > b),
  GreaterOrEqual: comparison((a, b) => a >= b),
  Equal: comparison((a, b) => a === b, "any"),
  And: comparison((a, b) => Boolean(a) && Boolean(b), "bool"),
  Or: comparison((a, b) => Boolean(a) || Boolean(b), "bool"),
  Xor: comparison((a, b) => Boolean(a) !== Boolean(b), "bool"),
  Not: not,
  Where: where,
};
