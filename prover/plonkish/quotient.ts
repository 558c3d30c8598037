// The quotient's values t = Σ_g y^g·G_g / Z_H on the extended coset g·H_4n (docs/protocol.md
// §5.4 step 4), evaluated either on the whole 4n coset at once or on its four n-point cosets
// g·ν^k·H (ν = ω_4n, k = 0 … 3) one after the other. Both give the same vector, bit for bit:
// element 4i + k of the 4n coset is g·ν^(4i+k) = (g·ν^k)·ω^i, element i of coset k.
//
// The whole coset holds every column there at once (4n elements each, with the key's fixed
// columns and C_t kept across proofs): fastest while it fits. Coset by coset holds one coset's
// columns (n elements each), made from the coefficients by size-n transforms (or read with stride
// 4 from the key's stored 4n values when it has them), and drops them before the next: about a
// quarter of the memory, for tables too large for the whole coset.
import { R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frAddScalar, frBatchInverse, frGet, frMul, frPowers, frScale, frSet, frVecFromBigints, type FrVec } from "../../verifier/engine/fr.js";
import { frExp, frInv, frMod } from "../../verifier/engine/scalar.js";
import { COSET_GENERATOR, Domain, linearCombination } from "../poly/index.js";
import { ADVICE, EXTENSION, GATES, slotScalars } from "../../verifier/plonkish/layout.js";
import { interpolate, onCosetMany } from "./columns.js";
import { combineOnCoset, toShared, transformMany } from "./gate-pool.js";
import { keyCosetValues, type ProvingKey } from "./keys.js";
import type { VectorTable } from "./vector-eval.js";
import { weightsOnCoset } from "./weight-coset.js";

/** How the quotient is evaluated: on the whole 4n coset, or on its four n-point cosets in turn. */
export type QuotientEvaluation = "whole-coset" | "per-coset";

/**
 * Smallest table (log2 of its rows) whose quotient is evaluated coset by coset by default.
 * Below it the whole coset is used; see docs/engine.md for the measurements behind it.
 */
export const PER_COSET_MIN_LOG_ROWS = 19;

/** The evaluation a table of 2^logRows rows gets by default. */
export function defaultQuotientEvaluation(logRows: number): QuotientEvaluation {
  return logRows >= PER_COSET_MIN_LOG_ROWS ? "per-coset" : "whole-coset";
}

/** What the quotient is made of, once the challenge y is drawn. */
export interface QuotientInputs {
  pk: ProvingKey;
  /** Coefficients of every column, fixed then advice (the advice columns blinded). */
  coeffs: readonly FrVec[];
  /** Ĉ = Σ_t κ_t·C_t (n + 1 coefficients). */
  combined: FrVec;
  /** PI's values on H. */
  piValues: FrVec;
  challenges: ReadonlyMap<string, bigint>;
  /** Whole coset only: Ŵ′ on the coset from the key's C_t there rather than by a transform of its coefficients. */
  weightsFromKey: boolean;
}

/** Runs one part of the work, charging its time to transforms ("fft") or gate evaluation ("gates"). */
export type TimePart = <T>(part: "fft" | "gates", fn: () => Promise<T>) => Promise<T>;

const untimed: TimePart = (_part, fn) => fn();

/** t's values on the 4n coset g·H_4n (element i at g·ν^i), by the given evaluation. */
export function quotientOnCoset(inputs: QuotientInputs, evaluation: QuotientEvaluation, time: TimePart = untimed): Promise<FrVec> {
  return evaluation === "per-coset" ? quotientCosetByCoset(inputs, time) : quotientOnWholeCoset(inputs, time);
}

// ---------------------------------------------------------------------------------------------
// The whole 4n coset

/** Values on the extended coset g·H_4n that depend on the table's size alone. */
interface CosetConstants {
  /** The coset's points g·ν^i. */
  x: FrVec;
  /** Z_H and 1/Z_H: g^n·ω_4^i − 1 repeats with period 4, so both are 4 values repeated. */
  zh: FrVec;
  zhInv: FrVec;
  /** L_0(x) = Z_H(x)/(n·(x − 1)). */
  l0: FrVec;
}

async function computeCosetConstants(domain: Domain, extended: Domain): Promise<CosetConstants> {
  const period = Array.from({ length: EXTENSION }, (_, k) => vanishingOnCoset(domain, extended, k));
  const repeat = (values: bigint[]): FrVec => {
    const pattern = frVecFromBigints(values);
    const out = new Uint8Array(new SharedArrayBuffer(extended.size * FR_BYTES));
    for (let o = 0; o < out.length; o += pattern.length) out.set(pattern, o);
    return out;
  };
  const zh = repeat(period);
  const x = toShared(await frPowers(extended.omega, extended.size, COSET_GENERATOR));
  const l0 = toShared(await frMul(await frScale(await frBatchInverse(await frAddScalar(x, R - 1n)), domain.nInv), zh));
  return { x, zh, zhInv: repeat(period.map((v) => frInv(v))), l0 };
}

