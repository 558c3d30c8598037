// Booleans and comparisons: boolean cells (b·(1 − b) = 0), Less / Greater by a range-checked
// difference whose sign the boolean selects, Not, and Where (select) by one product.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { rangeCheck } from "./range-check.js";
import { linearCombination } from "./linear-combination.js";

const { FIXED } = layout;

/** Constrains a cell to 0 or 1: one row a·b − a = 0 with a = b = the cell. */
export function assertBoolean(b: CircuitBuilder, x: Cell): void {
  const row = b.row();
  b.copyInto(x, WIRE.a, row);
  b.copyInto(x, WIRE.b, row);
  b.setFixed(row, FIXED.qM, 1n);
  b.setFixed(row, FIXED.qL, -1n);
}

/**
 * [x < y] as a boolean cell β. With δ = y − x: u = (2β − 1)·δ − β, so u = δ − 1 when β = 1 and −δ
 * when β = 0, and u ∈ [0, 2^bits) says x < y, respectively x ≥ y. Premise: x, y integers with
 * |x − y| < 2^bits. Rows: 4 (δ, the product row 2βδ − β − δ − u = 0, u's lookup, β boolean).
 */
export function less(b: CircuitBuilder, x: Cell, y: Cell, bits: number): Cell {
  const xv = signedValue(b, x);
  const yv = signedValue(b, y);
  const bound = 1n << BigInt(bits);
  if (yv - xv >= bound || xv - yv >= bound) throw new BlockRangeError("comparison: difference", yv - xv, 1n - bound, bound - 1n);
  const beta = xv < yv ? 1n : 0n;
  const delta = linearCombination(
    b,
    [
      [y, 1n],
      [x, -1n],
    ],
  );
  const row = b.row();
  const ba = b.cell(WIRE.a, row);
  const db = b.cell(WIRE.b, row);
  const uc = b.cell(WIRE.c, row);
  b.assign(ba, beta);
  b.assign(db, yv - xv);
  b.copy(delta, db);
  b.assign(uc, (2n * beta - 1n) * (yv - xv) - beta);
  b.setFixed(row, FIXED.qM, 2n);
  b.setFixed(row, FIXED.qL, -1n);
  b.setFixed(row, FIXED.qR, -1n);
  b.setFixed(row, FIXED.qO, -1n);
  rangeCheck(b, uc, bits);
  assertBoolean(b, ba);
  return ba;
}

/** [x > y] = [y < x]. */
export function greater(b: CircuitBuilder, x: Cell, y: Cell, bits: number): Cell {
  return less(b, y, x, bits);
}

/** 1 − β for a boolean cell (one row). */
export function not(b: CircuitBuilder, x: Cell): Cell {
  return linearCombination(b, [[x, -1n]], 1n);
}

/**
 * cond ? x : y for a boolean cond (ONNX Where): δ = x − y handed to the next row, where
 * δ·cond + y − out = 0 (out in the row after). Premise: cond is boolean (assertBoolean, or the
 * output of less). Rows: 3.
 */
export function select(b: CircuitBuilder, cond: Cell, x: Cell, y: Cell): Cell {
  const cv = b.value(cond);
  const out = cv === 1n ? b.value(x) : cv === 0n ? b.value(y) : b.value(y) + cv * (b.value(x) - b.value(y));
  // Row 0: a = x, b = y; a − b − a_next = 0.
  const r0 = b.row();
  b.copyInto(x, WIRE.a, r0);
  b.copyInto(y, WIRE.b, r0);
  b.setFixed(r0, FIXED.qL, 1n);
  b.setFixed(r0, FIXED.qR, -1n);
  b.setFixed(r0, FIXED.qN, -1n);
  // Row 1: a = δ, b = cond, c = y; a·b + c − a_next = 0.
  const r1 = b.row();
  b.assign(b.cell(WIRE.a, r1), b.value(x) - b.value(y));
  b.copyInto(cond, WIRE.b, r1);
  b.copyInto(y, WIRE.c, r1);
  b.setFixed(r1, FIXED.qM, 1n);
  b.setFixed(r1, FIXED.qO, 1n);
  b.setFixed(r1, FIXED.qN, -1n);
  const r2 = b.row();
  const o = b.cell(WIRE.a, r2);
  b.assign(o, out);
  return o;
}

/** c = q_m·a·b + q_l·(a + b) for booleans a, b in one row: And (1, 0), Or (−1, 1), Xor (−2, 1). */
function logicRow(b: CircuitBuilder, x: Cell, y: Cell, qm: bigint, ql: bigint): Cell {
  const xv = b.value(x);
  const yv = b.value(y);
  const row = b.row();
  b.copyInto(x, WIRE.a, row);
  b.copyInto(y, WIRE.b, row);
  const out = b.cell(WIRE.c, row);
  b.assign(out, qm * xv * yv + ql * (xv + yv));
  b.setFixed(row, FIXED.qM, qm);
  b.setFixed(row, FIXED.qL, ql);
  b.setFixed(row, FIXED.qR, ql);
  b.setFixed(row, FIXED.qO, -1n);
  return out;
}

/**
 * Logic on boolean cells, one row each: And = x·y, Or = x + y − x·y, Xor = x + y − 2·x·y. Premise:
 * x and y are boolean (outputs of comparisons, or assertBoolean); the output then is too.
 */
export function and(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  return logicRow(b, x, y, 1n, 0n);
}

export function or(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  return logicRow(b, x, y, -1n, 1n);
}

export function xor(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  return logicRow(b, x, y, -2n, 1n);
}
