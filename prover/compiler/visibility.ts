// Hashed visibility: one public input, the Poseidon hash (circomlibjs-compatible, chained for more
// than 16 values: blocks/poseidon.ts poseidonChain) of the quantized values as field elements
// (a negative q is r − |q|), in the order of the model's inputs (or outputs), row-major.
import { poseidonChain, poseidonChainHash } from "../blocks/poseidon.js";
import type { Cell, CircuitBuilder } from "../circuit/builder.js";
import { frMod } from "../engine/scalar.js";

export function hashCells(b: CircuitBuilder, cells: readonly Cell[]): Cell {
  return poseidonChain(b, cells);
}

/** The public input a hashed input or output takes, computed off-circuit from the quantized values. */
export function hashValues(values: readonly bigint[]): bigint {
  return poseidonChainHash(values.map(frMod));
}
