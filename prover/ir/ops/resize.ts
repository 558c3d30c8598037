// Resize (opsets 10+) and Upsample (before 10), normalised to one Resize form: attrs mode
// (nearest | linear), coordinate_transformation_mode, nearest_mode, and per axis both `scales`
// and the output `sizes`. Upsample and Resize-10 map input coordinates as "asymmetric" with
// nearest_mode "simple" (floor when enlarging, ceil when shrinking), as onnxruntime does.

import { IrError } from "../errors.js";
import { attrNumbers, attrString, type Node } from "../graph.js";
import { allocate, kindOf, size, strides, type Tensor } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, intsAttribute, paramInput } from "./util.js";

const TRANSFORMS = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"];
const NEAREST = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"];

function stringAttribute(node: { attributes: Map<string, { kind: string; value?: unknown }> }, name: string, fallback: string): string {
  const a = node.attributes.get(name);
  return a?.kind === "string" ? (a.value as string) : fallback;
}

/** Input coordinate of output index x on one axis. */
function sourceCoordinate(mode: string, x: number, scale: number, inLen: number, outLen: number): number {
  switch (mode) {
    case "half_pixel":
      return (x + 0.5) / scale - 0.5;
    case "pytorch_half_pixel":
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case "align_corners":
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    default:
      return x / scale;
  }
}

function nearestIndex(mode: string, x: number, scale: number): number {
  switch (mode) {
    case "round_prefer_floor":
      return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
    case "round_prefer_ceil":
      return x === Math.floor(x) + 0.5 ? Math.ceil(x) : Math.round(x);
    case "floor":
      return Math.floor(x);
    case "ceil":
      return Math.ceil(x);
    default:
      return scale < 1 ? Math.ceil(x) : Math.floor(x);
  }
}

export const resize: OpDef = {
  normalize(ctx) {
    const shape = inputType(ctx, 0).shape;
    const where = `node "${ctx.node.name}" (${ctx.node.op})`;
    const legacy = ctx.node.op === "Upsample" || ctx.opset < 11;
    let mode = stringAttribute(ctx.node, "mode", "nearest");
    if (mode === "bilinear") mode = "linear";
    if (mode !== "nearest" && mode !== "linear") throw new IrError(`${where}: mode "${mode}" is not supported (nearest, linear)`);
    const transform = legacy ? "asymmetric" : stringAttribute(ctx.node, "coordinate_transformation_mode", "half_pixel");
    const nearest = legacy ? "simple" : stringAttribute(ctx.node, "nearest_mode", "round_prefer_floor");
    if (!TRANSFORMS.includes(transform)) throw new IrError(`${where}: coordinate_transformation_mode "${transform}" is not supported`);
    if (!NEAREST.includes(nearest)) throw new IrError(`${where}: nearest_mode "${nearest}" is not supported`);
    if (!legacy && (stringAttribute(ctx.node, "keep_aspect_ratio_policy", "stretch") !== "stretch" || ctx.node.inputs[1] && ctx.node.attributes.has("axes"))) {
      throw new IrError(`${where}: keep_aspect_ratio_policy and axes are not supported`);
    }
    let scales: number[] | undefined;
    let sizes: number[] | undefined;
    if (ctx.node.op === "Upsample" && ctx.opset < 9) scales = intsAttribute(ctx, "scales");
    else if (legacy) scales = paramInput(ctx, 1, "scales");
    else {
      scales = paramInput(ctx, 2, "scales");
      sizes = paramInput(ctx, 3, "sizes");
      if (scales && scales.length === 0) scales = undefined;
    }
    if (sizes) scales = sizes.map((s, i) => s / shape[i]);
    else if (scales) sizes = shape.map((d, i) => Math.floor(d * scales![i]));
    if (!scales || !sizes || scales.length !== shape.length || sizes.length !== shape.length) {
      throw new IrError(`${where}: needs scales or sizes for each of the ${shape.length} axes`);
    }
    const attrs = { mode, coordinate_transformation_mode: transform, nearest_mode: nearest, scales, sizes };
    return [{ name: ctx.node.name, op: "Resize", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    if (attrString(node, "mode") === "linear" && kindOf(inputs[0].dtype) !== "float") {
      throw new IrError(`node "${node.name}" (Resize): linear mode needs a float input`);
    }
    return [{ dtype: inputs[0].dtype, shape: attrNumbers(node, "sizes") }];
  },
  evaluate: (node, [x]) => [attrString(node, "mode") === "nearest" ? resizeNearest(node, x) : resizeLinear(node, x)],
};

function resizeNearest(node: Node, x: Tensor): Tensor {
  const scales = attrNumbers(node, "scales");
  const sizes = attrNumbers(node, "sizes");
  const transform = attrString(node, "coordinate_transformation_mode");
  const nearest = attrString(node, "nearest_mode");
  const perAxis = sizes.map((outLen, a) =>
    Array.from({ length: outLen }, (_, o) => {
      const inLen = x.shape[a];
      const i = nearestIndex(nearest, sourceCoordinate(transform, o, scales[a], inLen, outLen), scales[a]);
      return Math.min(Math.max(i, 0), inLen - 1);
    }),
  );
  const out = allocate(x.dtype, sizes);
  const inStrides = strides(x.shape);
  const outStrides = strides(sizes);
  for (let o = 0; o < out.data.length; o++) {
    let flat = 0;
    for (let a = 0; a < sizes.length; a++) flat += perAxis[a][Math.floor(o / outStrides[a]) % sizes[a]] * inStrides[a];
    out.data[o] = x.data[flat];
  }
  return out;
}

function resizeLinear(node: Node, x: Tensor): Tensor {
  const scales = attrNumbers(node, "scales");
  const sizes = attrNumbers(node, "sizes");
  const transform = attrString(node, "coordinate_transformation_mode");
  const r = sizes.length;
  // Per axis and output index: the two neighbours and the weight of the upper one.
  const perAxis = sizes.map((outLen, a) => {
    const inLen = x.shape[a];
    return Array.from({ length: outLen }, (_, o) => {
      const c = Math.min(Math.max(sourceCoordinate(transform, o, scales[a], inLen, outLen), 0), inLen - 1);
      const lo = Math.floor(c);
      return { lo, hi: Math.min(lo + 1, inLen - 1), w: c - lo };
    });
  });
  const out = allocate(x.dtype, sizes);
  const X = x.data as Float64Array;
  const Y = out.data as Float64Array;
  const inStrides = strides(x.shape);
  const outStrides = strides(sizes);
  const corners = 1 << r;
  for (let o = 0; o < size(sizes); o++) {
    let acc = 0;
    for (let corner = 0; corner < corners; corner++) {
      let weight = 1;
      let flat = 0;
      for (let a = 0; a < r; a++) {
        const p = perAxis[a][Math.floor(o / outStrides[a]) % sizes[a]];
        const upper = (corner >> a) & 1;
        weight *= upper ? p.w : 1 - p.w;
        flat += (upper ? p.hi : p.lo) * inStrides[a];
      }
      if (weight !== 0) acc += weight * X[flat];
    }
    Y[o] = acc;
  }
  return out;
}