/**
 * The coset constants of the last table size proved in this process: the same for every proof
 * of every key of that size, so a process that proves again (a service, a batch) computes them
 * once. They live in shared memory, where the gate workers read them without a copy. Never
 * written after they are made.
 */
let cosetConstantsCache: { logRows: number; values: Promise<CosetConstants> } | undefined;

function cosetConstants(domain: Domain, extended: Domain): Promise<CosetConstants> {
  if (cosetConstantsCache?.logRows !== domain.logSize) {
    const values = computeCosetConstants(domain, extended);
    cosetConstantsCache = { logRows: domain.logSize, values };
    values.catch(() => {
      if (cosetConstantsCache?.values === values) cosetConstantsCache = undefined;
    });
  }
  return cosetConstantsCache.values;
}

async function quotientOnWholeCoset(inputs: QuotientInputs, time: TimePart): Promise<FrVec> {
  const { pk, coeffs, challenges } = inputs;
  const n = 2 ** pk.vk.logRows;
  const domain = Domain.create(pk.vk.logRows);
  const extended = Domain.create(pk.vk.logRows + Math.log2(EXTENSION));
  // The fixed columns and C on the coset are the same for every proof: computed once per key.
  const keyCoset = await time("fft", () => keyCosetValues(pk));
  const { x: cosetPoints, zh, zhInv, l0 } = await cosetConstants(domain, extended);
  // Ĉ = Σ_t κ_t·C_t on the coset (K·4n multiply-adds, no FFT) and, when W′ comes from the key,
  // Ŵ′ = Ĉ + D·Z_H there too, in the same pass.
  const kappas = slotScalars(challenges);
  const weights = inputs.weightsFromKey
    ? await time("gates", () => weightsOnCoset(keyCoset.weight, kappas, inputs.combined, coeffs[ADVICE.w], n, cosetPoints, zh))
    : { combined: await time("gates", () => linearCombination(keyCoset.weight, kappas)), blinded: undefined };
  const cosetValues: (FrVec | undefined)[] = new Array(coeffs.length).fill(undefined);
  keyCoset.fixed.forEach((v, col) => (cosetValues[col] = v));
  const advice: number[] = [];
  for (let col = pk.fixedCoeffs.length; col < coeffs.length; col++) {
    if (col === ADVICE.w && weights.blinded) cosetValues[col] = weights.blinded;
    else advice.push(col);
  }
  // The advice columns and PI on the coset, in one batch.
  const piCoeffs = await time("fft", () => interpolate(inputs.piValues, domain));
  const batch = await time("fft", () => onCosetMany([...advice.map((col) => coeffs[col]), piCoeffs], extended));
  advice.forEach((col, i) => (cosetValues[col] = batch[i]));
  const table: VectorTable = {
    size: extended.size,
    rowStride: EXTENSION,
    columns: cosetValues,
    challenges,
    x: cosetPoints,
    l0,
    pi: batch[advice.length],
    weightCommitment: weights.combined,
  };
  // Σ_g y^g·G_g / Z_H on the coset, on worker threads for large tables.
  return time("gates", () => combineOnCoset(GATES.map((g) => g.expr), challenges.get("y")!, table, zhInv));
}

// ---------------------------------------------------------------------------------------------
// Coset by coset

/** Z_H on coset k of the 4n coset: (g·ν^k)ⁿ − 1 = gⁿ·ω_4^k − 1, the same at every point of it. */
function vanishingOnCoset(domain: Domain, extended: Domain, k: number): bigint {
  return frMod(frExp(cosetShift(extended, k), BigInt(domain.size)) - 1n);
}

/** The shift g·ν^k of coset k (ν = ω_4n). */
function cosetShift(extended: Domain, k: number): bigint {
  return (COSET_GENERATOR * frExp(extended.omega, BigInt(k))) % R;
}

async function quotientCosetByCoset(inputs: QuotientInputs, time: TimePart): Promise<FrVec> {
  const domain = Domain.create(inputs.pk.vk.logRows);
  const extended = Domain.create(inputs.pk.vk.logRows + Math.log2(EXTENSION));
  const piCoeffs = await time("fft", () => interpolate(inputs.piValues, domain));
  const out = new Uint8Array(extended.size * FR_BYTES);
  // One coset at a time, each in a call of its own, so that its vectors are garbage once it returns.
  for (let k = 0; k < EXTENSION; k++) {
    const part = await quotientOnOneCoset(inputs, piCoeffs, domain, extended, k, time);
    stridedCopy(part, 0, 1, out, k, EXTENSION, domain.size);
  }
  return out;
}

