// Hashed visibility: one public input, the Poseidon hash (circomlibjs-compatible, chained for more
// than 16 elements: blocks/poseidon.ts poseidonChain) of the quantized values packed into field
// elements. Every value q is range-checked to `bits` signed bits first, so u = q + 2^(bits−1) lies in
// [0, 2^bits); k = ⌊252 / bits⌋ consecutive u's (in the order of the model's inputs, or outputs,
// row-major) make one element Σ_t u_t·2^(bits·t) < 2^252 < r, so the packing is injective and the
// hash binds every value. Packing cuts the Poseidon rows by k (784 MNIST pixels: 630k rows → ~36k).
import { poseidonChain, poseidonChainHash } from "../blocks/poseidon.js";
import { linearCombination } from "../blocks/linear-combination.js";
import type { Cell, CircuitBuilder } from "../circuit/builder.js";
import { CompileError } from "./errors.js";

/** Bits a packed field element may use: 2^252 < r, so no element wraps around the field. */
const PACKED_BITS = 252;

/** Values per packed element when each value has `bits` signed bits. */
export function valuesPerElement(bits: number): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > PACKED_BITS) throw new CompileError(`cannot pack values of ${bits} bits`);
  return Math.floor(PACKED_BITS / bits);
}

/** The packed elements of signed values, each in [−2^(bits−1), 2^(bits−1)). */
export function packValues(values: readonly bigint[], bits: number): bigint[] {
  const k = valuesPerElement(bits);
  const half = 1n << BigInt(bits - 1);
  const out: bigint[] = [];
  for (let i = 0; i < values.length; i += k) {
    let element = 0n;
    values.slice(i, i + k).forEach((q, t) => {
      if (q < -half || q >= half) throw new CompileError(`value ${q} does not fit ${bits} signed bits`);
      element += (q + half) << BigInt(bits * t);
    });
    out.push(element);
  }
  return out;
}

/**
 * The hash of cells whose values are already range-checked to `bits` signed bits (the caller's
 * duty: without it the packing is not injective).
 */
export function hashCells(b: CircuitBuilder, cells: readonly Cell[], bits: number): Cell {
  const k = valuesPerElement(bits);
  const half = 1n << BigInt(bits - 1);
  const elements: Cell[] = [];
  for (let i = 0; i < cells.length; i += k) {
    const chunk = cells.slice(i, i + k);
    const weights = chunk.map((_, t) => 1n << BigInt(bits * t));
    const offset = weights.reduce((s, w) => s + w * half, 0n);
    elements.push(linearCombination(b, chunk.map((c, t) => [c, weights[t]] as const), offset));
  }
  return poseidonChain(b, elements);
}

/** The public input a hashed input or output takes, computed off-circuit from the quantized values. */
export function hashValues(values: readonly bigint[], bits: number): bigint {
  return poseidonChainHash(packValues(values, bits));
}
