// Pad: attributes before opset 11, inputs since (axes from 18). Normalised: pads for every axis
// (all begins, then all ends; negative crops), mode (constant | reflect | edge | wrap) and value.

import { IrError } from "../errors.js";
import { attrNumber, attrNumbers, attrString } from "../graph.js";
import { allocate, normalizeAxis, size, strides } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectInputs, inputType, intsAttribute, paramInput } from "./util.js";

const MODES = ["constant", "reflect", "edge", "wrap"];

function sourceIndex(i: number, n: number, mode: string): number {
  if (i >= 0 && i < n) return i;
  if (mode === "constant") return -1;
  if (mode === "edge") return i < 0 ? 0 : n - 1;
  if (mode === "wrap") return ((i % n) + n) % n;
  // reflect: mirror without repeating the edge; period 2(n−1).
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

export const pad: OpDef = {
  normalize(ctx) {
    const rank = inputType(ctx, 0).shape.length;
    const where = `node "${ctx.node.name}" (Pad)`;
    const modeAttr = ctx.node.attributes.get("mode");
    const mode = modeAttr?.kind === "string" ? modeAttr.value : "constant";
    if (!MODES.includes(mode)) throw new IrError(`${where}: unknown mode "${mode}"`);
    let pads: number[] | undefined;
    let value = 0;
    if (ctx.opset < 11) {
      pads = intsAttribute(ctx, "pads") ?? intsAttribute(ctx, "paddings");
      const v = ctx.node.attributes.get("value");
      if (v?.kind === "float") value = v.value;
    } else {
      const given = paramInput(ctx, 1, "pads");
      value = paramInput(ctx, 2, "constant_value")?.[0] ?? 0;
      const axes = paramInput(ctx, 3, "axes")?.map((a) => normalizeAxis(a, rank, where));
      if (given && axes) {
        pads = new Array<number>(2 * rank).fill(0);
        axes.forEach((a, i) => {
          pads![a] = given[i];
          pads![a + rank] = given[i + axes.length];
        });
      } else pads = given;
    }
    if (!pads || pads.length !== 2 * rank) throw new IrError(`${where}: pads must have ${2 * rank} entries for rank ${rank}`);
    return [{ name: ctx.node.name, op: "Pad", inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { pads, mode, value } }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 1);
    const pads = attrNumbers(node, "pads");
    const r = inputs[0].shape.length;
    const shape = inputs[0].shape.map((d, i) => d + pads[i] + pads[i + r]);
    if (shape.some((d) => d < 0)) throw new IrError(`node "${node.name}" (Pad): pads [${pads}] crop [${inputs[0].shape}] below zero`);
    if (attrString(node, "mode") !== "constant" && inputs[0].shape.some((d, i) => d === 0 && shape[i] > 0)) {
      throw new IrError(`node "${node.name}" (Pad): cannot ${attrString(node, "mode")}-pad an empty axis`);
    }
    return [{ dtype: inputs[0].dtype, shape }];
  },
  evaluate(node, [x]) {
    const pads = attrNumbers(node, "pads");
    const mode = attrString(node, "mode");
    const value = attrNumber(node, "value");
    const r = x.shape.length;
    const outShape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
    const out = allocate(x.dtype, outShape);
    const fill = out.data instanceof BigInt64Array ? BigInt(Math.trunc(value)) : value;
    const inStrides = strides(x.shape);
    const outStrides = strides(outShape);
    for (let o = 0; o < size(outShape); o++) {
      let flat = 0;
      for (let a = 0; a < r && flat >= 0; a++) {
        const src = sourceIndex((Math.floor(o / outStrides[a]) % outShape[a]) - pads[a], x.shape[a], mode);
        flat = src < 0 ? -1 : flat + src * inStrides[a];
      }
      out.data[o] = flat < 0 ? fill : x.data[flat];
    }
    return [out];
  },
};
