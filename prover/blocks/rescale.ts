// Rescale: division of a fixed-point value by 2^shift with rounding to nearest (ties toward +∞),
// the step after every product of two scaled values. It is divideByConstant with d = 2^shift.
import type { CircuitBuilder, Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { divideByConstant } from "./division.js";
import type { IntRange } from "./range-check.js";

export interface RescaleOptions {
  /** Range of the result; checked, and refused at witness time with BlockRangeError. */
  outRange: IntRange;
  /** Rescale s·x + k instead of x (defaults 1, 0). */
  scale?: bigint;
  offset?: bigint;
  what?: string;
}

/**
 * q = ⌊(v + 2^(shift−1)) / 2^shift⌋ = round(v / 2^shift) for v = s·x + k, with q ∈ outRange.
 * Guarantees: v + 2^(shift−1) = 2^shift·q + r with 0 ≤ r < 2^shift, so v lies in
 * [2^shift·lo − 2^(shift−1), 2^shift·hi + 2^(shift−1) − 1] and q is its rounded quotient; no premise
 * on x is needed. Rows: 2 when shift and outRange's width fit the limb width (the usual case),
 * otherwise 1 + limbed range checks.
 */
export function rescale(b: CircuitBuilder, x: Cell, shift: number, opts: RescaleOptions): Cell {
  if (!Number.isInteger(shift) || shift < 1) throw new CircuitError(`rescale by 2^${shift}: the shift must be a positive integer`);
  return divideByConstant(b, x, 1n << BigInt(shift), { ...opts, rounding: "half-up", what: opts.what ?? "rescaled value" });
}
