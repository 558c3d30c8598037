// ConvTranspose: X [N, C, …], W [C, M/group, …kernel], optional B [M]. Pads are made explicit from
// auto_pad or output_shape, so out = stride·(in−1) + output_padding + (k−1)·dilation + 1 − pads.

import { IrError } from "../errors.js";
import { attrNumber, attrNumbers } from "../graph.js";
import { allocate, size, strides } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, inputType, numberAttribute, intsAttribute, presentInputs } from "./util.js";

export const convTranspose: OpDef = {
  normalize(ctx) {
    const x = inputType(ctx, 0).shape;
    const w = inputType(ctx, 1).shape;
    const r = x.length - 2;
    const where = `node "${ctx.node.name}" (ConvTranspose)`;
    const k = intsAttribute(ctx, "kernel_shape") ?? w.slice(2);
    const s = intsAttribute(ctx, "strides") ?? new Array<number>(r).fill(1);
    const d = intsAttribute(ctx, "dilations") ?? new Array<number>(r).fill(1);
    const outPad = intsAttribute(ctx, "output_padding") ?? new Array<number>(r).fill(0);
    let pads = intsAttribute(ctx, "pads") ?? new Array<number>(2 * r).fill(0);
    const autoPad = ctx.node.attributes.get("auto_pad");
    const mode = autoPad?.kind === "string" ? autoPad.value : "NOTSET";
    let outputShape = intsAttribute(ctx, "output_shape");
    if (outputShape && outputShape.length === r + 2) outputShape = outputShape.slice(2);
    if (!outputShape && (mode === "SAME_UPPER" || mode === "SAME_LOWER")) outputShape = x.slice(2).map((n, i) => n * s[i]);
    if (mode === "VALID") pads = new Array<number>(2 * r).fill(0);
    if (outputShape) {
      pads = new Array<number>(2 * r).fill(0);
      for (let i = 0; i < r; i++) {
        const total = s[i] * (x[i + 2] - 1) + outPad[i] + (k[i] - 1) * d[i] + 1 - outputShape[i];
        const half = Math.floor(total / 2);
        pads[i] = mode === "SAME_UPPER" ? half : total - half;
        pads[i + r] = total - pads[i];
      }
    }
    if ([k, s, d, outPad].some((v) => v.length !== r) || pads.length !== 2 * r) throw new IrError(`${where}: attributes do not match the ${r} spatial axes`);
    const attrs = { kernel_shape: k, strides: s, dilations: d, pads, output_padding: outPad, group: numberAttribute(ctx, "group", 1) };
    return [{ name: ctx.node.name, op: "ConvTranspose", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 2, 3);
    for (const t of inputs) expectFloat(node, t);
    const [x, w, b] = inputs;
    const where = `node "${node.name}" (ConvTranspose)`;
    const group = attrNumber(node, "group");
    if (x.shape.length < 3 || w.shape.length !== x.shape.length || w.shape[0] !== x.shape[1]) {
      throw new IrError(`${where}: X [${x.shape}] and W [${w.shape}] do not fit`);
    }
    const m = w.shape[1] * group;
    if (b && (b.shape.length !== 1 || b.shape[0] !== m)) throw new IrError(`${where}: bias of shape [${b.shape}] should be [${m}]`);
    return [{ dtype: x.dtype, shape: [x.shape[0], m, ...outputSpatial(node, x.shape.slice(2))] }];
  },
  evaluate(node, [x, w, b]) {
    const k = attrNumbers(node, "kernel_shape");
    const s = attrNumbers(node, "strides");
    const d = attrNumbers(node, "dilations");
    const pads = attrNumbers(node, "pads");
    const group = attrNumber(node, "group");
    const spatial = x.shape.slice(2);
    const outSpatial = outputSpatial(node, spatial);
    const r = spatial.length;
    const [n, c] = x.shape;
    const mg = w.shape[1];
    const m = mg * group;
    const cg = c / group;
    const inCount = size(spatial);
    const outCount = size(outSpatial);
    const kCount = size(k);
    // Output cell each (input cell, kernel tap) scatters to, or -1 when it lands in the cropped pads.
    const target = new Int32Array(inCount * kCount);
    const inStrides = strides(spatial);
    const outStrides = strides(outSpatial);
    const kStrides = strides(k);
    for (let i = 0; i < inCount; i++) {
      for (let t = 0; t < kCount; t++) {
        let flat = 0;
        for (let a = 0; a < r && flat >= 0; a++) {
          const pos = (Math.floor(i / inStrides[a]) % spatial[a]) * s[a] + (Math.floor(t / kStrides[a]) % k[a]) * d[a] - pads[a];
          flat = pos < 0 || pos >= outSpatial[a] ? -1 : flat + pos * outStrides[a];
        }
        target[i * kCount + t] = flat;
      }
    }
    const out = allocate(x.dtype, [n, m, ...outSpatial]);
    const X = x.data as Float64Array;
    const W = w.data as Float64Array;
    const Y = out.data as Float64Array;
    for (let bn = 0; bn < n; bn++) {
      for (let oc = 0; oc < m; oc++) {
        const g = Math.floor(oc / mg);
        const yBase = (bn * m + oc) * outCount;
        if (b) Y.fill(b.data[oc] as number, yBase, yBase + outCount);
        for (let ic = g * cg; ic < (g + 1) * cg; ic++) {
          const xBase = (bn * c + ic) * inCount;
          const wBase = (ic * mg + (oc - g * mg)) * kCount;
          for (let i = 0; i < inCount; i++) {
            const v = X[xBase + i];
            for (let t = 0; t < kCount; t++) {
              const o = target[i * kCount + t];
              if (o >= 0) Y[yBase + o] += v * W[wBase + t];
            }
          }
        }
      }
    }
    return [out];
  },
};

function outputSpatial(node: Parameters<OpDef["evaluate"]>[0], spatial: readonly number[]): number[] {
  const k = attrNumbers(node, "kernel_shape");
  const s = attrNumbers(node, "strides");
  const d = attrNumbers(node, "dilations");
  const pads = attrNumbers(node, "pads");
  const outPad = attrNumbers(node, "output_padding");
  const r = spatial.length;
  return spatial.map((n, i) => s[i] * (n - 1) + outPad[i] + (k[i] - 1) * d[i] + 1 - pads[i] - pads[i + r]);
}
