// Integer division with a range-checked remainder: by a public constant d (q·d + r = v + h,
// 0 ≤ r < d) and by an activation y > 0 (q·y + r = x, 0 ≤ r < y). The quotient's range check makes
// q unique, and all values stay far below r/2, so the field equation is the integer one.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { quadraticCell } from "./arithmetic.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { checkRange, limbBits, lookupSignedAt, rangeCheck, widthBits, type IntRange } from "./range-check.js";
import { linearCombination } from "./linear-combination.js";

const { FIXED } = layout;

/** floor: q = ⌊v/d⌋. half-up: q = ⌊v/d + 1/2⌋ (nearest, ties toward +∞; −2.5 → −2). */
export type Rounding = "floor" | "half-up";

/** ⌊a/d⌋ for d > 0. */
export function floorDiv(a: bigint, d: bigint): bigint {
  return a >= 0n ? a / d : -((-a + d - 1n) / d);
}

export interface DivideByConstantOptions {
  /** Range of the quotient; checked (and refused at witness time with BlockRangeError). */
  outRange: IntRange;
  rounding?: Rounding;
  /** The dividend is s·x + k (defaults 1 and 0): an affine map of x costs nothing extra. */
  scale?: bigint;
  offset?: bigint;
  /** Names the value in errors. */
  what?: string;
  /**
   * Widest signed table the quotient's lookup may use in the two-row form (default: the limb
   * width, which always bounds the remainder's); a caller that already holds wider tables for its
   * values (the compiler's activations) passes their width.
   */
  quotientTableBits?: number;
}

/** A quotient and, when its range check is one row of a signed table, relu(q) from that row. */
export interface QuotientCells {
  q: Cell;
  relu?: Cell;
}

/**
 * q = ⌊(v + h)/d⌋ for v = s·x + k, h = ⌊d/2⌋ for half-up rounding and 0 for floor, with q in
 * `outRange`. Constraints: v + h = d·q + r, 0 ≤ r < d, q ∈ outRange. Given those, v is the integer
 * d·q + r − h (so the block also bounds v), and q is the stated quotient. Rows: 2 when d is a power
 * of two within the limb width and outRange's width is a power of two within it (r and q, shifted
 * into the signed tables, looked up in the rows that state the equation; for a signed outRange the
 * second row's a is q itself and its b relu(q)), and none when those two rows can be x's own open
 * row and the open row after it (a product's Y row); otherwise 1 + the range checks of q and r.
 */
export function divideByConstant(b: CircuitBuilder, x: Cell, d: bigint, opts: DivideByConstantOptions): Cell {
  return divideByConstantCells(b, x, d, opts).q;
}

