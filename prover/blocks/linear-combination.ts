// Linear combinations Σ k_i·x_i + k₀ with public coefficients, chained through the next-row term
// of the arithmetic gate: a row holds the running sum in a and two more terms in b and c, and its
// gate hands the new running sum to the next row's a (q_n = −1). T terms cost about T/2 rows.
// Below every block that adds cells up (sum, range checks, division, …), so that none of them
// imports another for it.
import { frMod } from "../../verifier/engine/scalar.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { layout } from "../plonkish/index.js";
import { constantCell } from "./cells.js";

const { FIXED } = layout;

/** A term k·x of a linear combination. */
export type Term = readonly [cell: Cell, coefficient: bigint];

/**
 * A fresh cell holding Σ k_i·x_i + constant. Rows: 1 for up to two terms, else 1 + ⌈(T − 3)/2⌉
 * (+1 when T is even). Each row states its step exactly, so the result is the combination over
 * the field (over the integers when the caller's ranges keep it below r/2 in magnitude).
 */
export function linearCombination(b: CircuitBuilder, terms: readonly Term[], constant = 0n): Cell {
  if (terms.length === 0) return constantCell(b, constant);
  const value = frMod(terms.reduce((s, [cell, k]) => s + k * b.value(cell), constant));
  const put = (row: number, col: 0 | 1 | 2, [cell, k]: Term, selector: number): void => {
    b.copyInto(cell, col, row);
    b.setFixed(row, selector, k);
  };
  if (terms.length <= 2) {
    const row = b.row();
    put(row, WIRE.a, terms[0], FIXED.qL);
    if (terms.length === 2) put(row, WIRE.b, terms[1], FIXED.qR);
    b.setFixed(row, FIXED.qC, constant);
    b.setFixed(row, FIXED.qO, -1n);
    const out = b.cell(WIRE.c, row);
    b.assign(out, value);
    return out;
  }
  // First row: three terms and the constant; the running sum goes to the next row's a.
  let row = b.row();
  put(row, WIRE.a, terms[0], FIXED.qL);
  put(row, WIRE.b, terms[1], FIXED.qR);
  put(row, WIRE.c, terms[2], FIXED.qO);
  b.setFixed(row, FIXED.qC, constant);
  b.setFixed(row, FIXED.qN, -1n);
  let partial = frMod(terms.slice(0, 3).reduce((s, [cell, k]) => s + k * b.value(cell), constant));
  let next = 3;
  for (;;) {
    row = b.row();
    const running = b.cell(WIRE.a, row);
    b.assign(running, partial);
    const left = terms.length - next;
    if (left === 0) return running;
    b.setFixed(row, FIXED.qL, 1n);
    put(row, WIRE.b, terms[next], FIXED.qR);
    partial = frMod(partial + terms[next][1] * b.value(terms[next][0]));
    next++;
    if (left === 1) {
      // The last term and the result share this row: a + k·b − c = 0.
      b.setFixed(row, FIXED.qO, -1n);
      const out = b.cell(WIRE.c, row);
      b.assign(out, partial);
      return out;
    }
    put(row, WIRE.c, terms[next], FIXED.qO);
    partial = frMod(partial + terms[next][1] * b.value(terms[next][0]));
    next++;
    b.setFixed(row, FIXED.qN, -1n);
  }
}
