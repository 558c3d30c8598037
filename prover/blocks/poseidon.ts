// Poseidon over BN254's Fr, bit-identical to circomlibjs's `poseidon` (x⁵ S-box, 8 full rounds,
// the partial-round counts of circomlibjs), for t = 2…17 (1…16 inputs). Off-circuit it follows the
// plain round structure with circomlibjs's round constants C and MDS matrices M; in the circuit the
// optimised form of circomlibjs's `poseidon_opt` (constants C, S, M, P), built from arithmetic rows
// only. Both constant sets are read from the installed circomlibjs package at run time. Plus a
// chained construction for longer inputs (poseidonChain), with its off-circuit twin.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { R } from "../../verifier/engine/bn254.js";
import { frMod } from "../../verifier/engine/scalar.js";
import type { CircuitBuilder } from "../circuit/builder.js";
import { WIRE, type Cell } from "../circuit/builder.js";
import { CircuitError, layout } from "../plonkish/index.js";
import { linearCombination, type Term } from "./linear-combination.js";

const { FIXED } = layout;

export const POSEIDON_FULL_ROUNDS = 8;
const HALF = POSEIDON_FULL_ROUNDS / 2;
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

/** The installed circomlibjs's src/ folder, where its constant files are. */
const circomlibSource = (): string => join(dirname(createRequire(import.meta.url).resolve("circomlibjs")), "..", "src");

