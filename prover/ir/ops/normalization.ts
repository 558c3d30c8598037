// BatchNormalization (inference), InstanceNormalization, LayerNormalization.

import { IrError } from "../errors.js";
import { attrNumber } from "../graph.js";
import { allocate, broadcastIndex, normalizeAxis, size, type Tensor } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, inputType, numberAttribute, presentInputs } from "./util.js";

function channelParamsFit(node: { name: string; op: string }, x: readonly number[], params: { shape: number[] }[]): void {
  for (const p of params) {
    if (p.shape.length !== 1 || p.shape[0] !== x[1]) throw new IrError(`node "${node.name}" (${node.op}): per-channel parameter of shape [${p.shape}] should be [${x[1]}]`);
  }
}

export const batchNormalization: OpDef = {
  normalize(ctx) {
    if (numberAttribute(ctx, "training_mode", 0) !== 0 || ctx.node.outputs.filter(Boolean).length > 1) {
      throw new IrError(`node "${ctx.node.name}" (BatchNormalization): training mode is not supported`);
    }
    if (ctx.opset < 9 && numberAttribute(ctx, "spatial", 1) !== 1) throw new IrError(`node "${ctx.node.name}" (BatchNormalization): spatial=0 is not supported`);
    const attrs = { epsilon: numberAttribute(ctx, "epsilon", 1e-5) };
    return [{ name: ctx.node.name, op: "BatchNormalization", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 5);
    for (const t of inputs) expectFloat(node, t);
    if (inputs[0].shape.length < 2) throw new IrError(`node "${node.name}" (BatchNormalization): input needs a channel axis`);
    channelParamsFit(node, inputs[0].shape, inputs.slice(1));
    return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
  },
  evaluate(node, [x, scale, bias, mean, variance]) {
    const eps = attrNumber(node, "epsilon");
    const [n, c] = x.shape;
    const inner = size(x.shape.slice(2));
    const out = allocate(x.dtype, x.shape);
    const X = x.data as Float64Array;
    const Y = out.data as Float64Array;
    for (let ch = 0; ch < c; ch++) {
      const k = (scale.data[ch] as number) / Math.sqrt((variance.data[ch] as number) + eps);
      const m = mean.data[ch] as number;
      const b = bias.data[ch] as number;
      for (let bn = 0; bn < n; bn++) {
        const base = (bn * c + ch) * inner;
        for (let i = 0; i < inner; i++) Y[base + i] = (X[base + i] - m) * k + b;
      }
    }
    return [out];
  },
};

/** Mean and 1/sqrt(variance + eps) of each row of `rows` consecutive groups of `len` elements. */
function rowStats(X: Float64Array, rows: number, len: number, eps: number): { mean: Float64Array; invStd: Float64Array } {
  const mean = new Float64Array(rows);
  const invStd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < len; i++) s += X[r * len + i];
    const mu = s / len;
    let v = 0;
    for (let i = 0; i < len; i++) v += (X[r * len + i] - mu) ** 2;
    mean[r] = mu;
    invStd[r] = 1 / Math.sqrt(v / len + eps);
  }
  return { mean, invStd };
}

export const instanceNormalization: OpDef = {
  normalize(ctx) {
    const attrs = { epsilon: numberAttribute(ctx, "epsilon", 1e-5) };
    return [{ name: ctx.node.name, op: "InstanceNormalization", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 3);
    for (const t of inputs) expectFloat(node, t);
    if (inputs[0].shape.length < 3) throw new IrError(`node "${node.name}" (InstanceNormalization): input needs spatial axes`);
    channelParamsFit(node, inputs[0].shape, inputs.slice(1));
    return [{ dtype: inputs[0].dtype, shape: [...inputs[0].shape] }];
  },
  evaluate(node, [x, scale, bias]) {
    const [n, c] = x.shape;
    const inner = size(x.shape.slice(2));
    const X = x.data as Float64Array;
    const { mean, invStd } = rowStats(X, n * c, inner, attrNumber(node, "epsilon"));
    const out = allocate(x.dtype, x.shape);
    const Y = out.data as Float64Array;
    for (let r = 0; r < n * c; r++) {
      const ch = r % c;
      const k = (scale.data[ch] as number) * invStd[r];
      for (let i = 0; i < inner; i++) Y[r * inner + i] = (X[r * inner + i] - mean[r]) * k + (bias.data[ch] as number);
    }
    return [out];
  },
};

export const layerNormalization: OpDef = {
  normalize(ctx) {
    const rank = inputType(ctx, 0).shape.length;
    const attrs = {
      axis: normalizeAxis(numberAttribute(ctx, "axis", -1), rank, `node "${ctx.node.name}" (LayerNormalization)`),
      epsilon: numberAttribute(ctx, "epsilon", 1e-5),
    };
    const outputs = [...ctx.node.outputs];
    while (outputs.length > 1 && outputs[outputs.length - 1] === "") outputs.pop();
    if (outputs.includes("")) throw new IrError(`node "${ctx.node.name}" (LayerNormalization): Mean output omitted but InvStdDev kept is not supported`);
    return [{ name: ctx.node.name, op: "LayerNormalization", inputs: presentInputs(ctx), outputs, attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 2, 3);
    for (const t of inputs) expectFloat(node, t);
    const x = inputs[0].shape;
    const axis = attrNumber(node, "axis");
    const normalized = x.slice(axis);
    for (const p of inputs.slice(1)) {
      if (p.shape.length > normalized.length || p.shape.some((d, i) => d !== 1 && d !== normalized[normalized.length - p.shape.length + i])) {
        throw new IrError(`node "${node.name}" (LayerNormalization): parameter of shape [${p.shape}] does not broadcast to [${normalized}]`);
      }
    }
    const stats = { dtype: inputs[0].dtype, shape: x.map((d, i) => (i < axis ? d : 1)) };
    return [{ dtype: inputs[0].dtype, shape: [...x] }, stats, stats].slice(0, node.outputs.length);
  },
  evaluate(node, [x, scale, bias]) {
    const axis = attrNumber(node, "axis");
    const normalizedShape = x.shape.slice(axis);
    const len = size(normalizedShape);
    const rows = size(x.shape.slice(0, axis));
    const X = x.data as Float64Array;
    const { mean, invStd } = rowStats(X, rows, len, attrNumber(node, "epsilon"));
    const si = broadcastIndex(scale.shape, normalizedShape);
    const bi = bias ? broadcastIndex(bias.shape, normalizedShape) : null;
    const out = allocate(x.dtype, x.shape);
    const Y = out.data as Float64Array;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < len; i++) {
        const b = bias && bi ? (bias.data[bi[i]] as number) : 0;
        Y[r * len + i] = (X[r * len + i] - mean[r]) * invStd[r] * (scale.data[si[i]] as number) + b;
      }
    }
    const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
    const stat = (v: Float64Array): Tensor => ({ dtype: x.dtype, shape: statShape, data: v });
    return [out, stat(mean), stat(invStd)].slice(0, node.outputs.length);
  },
};
