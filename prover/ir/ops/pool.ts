// MaxPool and AveragePool over explicit pads, with ceil_mode and (AveragePool) count_include_pad.

import { IrError } from "../errors.js";
import { allocate } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, numberAttribute } from "./util.js";
import { readWindow, windowAttrs, windowOutput, windowTaps } from "./window.js";

function pool(kind: "max" | "average"): OpDef {
  return {
    normalize(ctx) {
      if (ctx.node.outputs.filter(Boolean).length > 1) throw new IrError(`node "${ctx.node.name}" (MaxPool): the Indices output is not supported`);
      const attrs = { ...windowAttrs(ctx, undefined), ceil_mode: numberAttribute(ctx, "ceil_mode", 0) };
      if (kind === "average") Object.assign(attrs, { count_include_pad: numberAttribute(ctx, "count_include_pad", 0) });
      return [{ name: ctx.node.name, op: ctx.node.op, inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs }];
    },
    inferShape(node, inputs) {
      expectInputs(node, inputs, 1);
      expectFloat(node, inputs[0]);
      const x = inputs[0];
      if (x.shape.length < 3) throw new IrError(`node "${node.name}" (${node.op}): input [${x.shape}] has no spatial axes`);
      const out = windowOutput(x.shape.slice(2), readWindow(node), `node "${node.name}" (${node.op})`);
      return [{ dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...out] }];
    },
    evaluate(node, [x]) {
      const win = readWindow(node);
      const spatial = x.shape.slice(2);
      const outSpatial = windowOutput(spatial, win, node.name);
      const { taps, kCount, outCount, inside, insidePadded } = windowTaps(spatial, outSpatial, win);
      const inCount = spatial.reduce((a, b) => a * b, 1);
      const planes = x.shape[0] * x.shape[1];
      const out = allocate(x.dtype, [x.shape[0], x.shape[1], ...outSpatial]);
      const X = x.data as Float64Array;
      const Y = out.data as Float64Array;
      const includePad = node.attrs.count_include_pad === 1;
      for (let p = 0; p < planes; p++) {
        for (let o = 0; o < outCount; o++) {
          let acc = kind === "max" ? -Infinity : 0;
          for (let t = 0; t < kCount; t++) {
            const cell = taps[o * kCount + t];
            if (cell < 0) continue;
            const v = X[p * inCount + cell];
            acc = kind === "max" ? Math.max(acc, v) : acc + v;
          }
          Y[p * outCount + o] = kind === "max" ? acc : acc / (includePad ? insidePadded[o] : inside[o]);
        }
      }
      return [out];
    },
  };
}

export const maxPool = pool("max");
export const averagePool = pool("average");
