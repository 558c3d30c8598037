// Conv: X [N, C, …spatial], W [M, C/group, …kernel], optional B [M]; pads explicit (auto_pad resolved).

import { IrError } from "../errors.js";
import { attrNumber } from "../graph.js";
import { allocate, size } from "../tensor.js";
import type { OpDef } from "./types.js";
import { expectFloat, expectInputs, inputType, numberAttribute, presentInputs } from "./util.js";
import { readWindow, windowAttrs, windowOutput, windowTaps } from "./window.js";

export const conv: OpDef = {
  normalize(ctx) {
    const w = inputType(ctx, 1);
    const attrs = { ...windowAttrs(ctx, w.shape.slice(2)), group: numberAttribute(ctx, "group", 1) };
    return [{ name: ctx.node.name, op: "Conv", inputs: presentInputs(ctx), outputs: [ctx.node.outputs[0]], attrs }];
  },
  inferShape(node, inputs) {
    expectInputs(node, inputs, 2, 3);
    for (const t of inputs) expectFloat(node, t);
    const [x, w, b] = inputs;
    const where = `node "${node.name}" (Conv)`;
    const group = attrNumber(node, "group");
    if (x.shape.length < 3 || w.shape.length !== x.shape.length) throw new IrError(`${where}: X [${x.shape}] and W [${w.shape}] ranks do not fit`);
    const [n, c] = x.shape;
    const m = w.shape[0];
    if (c !== w.shape[1] * group || m % group !== 0) throw new IrError(`${where}: ${c} input channels, group ${group} and W [${w.shape}] do not fit`);
    if (b && (b.shape.length !== 1 || b.shape[0] !== m)) throw new IrError(`${where}: bias of shape [${b.shape}] should be [${m}]`);
    const win = readWindow(node);
    if (!win.kernel.every((k, i) => k === w.shape[i + 2])) throw new IrError(`${where}: kernel_shape [${win.kernel}] differs from W [${w.shape}]`);
    return [{ dtype: x.dtype, shape: [n, m, ...windowOutput(x.shape.slice(2), win, where)] }];
  },
  evaluate(node, [x, w, b]) {
    const win = readWindow(node);
    const group = attrNumber(node, "group");
    const spatial = x.shape.slice(2);
    const outSpatial = windowOutput(spatial, win, node.name);
    const [n, c] = x.shape;
    const m = w.shape[0];
    const cg = c / group;
    const mg = m / group;
    const { taps, kCount, outCount } = windowTaps(spatial, outSpatial, win);
    const inCount = size(spatial);
    const out = allocate(x.dtype, [n, m, ...outSpatial]);
    const X = x.data as Float64Array;
    const W = w.data as Float64Array;
    const Y = out.data as Float64Array;
    for (let bn = 0; bn < n; bn++) {
      for (let oc = 0; oc < m; oc++) {
        const g = Math.floor(oc / mg);
        const bias = b ? (b.data[oc] as number) : 0;
        const yBase = (bn * m + oc) * outCount;
        for (let o = 0; o < outCount; o++) {
          let acc = bias;
          for (let ic = 0; ic < cg; ic++) {
            const xBase = (bn * c + g * cg + ic) * inCount;
            const wBase = (oc * cg + ic) * kCount;
            for (let t = 0; t < kCount; t++) {
              const cell = taps[o * kCount + t];
              if (cell >= 0) acc += X[xBase + cell] * W[wBase + t];
            }
          }
          Y[yBase + o] = acc;
        }
      }
    }
    return [out];
  },
};
