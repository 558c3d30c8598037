// Range checks: lo ≤ x ≤ hi for integers encoded as field elements, by logUp lookups into the
// signed range tables {(v, relu(v)) : −2^(w−1) ≤ v < 2^(w−1)} (docs/protocol.md §3.5), one per
// width per circuit, shared by every block and the compiler (keyed tables). A range up to the
// circuit's limb width is one lookup row (shifted into the signed range by the row's gate when it
// is not signed); wider ranges are split into limbs, each looked up, whose weighted sum is copied
// to the value. A range whose width is not a power of two is two checks, x − lo ≥ 0 and hi − x ≥ 0.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { linearCombination } from "./linear-combination.js";

const { FIXED } = layout;

/** An integer range lo … hi (both included). */
export interface IntRange {
  lo: bigint;
  hi: bigint;
}

/** [0, 2^bits − 1]. */
export function unsignedRange(bits: number): IntRange {
  return { lo: 0n, hi: (1n << BigInt(bits)) - 1n };
}

/** [−2^(bits−1), 2^(bits−1) − 1]: a bits-wide two's-complement range. */
export function signedRange(bits: number): IntRange {
  const half = 1n << BigInt(bits - 1);
  return { lo: -half, hi: half - 1n };
}

/** The smallest w with hi − lo < 2^w. */
export function widthBits(range: IntRange): number {
  checkRangeShape(range);
  const span = range.hi - range.lo;
  return span === 0n ? 0 : span.toString(2).length;
}

function checkRangeShape(range: IntRange): void {
  if (range.hi < range.lo) throw new CircuitError(`empty range [${range.lo}, ${range.hi}]`);
}

/** Widest range table the blocks use (range tables hold 2^bits rows). */
export const MAX_TABLE_BITS = 24;
/** Limb width of a circuit unless set otherwise: tables of 2^16 rows. */
export const DEFAULT_LIMB_BITS = 16;

const limbWidths = new WeakMap<CircuitBuilder, number>();

/**
 * Sets the widest range table a circuit's blocks use (its limb width); wider ranges are split into
 * limbs. Choose it from the circuit's size: a table of 2^bits rows costs nothing while the circuit
 * has more rows than that.
 */
export function setLimbBits(b: CircuitBuilder, bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_TABLE_BITS) throw new CircuitError(`limb width ${bits} is not in 1…${MAX_TABLE_BITS}`);
  limbWidths.set(b, bits);
}

export function limbBits(b: CircuitBuilder): number {
  return limbWidths.get(b) ?? DEFAULT_LIMB_BITS;
}

const relu = (v: bigint): bigint => (v > 0n ? v : 0n);

/** The key of the signed range table of `bits` (the circuit's only kind of range table). */
export function signedTableKey(bits: number): string {
  return `signed range / relu|${bits}`;
}

/**
 * The id of the signed range table of `bits`, {(v, relu(v)) : −2^(bits−1) ≤ v < 2^(bits−1)},
 * registered on first use and shared by every block and the compiler: one table per width per
 * circuit. It serves signed checks (a = x), unsigned ones (a = x − 2^(bits−1)) and ReLU (b).
 */
export function signedTable(b: CircuitBuilder, bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_TABLE_BITS) throw new CircuitError(`range table of ${bits} bits is not in 1…${MAX_TABLE_BITS}`);
  return b.keyedTable(signedTableKey(bits), function* () {
    const half = 1n << BigInt(bits - 1);
    for (let v = -half; v < half; v++) yield [v, relu(v)] as const;
  });
}

/**
 * Makes `row` a lookup row of the signed table of `bits` holding a = v and b = relu(v) (the only
 * entry with that a, so b is fixed by a); returns the b cell. Any gate of the row may use a and b.
 */
export function lookupSignedAt(b: CircuitBuilder, row: number, bits: number, v: bigint): Cell {
  b.setFixed(row, FIXED.qLK, BigInt(signedTable(b, bits)));
  b.assign(b.cell(WIRE.a, row), v);
  const out = b.cell(WIRE.b, row);
  b.assign(out, relu(v));
  return out;
}

/** x itself (copied into a) looked up in the signed table of `bits`, in an open row if one is left; returns relu(x)'s cell. */
function lookupSignedCopy(b: CircuitBuilder, x: Cell, bits: number, v: bigint): Cell {
  const row = b.lookupRow();
  const out = lookupSignedAt(b, row, bits, v);
  b.copy(x, b.cell(WIRE.a, row));
  return out;
}

/**
 * Constrains s·x + offset ∈ [0, 2^bits) (bits ≥ 1, s = ±1). Up to the limb width: one lookup row of
 * the signed table of `bits`, a = s·x + offset − 2^(bits−1) with c = x and the gate
 * a − s·c − offset + 2^(bits−1) = 0, or just a = x (copied) when that shift is 0 (a signed range).
 * Wider: limbs l_t of the limb width (the top one narrower), each looked up as l_t − 2^(w_t−1) in the
 * table of its width w_t, two to a row pair whose gate forms l_{2t} + 2^w·l_{2t+1} in c, and the
 * pairs' weighted sum, less the offset and times s, copied to x.
 */
