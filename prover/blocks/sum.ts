// Sums and means of cells: linear combinations (linear-combination.ts) with every coefficient 1; a
// sum of T cells costs about T/2 rows.
import type { CircuitBuilder } from "../circuit/builder.js";
import type { Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { divideByConstant, type Rounding } from "./division.js";
import { linearCombination } from "./linear-combination.js";
import type { IntRange } from "./range-check.js";

/** Σ x_i. */
export function sum(b: CircuitBuilder, cells: readonly Cell[]): Cell {
  return linearCombination(
    b,
    cells.map((c) => [c, 1n] as const),
  );
}

/**
 * The mean of the cells, rounded: divideByConstant(Σ x_i, count) (see division.ts for what it
 * guarantees); `outRange` bounds the result.
 */
export function mean(b: CircuitBuilder, cells: readonly Cell[], outRange: IntRange, rounding: Rounding = "half-up"): Cell {
  if (cells.length === 0) throw new CircuitError("mean of no cells");
  return divideByConstant(b, sum(b, cells), BigInt(cells.length), { outRange, rounding });
}
