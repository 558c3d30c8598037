// Poseidon over BN254's Fr, bit-identical to circomlibjs's `poseidon` (x⁵ S-box, 8 full rounds,
// the partial-round counts of circomlibjs, its round constants C and MDS matrices M, read from the
// installed circomlibjs package at run time), for t = 2…17 (1…16 inputs); built from arithmetic
// rows only. Plus a chained construction for longer inputs (poseidonChain), with its off-circuit twin.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { R } from "../engine/bn254.js";
import { frMod } from "../engine/scalar.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { constantCell } from "./cells.js";
import { linearCombination } from "./sum.js";

const { FIXED } = layout;

export const POSEIDON_FULL_ROUNDS = 8;
/** Partial rounds for t = 2…17 (circomlibjs's table, the paper's counts rounded up). */
export const POSEIDON_PARTIAL_ROUNDS = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;
/** Most inputs one permutation takes. */
export const POSEIDON_MAX_INPUTS = POSEIDON_PARTIAL_ROUNDS.length;

interface Params {
  C: bigint[];
  M: bigint[][];
  partial: number;
}

let constants: { C: string[][]; M: string[][][] } | undefined;
const params = new Map<number, Params>();

/** circomlibjs's constants for width t (2…17), from the package's own JSON file. */
function paramsFor(t: number): Params {
  if (!Number.isInteger(t) || t < 2 || t > POSEIDON_MAX_INPUTS + 1) throw new CircuitError(`Poseidon takes 1…${POSEIDON_MAX_INPUTS} inputs, not ${t - 1}`);
  const known = params.get(t);
  if (known) return known;
  if (!constants) {
    const main = createRequire(import.meta.url).resolve("circomlibjs");
    constants = JSON.parse(readFileSync(join(dirname(main), "..", "src", "poseidon_constants.json"), "utf8")) as { C: string[][]; M: string[][][] };
  }
  const p = { C: constants.C[t - 2].map((h) => BigInt(h)), M: constants.M[t - 2].map((row) => row.map((h) => BigInt(h))), partial: POSEIDON_PARTIAL_ROUNDS[t - 2] };
  params.set(t, p);
  return p;
}

const isFullRound = (r: number, partial: number): boolean => r < POSEIDON_FULL_ROUNDS / 2 || r >= POSEIDON_FULL_ROUNDS / 2 + partial;

const pow5 = (x: bigint): bigint => {
  const x2 = (x * x) % R;
  return (((x2 * x2) % R) * x) % R;
};

/** circomlibjs `poseidon(inputs, initState)` off-circuit: the first element of the permuted state [init, inputs…]. */
export function poseidonHash(inputs: readonly bigint[], initState = 0n): bigint {
  const t = inputs.length + 1;
  const { C, M, partial } = paramsFor(t);
  let state = [initState, ...inputs].map(frMod);
  for (let r = 0; r < POSEIDON_FULL_ROUNDS + partial; r++) {
    state = state.map((a, i) => (a + C[r * t + i]) % R);
    if (isFullRound(r, partial)) state = state.map(pow5);
    else state[0] = pow5(state[0]);
    state = M.map((row) => row.reduce((acc, m, j) => (acc + m * state[j]) % R, 0n));
  }
  return state[0];
}

/** One row a·b + q_l·a + q_c − c = 0 with a, b copied from the given cells; returns c. */
function productRow(b: CircuitBuilder, x: Cell, y: Cell, ql: bigint, qc: bigint): Cell {
  const row = b.row();
  const a = b.cell(WIRE.a, row);
  const bb = b.cell(WIRE.b, row);
  b.assign(a, b.value(x));
  b.assign(bb, b.value(y));
  b.copy(x, a);
  b.copy(y, bb);
  b.setFixed(row, FIXED.qM, 1n);
  b.setFixed(row, FIXED.qL, ql);
  b.setFixed(row, FIXED.qC, qc);
  b.setFixed(row, FIXED.qO, -1n);
  const out = b.cell(WIRE.c, row);
  b.assign(out, frMod(b.value(x) * b.value(y) + ql * b.value(x) + qc));
  return out;
}

