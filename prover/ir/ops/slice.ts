// Slice: attributes before opset 10, inputs since. Normalised per axis (length = rank):
// starts, ends, steps already clamped, so axis a takes indices starts[a] + k·steps[a] while before ends[a].

import { IrError } from "../errors.js";
import { attrNumbers } from "../graph.js";
import { gatherFlat, normalizeAxis, size, strides } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, intsAttribute, paramInput } from "./util.js";

function count(start: number, end: number, step: number): number {
  return Math.max(0, Math.ceil((end - start) / step));
}

export const slice: OpDef = {
  normalize(ctx) {
    const shape = inputType(ctx, 0).shape;
    const rank = shape.length;
    const where = `node "${ctx.node.name}" (Slice)`;
    const old = ctx.opset < 10;
    const starts = old ? intsAttribute(ctx, "starts") : paramInput(ctx, 1, "starts");
    const ends = old ? intsAttribute(ctx, "ends") : paramInput(ctx, 2, "ends");
    if (!starts || !ends || starts.length !== ends.length) throw new IrError(`${where}: starts and ends must be given with equal lengths`);
    const axes = (old ? intsAttribute(ctx, "axes") : paramInput(ctx, 3, "axes")) ?? starts.map((_, i) => i);
    const steps = (old ? undefined : paramInput(ctx, 4, "steps")) ?? starts.map(() => 1);
    const s = shape.map(() => 0);
    const e = [...shape];
    const st = shape.map(() => 1);
    axes.forEach((axisRaw, i) => {
      const a = normalizeAxis(axisRaw, rank, where);
      const dim = shape[a];
      const step = steps[i];
      if (step === 0) throw new IrError(`${where}: step 0 on axis ${a}`);
      let start = starts[i] < 0 ? starts[i] + dim : starts[i];
      let end = ends[i] < 0 ? ends[i] + dim : ends[i];
      if (step > 0) {
        start = Math.min(Math.max(start, 0), dim);
        end = Math.min(Math.max(end, 0), dim);
      } else {
        start = Math.min(Math.max(start, 0), dim - 1);
        end = Math.min(Math.max(end, -1), dim - 1);
      }
      s[a] = start;
      e[a] = end;
      st[a] = step;
    });
    return [{ name: ctx.node.name, op: "Slice", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { starts: s, ends: e, steps: st } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    const [s, e, st] = [attrNumbers(node, "starts"), attrNumbers(node, "ends"), attrNumbers(node, "steps")];
    return [{ dtype: inputs[0].dtype, shape: s.map((start, a) => count(start, e[a], st[a])) }];
  },
  evaluate(node, [x]) {
    const [s, e, st] = [attrNumbers(node, "starts"), attrNumbers(node, "ends"), attrNumbers(node, "steps")];
    const outShape = s.map((start, a) => count(start, e[a], st[a]));
    const inStrides = strides(x.shape);
    const outStrides = strides(outShape);
    const n = size(outShape);
    const index = new Int32Array(n);
    for (let o = 0; o < n; o++) {
      let flat = 0;
      for (let a = 0; a < outShape.length; a++) flat += (s[a] + (Math.floor(o / outStrides[a]) % outShape[a]) * st[a]) * inStrides[a];
      index[o] = flat;
    }
    return [gatherFlat(x, index, outShape)];
  },
};