/** t on coset k: its values at g·ν^k·ω^i, i = 0 … n − 1. */
async function quotientOnOneCoset(inputs: QuotientInputs, piCoeffs: FrVec, domain: Domain, extended: Domain, k: number, time: TimePart): Promise<FrVec> {
  const { pk, coeffs, challenges } = inputs;
  const n = domain.size;
  const shift = cosetShift(extended, k);
  const shiftN = frExp(shift, BigInt(n));
  const zh = frMod(shiftN - 1n);
  // The fixed columns: read from the key's 4n values when it has them (element 4i + k), otherwise
  // transformed from their coefficients with everything else.
  const stored = pk.fixedCoset;
  const fixedStored = (col: number): boolean => stored?.[col] !== undefined;
  const fixedCols = pk.fixedCoeffs.map((_, col) => col);
  const adviceCols = Array.from({ length: coeffs.length - fixedCols.length }, (_, i) => fixedCols.length + i);
  const transformed = [...fixedCols.filter((col) => !fixedStored(col)), ...adviceCols];
  // A polynomial of degree ≥ n takes on the coset the values of its remainder mod Xⁿ − shiftⁿ.
  const polys = [...transformed.map((col) => coeffs[col]), inputs.combined, piCoeffs].map((p) => foldModulo(p, n, shiftN));
  const values = await time("fft", () => transformMany("coset-fft", polys, domain, { shift }));
  const columns: (FrVec | undefined)[] = new Array(coeffs.length).fill(undefined);
  transformed.forEach((col, i) => (columns[col] = values[i]));
  for (const col of fixedCols) if (fixedStored(col)) columns[col] = stridedColumn(stored![col], k, n);
  const x = toShared(await frPowers(domain.omega, n, shift));
  const table: VectorTable = {
    size: n,
    // ω·(g·ν^k·ω^i) is element i + 1 of the same coset.
    rowStride: 1,
    columns,
    challenges,
    x,
    // L_0(x) = Z_H(x)/(n·(x − 1)), Z_H constant here.
    l0: toShared(await frScale(await frBatchInverse(await frAddScalar(x, R - 1n)), (domain.nInv * zh) % R)),
    pi: values[transformed.length + 1],
    weightCommitment: values[transformed.length],
  };
  return time("gates", () => combineOnCoset(GATES.map((g) => g.expr), challenges.get("y")!, table, frInv(zh)));
}

/**
 * The n coefficients of p mod (Xⁿ − c) for c = `shiftN`: coefficient i + j·n of p adds c^j times
 * itself to coefficient i. `p` itself when it has at most n coefficients (blinded columns have a
 * few more, Ĉ one). The copy lives in shared memory, where a transform worker reads it.
 */
function foldModulo(p: FrVec, n: number, shiftN: bigint): FrVec {
  const length = p.length / FR_BYTES;
  if (length <= n) return p;
  const out = new Uint8Array(new SharedArrayBuffer(n * FR_BYTES));
  out.set(p.subarray(0, n * FR_BYTES));
  for (let i = n, power = shiftN; i < length; i++) {
    if (i > n && i % n === 0) power = (power * shiftN) % R;
    frSet(out, i % n, (frGet(out, i % n) + power * frGet(p, i)) % R);
  }
  return out;
}

/** Elements k, k + 4, k + 8, … of a column's 4n values: its n values on coset k, in shared memory. */
function stridedColumn(values: FrVec, k: number, n: number): FrVec {
  const out = new Uint8Array(new SharedArrayBuffer(n * FR_BYTES));
  stridedCopy(values, k, EXTENSION, out, 0, 1, n);
  return out;
}

const WORDS = FR_BYTES / 4;

/** Copies `count` elements: element from + i·fromStride of `src` to element to + i·toStride of `dst`. */
function stridedCopy(src: FrVec, from: number, fromStride: number, dst: FrVec, to: number, toStride: number, count: number): void {
  const words = (v: FrVec): Uint32Array => {
    const aligned = v.byteOffset % 4 === 0 ? v : v.slice();
    return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  };
  const s = words(src);
  if (dst.byteOffset % 4 !== 0) throw new RangeError("stridedCopy: the destination is not 4-byte aligned");
  const d = words(dst);
  for (let i = 0, a = from * WORDS, b = to * WORDS; i < count; i++, a += fromStride * WORDS, b += toStride * WORDS) {
    for (let w = 0; w < WORDS; w++) d[b + w] = s[a + w];
  }
}
