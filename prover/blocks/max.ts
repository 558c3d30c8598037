// Max and min: m = y + relu(x − y) with (x − y, relu(x − y)) looked up in a signed table, or, when
// that table would be too wide, by d₁ = m − x ≥ 0, d₂ = m − y ≥ 0 (range checks) and d₁·d₂ = 0, so
// m is one of them and no smaller than either; min with the signs turned. Many values: a tree of
// pairs. Argmax / argmin: a one-hot selector over the values with first-index tie breaking.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { constantCell, signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { limbBits, lookupSignedAt, rangeCheck } from "./range-check.js";
import { linearCombination } from "./linear-combination.js";

const { FIXED } = layout;

/**
 * Inputs are integers with |x − y| < 2^bits for every pair compared (e.g. both in a signed
 * (bits)-bit range). `tableBits` is the widest signed table the two-row form may use (default: the
 * limb width).
 */
function extremum(b: CircuitBuilder, x: Cell, y: Cell, bits: number, sign: 1n | -1n, tableBits = limbBits(b)): Cell {
  const xv = signedValue(b, x);
  const yv = signedValue(b, y);
  const m = sign === 1n ? (xv > yv ? xv : yv) : xv < yv ? xv : yv;
  const bound = 1n << BigInt(bits);
  if (sign * (m - xv) >= bound || sign * (m - yv) >= bound) throw new BlockRangeError(sign === 1n ? "max: difference" : "min: difference", xv - yv, -bound + 1n, bound - 1n);
  if (bits + 1 <= tableBits) {
    // Two rows: d = x − y looked up with relu(d) in the signed table of bits + 1 (|d| < 2^bits), so
    // max = y + relu(d) and min = x − relu(d).
    // Row 0: a = d, b = relu(d); max: c = x, a − c + a_next = 0 (a_next = y);
    // min: c = y, −a − c + a_next = 0 (a_next = x). With a_next copied from y (x), d = x − y.
    const d = xv - yv;
    const r0 = b.row();
    const relu0 = lookupSignedAt(b, r0, bits + 1, d);
    b.copyInto(sign === 1n ? x : y, WIRE.c, r0);
    b.setFixed(r0, FIXED.qL, sign);
    b.setFixed(r0, FIXED.qO, -1n);
    b.setFixed(r0, FIXED.qN, 1n);
    // Row 1: a = y (max) or x (min), b = relu(d), c = a + σ·b.
    const r1 = b.row();
    b.copyInto(sign === 1n ? y : x, WIRE.a, r1);
    b.copyInto(relu0, WIRE.b, r1);
    const out = b.cell(WIRE.c, r1);
    b.assign(out, m);
    b.setFixed(r1, FIXED.qL, 1n);
    b.setFixed(r1, FIXED.qR, sign);
    b.setFixed(r1, FIXED.qO, -1n);
    return out;
  }
  // d₁ is looked up in its own row, shifted into the signed table (a = d₁ − sh), within the limb width.
  const inPlace = bits <= limbBits(b);
  const sh = inPlace ? 1n << BigInt(bits - 1) : 0n;
  // Row 0: a = d₁ − sh with d₁ = σ(m − x), c = x; σ·(a + sh) + c − a_next = 0 (a_next = m).
  const r0 = b.row();
  const d1 = b.cell(WIRE.a, r0);
  b.assign(d1, sign * (m - xv) - sh);
  if (inPlace) lookupSignedAt(b, r0, bits, sign * (m - xv) - sh);
  b.copyInto(x, WIRE.c, r0);
  b.setFixed(r0, FIXED.qL, sign);
  b.setFixed(r0, FIXED.qO, 1n);
  b.setFixed(r0, FIXED.qN, -1n);
  b.setFixed(r0, FIXED.qC, sign * sh);
  // Row 1: a = m, b = y, c = d₂ = σ(m − y); σ·a − σ·b − c = 0.
  const r1 = b.row();
  const out = b.cell(WIRE.a, r1);
  b.assign(out, m);
  b.copyInto(y, WIRE.b, r1);
  const d2 = b.cell(WIRE.c, r1);
  b.assign(d2, sign * (m - yv));
  b.setFixed(r1, FIXED.qL, sign);
  b.setFixed(r1, FIXED.qR, -sign);
  b.setFixed(r1, FIXED.qO, -1n);
  // Row 2: d₂'s range check. Row 3: (a + sh)·b = d₁·d₂ = 0.
  rangeCheck(b, d2, bits);
  const r3 = b.row();
  b.copyInto(d1, WIRE.a, r3);
  b.copyInto(d2, WIRE.b, r3);
  b.setFixed(r3, FIXED.qM, 1n);
  b.setFixed(r3, FIXED.qR, sh);
  if (!inPlace) rangeCheck(b, d1, bits);
  return out;
}

/**
 * max(x, y). Premise: x, y integers with |x − y| < 2^bits (say both range-checked). When the signed
 * table of bits + 1 is within `tableBits` (default the limb width): d = x − y with (d, relu(d)) in
 * that table and m = y + relu(d), 2 rows. Otherwise m − x, m − y ∈ [0, 2^bits) and
 * (m − x)(m − y) = 0, 4 rows. Either way m = max(x, y).
 */
export function max2(b: CircuitBuilder, x: Cell, y: Cell, bits: number, tableBits?: number): Cell {
  return extremum(b, x, y, bits, 1n, tableBits);
}

