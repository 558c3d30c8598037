// Reshape, Flatten, Squeeze, Unsqueeze: the same elements under a new shape. All four normalise to
// an explicit final `shape` attribute (Reshape's 0 and -1 resolved, axes inputs read).

import { IrError } from "../errors.js";
import { attrNumbers } from "../graph.js";
import { normalizeAxis, size } from "../tensor.js";
import type { NormalizeContext, NormalizedNode, OpDef } from "./types.js";
import { expectInputs, inputType, numberAttribute, intsAttribute, paramInput } from "./util.js";

function reshapeTarget(ctx: NormalizeContext, shape: readonly number[]): number[] {
  const where = `node "${ctx.node.name}" (Reshape)`;
  const requested = ctx.opset < 5 ? intsAttribute(ctx, "shape") : paramInput(ctx, 1, "shape");
  if (!requested) throw new IrError(`${where}: no target shape`);
  const allowZero = numberAttribute(ctx, "allowzero", 0) === 1;
  const out = requested.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= shape.length) throw new IrError(`${where}: 0 at axis ${i} copies a dimension the input does not have`);
      return shape[i];
    }
    return d;
  });
  const unknown = out.filter((d) => d === -1).length;
  if (unknown > 1 || out.some((d) => d < -1)) throw new IrError(`${where}: bad target shape [${requested}]`);
  if (unknown === 1) {
    const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const inferred = known === 0 ? 0 : size(shape) / known;
    if (!Number.isInteger(inferred)) throw new IrError(`${where}: cannot reshape [${shape}] to [${requested}]`);
    out[out.indexOf(-1)] = inferred;
  }
  return out;
}

function axesOf(ctx: NormalizeContext): number[] | undefined {
  return ctx.opset >= 13 ? paramInput(ctx, 1, "axes") : intsAttribute(ctx, "axes");
}

function targetShape(ctx: NormalizeContext): number[] {
  const shape = inputType(ctx, 0).shape;
  const where = `node "${ctx.node.name}" (${ctx.node.op})`;
  switch (ctx.node.op) {
    case "Reshape":
      return reshapeTarget(ctx, shape);
    case "Flatten": {
      const axis = numberAttribute(ctx, "axis", 1);
      const a = axis < 0 ? axis + shape.length : axis;
      if (a < 0 || a > shape.length) throw new IrError(`${where}: axis ${axis} out of range`);
      return [size(shape.slice(0, a)), size(shape.slice(a))];
    }
    case "Squeeze": {
      const axes = axesOf(ctx)?.map((a) => normalizeAxis(a, shape.length, where));
      for (const a of axes ?? []) if (shape[a] !== 1) throw new IrError(`${where}: axis ${a} has size ${shape[a]}, not 1`);
      return shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
    }
    default: {
      const axes = axesOf(ctx);
      if (!axes) throw new IrError(`${where}: no axes`);
      const rank = shape.length + axes.length;
      const inserted = new Set(axes.map((a) => normalizeAxis(a, rank, where)));
      const out: number[] = [];
      let next = 0;
      for (let i = 0; i < rank; i++) out.push(inserted.has(i) ? 1 : shape[next++]);
      return out;
    }
  }
}

export const reshape: OpDef = {
  normalize(ctx): NormalizedNode[] {
    return [{ name: ctx.node.name, op: "Reshape", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { shape: targetShape(ctx) } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    const shape = attrNumbers(node, "shape");
    if (size(shape) !== size(inputs[0].shape)) throw new IrError(`node "${node.name}" (Reshape): cannot reshape [${inputs[0].shape}] to [${shape}]`);
    return [{ dtype: inputs[0].dtype, shape: [...shape] }];
  },
  evaluate: (node, [x]) => [{ dtype: x.dtype, shape: attrNumbers(node, "shape"), data: x.data }],
};
