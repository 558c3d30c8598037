// Sliding-window geometry shared by Conv, ConvTranspose and the pools: attribute defaults,
// auto_pad resolved into explicit pads, output sizes, and the input cell under each window tap.

import { IrError } from "../errors.js";
import { attrNumbers, type Attrs, type Node } from "../graph.js";
import { size, strides } from "../tensor.js";
import type { NormalizeContext } from "./types.js";
import { inputType, intsAttribute } from "./util.js";

export interface WindowAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** ONNX layout: all begins, then all ends. */
  pads: number[];
  ceilMode: boolean;
}

/**
 * Fills kernel_shape/strides/dilations/pads for a window over the spatial axes of input 0 and
 * resolves auto_pad (SAME_UPPER, SAME_LOWER, VALID) into explicit pads, so downstream sees only pads.
 * `kernel` comes from the weights for Conv, from kernel_shape for pools.
 */
export function windowAttrs(ctx: NormalizeContext, kernel: number[] | undefined): Attrs {
  const x = inputType(ctx, 0);
  const spatial = x.shape.slice(2);
  const r = spatial.length;
  const where = `node "${ctx.node.name}" (${ctx.node.op})`;
  const k = intsAttribute(ctx, "kernel_shape") ?? kernel;
  if (!k || k.length !== r) throw new IrError(`${where}: kernel_shape must have ${r} entries for a ${r}-D input`);
  const s = intsAttribute(ctx, "strides") ?? new Array<number>(r).fill(1);
  const d = intsAttribute(ctx, "dilations") ?? new Array<number>(r).fill(1);
  let pads = intsAttribute(ctx, "pads") ?? new Array<number>(2 * r).fill(0);
  const autoPad = ctx.node.attributes.get("auto_pad");
  const mode = autoPad?.kind === "string" ? autoPad.value : "NOTSET";
  if (mode === "VALID") pads = new Array<number>(2 * r).fill(0);
  else if (mode === "SAME_UPPER" || mode === "SAME_LOWER") {
    pads = new Array<number>(2 * r).fill(0);
    for (let i = 0; i < r; i++) {
      const out = Math.ceil(spatial[i] / s[i]);
      const total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - spatial[i]);
      const small = Math.floor(total / 2);
      pads[i] = mode === "SAME_UPPER" ? small : total - small;
      pads[i + r] = total - pads[i];
    }
  } else if (mode !== "NOTSET") throw new IrError(`${where}: unknown auto_pad "${mode}"`);
  if (s.length !== r || d.length !== r || pads.length !== 2 * r) throw new IrError(`${where}: strides, dilations or pads do not match the ${r} spatial axes`);
  return { kernel_shape: k, strides: s, dilations: d, pads };
}

export function readWindow(node: Node): WindowAttrs {
  return {
    kernel: attrNumbers(node, "kernel_shape"),
    strides: attrNumbers(node, "strides"),
    dilations: attrNumbers(node, "dilations"),
    pads: attrNumbers(node, "pads"),
    // Only the pools have ceil_mode.
    ceilMode: node.attrs.ceil_mode === 1,
  };
}

/** Output spatial sizes of a window; ceil mode drops a last window that would start in the end padding. */
export function windowOutput(spatial: readonly number[], w: WindowAttrs, where: string): number[] {
  const r = spatial.length;
  return spatial.map((n, i) => {
    const span = (w.kernel[i] - 1) * w.dilations[i] + 1;
    const padded = n + w.pads[i] + w.pads[i + r];
    if (padded < span) throw new IrError(`${where}: the window (${span}) is larger than the padded input (${padded}) on axis ${i + 2}`);
    const q = (padded - span) / w.strides[i];
    let out = (w.ceilMode ? Math.ceil(q) : Math.floor(q)) + 1;
    if (w.ceilMode && (out - 1) * w.strides[i] >= n + w.pads[i]) out--;
    return out;
  });
}

/**
 * For each output position (row-major) and kernel tap (row-major), the flat spatial index of the
 * input cell it reads, or -1 where the tap falls in padding. Also, per output position, the number
 * of taps inside the input and the number inside the padded input (for AveragePool's divisor).
 */
export function windowTaps(spatial: readonly number[], outSpatial: readonly number[], w: WindowAttrs) {
  const r = spatial.length;
  const outCount = size(outSpatial);
  const kCount = size(w.kernel);
  const taps = new Int32Array(outCount * kCount);
  const inside = new Int32Array(outCount);
  const insidePadded = new Int32Array(outCount);
  const inStrides = strides(spatial);
  const outStrides = strides(outSpatial);
  const kStrides = strides(w.kernel);
  for (let o = 0; o < outCount; o++) {
    for (let t = 0; t < kCount; t++) {
      let flat = 0;
      let inInput = true;
      let inPadded = true;
      for (let a = 0; a < r; a++) {
        const oa = Math.floor(o / outStrides[a]) % outSpatial[a];
        const ka = Math.floor(t / kStrides[a]) % w.kernel[a];
        const pos = oa * w.strides[a] + ka * w.dilations[a] - w.pads[a];
        if (pos < 0 || pos >= spatial[a]) inInput = false;
        if (pos < -w.pads[a] || pos >= spatial[a] + w.pads[a + r]) inPadded = false;
        flat += pos * inStrides[a];
      }
      taps[o * kCount + t] = inInput ? flat : -1;
      if (inInput) inside[o]++;
      if (inPadded) insidePadded[o]++;
    }
  }
  return { taps, kCount, outCount, inside, insidePadded };
}
