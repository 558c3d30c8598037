// Softmax and LogSoftmax over one axis. Before opset 13 they worked on the input flattened to 2-D at
// `axis`; such nodes become Reshape → Softmax(last axis) → Reshape so the IR has one semantics.

import { attrNumber } from "../graph.js";
import { allocate, normalizeAxis, size, strides } from "../tensor.js";
import type { NormalizedNode, OpDef } from "./types.js";
import { expectFloat, expectInputs, inputType, numberAttribute } from "./util.js";

function softmax(log: boolean): OpDef {
  return {
    normalize(ctx): NormalizedNode[] {
      const shape = inputType(ctx, 0).shape;
      const rank = shape.length;
      const op = ctx.node.op;
      const where = `node "${ctx.node.name}" (${op})`;
      const [x] = ctx.node.inputs;
      const [y] = ctx.node.outputs;
      const axis = normalizeAxis(numberAttribute(ctx, "axis", ctx.opset < 13 ? 1 : -1), rank, where);
      if (ctx.opset >= 13 || axis === rank - 1) return [{ name: ctx.node.name, op, inputs: [x], outputs: [y], attrs: { axis } }];
      const flat = ctx.fresh(`${ctx.node.name}/flat`);
      const flatOut = ctx.fresh(`${ctx.node.name}/flat_out`);
      return [
        { name: `${ctx.node.name}/flatten`, op: "Reshape", inputs: [x], outputs: [flat], attrs: { shape: [size(shape.slice(0, axis)), size(shape.slice(axis))] } },
        { name: ctx.node.name, op, inputs: [flat], outputs: [flatOut], attrs: { axis: 1 } },
        { name: `${ctx.node.name}/unflatten`, op: "Reshape", inputs: [flatOut], outputs: [y], attrs: { shape: [...shape] } },
      ];
    },
    inferShape(node, inputs) {
      expectInputs(node, inputs, 1);
      expectFloat(node, inputs[0]);
      return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
    },
    evaluate(node, [x]) {
      const axis = attrNumber(node, "axis");
      const n = x.shape[axis];
      const stride = strides(x.shape)[axis];
      const X = x.data as Float64Array;
      const out = allocate(x.dtype, x.shape);
      const Y = out.data as Float64Array;
      const groups = size(x.shape) / n;
      for (let g = 0; g < groups; g++) {
        const base = Math.floor(g / stride) * stride * n + (g % stride);
        let max = -Infinity;
        for (let i = 0; i < n; i++) max = Math.max(max, X[base + i * stride]);
        let sum = 0;
        for (let i = 0; i < n; i++) sum += Math.exp(X[base + i * stride] - max);
        for (let i = 0; i < n; i++) {
          const z = X[base + i * stride] - max;
          Y[base + i * stride] = log ? z - Math.log(sum) : Math.exp(z) / sum;
        }
      }
      return [out];
    },
  };
}

export const SOFTMAX_OPS: Record<string, OpDef> = { Softmax: softmax(false), LogSoftmax: softmax(true) };
