// One-hot selection by a computed index (Gather with activation indices): selectors s_0 … s_{n−1}
// and a sign flag ν, all boolean, with Σ s_k = 1 and Σ k·s_k − n·ν = idx. Exactly one s_k is 1,
// and k = idx (ν = 0) or idx + n (ν = 1, ONNX's negative indices); for idx outside [−n, n − 1] no
// assignment exists. The selected row of a table T is then Σ_k s_k·T_k: a product of the selector
// vector with the table (matmul against private weights, or against activations), which costs
// the table's size once plus n per index, not n per element selected.
import type { Cell, CircuitBuilder } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { quadraticCell } from "./arithmetic.js";
import { constantCell, signedValue } from "./cells.js";
import { BlockRangeError } from "./errors.js";
import { linearCombination } from "./linear-combination.js";

/** The prover's choice of selectors and sign flag (oneHot computes the honest one). */
export interface OneHotWitness {
  selectors: readonly bigint[];
  negative: bigint;
}

/**
 * Lays out the one-hot constraints of `idx` over n positions with the given witness values; the
 * layout depends on n alone. Rows: 1 + n (booleans: ν, then each s_k), the two sums (≈ n/2 + 1
 * each), and the shared zero constant. Returns the selector cells.
 */
export function oneHotWith(b: CircuitBuilder, idx: Cell, n: number, w: OneHotWitness): Cell[] {
  if (!Number.isInteger(n) || n < 1) throw new CircuitError(`one-hot over ${n} positions`);
  if (w.selectors.length !== n) throw new CircuitError(`one-hot: ${w.selectors.length} selector values for ${n} positions`);
  // A boolean cell in one row: v·v − v = 0.
  const booleanCell = (v: bigint): Cell => quadraticCell(b, v, { qm: 1n, ql: -1n });
  const nu = booleanCell(w.negative);
  const selectors = w.selectors.map(booleanCell);
  const zero = constantCell(b, 0n);
  // Σ s_k − 1 = 0.
  const count = linearCombination(
    b,
    selectors.map((s) => [s, 1n] as const),
    -1n,
  );
  b.copy(count, zero);
  // Σ k·s_k − n·ν − idx = 0 (s_0's coefficient is 0: left out).
  const position = linearCombination(b, [
    ...selectors.slice(1).map((s, k) => [s, BigInt(k + 1)] as const),
    [nu, -BigInt(n)],
    [idx, -1n],
  ]);
  b.copy(position, zero);
  return selectors;
}

/**
 * One-hot selectors of the integer idx ∈ [−n, n − 1] (negative counts from the end). Constraints
 * as oneHotWith; premise: none on idx (an idx outside the range, or not an integer, has no
 * satisfying assignment). An index outside the range is a BlockRangeError at witness time.
 */
export function oneHot(b: CircuitBuilder, idx: Cell, n: number, what = "index"): Cell[] {
  const v = signedValue(b, idx);
  const size = BigInt(n);
  if (v < -size || v >= size) throw new BlockRangeError(what, v, -size, size - 1n);
  const k = v < 0n ? v + size : v;
  return oneHotWith(b, idx, n, { selectors: Array.from({ length: n }, (_, i) => (BigInt(i) === k ? 1n : 0n)), negative: v < 0n ? 1n : 0n });
}
