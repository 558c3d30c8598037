// Test circuits for the proof system: a seeded PRNG, one "mixed" circuit that uses every block
// (matmul with several columns, mul/add/linear rows, a range check, copies, public inputs and a
// public output), and cheating variants of it that break exactly one constraint while keeping
// every copy of a changed value consistent.
import { getEngine, R } from "../../../verifier/engine/bn254.js";
import { FR_BYTES, frGet, frSet, frVecToBigints, type FrVec } from "../../../verifier/engine/fr.js";
import { frInv, frMod } from "../../../verifier/engine/scalar.js";
import { CircuitBuilder, WIRE, type Cell } from "../../../prover/circuit/builder.js";
import { matmul, matmulActivations } from "../../../prover/blocks/matmul.js";
import { addCells, arithmeticRow, linear, mul } from "../../../prover/blocks/arithmetic.js";
import { checkRange, signedRange } from "../../../prover/blocks/range-check.js";
import { commit } from "../../../prover/kzg/index.js";
import { Domain } from "../../../prover/poly/index.js";
import { interpolate } from "../../../prover/plonkish/columns.js";
import { layout, setup, srsSizeFor, verificationKeyDigest, type CircuitTable, type ProvingKey, type VerificationKey, type Witness } from "../../../prover/plonkish/index.js";
import { devSrs, type Srs } from "../../../prover/srs/index.js";

const { FIXED } = layout;

/** splitmix64: a small deterministic generator of 64-bit words. */
export function prng(seed: number | bigint): () => bigint {
  const MASK = (1n << 64n) - 1n;
  let s = BigInt(seed) & MASK;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & MASK;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
}