/** min(x, y): x − relu(x − y) (2 rows), or as max2's 4-row form with x − m, y − m. */
export function min2(b: CircuitBuilder, x: Cell, y: Cell, bits: number, tableBits?: number): Cell {
  return extremum(b, x, y, bits, -1n, tableBits);
}

function tree(b: CircuitBuilder, cells: readonly Cell[], bits: number, sign: 1n | -1n, tableBits?: number): Cell {
  if (cells.length === 0) throw new CircuitError(`${sign === 1n ? "max" : "min"} of no cells`);
  let level = [...cells];
  while (level.length > 1) {
    const next: Cell[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(extremum(b, level[i], level[i + 1], bits, sign, tableBits));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** The maximum of many cells (pooling, ReduceMax): a tree of max2, 2 or 4 rows per pair. */
export function maxMany(b: CircuitBuilder, cells: readonly Cell[], bits: number, tableBits?: number): Cell {
  return tree(b, cells, bits, 1n, tableBits);
}

/** The minimum of many cells (ReduceMin): a tree of min2, 2 or 4 rows per pair. */
export function minMany(b: CircuitBuilder, cells: readonly Cell[], bits: number, tableBits?: number): Cell {
  return tree(b, cells, bits, -1n, tableBits);
}

/**
 * The index of the first maximum (σ = 1) or minimum (σ = −1) and that extreme value. Private
 * one-hot selectors s_i (s_i² = s_i), their prefix sums t_i (t_{n−1} = 1, so exactly one s_i is
 * 1), s_i·(m − x_i) = 0 (m is the selected value) and e_i = σ(m − x_i) − 1 + t_i ∈ [0, 2^bits)
 * (m is at least every x_i, strictly more than those before the selected one). Premise: the x_i
 * are integers with pairwise |x_i − x_j| < 2^bits − 1. Rows: 6 per value + the index's sum.
 */
function argExtremum(b: CircuitBuilder, cells: readonly Cell[], bits: number, sign: 1n | -1n): { index: Cell; value: Cell } {
  const n = cells.length;
  if (n === 0) throw new CircuitError("argmax of no cells");
  const xs = cells.map((c) => signedValue(b, c));
  let at = 0;
  for (let i = 1; i < n; i++) if (sign * (xs[i] - xs[at]) > 0n) at = i;
  const mv = xs[at];
  const bound = 1n << BigInt(bits);
  for (const x of xs) if (sign * (mv - x) >= bound - 1n) throw new BlockRangeError("argmax: spread", sign * (mv - x), 0n, bound - 2n);
  // Constants first: the prefix rows below are chained and must be consecutive.
  const one = constantCell(b, 1n);
  const zero = constantCell(b, 0n);
  // The selected value m as a free cell (fixed by the constraints below).
  const mRow = b.row();
  const m = b.cell(WIRE.a, mRow);
  b.assign(m, mv);
  // Prefix sums t_i of the selectors: row i holds t_{i−1} in a and s_i in b, a + b − a_next = 0.
  const sel: Cell[] = [];
  const prefix: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const row = b.row();
    const tPrev = b.cell(WIRE.a, row);
    b.assign(tPrev, i > at ? 1n : 0n);
    if (i === 0) b.copy(tPrev, zero);
    const s = b.cell(WIRE.b, row);
    b.assign(s, i === at ? 1n : 0n);
    sel.push(s);
    b.setFixed(row, FIXED.qL, 1n);
    b.setFixed(row, FIXED.qR, 1n);
    b.setFixed(row, FIXED.qN, -1n);
  }
  // The last prefix sum is 1.
  const endRow = b.row();
  const tEnd = b.cell(WIRE.a, endRow);
  b.assign(tEnd, 1n);
  b.copy(tEnd, one);
  for (let i = 0; i < n; i++) prefix.push(i + 1 < n ? { col: WIRE.a, row: sel[i + 1].row } : tEnd);
  for (let i = 0; i < n; i++) {
    // d_i = σ(m − x_i): a = m, b = x_i, c = d_i.
    const d = linearCombination(
      b,
      [
        [m, sign],
        [cells[i], -sign],
      ],
    );
    // s_i·d_i = 0 and s_i² = s_i.
    for (const [qm, ql, other] of [
      [1n, 0n, d],
      [1n, -1n, sel[i]],
    ] as const) {
      const row = b.row();
      const a = b.cell(WIRE.a, row);
      const bb = b.cell(WIRE.b, row);
      b.assign(a, b.value(sel[i]));
      b.assign(bb, b.value(other));
      b.copy(sel[i], a);
      b.copy(other, bb);
      b.setFixed(row, FIXED.qM, qm);
      b.setFixed(row, FIXED.qL, ql);
    }
    // e_i = d_i + t_i − 1, then range-checked in its own row.
    const e = linearCombination(
      b,
      [
        [d, 1n],
        [prefix[i], 1n],
      ],
      -1n,
    );
    rangeCheck(b, e, bits);
  }
  const index = linearCombination(
    b,
    sel.map((s, i) => [s, BigInt(i)] as const),
  );
  return { index, value: m };
}

/** Index of the first maximum (ONNX ArgMax, select_last_index = 0) and the maximum. */
export function argmax(b: CircuitBuilder, cells: readonly Cell[], bits: number): { index: Cell; value: Cell } {
  return argExtremum(b, cells, bits, 1n);
}

/** Index of the first minimum and the minimum. */
export function argmin(b: CircuitBuilder, cells: readonly Cell[], bits: number): { index: Cell; value: Cell } {
  return argExtremum(b, cells, bits, -1n);
}
