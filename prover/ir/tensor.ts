// IR tensors: every element type computes in one of three forms, float (Float64Array),
// integer (BigInt64Array) and bool (Uint8Array of 0/1), so ops handle three cases, not eleven.

import type { ElementType, OnnxTensor } from "../onnx/tensor.js";
import { IrError } from "./errors.js";

export type DType = ElementType;
export type TensorData = Float64Array | BigInt64Array | Uint8Array;
export type DataKind = "float" | "int" | "bool";

export interface Tensor {
  dtype: DType;
  shape: number[];
  data: TensorData;
}

/** The type of a value in the graph. */
export interface ValueType {
  dtype: DType;
  shape: number[];
}

export function kindOf(dtype: DType): DataKind {
  if (dtype === "float32" || dtype === "float64") return "float";
  if (dtype === "bool") return "bool";
  return "int";
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of `shape`. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

export function allocate(dtype: DType, shape: readonly number[]): Tensor {
  const n = size(shape);
  const kind = kindOf(dtype);
  const data = kind === "float" ? new Float64Array(n) : kind === "int" ? new BigInt64Array(n) : new Uint8Array(n);
  return { dtype, shape: [...shape], data };
}

export function floats(t: Tensor): Float64Array {
  if (!(t.data instanceof Float64Array)) throw new IrError(`expected a float tensor, got ${t.dtype}`);
  return t.data;
}

export function ints(t: Tensor): BigInt64Array {
  if (!(t.data instanceof BigInt64Array)) throw new IrError(`expected an integer tensor, got ${t.dtype}`);
  return t.data;
}

/** Elements as JS numbers (integers beyond 2^53 lose precision: fine for indices and sizes). */
export function toNumbers(t: Tensor): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** Converts a loaded ONNX tensor into its IR form. */
export function fromOnnx(t: OnnxTensor): Tensor {
  const out = allocate(t.dtype, t.dims);
  const src = t.data as ArrayLike<number | bigint>;
  const dst = out.data;
  if (dst instanceof BigInt64Array) for (let i = 0; i < dst.length; i++) dst[i] = BigInt.asIntN(64, BigInt(src[i]));
  else if (dst instanceof Float64Array) for (let i = 0; i < dst.length; i++) dst[i] = Number(src[i]);
  else for (let i = 0; i < dst.length; i++) dst[i] = src[i] ? 1 : 0;
  return out;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Numpy-style broadcast of shapes; throws IrError when they do not broadcast. */
export function broadcastShapes(shapes: readonly (readonly number[])[], where: string): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] !== 1) throw new IrError(`${where}: shapes ${shapes.map((x) => `[${x}]`).join(", ")} do not broadcast`);
      out[j] = d;
    }
  }
  return out;
}

/** For each element of `outShape`, the flat index of the element of `shape` it broadcasts from. */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = size(outShape);
  const index = new Int32Array(n);
  const rank = outShape.length;
  const inStrides = strides(shape);
  // Stride 0 along broadcast axes.
  const s = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = rank - shape.length + i;
    s[j] = shape[i] === 1 ? 0 : inStrides[i];
  }
  const counter = new Array<number>(rank).fill(0);
  let flat = 0;
  for (let k = 0; k < n; k++) {
    index[k] = flat;
    for (let a = rank - 1; a >= 0; a--) {
      counter[a]++;
      flat += s[a];
      if (counter[a] < outShape[a]) break;
      flat -= s[a] * counter[a];
      counter[a] = 0;
    }
  }
  return index;
}

/** Normalises a possibly negative axis against `rank`; throws IrError when out of range. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new IrError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Gathers `t`'s elements at the given flat indices into a new tensor of `shape`. */
export function gatherFlat(t: Tensor, index: ArrayLike<number>, shape: readonly number[]): Tensor {
  const out = allocate(t.dtype, shape);
  const src = t.data;
  const dst = out.data;
  for (let i = 0; i < dst.length; i++) dst[i] = src[index[i]];
  return out;
}
