// Expand, Tile and ConstantOfShape: the shape arguments (Expand's shape, Tile's repeats,
// ConstantOfShape's input) must be constants for a fixed-shape circuit; normalisation reads them
// into attributes, so Expand and Tile keep only their data input and ConstantOfShape folds.

import { IrError } from "../errors.js";
import { attrNumbers } from "../graph.js";
import { allocate, broadcastIndex, broadcastShapes, fromOnnx, gatherFlat, size, strides } from "../tensor.js";
import type { NormalizedNode, OpDef } from "./types.js";
import { expectInputs, inputType, paramInput } from "./util.js";

export const expand: OpDef = {
  normalize(ctx): NormalizedNode[] {
    const shape = paramInput(ctx, 1, "shape");
    if (!shape) throw new IrError(`node "${ctx.node.name}" (Expand): no shape`);
    // ONNX Expand broadcasts both ways: a 1 in `shape` keeps the input's dimension.
    const out = broadcastShapes([inputType(ctx, 0).shape, shape], `node "${ctx.node.name}" (Expand)`);
    return [{ name: ctx.node.name, op: "Expand", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { shape: out } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    const shape = attrNumbers(node, "shape");
    const b = broadcastShapes([inputs[0].shape, shape], `node "${node.name}" (Expand)`);
    if (b.join() !== shape.join()) throw new IrError(`node "${node.name}" (Expand): [${inputs[0].shape}] does not expand to [${shape}]`);
    return [{ dtype: inputs[0].dtype, shape: [...shape] }];
  },
  evaluate: (node, [x]) => {
    const shape = attrNumbers(node, "shape");
    return [gatherFlat(x, broadcastIndex(x.shape, shape), shape)];
  },
};

export const tile: OpDef = {
  normalize(ctx): NormalizedNode[] {
    const repeats = paramInput(ctx, 1, "repeats");
    const rank = inputType(ctx, 0).shape.length;
    if (!repeats || repeats.length !== rank || repeats.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new IrError(`node "${ctx.node.name}" (Tile): repeats must be ${rank} non-negative integers, got [${repeats ?? ""}]`);
    }
    return [{ name: ctx.node.name, op: "Tile", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { repeats } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    const repeats = attrNumbers(node, "repeats");
    return [{ dtype: inputs[0].dtype, shape: inputs[0].shape.map((d, i) => d * repeats[i]) }];
  },
  evaluate: (node, [x]) => {
    const repeats = attrNumbers(node, "repeats");
    const shape = x.shape.map((d, i) => d * repeats[i]);
    const inStrides = strides(x.shape);
    const outStrides = strides(shape);
    const index = new Int32Array(size(shape));
    for (let k = 0; k < index.length; k++) {
      let rest = k;
      let from = 0;
      for (let a = 0; a < shape.length; a++) {
        const i = Math.floor(rest / outStrides[a]);
        rest -= i * outStrides[a];
        from += (i % x.shape[a]) * inStrides[a];
      }
      index[k] = from;
    }
    return [gatherFlat(x, index, shape)];
  },
};

/** Folds at load: a tensor of the (constant) shape filled with the `value` attribute (float 0 by default). */
export const constantOfShape: OpDef = {
  normalize(ctx) {
    const shape = paramInput(ctx, 0, "shape");
    if (!shape || shape.some((d) => !Number.isInteger(d) || d < 0)) throw new IrError(`node "${ctx.node.name}" (ConstantOfShape): bad shape [${shape ?? ""}]`);
    const a = ctx.node.attributes.get("value");
    if (a !== undefined && a.kind !== "tensor") throw new IrError(`node "${ctx.node.name}" (ConstantOfShape): value must be a one-element tensor`);
    const fill = a ? fromOnnx(a.value) : undefined;
    if (fill && size(fill.shape) !== 1) throw new IrError(`node "${ctx.node.name}" (ConstantOfShape): value must be a one-element tensor`);
    const out = allocate(fill?.dtype ?? "float32", shape);
    if (fill) (out.data as { fill(v: unknown): unknown }).fill(fill.data[0]);
    return out;
  },
  inferShape() {
    throw new IrError("ConstantOfShape folds at load");
  },
  evaluate() {
    throw new IrError("ConstantOfShape folds at load");
  },
};
