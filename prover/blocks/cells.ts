// Fresh cells: private values (rows without selectors, three cells a row) and constants (a row
// q_l·a + q_c = 0 with q_l = 1, q_c = −v fixes a = v in the circuit itself; the fixed columns are
// public, so the verifier knows every constant). One row per distinct constant per circuit: later
// uses copy the same cell.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { R } from "../../verifier/engine/bn254.js";
import { frMod } from "../../verifier/engine/scalar.js";
import { layout } from "../plonkish/index.js";

const { FIXED } = layout;

const constants = new WeakMap<CircuitBuilder, Map<bigint, Cell>>();

/** The a-cell of a row that holds `value` (a field element or a signed integer), shared per circuit. */
export function constantCell(b: CircuitBuilder, value: bigint): Cell {
  const v = frMod(value);
  let cache = constants.get(b);
  if (!cache) constants.set(b, (cache = new Map()));
  const known = cache.get(v);
  if (known) return known;
  const row = b.row();
  b.setFixed(row, FIXED.qL, 1n);
  b.setFixed(row, FIXED.qC, frMod(-v));
  const cell = b.cell(WIRE.a, row);
  b.assign(cell, v);
  cache.set(v, cell);
  return cell;
}

/**
 * Fresh cells holding private values the prover chooses (e.g. private inputs), three to a row
 * (a, b, c of rows without selectors). Nothing constrains them until other blocks use them.
 */
export function privateCells(b: CircuitBuilder, values: readonly bigint[]): Cell[] {
  const cells: Cell[] = [];
  let row = -1;
  for (let i = 0; i < values.length; i++) {
    const col = (i % 3) as 0 | 1 | 2;
    if (col === 0) row = b.row();
    const cell = b.cell(col, row);
    b.assign(cell, values[i]);
    cells.push(cell);
  }
  return cells;
}

/** The signed integer a field element encodes (negative x is stored as r − |x|). */
export function toSigned(v: bigint): bigint {
  return v > R / 2n ? v - R : v;
}

/** The signed integer value of a cell. */
export function signedValue(b: CircuitBuilder, cell: Cell): bigint {
  return toSigned(b.value(cell));
}