/** divideByConstant, also returning relu(q) when the layout holds it (a signed outRange in the two-row form). */
export function divideByConstantCells(b: CircuitBuilder, x: Cell, d: bigint, opts: DivideByConstantOptions): QuotientCells {
  const { outRange } = opts;
  const s = opts.scale ?? 1n;
  const k = opts.offset ?? 0n;
  const what = opts.what ?? "quotient";
  if (d < 1n) throw new CircuitError(`division by ${d}: the divisor must be a positive integer`);
  const h = opts.rounding === "floor" ? 0n : d / 2n;
  const v = s * signedValue(b, x) + k;
  const q = floorDiv(v + h, d);
  const r = v + h - d * q;
  if (d === 1n) {
    const out = linearCombination(b, [[x, s]], k);
    checkRange(b, out, outRange, what);
    return { q: out };
  }
  const w = limbBits(b);
  const rBits = widthBits({ lo: 0n, hi: d - 1n });
  const qBits = widthBits(outRange);
  const qMax = opts.quotientTableBits ?? w;
  const fast = d === 1n << BigInt(rBits) && rBits <= w && qBits >= 1 && qBits <= qMax && outRange.hi - outRange.lo + 1n === 1n << BigInt(qBits);
  if (!fast) {
    // s·x − d·q − r + k + h = 0 in one row, then the range checks of q and r.
    const row = b.row();
    const cells = { a: b.cell(WIRE.a, row), b: b.cell(WIRE.b, row), c: b.cell(WIRE.c, row) };
    b.assign(cells.a, b.value(x));
    b.copy(x, cells.a);
    b.assign(cells.b, q);
    b.assign(cells.c, r);
    b.setFixed(row, FIXED.qL, s);
    b.setFixed(row, FIXED.qR, -d);
    b.setFixed(row, FIXED.qO, -1n);
    b.setFixed(row, FIXED.qC, k + h);
    checkRange(b, cells.b, outRange, what);
    checkRange(b, cells.c, { lo: 0n, hi: d - 1n }, `${what} remainder`);
    return { q: cells.b };
  }
  if (q < outRange.lo || q > outRange.hi) throw new BlockRangeError(what, q, outRange.lo, outRange.hi);
  // Both looked up in the signed tables: r − h ∈ [−2^(rBits−1), 2^(rBits−1)) and q − mid likewise,
  // mid = lo + 2^(qBits−1) (0 for a signed range, where the looked-up cell is q itself).
  const rh = 1n << BigInt(rBits - 1);
  const mid = outRange.lo + (1n << BigInt(qBits - 1));
  // Row 0: a = r − rh (looked up), c = x; a + rh + d·(a_next + mid) − s·x − k − h = 0. When x is
  // the c of an open row followed by another (a product's Y row, matmul.ts) and row 1 needs only a,
  // b and its lookup (mid = 0), the two rows are those: x needs no copy and the block no rows.
  const inPlace = mid === 0n && x.col === WIRE.c && b.claimOpenRows(x.row, 2);
  const r0 = inPlace ? x.row : b.row();
  lookupSignedAt(b, r0, rBits, r - rh);
  if (!inPlace) b.copyInto(x, WIRE.c, r0);
  b.setFixed(r0, FIXED.qL, 1n);
  b.setFixed(r0, FIXED.qN, d);
  b.setFixed(r0, FIXED.qO, -s);
  b.setFixed(r0, FIXED.qC, rh + d * mid - k - h);
  // Row 1: a = q − mid (looked up, b = relu(q − mid)); for mid ≠ 0 also c = q, a − c + mid = 0.
  const r1 = inPlace ? x.row + 1 : b.row();
  const relu = lookupSignedAt(b, r1, qBits, q - mid);
  if (mid === 0n) return { q: b.cell(WIRE.a, r1), relu };
  const out = b.cell(WIRE.c, r1);
  b.assign(out, q);
  b.setFixed(r1, FIXED.qL, 1n);
  b.setFixed(r1, FIXED.qO, -1n);
  b.setFixed(r1, FIXED.qC, mid);
  return { q: out };
}

export interface DivideOptions {
  /** The divisor is known (by whatever produced it) to be an integer in [0, 2^divisorBits); the block adds y ≥ 1. */
  divisorBits: number;
  /** Range of the quotient; checked. */
  outRange: IntRange;
  rounding?: Rounding;
  what?: string;
}

/**
 * q = ⌊x/y⌋ (floor) or ⌊(2x + y)/(2y)⌋ (half-up) for an activation y ≥ 1. With m = 1 (floor) or 2
 * (half-up): m·q·y + ρ = m·x + (m − 1)·y, 0 ≤ ρ ≤ m·y − 1 (both ρ and m·y − 1 − ρ looked up in
 * [0, 2^(divisorBits + m − 1))), q ∈ outRange. Premises: x and y are integers already bounded
 * (|x|, y < 2^100, say, as every range-checked value is); then the equation holds over the
 * integers and q is the stated quotient, and y ≥ 1 follows from 0 ≤ ρ ≤ m·y − 1. Rows: 3 + the
 * check of q (more when the remainder is wider than a limb).
 */