/** Uniform-looking field elements from a seed (256 bits reduced mod r). */
export function fieldRng(seed: number | bigint): () => bigint {
  const next = prng(seed);
  return () => ((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) % R;
}

/** An integer in [0, bound) from a 64-bit generator (bias is irrelevant here). */
export function below(next: () => bigint, bound: number): number {
  return Number(next() % BigInt(bound));
}

/** One way to cheat: each breaks exactly one constraint of an otherwise honest witness. */
export type Cheat =
  /** The mul row's output c is off by one; everything computed from it follows the wrong value. */
  | { kind: "arithmetic" }
  /** The range-check row's a cell holds another value than the cell it copies, with the same relu (in its table). */
  | { kind: "copy" }
  /** Y = W·X + E for the given sparse E (local indices); downstream rows follow the wrong Y. */
  | { kind: "freivalds"; errors: readonly { i: number; p: number; delta: bigint }[] }
  /** The range-checked private value is 2^(bits−1) (out of range); its copies and uses follow it. */
  | { kind: "lookup" }
  /** The witness claims public input 0 is one more than its cell holds. */
  | { kind: "public-input" };

export interface MixedOptions {
  /** Matmul shape: W is m×k, X is k×P (P ≥ 2 so that Y has several columns). */
  m: number;
  k: number;
  P: number;
  /** Seeds the weights, the inputs and the private range-checked value. */
  seed: number;
  /** Seed for the weights alone (defaults to `seed`): same inputs, other weights. */
  weightSeed?: number;
  /** Table size (default: the smallest that fits). */
  logRows?: number;
  /** Width of the range check (default 4, so the range table has 16 rows). */
  rangeBits?: number;
  cheat?: Cheat;
}

/** A Y entry of the matmul: its cell and the Freivalds index values (i_b, t, p) of its row (id_a, id_c, id_b). */
export interface YEntry {
  cell: Cell;
  i: bigint;
  /** The slot t of its output index (i_b, t). */
  t: bigint;
  p: bigint;
}

export interface MixedCircuit {
  table: CircuitTable;
  witness: Witness;
  weights: bigint[][];
  /** Public inputs: k·P activations (row-major), then the output. */
  publicInputCount: number;
  y: YEntry[][];
  /** Rows of interest, for checking where the prover's self-check points. */
  rows: { mul: number; range: number; output: number };
}

/**
 * The mixed circuit:
 *   X = public inputs (k×P), Y = W·X (Freivalds), h = Y₀₀·Y_{m−1,P−1}, s = 3·h − 2·Y_{0,P−1} + 7,
 *   v private with −2^(bits−1) ≤ v < 0 (honest; the lookup checks −2^(bits−1) ≤ v < 2^(bits−1)),
 *   out = s + v, copied to the last public input.
 */
export function mixedCircuit(opts: MixedOptions): MixedCircuit {
  const { m, k, P } = opts;
  const bits = opts.rangeBits ?? 4;
  const cheat = opts.cheat;
  const rnd = fieldRng(opts.seed);
  const wrnd = fieldRng(opts.weightSeed ?? opts.seed + 0x5eed);
  const weights = Array.from({ length: m }, () => Array.from({ length: k }, () => wrnd()));

  const ell = k * P + 1;
  const b = new CircuitBuilder(ell);
  const x: Cell[][] = [];
  for (let j = 0; j < k; j++) {
    x.push(Array.from({ length: P }, (_, p) => b.setPublicInput(j * P + p, rnd())));
  }
  const yCells = matmul(b, weights, x);
  if (cheat?.kind === "freivalds") {
    for (const e of cheat.errors) {
      const cell = yCells[e.i][e.p];
      b.assign(cell, b.value(cell) + e.delta);
    }
  }

  const h = mul(b, yCells[0][0], yCells[m - 1][P - 1]);
  if (cheat?.kind === "arithmetic") b.assign(h, b.value(h) + 1n);
  const s = linear(b, h, yCells[0][P - 1], 3n, R - 2n, 7n);

  // A free row (no selectors) holds the private value v; it is range-checked and used.
  // The range-check row holds (v, relu(v)) of the signed table: a copy of v in a, no gate.
  const half = 1n << BigInt(bits - 1);
  const vValue = BigInt(below(prng(opts.seed ^ 0xabc), Number(half))) - half;
  const v = arithmeticRow(b, {}, { a: vValue }).a;
  checkRange(b, v, signedRange(bits), "v");
  // The circuit's only lookup row (the range check may sit in an open row of the product).
  const rangeRow = Array.from({ length: b.rows }, (_, row) => row).filter((row) => b.fixedValue(row, FIXED.qLK) !== 0n);
  if (rangeRow.length !== 1) throw new Error(`expected one lookup row, found ${rangeRow.length}`);
  if (cheat?.kind === "lookup") {
    // checkRange refuses 2^(bits−1) at witness time: put it into v and its copy afterwards.
    for (const cell of [v, { col: WIRE.a, row: rangeRow[0] }, { col: WIRE.b, row: rangeRow[0] }] as const) b.assign(cell, half);
  }
  if (cheat?.kind === "copy") {
    // Another negative value: (other, relu(other) = 0) is still an entry, so only the copy objects.
    const other = vValue === -1n ? -2n : vValue + 1n;
    b.assign({ col: WIRE.a, row: rangeRow[0] }, other);
  }

  const out = addCells(b, s, v);
  b.copy(out, b.publicInput(ell - 1));
  b.setPublicInput(ell - 1, b.value(out));

  const built = b.build(opts.logRows);
  const idA = built.table.fixed[FIXED.idA];
  const idB = built.table.fixed[FIXED.idB];
  const idC = built.table.fixed[FIXED.idC];
  const y = yCells.map((row) => row.map((cell) => ({ cell, i: frGet(idA, cell.row), t: frGet(idC, cell.row), p: frGet(idB, cell.row) })));
  let witness = built.witness;
  if (cheat?.kind === "public-input") {
    const publicInputs = [...witness.publicInputs];
    publicInputs[0] = (publicInputs[0] + 1n) % R;
    witness = { ...witness, publicInputs };
  }
  return { table: built.table, witness, weights, publicInputCount: ell, y, rows: { mul: h.row, range: rangeRow[0], output: out.row } };
}

/** The challenges a Y entry's Freivalds coefficient depends on. */
export interface FreivaldsChallenges {
  beta: bigint;
  delta: bigint;
  lambda: bigint;
}

/** 1/e_((i_b,t))·g_p = (β − i_b)(δ − p)(1 − t/λ): the inverse of entry (i_b, t, p)'s coefficient. */
function yDenominator(e: YEntry, c: FreivaldsChallenges): bigint {
  return frMod((c.beta - e.i) * (c.delta - e.p) * frMod(1n - e.t * frInv(c.lambda)));
}

/**
 * A Freivalds error E on two Y entries that the check cannot see for the challenges (β, δ, λ):
 * E₁·κ_(t₁)/((β−i₁)(δ−p₁)) + E₂·κ_(t₂)/((β−i₂)(δ−p₂)) = 0, E₁ = `size`.
 */
export function invisibleError(a: YEntry, b: YEntry, challenges: FreivaldsChallenges, size: bigint): bigint {
  return frMod(-size * yDenominator(b, challenges) * frInv(yDenominator(a, challenges)));
}

/** Σ E_((i_b,t),p)·κ_t/((β − i_b)(δ − p)): the part of the Freivalds sum that E contributes. */
export function freivaldsWeight(entries: readonly { e: YEntry; delta: bigint }[], challenges: FreivaldsChallenges): bigint {
  let s = 0n;
  for (const { e, delta: d } of entries) s = (s + d * frInv(yDenominator(e, challenges))) % R;
  return s;
}

/** Values of one fixed column as bigints (for building a malformed table). */
export function fixedValues(table: CircuitTable, col: number): bigint[] {
  return frVecToBigints(table.fixed[col]);
}

export interface ActivationProduct {
  table: CircuitTable;
  witness: Witness;
  /** The W rows of the product, in (i, j) order: row index t·k + j for A_ij. */
  wRows: number[];
  /** The K weight columns the key commits to (zero unless `hidden` was given, in slot `hiddenSlot`). */
  weights: FrVec[];
}

/**
 * Y = A·X for two public activation matrices (A m×k, X k×P, both public inputs) by
 * matmulActivations, Y exposed as public outputs. With `hidden` (an m×k matrix M), the weight
 * column of slot `hiddenSlot` (default 0) holds M in the product's W rows and the witness computes
 * Y = (A + M)·X: what a model owner gets if its committed weights may act in an activation ×
 * activation product.
 */
export function activationProduct(opts: {
  m: number;
  k: number;
  P: number;
  seed: number;
  logRows?: number;
  hidden?: readonly (readonly bigint[])[];
  hiddenSlot?: number;
}): ActivationProduct {
  const { m, k, P } = opts;
  const rnd = prng(opts.seed);
  const small = (): bigint => BigInt(below(rnd, 17)) - 8n;
  const ell = m * k + k * P + m * P;
  const b = new CircuitBuilder(ell);
  let at = 0;
  const a = Array.from({ length: m }, () => Array.from({ length: k }, () => b.setPublicInput(at++, frMod(small()))));
  const x = Array.from({ length: k }, () => Array.from({ length: P }, () => b.setPublicInput(at++, frMod(small()))));
  const y = matmulActivations(b, a, x);
  if (opts.hidden) {
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < P; p++) {
        let extra = 0n;
        for (let j = 0; j < k; j++) extra += opts.hidden[i][j] * b.value(x[j][p]);
        b.assign(y[i][p], frMod(b.value(y[i][p]) + extra));
      }
    }
  }
  for (const row of y) {
    for (const cell of row) {
      b.copy(cell, b.publicInput(at));
      b.setPublicInput(at++, b.value(cell));
    }
  }
  const built = b.build(opts.logRows);
  const wRows = frVecToBigints(built.table.fixed[FIXED.qFW]).flatMap((v, row) => (v === 1n ? [row] : []));
  const weights = built.table.weights.map((w) => w.slice());
  if (opts.hidden) wRows.forEach((row, t) => frSet(weights[opts.hiddenSlot ?? 0], row, frMod(opts.hidden![Math.floor(t / k)][t % k])));
  return { table: built.table, witness: built.witness, wRows, weights };
}

