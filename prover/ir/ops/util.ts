// Helpers the op definitions share: reading ONNX attributes, parameter inputs, elementwise maps.

import { IrError } from "../errors.js";
import type { Attrs } from "../graph.js";
import { allocate, fromOnnx, kindOf, toNumbers, type DType, type Tensor, type ValueType } from "../tensor.js";
import type { NormalizeContext, NormalizedNode } from "./types.js";

/** Every ONNX attribute of the node in IR form: ints/floats → number(s), tensors → IR tensors. */
export function convertAttributes(ctx: NormalizeContext): Attrs {
  const out: Attrs = {};
  for (const [name, a] of ctx.node.attributes) {
    switch (a.kind) {
      case "int":
        out[name] = Number(a.value);
        break;
      case "ints":
        out[name] = a.value.map(Number);
        break;
      case "tensor":
        out[name] = fromOnnx(a.value);
        break;
      case "other":
        break;
      default:
        out[name] = a.value;
    }
  }
  return out;
}

/** The node's present inputs; throws when an omitted one is followed by a present one. */
export function presentInputs(ctx: NormalizeContext): string[] {
  const inputs = [...ctx.node.inputs];
  while (inputs.length > 0 && inputs[inputs.length - 1] === "") inputs.pop();
  if (inputs.includes("")) throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}) omits an input in the middle`);
  return inputs;
}

/** The node as one IR node: `attrs` filled with defaults over the converted attributes. */
export function single(ctx: NormalizeContext, defaults: Attrs = {}, inputs = presentInputs(ctx), op = ctx.node.op): NormalizedNode[] {
  return [{ name: ctx.node.name, op, inputs, outputs: [...ctx.node.outputs], attrs: { ...defaults, ...convertAttributes(ctx) } }];
}

/** The values of parameter input `i` (e.g. Reshape's shape), which must be a constant; undefined when omitted. */
export function paramInput(ctx: NormalizeContext, i: number, what: string): number[] | undefined {
  const name = ctx.node.inputs[i];
  if (name === undefined || name === "") return undefined;
  const t = ctx.constant(i);
  if (!t) {
    throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}): its ${what} ("${name}") must be a constant for a fixed-shape circuit, but it is computed from the input`);
  }
  return toNumbers(t);
}

/** Number of an attribute of the ONNX node, or `fallback`. */
export function numberAttribute(ctx: NormalizeContext, name: string, fallback: number): number {
  const a = ctx.node.attributes.get(name);
  if (a === undefined) return fallback;
  if (a.kind === "int") return Number(a.value);
  if (a.kind === "float") return a.value;
  throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}): attribute "${name}" should be a number`);
}

export function intsAttribute(ctx: NormalizeContext, name: string): number[] | undefined {
  const a = ctx.node.attributes.get(name);
  if (a === undefined) return undefined;
  if (a.kind === "ints" || a.kind === "floats") return a.value.map(Number);
  throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}): attribute "${name}" should be a list of numbers`);
}

export function inputType(ctx: NormalizeContext, i: number): ValueType {
  const t = ctx.inputTypes[i];
  if (!t) throw new IrError(`node "${ctx.node.name}" (${ctx.node.op}) needs input ${i}`);
  return t;
}

/** Requires exactly `n` inputs (or between `min` and `n`). */
export function expectInputs(node: { name: string; op: string }, inputs: readonly unknown[], min: number, max = min): void {
  if (inputs.length < min || inputs.length > max) {
    const range = min === max ? `${min}` : `${min} to ${max}`;
    throw new IrError(`node "${node.name}" (${node.op}) takes ${range} inputs, got ${inputs.length}`);
  }
}

export function expectFloat(node: { name: string; op: string }, t: ValueType, what = "input"): void {
  if (kindOf(t.dtype) !== "float") throw new IrError(`node "${node.name}" (${node.op}): ${what} must be float, got ${t.dtype}`);
}

/** Applies `f` to every element of a float tensor. */
export function mapFloat(t: Tensor, f: (x: number) => number, dtype: DType = t.dtype): Tensor {
  const out = allocate(dtype, t.shape);
  const src = t.data as Float64Array;
  const dst = out.data as Float64Array;
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]);
  return out;
}
