// Gather: output = data.shape[:axis] + indices.shape + data.shape[axis+1:]; negative indices count from the end.

import { IrError } from "../errors.js";
import { attrNumber } from "../graph.js";
import { allocate, kindOf, normalizeAxis, size } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, numberAttribute, presentInputs } from "./util.js";

export const gather: OpDef = {
  normalize(ctx) {
    const rank = inputType(ctx, 0).shape.length;
    const axis = normalizeAxis(numberAttribute(ctx, "axis", 0), rank, `node "${ctx.node.name}" (Gather)`);
    return [{ name: ctx.node.name, op: "Gather", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs: { axis } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 2);
    const [data, indices] = inputs;
    if (kindOf(indices.dtype) !== "int") throw new IrError(`node "${node.name}" (Gather): indices must be integers, got ${indices.dtype}`);
    const axis = attrNumber(node, "axis");
    return [{ dtype: data.dtype, shape: [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)] }];
  },
  evaluate(node, [data, indices]) {
    const axis = attrNumber(node, "axis");
    const outer = size(data.shape.slice(0, axis));
    const inner = size(data.shape.slice(axis + 1));
    const dim = data.shape[axis];
    const k = indices.data.length;
    const out = allocate(data.dtype, [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)]);
    for (let j = 0; j < k; j++) {
      let idx = Number(indices.data[j]);
      if (idx < 0) idx += dim;
      if (idx < 0 || idx >= dim) throw new IrError(`node "${node.name}" (Gather): index ${indices.data[j]} out of range for axis of size ${dim}`);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) out.data[(o * k + j) * inner + i] = data.data[(o * dim + idx) * inner + i];
      }
    }
    return [out];
  },
};