/** The small activation × activation product the weight-row tests attack, and the M they hide in it. */
export const HIDDEN_PRODUCT_SHAPE = { m: 2, k: 3, P: 2, seed: 808, logRows: 6 } as const;
export const HIDDEN_WEIGHTS: readonly (readonly bigint[])[] = [
  [1n, 0n, -2n],
  [0n, 5n, 0n],
];

/** The honest key of HIDDEN_PRODUCT_SHAPE's product (zero weights), from a development SRS. */
export async function hiddenProductKey(): Promise<{ srs: Srs; pk: ProvingKey }> {
  const srs = await devSrs(srsSizeFor(HIDDEN_PRODUCT_SHAPE.logRows));
  return { srs, pk: await setup(activationProduct(HIDDEN_PRODUCT_SHAPE).table, srs) };
}

/**
 * A model owner's own setup for weights that `setup` would refuse: the key of `pk` with its K weight
 * columns replaced by `weights`, each C_t = W_t + (r₀ + t)·Z_H committed from coefficients, and the
 * digest redone.
 */
export async function withCommittedWeights(pk: ProvingKey, weights: FrVec[], r0: bigint): Promise<ProvingKey> {
  const n = 2 ** pk.vk.logRows;
  const weightCoeffs: FrVec[] = [];
  for (const [t, w] of weights.entries()) {
    const c = new Uint8Array((n + 1) * FR_BYTES);
    c.set(await interpolate(w, Domain.create(pk.vk.logRows)));
    frSet(c, 0, frMod(frGet(c, 0) - r0 - BigInt(t)));
    frSet(c, n, frMod(r0 + BigInt(t)));
    weightCoeffs.push(c);
  }
  const curve = await getEngine();
  const vk: VerificationKey = { ...pk.vk, weightCommitments: await Promise.all(weightCoeffs.map((c) => commit(curve, pk.commitKey, c))) };
  return {
    ...pk,
    vk,
    vkDigest: verificationKeyDigest(vk),
    table: { ...pk.table, weights },
    weightCoeffs,
    weightCoset: undefined,
    unblindedWeightCommitments: undefined,
  };
}

