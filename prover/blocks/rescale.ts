// Rescale: division of a fixed-point value by 2^shift with rounding to nearest (ties toward +∞),
// the step after every product of two scaled values. It is divideByConstant with d = 2^shift.
import type { CircuitBuilder, Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { divideByConstantCells, type QuotientCells } from "./division.js";
import type { IntRange } from "./range-check.js";

export interface RescaleOptions {
  /** Range of the result; checked, and refused at witness time with BlockRangeError. */
  outRange: IntRange;
  /** Rescale s·x + k instead of x (defaults 1, 0). */
  scale?: bigint;
  offset?: bigint;
  what?: string;
  /** Widest signed table q's lookup may use (default: the limb width); see DivideByConstantOptions. */
  quotientTableBits?: number;
}

/**
 * q = ⌊(v + 2^(shift−1)) / 2^shift⌋ = round(v / 2^shift) for v = s·x + k, with q ∈ outRange.
 * Guarantees: v + 2^(shift−1) = 2^shift·q + r with 0 ≤ r < 2^shift, so v lies in
 * [2^shift·lo − 2^(shift−1), 2^shift·hi + 2^(shift−1) − 1] and q is its rounded quotient; no premise
 * on x is needed. Rows: 2 when shift fits the limb width and outRange's width the quotient's table
 * (the usual case): a = r (signed, −2^(shift−1) ≤ r < 2^(shift−1)) with the gate r + 2^shift·q − v = 0
 * reading q from the next row, whose a = q (b = relu(q) for a signed outRange); otherwise 1 + limbed
 * range checks.
 */
export function rescale(b: CircuitBuilder, x: Cell, shift: number, opts: RescaleOptions): Cell {
  return rescaleCells(b, x, shift, opts).q;
}

/** rescale, also returning relu(q) when q's lookup row holds it (a signed outRange, two-row form). */
export function rescaleCells(b: CircuitBuilder, x: Cell, shift: number, opts: RescaleOptions): QuotientCells {
  if (!Number.isInteger(shift) || shift < 1) throw new CircuitError(`rescale by 2^${shift}: the shift must be a positive integer`);
  return divideByConstantCells(b, x, 1n << BigInt(shift), { ...opts, rounding: "half-up", what: opts.what ?? "rescaled value" });
}
