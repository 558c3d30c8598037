// Range checks: lo ≤ x ≤ hi for integers encoded as field elements, by logUp lookups into range
// tables {0 … 2^w − 1} (docs/protocol.md §3.5). A range up to the circuit's limb width is one
// lookup row; wider ranges are split into limbs, each looked up, whose weighted sum is copied to
// the value. A range whose width is not a power of two is two checks, x − lo ≥ 0 and hi − x ≥ 0.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { linearCombination } from "./sum.js";

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

/** Table ids of range tables: 1 + bits, so every width has its own table. */
export function rangeTableId(bits: number): number {
  return 1 + bits;
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

function* rangeEntries(bits: number): Generator<readonly [bigint, bigint]> {
  for (let v = 0n; v < 1n << BigInt(bits); v++) yield [v, 0n] as const;
}

/** Makes `row` a lookup row of the range table of `bits` (its a wire is checked, its b must be 0). */
export function lookupRangeAt(b: CircuitBuilder, row: number, bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_TABLE_BITS) throw new CircuitError(`range table of ${bits} bits is not in 1…${MAX_TABLE_BITS}`);
  const id = rangeTableId(bits);
  b.lookupTable(id, rangeEntries(bits));
  b.setFixed(row, FIXED.qLK, BigInt(id));
}

/**
 * Constrains s·x + offset ∈ [0, 2^bits) (bits ≥ 1, s = ±1). Up to the limb width: one lookup row
 * (a = s·x + offset, c = x, gate a − s·c − offset = 0). Wider: limbs l_t of the limb width (the top
 * one narrower), looked up two to a row pair whose gate forms l_{2t} + 2^w·l_{2t+1} in c, and the
 * pairs' weighted sum, less the offset and times s, copied to x.
 */
export function rangeCheckShifted(b: CircuitBuilder, x: Cell, offset: bigint, bits: number, s: 1n | -1n = 1n): void {
  if (!Number.isInteger(bits) || bits < 1) throw new CircuitError(`range check: ${bits} bits`);
  const w = limbBits(b);
  const value = s * signedValue(b, x) + offset;
  if (bits <= w) {
    const row = b.row();
    lookupRangeAt(b, row, bits);
    const a = b.cell(WIRE.a, row);
    b.assign(a, value);
    if (offset === 0n && s === 1n) {
      b.copy(x, a);
      return;
    }
    b.copyInto(x, WIRE.c, row);
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qO, -s);
    b.setFixed(row, FIXED.qC, -offset);
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
    lookupRangeAt(b, row, width(t));
    b.assign(b.cell(WIRE.a, row), limb(t));
  }
  const pairs: Cell[] = [];
  for (let t = 0; t < count; t += 2) {
    const row = rows[t];
    if (t + 1 === count) {
      pairs.push(b.cell(WIRE.a, row));
      continue;
    }
    // l_t + 2^w·l_{t+1} − c = 0, reading l_{t+1} in the next row's a.
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qN, 1n << BigInt(w));
    b.setFixed(row, FIXED.qO, -1n);
    const c = b.cell(WIRE.c, row);
    b.assign(c, limb(t) + (limb(t + 1) << BigInt(w)));
    pairs.push(c);
  }
  const total = linearCombination(
    b,
    pairs.map((cell, i) => [cell, s * (1n << BigInt(2 * w * i))] as const),
    -s * offset,
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

/**
 * Range-checks the a cell `cell` to [0, 2^bits): in its own row when bits fit the limb width (the
 * row becomes a lookup row, so its b wire must stay 0) and returns true; otherwise does nothing and
 * returns false, and the caller runs rangeCheck on it once its chained rows are laid out.
 */
export function rangeCheckInPlace(b: CircuitBuilder, cell: Cell, bits: number): boolean {
  if (cell.col !== WIRE.a) throw new CircuitError("only a cells are looked up");
  if (bits > limbBits(b)) return false;
  lookupRangeAt(b, cell.row, bits);
  return true;
}

/** Range-checks each a cell to [0, 2^bits): in place where it fits, limbed afterwards otherwise. */
export function rangeCheckCells(b: CircuitBuilder, cells: readonly Cell[], bits: number): void {
  for (const cell of cells) if (!rangeCheckInPlace(b, cell, bits)) rangeCheck(b, cell, bits);
}
