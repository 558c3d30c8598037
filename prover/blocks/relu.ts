// ReLU by the signed range tables {(v, relu(v))}: a value range-checked in one lookup row has its
// ReLU in that row's b, so ReLU of a signed (bits)-bit value is that one row (reluSigned). For
// |v| < 2^bits (a symmetric range, as the piecewise-linear ops need) both v and −v are looked up
// in the table of bits + 1, giving y = max(v, 0) and z = max(−v, 0) (reluParts). The input may be
// an affine map v = s·x + k of a cell at no extra cost.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { checkSigned, limbBits, lookupSignedAt, rangeCheckCells } from "./range-check.js";

const { FIXED } = layout;

export interface ReluOptions {
  /** |v| < 2^bits: the range v is checked against. */
  bits: number;
  /** v = s·x + k (defaults 1, 0). */
  scale?: bigint;
  offset?: bigint;
  what?: string;
}

/**
 * relu(x) for −2^(bits−1) ≤ x < 2^(bits−1): one lookup row (a = x, b = relu(x)) of the signed table
 * of `bits`, which is also x's range check (checkSigned). Throws BlockRangeError for x outside.
 */
export function reluSigned(b: CircuitBuilder, x: Cell, bits: number, what = "relu input"): Cell {
  return checkSigned(b, x, bits, what);
}

/**
 * y = max(v, 0) and z = max(−v, 0) for v = s·x + k. Constraints, when bits + 1 fit the limb width:
 * (−v, z) and (v, y) are entries of the signed table of bits + 1, so −2^bits ≤ v < 2^bits and
 * −2^bits ≤ −v < 2^bits: v ∈ (−2^bits, 2^bits) (no premise on x), y = relu(v), z = relu(−v). Rows: 2
 * (row 0: a = −v, b = z, a + a_next = 0; row 1: a = v, b = y, c = x, a − s·c − k = 0). Wider:
 * y − z = v, y·z = 0 and y, z ∈ [0, 2^bits) by limbed range checks (3 rows + the checks).
 */
export function reluParts(b: CircuitBuilder, x: Cell, opts: ReluOptions): { y: Cell; z: Cell } {
  const s = opts.scale ?? 1n;
  const k = opts.offset ?? 0n;
  if (!Number.isInteger(opts.bits) || opts.bits < 1) throw new CircuitError(`relu: ${opts.bits} bits`);
  const v = s * signedValue(b, x) + k;
  const bound = (1n << BigInt(opts.bits)) - 1n;
  if (v < -bound || v > bound) throw new BlockRangeError(opts.what ?? "relu input", v, -bound, bound);
  if (opts.bits + 1 <= limbBits(b)) {
    const r0 = b.row();
    const z = lookupSignedAt(b, r0, opts.bits + 1, -v);
    b.setFixed(r0, FIXED.qL, 1n);
    b.setFixed(r0, FIXED.qN, 1n);
    const r1 = b.row();
    const y = lookupSignedAt(b, r1, opts.bits + 1, v);
    b.copyInto(x, WIRE.c, r1);
    b.setFixed(r1, FIXED.qL, 1n);
    b.setFixed(r1, FIXED.qO, -s);
    b.setFixed(r1, FIXED.qC, -k);
    return { y, z };
  }
  // Row 0: a = y, c = x, a − s·c − k − a_next = 0 (a_next = z); row 1: a = z; row 2: y·z = 0.
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
  b.copyInto(y, WIRE.a, r2);
  b.copyInto(z, WIRE.b, r2);
  b.setFixed(r2, FIXED.qM, 1n);
  rangeCheckCells(b, [y, z], opts.bits);
  return { y, z };
}

/** max(x, 0) for |x| < 2^bits (see reluParts). */
export function relu(b: CircuitBuilder, x: Cell, bits: number): Cell {
  return reluParts(b, x, { bits }).y;
}
