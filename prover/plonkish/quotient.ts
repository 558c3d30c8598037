// The quotient's values t = Σ_g y^g·G_g / Z_H on the extended coset g·H_4n (docs/protocol.md
// §5.4 step 4), evaluated either on the whole 4n coset at once or part by part: on its four
// n-point cosets g·ν^k·H (ν = ω_4n, k = 0 … 3) one after the other, or for tables above
// 2^PART_MAX_LOG_POINTS rows on 4s cosets of n/s points. Every way gives the same vector, bit for
// bit: element 4i + k of the 4n coset is g·ν^(4i+k) = (g·ν^k)·ω^i, element i of coset k.
//
// The whole coset holds every column there at once (4n elements each, with the key's fixed
// columns and C_t kept across proofs): fastest while it fits. Part by part holds one part's
// columns, made from the coefficients by transforms of the part's size (or read with a stride
// from the key's stored 4n values when it has them), and drops them before the next: a quarter of
// the memory or less, for tables too large for the whole coset.
import { R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frPowers, type FrVec } from "../../verifier/engine/fr.js";
import { frExp, frInv } from "../../verifier/engine/scalar.js";
import { COSET_GENERATOR, cosetIfft, Domain, linearCombination } from "../poly/index.js";
import { queries } from "../../verifier/plonkish/expression.js";
import { ADVICE, EXTENSION, GATES, slotScalars } from "../../verifier/plonkish/layout.js";
import { foldModulo, interpolate, onCosetMany } from "./columns.js";
import { words } from "./derive.js";
import { combineOnCoset, cosetConstantsInBackground, toShared, transformMany, type BackgroundWindow } from "./gate-pool.js";
import { cosetPointsAndL0, cosetShift, pointsAndL0, repeated, vanishingOnCoset, vanishingPeriod } from "./coset-constants.js";
import { keyCosetValues, type ProvingKey } from "./keys.js";
import type { VectorTable } from "./vector-eval.js";
import { weightsOnCoset } from "./weight-coset.js";
import { flatPowersOnCoset, flatPowersOnPart } from "./powers.js";

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
  /** P ≡ 1 on H (no convolution runs): its values on the coset as 1 + R·Z_H, with no transform. */
  flatPowers: boolean;
  /** Whole coset only: advice columns' values on the coset under way on a gate worker (undefined: skipped there). */
  early?: ReadonlyMap<number, Promise<FrVec | undefined>>;
}

/** Runs one part of the work, charging its time to transforms ("fft") or gate evaluation ("gates"). */
export type TimePart = <T>(part: "fft" | "gates", fn: () => Promise<T>) => Promise<T>;

const untimed: TimePart = (_part, fn) => fn();

/**
 * t's coefficients (4n of them), from its values on the 4n coset g·H_4n by the given evaluation.
 * `partLogPoints` (tests) overrides PART_MAX_LOG_POINTS, the largest part of the per-coset evaluation.
 */
export function quotientCoefficients(inputs: QuotientInputs, evaluation: QuotientEvaluation, time: TimePart = untimed, partLogPoints = PART_MAX_LOG_POINTS): Promise<FrVec> {
  return evaluation === "per-coset" ? quotientCosetByCoset(inputs, time, partLogPoints) : wholeCosetCoefficients(inputs, time);
}