/**
 * A model owner's own setup without validateTable: `pk` with its fixed columns replaced by
 * `fixed` (commitments, coefficients and digest redone). The Freivalds row structure must be
 * unchanged, so the UV targets stay valid.
 */
export async function withFixedColumns(pk: ProvingKey, fixed: FrVec[]): Promise<ProvingKey> {
  const curve = await getEngine();
  const domain = Domain.create(pk.vk.logRows);
  const fixedCoeffs = await Promise.all(fixed.map((values) => interpolate(values, domain)));
  const fixedCommitments = await Promise.all(fixedCoeffs.map((c) => commit(curve, pk.commitKey, c)));
  const vk: VerificationKey = { ...pk.vk, fixedCommitments };
  return { ...pk, vk, vkDigest: verificationKeyDigest(vk), table: { ...pk.table, fixed }, fixedCoeffs, fixedCoset: undefined, lagrangeKey: undefined };
}

/**
 * The cheat G6 is meant to stop, made through the fixed columns instead (review of issue 18
 * finding 4, restated for protocol v5): each W row of an activation product is marked as a weight
 * row too (q_fw = q_fwt = 1, so G6 is silent) and its slot 0 holds M_ij. a keeps its copy of A_ij,
 * so the row's Freivalds entry would be Ŵ′ + a = M_ij + A_ij and the proof's outputs (A + M)·X.
 * `setup` refuses the table (one Freivalds kind per row), so the owner builds the key by hand; no
 * verifier sees the fixed columns, but G13 (freivalds-kind) reads them.
 */
export async function weightRowsWithCopiedActivation(
  pk: ProvingKey,
  shape: { m: number; k: number; P: number; seed: number; logRows?: number },
  hidden: readonly (readonly bigint[])[],
  r0: bigint,
): Promise<{ forged: ProvingKey; table: CircuitTable; witness: Witness }> {
  const cheat = activationProduct({ ...shape, hidden });
  const fixed = cheat.table.fixed.map((c) => c.slice());
  for (const row of cheat.wRows) frSet(fixed[FIXED.qFWT], row, 1n);
  const forged = await withCommittedWeights(await withFixedColumns(pk, fixed), cheat.weights, r0);
  return { forged, table: { ...cheat.table, fixed, weights: cheat.weights }, witness: cheat.witness };
}

/**
 * The last `count` rows of a mixed circuit, checked to be padding (no fixed value but σ, c = 0), so
 * that the power column P weighs nothing there: the rows where a test puts exponent steps s.
 */
export function paddingRows(c: MixedCircuit, count: number): number[] {
  const n = 2 ** c.table.logRows;
  const rows = Array.from({ length: count }, (_, i) => n - count + i);
  for (const row of rows) {
    for (let col = 0; col < layout.NUM_FIXED; col++) {
      if ((layout.PERMUTATION_SIGMAS as readonly number[]).includes(col)) continue;
      if (frGet(c.table.fixed[col], row) !== 0n) throw new Error(`row ${row} is not padding: fixed column ${col} is set`);
    }
    if (frGet(c.witness.c, row) !== 0n) throw new Error(`row ${row} is not padding: c is set`);
  }
  return rows;
}

/** A copy of the circuit's fixed columns with the exponent steps s set on the given rows. */
export function withSteps(c: MixedCircuit, steps: readonly (readonly [number, bigint])[]): FrVec[] {
  const fixed = c.table.fixed.map((v) => v.slice());
  for (const [row, s] of steps) frSet(fixed[FIXED.s], row, s);
  return fixed;
}

export interface MixedKey {
  srs: Srs;
  honest: MixedCircuit;
  pk: ProvingKey;
}

/** A mixed circuit of `shape`, an SRS of its size and its key. */
export async function mixedKey(shape: MixedOptions & { logRows: number }): Promise<MixedKey> {
  const srs = await devSrs(srsSizeFor(shape.logRows));
  const honest = mixedCircuit(shape);
  return { srs, honest, pk: await setup(honest.table, srs) };
}
