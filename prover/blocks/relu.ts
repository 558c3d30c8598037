// ReLU without a table bigger than its range check: v = y − z with y, z ∈ [0, 2^bits) and
// y·z = 0, so one of them is 0 and y = max(v, 0), z = max(−v, 0). The input may be an affine map
// v = s·x + k of a cell at no extra cost.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { rangeCheckCells } from "./range-check.js";

const { FIXED } = layout;

export interface ReluOptions {
  /** |v| < 2^bits: the range both parts are checked against. */
  bits: number;
  /** v = s·x + k (defaults 1, 0). */
  scale?: bigint;
  offset?: bigint;
  what?: string;
}

/**
 * y = max(v, 0) and z = max(−v, 0) for v = s·x + k. Constraints: y − z = v, y, z ∈ [0, 2^bits),
 * y·z = 0. They imply v ∈ (−2^bits, 2^bits) (no premise on x) and the two maxima. Rows: 3 when
 * bits fit the limb width (row 0: a = y looked up, c = x, a − s·c − k − a_next = 0; row 1: a = z
 * looked up; row 2: y·z = 0).
 */
export function reluParts(b: CircuitBuilder, x: Cell, opts: ReluOptions): { y: Cell; z: Cell } {
  const s = opts.scale ?? 1n;
  const k = opts.offset ?? 0n;
  if (!Number.isInteger(opts.bits) || opts.bits < 1) throw new CircuitError(`relu: ${opts.bits} bits`);
  const v = s * signedValue(b, x) + k;
  const bound = (1n << BigInt(opts.bits)) - 1n;
  if (v < -bound || v > bound) throw new BlockRangeError(opts.what ?? "relu input", v, -bound, bound);
  const r0 = b.row();
  const y = b.cell(WIRE.a, r0);
  b.assign(y, v > 0n ? v : 0n);
  b.copyInto(x, WIRE.c, r0);
  b.setFixed(r0, FIXED.qL, 1n);
  b.setFixed(r0, FIXED.qO, -s);
  b.setFixed(r0, FIXED.qC, -k);
  b.setFixed(r0, FIXED.qN, -1n);
  const r1 = b.row();
  const z = b.cell(WIRE.a, r1);
  b.assign(z, v < 0n ? -v : 0n);
  const r2 = b.row();
  const ya = b.cell(WIRE.a, r2);
  const zb = b.cell(WIRE.b, r2);
  b.assign(ya, b.value(y));
  b.assign(zb, b.value(z));
  b.copy(y, ya);
  b.copy(z, zb);
  b.setFixed(r2, FIXED.qM, 1n);
  rangeCheckCells(b, [y, z], opts.bits);
  return { y, z };
}

/** max(x, 0) for |x| < 2^bits (see reluParts). */
export function relu(b: CircuitBuilder, x: Cell, bits: number): Cell {
  return reluParts(b, x, { bits }).y;
}