/** circomlibjs's constants for width t (2…17), from the package's own JSON file. */
function paramsFor(t: number): Params {
  if (!Number.isInteger(t) || t < 2 || t > POSEIDON_MAX_INPUTS + 1) throw new CircuitError(`Poseidon takes 1…${POSEIDON_MAX_INPUTS} inputs, not ${t - 1}`);
  const known = params.get(t);
  if (known) return known;
  constants ??= JSON.parse(readFileSync(join(circomlibSource(), "poseidon_constants.json"), "utf8")) as { C: string[][]; M: string[][][] };
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

interface OptParams {
  /** Round constants, each added after the S-boxes of the round before (the first t before round 0). */
  C: bigint[];
  /** The partial rounds' sparse matrices, 2t − 1 entries each: the new first element's row, then the first column below the diagonal. */
  S: bigint[];
  /** MDS matrix and the pre-partial matrix P, both applied as out_i = Σ_j X[j][i]·in_j (circomlibjs's orientation). */
  M: bigint[][];
  P: bigint[][];
  partial: number;
}

let optConstants: { C: string[][]; S: string[][]; M: string[][][]; P: string[][][] } | undefined;
const optParams = new Map<number, OptParams>();

/** circomlibjs's optimised constants (`poseidon_constants_opt`, used by its `poseidon_opt`) for width t. */
function optParamsFor(t: number): OptParams {
  paramsFor(t);
  const known = optParams.get(t);
  if (known) return known;
  optConstants ??= JSON.parse(readFileSync(join(circomlibSource(), "poseidon_constants_opt.json"), "utf8")) as typeof optConstants;
  const k = optConstants!;
  const big = (h: string): bigint => BigInt(h);
  const p: OptParams = {
    C: k.C[t - 2].map(big),
    S: k.S[t - 2].map(big),
    M: k.M[t - 2].map((row) => row.map(big)),
    P: k.P[t - 2].map((row) => row.map(big)),
    partial: POSEIDON_PARTIAL_ROUNDS[t - 2],
  };
  if (p.C.length !== POSEIDON_FULL_ROUNDS * t + p.partial || p.S.length !== (2 * t - 1) * p.partial || p.M.length !== t || p.P.length !== t)
    throw new CircuitError(`circomlibjs's optimised Poseidon constants for t = ${t} do not have the expected shape`);
  optParams.set(t, p);
  return p;
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
 * x⁵ for the x in the a-cell of `row` (a row without a gate yet, typically the one a chained sum
 * ends in): that row becomes a·b − c = 0 with b a copy of a (c = x²), then two product rows.
 */
function sboxAt(b: CircuitBuilder, row: number): Cell {
  const x = b.cell(WIRE.a, row);
  b.copyInto(x, WIRE.b, row);
  b.setFixed(row, FIXED.qM, 1n);
  b.setFixed(row, FIXED.qO, -1n);
  const x2 = b.cell(WIRE.c, row);
  b.assign(x2, b.value(x) * b.value(x));
  const x4 = productRow(b, x2, x2, 0n, 0n);
  return productRow(b, x4, x, 0n, 0n);
}

/**
 * Σ k_i·x_i + k₀ handed to the a-cell of a fresh row right after the sum's rows, whose number is
 * returned; the caller gives that row its own gate. The first row takes three terms and k₀, each
 * later row two more, every row stating a + k·b + k′·c (+ k₀) − a(ωX) = 0 (q_n = −1): ⌈(T − 1)/2⌉
 * rows for T terms, and no row that only holds the result.
 */
function sumIntoNextRow(b: CircuitBuilder, terms: readonly Term[], constant: bigint): number {
  const slots = [
    [WIRE.a, FIXED.qL],
    [WIRE.b, FIXED.qR],
    [WIRE.c, FIXED.qO],
  ] as const;
  let sum = frMod(constant);
  let row = b.row();
  b.setFixed(row, FIXED.qC, constant);
  let slot = 0;
  for (const [cell, k] of terms) {
    if (slot === slots.length) {
      b.setFixed(row, FIXED.qN, -1n);
      row = b.row();
      b.assign(b.cell(WIRE.a, row), sum);
      b.setFixed(row, FIXED.qL, 1n);
      slot = 1;
    }
    const [col, selector] = slots[slot++];
    b.copyInto(cell, col, row);
    b.setFixed(row, selector, k);
    sum = frMod(sum + k * b.value(cell));
  }
  b.setFixed(row, FIXED.qN, -1n);
  const target = b.row();
  b.assign(b.cell(WIRE.a, target), sum);
  return target;
}

/** The terms and constant of output i of the mix out_i = Σ_j X[j][i]·(y_j + k_j); a y_j known in advance is a bigint. */
function mixOutput(X: readonly bigint[][], ys: readonly (Cell | bigint)[], ks: readonly bigint[], i: number): [Term[], bigint] {
  const terms: Term[] = [];
  let constant = 0n;
  ys.forEach((y, j) => {
    if (typeof y === "bigint") constant += X[j][i] * y;
    else terms.push([y, X[j][i]]);
    constant += X[j][i] * ks[j];
  });
  return [terms, constant % R];
}

/**
 * The permutation's first output for the state [init, inputs…] in the circuit: circomlibjs
 * `poseidon(inputs, init)` of the cells' values, laid out in the optimised form of circomlibjs's
 * `poseidon_opt` (constants `poseidon_constants_opt`), an exact rewrite of the same permutation:
 *   - 4 full rounds (x⁵ on every element, then the constants of the next round, then the MDS M;
 *     the last of them mixes with P instead), the very first constants folded into the S-boxes;
 *   - the partial rounds: x⁵ on the first element plus its constant, then the sparse matrix S_r
 *     (new first element = a dense row, element k ≥ 1 += s_{r,k}·the S-box output);
 *   - 4 full rounds with M (constants after the first three).
 * Every mix is summed straight into the first row of the S-box it feeds (no row holds a mix
 * output alone). The elements k ≥ 1 of the partial rounds are never laid out one round at a time:
 * each is a chain of consecutive rows, row f holding its value before partial round 2f in a and
 * the S-box outputs of rounds 2f and 2f + 1 in b and c, handing the updated value to row f + 1
 * (a + s·b + s′·c + k − a(ωX) = 0). An odd round's new first element therefore reads each
 * element's chain value from before the even round, and the even round's S-box output once, with
 * the coefficients combined. The chain's last row is the first S-box row of the next full round.
 * `init` is a cell, or a public value (its first S-box is then a constant). Rows per call with a
 * public initial state: 406 for t = 3, 2,692 for t = 17 (docs/blocks.md).
 */
export function poseidonCells(b: CircuitBuilder, inputs: readonly Cell[], init: Cell | bigint): Cell {
  const t = inputs.length + 1;
  const { C, S, M, P, partial } = optParamsFor(t);
  const range = (from: number): bigint[] => C.slice(from, from + t);
  const mixInto = (X: readonly bigint[][], ys: readonly (Cell | bigint)[], ks: readonly bigint[], i: number): number => sumIntoNextRow(b, ...mixOutput(X, ys, ks, i));
  const all = [...Array(t).keys()];

  // The first HALF full rounds.
  // A public initial state (poseidon, poseidonChain) makes the first S-box a constant.
  const first: (Cell | bigint)[] = [typeof init === "bigint" ? pow5(frMod(init + C[0])) : sbox(b, init, C[0]), ...inputs.map((x, j) => sbox(b, x, C[j + 1]))];
  let ys: (Cell | bigint)[] = first;
  for (let r = 1; r < HALF; r++) {
    const before = ys;
    ys = all.map((i) => mixInto(M, before, range(r * t), i)).map((row) => sboxAt(b, row));
  }
  // The P mix: the first element into the first partial S-box, the others into their chains.
  const chainRows = Math.ceil(partial / 2);
  const pre = ys;
  let xRow = mixInto(P, pre, range(HALF * t), 0);
  const chains: number[][] = [[]];
  for (let k = 1; k < t; k++) {
    const first = mixInto(P, pre, range(HALF * t), k);
    chains.push([first, ...Array.from({ length: chainRows }, () => b.row())]);
  }
  // Partial rounds.
  const pending = new Array<bigint>(t).fill(0n);
  let previous: { x5: Cell; c: bigint; column: readonly bigint[] } | undefined;
  for (let r = 0; r < partial; r++) {
    const x5 = sboxAt(b, xRow);
    const c = C[(HALF + 1) * t + r];
    const s = S.slice((2 * t - 1) * r, (2 * t - 1) * (r + 1));
    const column = s.slice(t);
    const f = r >> 1;
    // The next first element S_r · state, state_k = chain value (+ the last round's update when r is odd).
    const terms: Term[] = [[x5, s[0]]];
    let constant = s[0] * c;
    for (let k = 1; k < t; k++) terms.push([b.cell(WIRE.a, chains[k][f]), s[k]]);
    if (previous) {
      const k = all.slice(1).reduce((acc, j) => acc + s[j] * previous!.column[j - 1], 0n) % R;
      terms.push([previous.x5, k]);
      constant += k * previous.c;
    }
    // The updates state_k += s_{r,k}·(x⁵ + c) go into chain row f (b for even r, c for odd r).
    for (let k = 1; k < t; k++) {
      const row = chains[k][f];
      b.copyInto(x5, r % 2 === 0 ? WIRE.b : WIRE.c, row);
      b.setFixed(row, r % 2 === 0 ? FIXED.qR : FIXED.qO, column[k - 1]);
      pending[k] += column[k - 1] * c;
    }
    if (r % 2 === 1 || r === partial - 1) {
      for (let k = 1; k < t; k++) {
        const row = chains[k][f];
        const value = b.value(b.cell(WIRE.a, row)) + column[k - 1] * b.value(x5) + (previous ? previous.column[k - 1] * b.value(previous.x5) : 0n) + pending[k];
        b.setFixed(row, FIXED.qL, 1n);
        b.setFixed(row, FIXED.qC, pending[k] % R);
        b.setFixed(row, FIXED.qN, -1n);
        b.assign(b.cell(WIRE.a, chains[k][f + 1]), value);
        pending[k] = 0n;
      }
      previous = undefined;
    } else previous = { x5, c, column };
    xRow = sumIntoNextRow(b, terms, constant % R);
  }
  // The last HALF full rounds; only the first output of the last mix is used.
  let last = [xRow, ...chains.slice(1).map((chain) => chain[chainRows])].map((row) => sboxAt(b, row));
  for (let r = 0; r < HALF - 1; r++) {
    const before = last;
    last = all.map((i) => mixInto(M, before, range((HALF + 1) * t + partial + r * t), i)).map((row) => sboxAt(b, row));
  }
  return linearCombination(b, ...mixOutput(M, last, new Array<bigint>(t).fill(0n), 0));
}

/** circomlibjs `poseidon(inputs)` (1…16 inputs, initial state 0) of cells. */
export function poseidon(b: CircuitBuilder, inputs: readonly Cell[]): Cell {
  paramsFor(inputs.length + 1);
  return poseidonCells(b, inputs, 0n);
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
  const init = BigInt(L);
  let h = poseidonCells(b, cells.slice(0, POSEIDON_MAX_INPUTS), init);
  for (let i = POSEIDON_MAX_INPUTS; i < L; i += POSEIDON_MAX_INPUTS - 1) h = poseidonCells(b, [h, ...cells.slice(i, i + POSEIDON_MAX_INPUTS - 1)], init);
  return h;
}