export function divide(b: CircuitBuilder, x: Cell, y: Cell, opts: DivideOptions): Cell {
  const m = opts.rounding === "floor" ? 1n : 2n;
  const what = opts.what ?? "quotient";
  const yv = signedValue(b, y);
  const xv = signedValue(b, x);
  const yMax = (1n << BigInt(opts.divisorBits)) - 1n;
  if (yv < 1n || yv > yMax) throw new BlockRangeError(`${what}: divisor`, yv, 1n, yMax);
  const q = floorDiv(m * xv + (m - 1n) * yv, m * yv);
  const rho = m * xv + (m - 1n) * yv - m * q * yv;
  const rBits = opts.divisorBits + Number(m) - 1;
  const inPlace = rBits <= limbBits(b);
  // In place, ρ and the slack sit in their rows shifted into the signed table: a = ρ − sh.
  const sh = inPlace ? 1n << BigInt(rBits - 1) : 0n;
  // Row 0: a = q, b = y, c = x; m·a·b − (m − 1)·b − m·c + a_next + sh = 0 (a_next + sh = ρ).
  const r0 = b.row();
  const qCell = b.cell(WIRE.a, r0);
  b.assign(qCell, q);
  b.copyInto(y, WIRE.b, r0);
  b.copyInto(x, WIRE.c, r0);
  b.setFixed(r0, FIXED.qM, m);
  b.setFixed(r0, FIXED.qR, -(m - 1n));
  b.setFixed(r0, FIXED.qO, -m);
  b.setFixed(r0, FIXED.qN, 1n);
  b.setFixed(r0, FIXED.qC, sh);
  // Row 1: a = ρ − sh, c = y; −(a + sh) + m·c − 1 − (a_next + sh) = 0 (a_next + sh = m·y − 1 − ρ).
  const r1 = b.row();
  const rhoCell = b.cell(WIRE.a, r1);
  b.assign(rhoCell, rho - sh);
  b.copyInto(y, WIRE.c, r1);
  b.setFixed(r1, FIXED.qL, -1n);
  b.setFixed(r1, FIXED.qO, m);
  b.setFixed(r1, FIXED.qC, -1n - 2n * sh);
  b.setFixed(r1, FIXED.qN, -1n);
  // Row 2: a = m·y − 1 − ρ − sh.
  const r2 = b.row();
  const slack = b.cell(WIRE.a, r2);
  b.assign(slack, m * yv - 1n - rho - sh);
  if (inPlace) {
    lookupSignedAt(b, r1, rBits, rho - sh);
    lookupSignedAt(b, r2, rBits, m * yv - 1n - rho - sh);
  } else {
    rangeCheck(b, rhoCell, rBits);
    rangeCheck(b, slack, rBits);
  }
  checkRange(b, qCell, opts.outRange, what);
  return qCell;
}

/**
 * round(x/y) or ⌊x/y⌋ for an activation y of either sign (y ≠ 0): σ with σ² = 1, y′ = σ·y and
 * x′ = σ·x, then divide(x′, y′), which forces y′ ≥ 1, so σ = sign(y) and x′/y′ = x/y. Premises
 * as divide's (x and y bounded integers, |y| < 2^divisorBits). Rows: 3 + divide's.
 */
export function divideSigned(b: CircuitBuilder, x: Cell, y: Cell, opts: DivideOptions): Cell {
  const yv = signedValue(b, y);
  if (yv === 0n) throw new BlockRangeError(`${opts.what ?? "quotient"}: divisor (division by zero)`, yv, 1n, (1n << BigInt(opts.divisorBits)) - 1n);
  const sigma = yv < 0n ? -1n : 1n;
  // Row 0: a = σ, b = σ; a·b − 1 = 0.
  const s = quadraticCell(b, sigma, { qm: 1n, qc: -1n });
  // Rows 1, 2: a = σ, b = v, c = σ·v (v = y, then x).
  const times = (v: Cell): Cell => {
    const row = b.row();
    b.copyInto(s, WIRE.a, row);
    b.copyInto(v, WIRE.b, row);
    const c = b.cell(WIRE.c, row);
    b.assign(c, sigma * signedValue(b, v));
    b.setFixed(row, FIXED.qM, 1n);
    b.setFixed(row, FIXED.qO, -1n);
    return c;
  };
  const yAbs = times(y);
  return divide(b, times(x), yAbs, opts);
}
