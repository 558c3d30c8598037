// ReduceMean/Sum/Max/Min/Prod/SumSquare, ArgMax/ArgMin, GlobalAveragePool/GlobalMaxPool.
// Normalised attrs: axes (sorted, non-negative; [] = no-op) and keepdims.

import { IrError } from "../errors.js";
import { attrNumber, attrNumbers, type Node } from "../graph.js";
import { allocate, normalizeAxis, size, strides, type Tensor, type ValueType } from "../tensor.js";
import type { NormalizeContext, OpDef } from "./types.js";
import { expectInputs, inputType, numberAttribute, intsAttribute, paramInput } from "./util.js";

/** Opset from which each reduction takes its axes as an input rather than an attribute. */
const AXES_INPUT_SINCE: Record<string, number> = { ReduceSum: 13 };
const DEFAULT_AXES_INPUT_SINCE = 18;

function reduceAxes(ctx: NormalizeContext): number[] {
  const rank = inputType(ctx, 0).shape.length;
  const since = AXES_INPUT_SINCE[ctx.node.op] ?? DEFAULT_AXES_INPUT_SINCE;
  const axes = ctx.opset >= since ? paramInput(ctx, 1, "axes") : intsAttribute(ctx, "axes");
  const where = `node "${ctx.node.name}" (${ctx.node.op})`;
  if (!axes || axes.length === 0) {
    const noop = ctx.opset >= since && numberAttribute(ctx, "noop_with_empty_axes", 0) === 1;
    return noop ? [] : Array.from({ length: rank }, (_, i) => i);
  }
  return [...new Set(axes.map((a) => normalizeAxis(a, rank, where)))].sort((a, b) => a - b);
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** For each input element, the flat index of the output element it reduces into. */
function reductionTargets(shape: readonly number[], axes: readonly number[]): { target: Int32Array; outCount: number } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStrides = strides(kept);
  const n = size(shape);
  const inStrides = strides(shape);
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let flat = 0;
    for (let a = 0; a < shape.length; a++) if (!axes.includes(a)) flat += (Math.floor(i / inStrides[a]) % shape[a]) * keptStrides[a];
    target[i] = flat;
  }
  return { target, outCount: size(kept) };
}

type Reducer = { init: number; step: (acc: number, v: number) => number; finish?: (acc: number, count: number) => number };

const REDUCERS: Record<string, Reducer> = {
  ReduceSum: { init: 0, step: (a, v) => a + v },
  ReduceMean: { init: 0, step: (a, v) => a + v, finish: (a, n) => a / n },
  ReduceMax: { init: -Infinity, step: (a, v) => (v > a ? v : a) },
  ReduceMin: { init: Infinity, step: (a, v) => (v < a ? v : a) },
  ReduceProd: { init: 1, step: (a, v) => a * v },
  ReduceSumSquare: { init: 0, step: (a, v) => a + v * v },
  ReduceL1: { init: 0, step: (a, v) => a + Math.abs(v) },
  ReduceL2: { init: 0, step: (a, v) => a + v * v, finish: (a) => Math.sqrt(a) },
  GlobalAveragePool: { init: 0, step: (a, v) => a + v, finish: (a, n) => a / n },
  GlobalMaxPool: { init: -Infinity, step: (a, v) => (v > a ? v : a) },
};

function reduceFloat(x: Tensor, axes: number[], keepdims: boolean, r: Reducer): Tensor {
  const { target, outCount } = reductionTargets(x.shape, axes);
  const acc = new Float64Array(outCount).fill(r.init);
  const src = x.data;
  for (let i = 0; i < src.length; i++) acc[target[i]] = r.step(acc[target[i]], Number(src[i]));
  const out = allocate(x.dtype, reducedShape(x.shape, axes, keepdims));
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  for (let o = 0; o < outCount; o++) {
    const v = r.finish ? r.finish(acc[o], count) : acc[o];
    out.data[o] = out.data instanceof BigInt64Array ? BigInt(Math.trunc(v)) : v;
  }
  return out;
}

function reduce(op: string): OpDef {
  const global = op.startsWith("Global");
  return {
    normalize(ctx) {
      const rank = inputType(ctx, 0).shape.length;
      const axes = global ? Array.from({ length: rank - 2 }, (_, i) => i + 2) : reduceAxes(ctx);
      const keepdims = global ? 1 : numberAttribute(ctx, "keepdims", 1);
      return [{ name: ctx.node.name, op, inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs: { axes, keepdims } }];
    },
    inferShape(node: Node, inputs: ValueType[]) {
      expectInputs(node, inputs, 1);
      if (inputs[0].dtype === "bool") throw new IrError(`node "${node.name}" (${op}) does not take bool inputs`);
      return [{ dtype: inputs[0].dtype, shape: reducedShape(inputs[0].shape, attrNumbers(node, "axes"), attrNumber(node, "keepdims") !== 0) }];
    },
    evaluate: (node, [x]) => [reduceFloat(x, attrNumbers(node, "axes"), attrNumber(node, "keepdims") !== 0, REDUCERS[op])],
  };
}

function argReduce(op: "ArgMax" | "ArgMin"): OpDef {
  return {
    normalize(ctx) {
      const rank = inputType(ctx, 0).shape.length;
      const attrs = {
        axis: normalizeAxis(numberAttribute(ctx, "axis", 0), rank, `node "${ctx.node.name}" (${op})`),
        keepdims: numberAttribute(ctx, "keepdims", 1),
        select_last_index: numberAttribute(ctx, "select_last_index", 0),
      };
      return [{ name: ctx.node.name, op, inputs: [ctx.node.inputs[0]], outputs: [ctx.node.outputs[0]], attrs }];
    },
    inferShape(node, inputs) {
      expectInputs(node, inputs, 1);
      return [{ dtype: "int64", shape: reducedShape(inputs[0].shape, [attrNumber(node, "axis")], attrNumber(node, "keepdims") !== 0) }];
    },
    evaluate(node, [x]) {
      const axis = attrNumber(node, "axis");
      const last = attrNumber(node, "select_last_index") !== 0;
      const { target, outCount } = reductionTargets(x.shape, [axis]);
      const best = new Float64Array(outCount).fill(NaN);
      const out = allocate("int64", reducedShape(x.shape, [axis], attrNumber(node, "keepdims") !== 0));
      const axisStride = strides(x.shape)[axis];
      const better = op === "ArgMax" ? (v: number, b: number) => v > b || (last && v === b) : (v: number, b: number) => v < b || (last && v === b);
      for (let i = 0; i < x.data.length; i++) {
        const v = Number(x.data[i]);
        const o = target[i];
        if (Number.isNaN(best[o]) || better(v, best[o])) {
          best[o] = v;
          out.data[o] = BigInt(Math.floor(i / axisStride) % x.shape[axis]);
        }
      }
      return [out];
    },
  };
}

export const REDUCE_OPS: Record<string, OpDef> = {
  ...Object.fromEntries(Object.keys(REDUCERS).map((op) => [op, reduce(op)])),
  ArgMax: argReduce("ArgMax"),
  ArgMin: argReduce("ArgMin"),
};