/** t's coefficients from its values on the whole 4n coset, by one inverse transform of 4n points. */
async function wholeCosetCoefficients(inputs: QuotientInputs, time: TimePart): Promise<FrVec> {
  const values = await quotientOnWholeCoset(inputs, time);
  return time("fft", () => cosetIfft(values, Domain.create(inputs.pk.vk.logRows + Math.log2(EXTENSION))));
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

/** The constants of a 2^logRows-row table from its points and L_0 (x then L_0, one buffer each 4n elements). */
function cosetConstantsFrom(joint: FrVec, logRows: number): CosetConstants {
  const size = 2 ** logRows * EXTENSION;
  const period = vanishingPeriod(logRows);
  return {
    x: joint.subarray(0, size * FR_BYTES),
    l0: joint.subarray(size * FR_BYTES),
    zh: repeated(period, size),
    zhInv: repeated(
      period.map((v) => frInv(v)),
      size,
    ),
  };
}

/**
 * The coset constants of the last table size proved in this process: the same for every proof
 * of every key of that size, so a process that proves again (a service, a batch) computes them
 * once. They live in shared memory, where the gate workers read them without a copy. Never
 * written after they are made.
 */
let cosetConstantsCache: { logRows: number; values: Promise<CosetConstants> } | undefined;

function cosetConstants(logRows: number): Promise<CosetConstants> {
  if (cosetConstantsCache?.logRows !== logRows) cacheCosetConstants(logRows, Promise.resolve().then(() => cosetConstantsFrom(cosetPointsAndL0(logRows).joint, logRows)));
  return cosetConstantsCache!.values;
}

function cacheCosetConstants(logRows: number, values: Promise<CosetConstants>): void {
  cosetConstantsCache = { logRows, values };
  values.catch(() => {
    if (cosetConstantsCache?.values === values) cosetConstantsCache = undefined;
  });
}

/**
 * Has a gate worker, if one is ready, make the coset constants of a 2^logRows-row table (for a
 * quotient on the whole coset) while this thread works in `window`; the quotient then finds them made. If the worker fails, or the job's
 * turn came after the window closed, this thread makes them when the quotient needs them.
 */
export async function prefetchCosetConstants(logRows: number, window: BackgroundWindow): Promise<void> {
  if (cosetConstantsCache?.logRows === logRows) return;
  const made = await cosetConstantsInBackground(logRows, window);
  if (!made || cosetConstantsCache?.logRows === logRows) return;
  const here = () => cosetConstantsFrom(cosetPointsAndL0(logRows).joint, logRows);
  cacheCosetConstants(
    logRows,
    made.joint.then((joint) => (joint ? cosetConstantsFrom(joint, logRows) : here()), here),
  );
}

async function quotientOnWholeCoset(inputs: QuotientInputs, time: TimePart): Promise<FrVec> {
  const { pk, coeffs, challenges } = inputs;
  const n = 2 ** pk.vk.logRows;
  const domain = Domain.create(pk.vk.logRows);
  const extended = Domain.create(pk.vk.logRows + Math.log2(EXTENSION));
  // The fixed columns and C on the coset are the same for every proof: computed once per key.
  const keyCoset = await time("fft", () => keyCosetValues(pk));
  const { x: cosetPoints, zh, zhInv, l0 } = await cosetConstants(pk.vk.logRows);
  // Ĉ = Σ_t κ_t·C_t on the coset (K·4n multiply-adds, no FFT) and, when W′ comes from the key,
  // Ŵ′ = Ĉ + D·Z_H there too, in the same pass.
  const kappas = slotScalars(challenges);
  const weights = inputs.weightsFromKey
    ? await time("gates", () => weightsOnCoset(keyCoset.weight, kappas, inputs.combined, coeffs[ADVICE.w], n, cosetPoints, zh))
    : { combined: await time("gates", () => linearCombination(keyCoset.weight, kappas)), blinded: undefined };
  const cosetValues: (FrVec | undefined)[] = new Array(coeffs.length).fill(undefined);
  keyCoset.fixed.forEach((v, col) => (cosetValues[col] = v));
  let advice: number[] = [];
  for (let col = pk.fixedCoeffs.length; col < coeffs.length; col++) {
    if (col === ADVICE.w && weights.blinded) cosetValues[col] = weights.blinded;
    else if (col === ADVICE.p && inputs.flatPowers) cosetValues[col] = await time("gates", () => flatPowersOnCoset(coeffs[ADVICE.p], n, cosetPoints, zh));
    else advice.push(col);
  }
  // Those a gate worker has made; the others, with the public inputs, in one batch.
  const early = new Map<number, FrVec>();
  for (const [col, values] of inputs.early ?? []) {
    const made = await time("fft", () => values);
    if (made) early.set(col, made);
  }
  for (const [col, values] of early) cosetValues[col] = values;
  advice = advice.filter((col) => !early.has(col));
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

/**
 * Largest part (log2 of its points) the per-coset evaluation works on: a table of up to
 * 2^PART_MAX_LOG_POINTS rows is evaluated on the four n-point cosets g·ν^k·H; a larger one on
 * 4s cosets of n/s points, so that a part's vectors stay below ~40 · 2^PART_MAX_LOG_POINTS elements.
 */
export const PART_MAX_LOG_POINTS = 20;

/** Columns the gates query at the next row. */
const ROTATED: readonly number[] = [...new Set(GATES.flatMap((g) => queries(g.expr)).filter((q) => q.rot === 1).map((q) => q.col))];

/**
 * The parts of the 4n coset: with m = 2^logPoints points each (m dividing n, s = n/m), part j
 * (j = 0 … 4s − 1) is g·ν^j·H_m, whose element i is element j + 4s·i of the 4n coset. For m = n
 * these are the four cosets g·ν^k·H, where the next row (ω·x) of element i is element i + 1; for
 * m < n it lies in another part, so the rotated columns get a transform of their own on ω·g·ν^j·H_m.
 */
async function quotientCosetByCoset(inputs: QuotientInputs, time: TimePart, logPoints: number): Promise<FrVec> {
  const domain = Domain.create(inputs.pk.vk.logRows);
  const extended = Domain.create(inputs.pk.vk.logRows + Math.log2(EXTENSION));
  const part = Domain.create(Math.min(logPoints, domain.logSize));
  const parts = extended.size / part.size;
  const piCoeffs = await time("fft", () => interpolate(inputs.piValues, domain));
  // t on the four n-point cosets g·ν^k·H: part j = k + 4l is elements l, l + s, l + 2s, … of coset k.
  const s = domain.size / part.size;
  const onCosets = Array.from({ length: EXTENSION }, () => new Uint8Array(domain.size * FR_BYTES));
  // One part at a time, each in a call of its own, so that its vectors are garbage once it returns.
  for (let j = 0; j < parts; j++) {
    const values = await quotientOnPart(inputs, piCoeffs, domain, part, cosetShift(extended, j), time, (stored) => stridedColumn(stored, j, parts, part.size));
    stridedCopy(values, 0, 1, onCosets[j % EXTENSION], Math.floor(j / EXTENSION), s, part.size);
  }
  return time("fft", () => coefficientsFromCosets(onCosets, domain, extended));
}

/**
 * t's 4n coefficients from its values on the four n-point cosets g·ν^k·H, by four inverse
 * transforms of n points rather than one of 4n (whose buffers would be the quotient's largest).
 * The transform on coset k gives r_k = t mod (Xⁿ − a_k), a_k = (g·ν^k)ⁿ = gⁿ·ω₄^k; with
 * t = Σ_j X^(jn)·t_j (deg t_j < n), r_k = Σ_j ω₄^(kj)·(g^(jn)·t_j), a 4-point DFT, so
 * t_j = g^(−jn)/4 · Σ_k ω₄^(−kj)·r_k. Each coset's values are dropped once transformed.
 */
async function coefficientsFromCosets(onCosets: FrVec[], domain: Domain, extended: Domain): Promise<FrVec> {
  const n = domain.size;
  const remainders: FrVec[] = [];
  for (let k = 0; k < EXTENSION; k++) {
    remainders.push(await cosetIfft(onCosets[k], domain, cosetShift(extended, k)));
    onCosets[k] = new Uint8Array(0);
  }
  const w4Inv = frInv(frExp(extended.omega, BigInt(n)));
  const gnInv = frInv(frExp(COSET_GENERATOR, BigInt(n)));
  const out = new Uint8Array(EXTENSION * n * FR_BYTES);
  for (let j = 0; j < EXTENSION; j++) {
    const scale = (frInv(BigInt(EXTENSION)) * frExp(gnInv, BigInt(j))) % R;
    const weights = Array.from({ length: EXTENSION }, (_, k) => (scale * frExp(w4Inv, BigInt(k * j))) % R);
    out.set(await linearCombination(remainders, weights), j * n * FR_BYTES);
  }
  return out;
}

/**
 * t on the coset shift·H_m (`part`): its values at shift·ω_m^i. `stored` reads a fixed column's
 * values there from the key's 4n values.
 */
async function quotientOnPart(
  inputs: QuotientInputs,
  piCoeffs: FrVec,
  domain: Domain,
  part: Domain,
  shift: bigint,
  time: TimePart,
  stored: (values: FrVec) => FrVec,
): Promise<FrVec> {
  const { pk, coeffs, challenges } = inputs;
  const m = part.size;
  const whole = m === domain.size;
  const zh = vanishingOnCoset(domain, shift);
  // The fixed columns: read from the key's 4n values when it has them, otherwise transformed from
  // their coefficients with everything else.
  const fixedCols = pk.fixedCoeffs.map((_, col) => col);
  const isStored = (col: number): boolean => pk.fixedCoset?.[col] !== undefined;
  // A flat P is 1 + R·Z_H, Z_H constant on the part: a few vector operations instead of a transform.
  const closedForm = (col: number): boolean => col === ADVICE.p && inputs.flatPowers;
  const adviceCols = Array.from({ length: coeffs.length - fixedCols.length }, (_, i) => fixedCols.length + i).filter((col) => !closedForm(col));
  const transformed = [...fixedCols.filter((col) => !isStored(col)), ...adviceCols];
  const rotated = whole ? [] : ROTATED.filter((col) => !closedForm(col));
  const next = (shift * domain.omega) % R;
  // A polynomial of degree ≥ m takes on a coset c·H_m the values of its remainder mod X^m − c^m.
  const fold = (c: bigint) => (p: FrVec) => foldModulo(p, m, frExp(c, BigInt(m)));
  const polys = await Promise.all([...transformed.map((col) => coeffs[col]), inputs.combined, piCoeffs].map(fold(shift)));
  const values = await time("fft", () => transformMany("coset-fft", polys, part, { shift }));
  const nextPolys = await Promise.all(rotated.map((col) => coeffs[col]).map(fold(next)));
  const nextValues = await time("fft", () => transformMany("coset-fft", nextPolys, part, { shift: next }));
  const columns: (FrVec | undefined)[] = new Array(coeffs.length).fill(undefined);
  transformed.forEach((col, i) => (columns[col] = values[i]));
  for (const col of fixedCols) if (isStored(col)) columns[col] = stored(pk.fixedCoset![col]);
  // L_0(x) = Z_H(x)/(n·(x − 1)), Z_H constant here.
  const { x, l0 } = pointsAndL0(part, shift, [zh], domain.nInv);
  const nextColumns = columns.map((_, col) => nextValues[rotated.indexOf(col)]);
  if (inputs.flatPowers) {
    const n = domain.size;
    columns[ADVICE.p] = await time("gates", () => flatPowersOnPart(coeffs[ADVICE.p], n, x, zh));
    // Z_H(ω·x) = Z_H(x): the next row's points are the same coset shifted by ω.
    if (!whole) nextColumns[ADVICE.p] = await time("gates", async () => flatPowersOnPart(coeffs[ADVICE.p], n, toShared(await frPowers(part.omega, m, next)), zh));
  }
  const table: VectorTable = {
    size: m,
    // On a whole coset g·ν^k·H, ω·(g·ν^k·ω^i) is its element i + 1.
    rowStride: 1,
    columns,
    ...(whole ? {} : { next: nextColumns }),
    challenges,
    x,
    l0,
    pi: values[transformed.length + 1],
    weightCommitment: values[transformed.length],
  };
  return time("gates", () => combineOnCoset(GATES.map((g) => g.expr), challenges.get("y")!, table, frInv(zh)));
}

/** Elements j, j + stride, j + 2·stride, … (m of them) of a column's 4n values: its values on part j, in shared memory. */
function stridedColumn(values: FrVec, j: number, stride: number, m: number): FrVec {
  const out = new Uint8Array(new SharedArrayBuffer(m * FR_BYTES));
  stridedCopy(values, j, stride, out, 0, 1, m);
  return out;
}

const WORDS = FR_BYTES / 4;

/** Copies `count` elements: element from + i·fromStride of `src` to element to + i·toStride of `dst`. */
function stridedCopy(src: FrVec, from: number, fromStride: number, dst: FrVec, to: number, toStride: number, count: number): void {
  const s = words(src);
  if (dst.byteOffset % 4 !== 0) throw new RangeError("stridedCopy: the destination is not 4-byte aligned");
  const d = words(dst);
  for (let i = 0, a = from * WORDS, b = to * WORDS; i < count; i++, a += fromStride * WORDS, b += toStride * WORDS) {
    for (let w = 0; w < WORDS; w++) d[b + w] = s[a + w];
  }
}
