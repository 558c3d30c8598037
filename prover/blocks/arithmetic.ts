// Elementwise arithmetic on one row: q_m·a·b + q_l·a + q_r·b + q_o·c + q_c = 0, with the inputs
// copied in from where they were produced and the output c handed on.
import { R } from "../../verifier/engine/bn254.js";
import { frMod } from "../../verifier/engine/scalar.js";
import type { CircuitBuilder} from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { layout } from "../plonkish/index.js";

const { FIXED } = layout;

export interface ArithmeticRow {
  qm?: bigint;
  ql?: bigint;
  qr?: bigint;
  qo?: bigint;
  qc?: bigint;
}

/** One arithmetic row; returns its a, b, c cells. */
export function arithmeticRow(b: CircuitBuilder, q: ArithmeticRow, values: { a?: bigint; b?: bigint; c?: bigint }): { a: Cell; b: Cell; c: Cell } {
  const row = b.row();
  const cols: [number, bigint | undefined][] = [
    [FIXED.qM, q.qm],
    [FIXED.qL, q.ql],
    [FIXED.qR, q.qr],
    [FIXED.qO, q.qo],
    [FIXED.qC, q.qc],
  ];
  for (const [col, v] of cols) if (v !== undefined && v !== 0n) b.setFixed(row, col, v);
  const cells = { a: b.cell(WIRE.a, row), b: b.cell(WIRE.b, row), c: b.cell(WIRE.c, row) };
  if (values.a !== undefined) b.assign(cells.a, values.a);
  if (values.b !== undefined) b.assign(cells.b, values.b);
  if (values.c !== undefined) b.assign(cells.c, values.c);
  return cells;
}

/** x·y, elementwise (one row per element). */
export function mul(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  const cells = arithmeticRow(b, { qm: 1n, qo: R - 1n }, { a: b.value(x), b: b.value(y), c: (b.value(x) * b.value(y)) % R });
  b.copy(x, cells.a);
  b.copy(y, cells.b);
  return cells.c;
}

/** s·x + t·y + k with public constants s, t, k. */
export function linear(b: CircuitBuilder, x: Cell, y: Cell, s: bigint, t: bigint, k = 0n): Cell {
  const value = frMod(s * b.value(x) + t * b.value(y) + k);
  const cells = arithmeticRow(b, { ql: frMod(s), qr: frMod(t), qc: frMod(k), qo: R - 1n }, { a: b.value(x), b: b.value(y), c: value });
  b.copy(x, cells.a);
  b.copy(y, cells.b);
  return cells.c;
}

/** x + y. */
export function addCells(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  return linear(b, x, y, 1n, 1n);
}

/** x − y. */
export function subCells(b: CircuitBuilder, x: Cell, y: Cell): Cell {
  return linear(b, x, y, 1n, R - 1n);
}

/** c·x for a public constant c (one row). */
export function scaleCell(b: CircuitBuilder, x: Cell, c: bigint): Cell {
  return linear(b, x, x, c, 0n);
}

/** x + k for a public constant k (one row). */
export function addConstant(b: CircuitBuilder, x: Cell, k: bigint): Cell {
  return linear(b, x, x, 1n, 0n, k);
}

/**
 * A fresh cell holding `value` whose own row states q_m·v² + q_l·v + q_c = 0 (b is a copy of a):
 * a boolean (q_m = 1, q_l = −1) or a sign (q_m = 1, q_c = −1) in one row.
 */
export function quadraticCell(b: CircuitBuilder, value: bigint, q: Pick<ArithmeticRow, "qm" | "ql" | "qc">): Cell {
  const cells = arithmeticRow(b, { qm: q.qm, ql: q.ql, qc: q.qc }, { a: value });
  b.copyInto(cells.a, WIRE.b, cells.a.row);
  return cells.a;
}
