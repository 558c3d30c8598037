// Nonlinear functions by (x, f(x)) lookups: one row per element, a = x (copied in) and b = f(x),
// looked up in the table of all (x, f(x)) for x in an explicit domain [lo, hi]. Tables are keyed
// by the function's name and domain, so every use of the same function, scales and domain shares
// one table.
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import type { IntRange } from "./range-check.js";

const { FIXED } = layout;

/** Largest domain a function table may have (its entries are table rows). */
export const MAX_FUNCTION_TABLE = 1 << 24;

/** An integer function on a domain, e.g. sigmoid from input scale 2^−8 to output scale 2^−12. */
export interface TableFunction {
  /**
   * Names f completely (function, input and output scales, rounding): two functions with the same
   * name and domain must be the same function, since they share a table.
   */
  name: string;
  domain: IntRange;
  f: (x: bigint) => bigint;
}

/** The key of f's table (its name and domain). */
export function functionTableKey(fn: TableFunction): string {
  return `fn:${fn.name}|[${fn.domain.lo}, ${fn.domain.hi}]`;
}

/** f's table id, registering the table on first use. */
export function functionTable(b: CircuitBuilder, fn: TableFunction): number {
  const { lo, hi } = fn.domain;
  if (hi < lo || hi - lo + 1n > BigInt(MAX_FUNCTION_TABLE)) throw new CircuitError(`function table ${fn.name}: domain [${lo}, ${hi}] is empty or larger than 2^24`);
  return b.keyedTable(functionTableKey(fn), function* () {
    for (let x = lo; x <= hi; x++) yield [x, fn.f(x)] as const;
  });
}

/**
 * y = f(x). Constraint: (x, y) is an entry of f's table, i.e. x ∈ [lo, hi] and y = f(x) exactly
 * (no premise). Throws BlockRangeError when x is outside the domain. Rows: 1 (a = x, b = y).
 */
export function applyFunction(b: CircuitBuilder, x: Cell, fn: TableFunction): Cell {
  const id = functionTable(b, fn);
  const v = signedValue(b, x);
  if (v < fn.domain.lo || v > fn.domain.hi) throw new BlockRangeError(`${fn.name}: input`, v, fn.domain.lo, fn.domain.hi);
  const row = b.lookupRow();
  b.setFixed(row, FIXED.qLK, BigInt(id));
  b.copyInto(x, WIRE.a, row);
  const out = b.cell(WIRE.b, row);
  b.assign(out, fn.f(v));
  return out;
}