/** (x + c)⁵ in three rows: (x + c)² = x·x + 2c·x + c²; its square; x⁴·x + c·x⁴. */
function sbox(b: CircuitBuilder, x: Cell, c: bigint): Cell {
  const x2 = productRow(b, x, x, 2n * c, c * c);
  const x4 = productRow(b, x2, x2, 0n, 0n);
  return productRow(b, x4, x, c, 0n);
}

/**
 * The permutation's first output for the state [init, inputs…] in the circuit: circomlibjs
 * `poseidon(inputs, init)` of the cells' values. Round constants are folded into the S-box rows
 * (full rounds) and into the mixing rows' constants (the unboxed elements of partial rounds).
 * Rows for t = 3: about 630.
 */
export function poseidonCells(b: CircuitBuilder, inputs: readonly Cell[], init: Cell): Cell {
  const t = inputs.length + 1;
  const { C, M, partial } = paramsFor(t);
  const rounds = POSEIDON_FULL_ROUNDS + partial;
  let state: Cell[] = [init, ...inputs];
  for (let r = 0; r < rounds; r++) {
    const full = isFullRound(r, partial);
    // After the S-boxes, element j is y_j (a cell) plus a pending constant k_j.
    const ys: Cell[] = [];
    const pending: bigint[] = [];
    for (let j = 0; j < t; j++) {
      const c = C[r * t + j];
      if (full || j === 0) {
        ys.push(sbox(b, state[j], c));
        pending.push(0n);
      } else {
        ys.push(state[j]);
        pending.push(c);
      }
    }
    // Only the first output of the last round is used.
    const outputs = r === rounds - 1 ? 1 : t;
    const next: Cell[] = [];
    for (let i = 0; i < outputs; i++) {
      const constant = M[i].reduce((acc, m, j) => acc + m * pending[j], 0n) % R;
      next.push(
        linearCombination(
          b,
          ys.map((y, j) => [y, M[i][j]] as const),
          constant,
        ),
      );
    }
    state = next;
  }
  return state[0];
}

/** circomlibjs `poseidon(inputs)` (1…16 inputs, initial state 0) of cells. */
export function poseidon(b: CircuitBuilder, inputs: readonly Cell[]): Cell {
  paramsFor(inputs.length + 1);
  return poseidonCells(b, inputs, constantCell(b, 0n));
}

/**
 * A hash of any number L ≥ 1 of values:
 *   L ≤ 16: poseidon(x)                                  (circomlibjs, initial state 0);
 *   L > 16: h = poseidon(x[0..16), L), then for each next chunk c of up to 15 values
 *           h = poseidon([h, …c], L)                      (circomlibjs with initState = L).
 * The length in the capacity element separates inputs of different lengths. Off-circuit twin of
 * poseidonChain.
 */
export function poseidonChainHash(values: readonly bigint[]): bigint {
  const L = values.length;
  if (L === 0) throw new CircuitError("Poseidon of no values");
  if (L <= POSEIDON_MAX_INPUTS) return poseidonHash(values);
  let h = poseidonHash(values.slice(0, POSEIDON_MAX_INPUTS), BigInt(L));
  for (let i = POSEIDON_MAX_INPUTS; i < L; i += POSEIDON_MAX_INPUTS - 1) h = poseidonHash([h, ...values.slice(i, i + POSEIDON_MAX_INPUTS - 1)], BigInt(L));
  return h;
}

/** poseidonChainHash of cells, in the circuit. */
export function poseidonChain(b: CircuitBuilder, cells: readonly Cell[]): Cell {
  const L = cells.length;
  if (L === 0) throw new CircuitError("Poseidon of no values");
  if (L <= POSEIDON_MAX_INPUTS) return poseidon(b, cells);
  const init = constantCell(b, BigInt(L));
  let h = poseidonCells(b, cells.slice(0, POSEIDON_MAX_INPUTS), init);
  for (let i = POSEIDON_MAX_INPUTS; i < L; i += POSEIDON_MAX_INPUTS - 1) h = poseidonCells(b, [h, ...cells.slice(i, i + POSEIDON_MAX_INPUTS - 1)], init);
  return h;
}
