// Concat along one axis (normalised non-negative).

import { IrError } from "../errors.js";
import { attrNumber } from "../graph.js";
import { allocate, normalizeAxis, size } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, numberAttribute, presentInputs } from "./util.js";

export const concat: OpDef = {
  normalize(ctx) {
    const rank = inputType(ctx, 0).shape.length;
    const axis = normalizeAxis(numberAttribute(ctx, "axis", 0), rank, `node "${ctx.node.name}" (Concat)`);
    return [{ name: ctx.node.name, op: "Concat", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs: { axis } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1, Infinity);
    const axis = attrNumber(node, "axis");
    const first = inputs[0];
    for (const t of inputs) {
      if (t.dtype !== first.dtype || t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        throw new IrError(`node "${node.name}" (Concat): inputs [${inputs.map((x) => x.shape).join("], [")}] do not fit on axis ${axis}`);
      }
    }
    const shape = [...first.shape];
    shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
    return [{ dtype: first.dtype, shape }];
  },
  evaluate(node, inputs) {
    const axis = attrNumber(node, "axis");
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((s, t) => s + t.shape[axis], 0);
    const out = allocate(inputs[0].dtype, shape);
    const outer = size(shape.slice(0, axis));
    const innerOut = size(shape.slice(axis));
    let offset = 0;
    for (const t of inputs) {
      const inner = size(t.shape.slice(axis));
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) out.data[o * innerOut + offset + i] = t.data[o * inner + i];
      }
      offset += inner;
    }
    return [out];
  },
};