export function rangeCheckShifted(b: CircuitBuilder, x: Cell, offset: bigint, bits: number, s: 1n | -1n = 1n): void {
  if (!Number.isInteger(bits) || bits < 1) throw new CircuitError(`range check: ${bits} bits`);
  const w = limbBits(b);
  const value = s * signedValue(b, x) + offset;
  const half = (width: number): bigint => 1n << BigInt(width - 1);
  if (bits <= w) {
    if (offset === half(bits) && s === 1n) {
      // A signed range: a = x, a one-row lookup that may take an open row.
      lookupSignedCopy(b, x, bits, value - half(bits));
      return;
    }
    const row = b.row();
    lookupSignedAt(b, row, bits, value - half(bits));
    b.copyInto(x, WIRE.c, row);
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qO, -s);
    b.setFixed(row, FIXED.qC, half(bits) - offset);
    return;
  }
  const count = Math.ceil(bits / w);
  const width = (t: number): number => (t === count - 1 ? bits - w * (count - 1) : w);
  // Out-of-range values leave limbs that do not sum to x: the copy below then fails, as it must.
  const limb = (t: number): bigint => (BigInt.asUintN(256, value) >> BigInt(w * t)) & ((1n << BigInt(width(t))) - 1n);
  const rows: number[] = [];
  for (let t = 0; t < count; t++) {
    const row = b.row();
    rows.push(row);
    lookupSignedAt(b, row, width(t), limb(t) - half(width(t)));
  }
  // Pair i as a cell and the constant that turns it into l_{2i} + 2^w·l_{2i+1}.
  const pairs: [Cell, bigint][] = [];
  for (let t = 0; t < count; t += 2) {
    const row = rows[t];
    if (t + 1 === count) {
      pairs.push([b.cell(WIRE.a, row), half(width(t))]);
      continue;
    }
    // (a + 2^(w_t−1)) + 2^w·(a_next + 2^(w_{t+1}−1)) − c = 0, reading l_{t+1} in the next row's a.
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qN, 1n << BigInt(w));
    b.setFixed(row, FIXED.qO, -1n);
    b.setFixed(row, FIXED.qC, half(width(t)) + (half(width(t + 1)) << BigInt(w)));
    const c = b.cell(WIRE.c, row);
    b.assign(c, limb(t) + (limb(t + 1) << BigInt(w)));
    pairs.push([c, 0n]);
  }
  const weight = (i: number): bigint => s * (1n << BigInt(2 * w * i));
  const total = linearCombination(
    b,
    pairs.map(([cell], i) => [cell, weight(i)] as const),
    pairs.reduce((acc, [, k], i) => acc + weight(i) * k, -s * offset),
  );
  b.copy(total, x);
}

/**
 * Constrains 0 ≤ x < 2^bits (any bits ≥ 1; limbs beyond the limb width). An out-of-range value
 * is laid out anyway and leaves the witness unsatisfiable; use checkRange for a witness-time error.
 */
export function rangeCheck(b: CircuitBuilder, x: Cell, bits: number): void {
  rangeCheckShifted(b, x, 0n, bits);
}

/**
 * Constrains lo ≤ x ≤ hi (signed integers). A power-of-two width is one check of x − lo; another
 * width is two, of x − lo and hi − x, each against the covering power of two. Throws
 * BlockRangeError at witness time when the value is outside the range.
 */
export function checkRange(b: CircuitBuilder, x: Cell, range: IntRange, what = "value"): void {
  const bits = widthBits(range);
  const v = signedValue(b, x);
  if (v < range.lo || v > range.hi) throw new BlockRangeError(what, v, range.lo, range.hi);
  if (bits === 0) {
    // A single value: x − lo = 0 by one arithmetic row.
    const row = b.row();
    b.copyInto(x, WIRE.a, row);
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qC, -range.lo);
    return;
  }
  rangeCheckShifted(b, x, -range.lo, bits);
  if (range.hi - range.lo + 1n !== 1n << BigInt(bits)) {
    // hi − x ≥ 0 as well.
    rangeCheckShifted(b, x, range.hi, bits, -1n);
  }
}

/** Range-checks each cell to [0, 2^bits) (one row each within the limb width). */
export function rangeCheckCells(b: CircuitBuilder, cells: readonly Cell[], bits: number): void {
  for (const cell of cells) rangeCheck(b, cell, bits);
}

/**
 * −2^(bits−1) ≤ x < 2^(bits−1) in one lookup row (a = x copied, b = relu(x)) of the signed table of
 * `bits`, whatever the limb width (the caller picks the table); returns that b cell, so a ReLU of a
 * checked value costs nothing more. Throws BlockRangeError at witness time for a value outside.
 */
export function checkSigned(b: CircuitBuilder, x: Cell, bits: number, what = "value"): Cell {
  const { lo, hi } = signedRange(bits);
  const v = signedValue(b, x);
  if (v < lo || v > hi) throw new BlockRangeError(what, v, lo, hi);
  return lookupSignedCopy(b, x, bits, v);
}
