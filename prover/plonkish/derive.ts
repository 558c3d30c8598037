// Columns the prover derives from the wires and the challenges: logUp multiplicities (phase 1),
// the Freivalds vectors u, v (phase 2), and the three running columns z, acc, φ (phase 3).
// Each is a pure function of committed data and challenges, so an honest prover has no choices.
import {
  FR_BYTES,
  frAdd,
  frAddScalar,
  frBatchInverse,
  frMul,
  frPrefixProducts,
  frPrefixSums,
  frScale,
  frScatterAdd,
  frSet,
  frSub,
  frZeros,
  frGet,
  frIndexOfZero,
  type FrVec,
} from "../../verifier/engine/fr.js";
import { R } from "../../verifier/engine/bn254.js";
import type { Domain } from "../poly/index.js";
import { ChallengeRetryError } from "../../verifier/plonkish/errors.js";
import { evaluateVector, type VectorEnv } from "./vector-eval.js";
import {
  ADVICE,
  FIXED,
  freivaldsDenominator,
  freivaldsNumerator,
  lookupInputKey,
  lookupTableKey,
  permutationDenominator,
  permutationNumerator,
} from "../../verifier/plonkish/layout.js";

/** The 32-bit words of a vector (a copy when its bytes are not 4-byte aligned). */
export function words(v: FrVec): Uint32Array {
  const aligned = v.byteOffset % 4 === 0 ? v : v.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

const WORDS = FR_BYTES / 4;

/**
 * A 32-bit hash (FNV-1a over words) of row `row` of the columns. Distinct rows can share a hash:
 * it only picks the candidates that are then compared in full.
 */
export function rowHash(cols: readonly Uint32Array[], row: number): number {
  let h = 0x811c9dc5;
  for (const col of cols) for (let k = row * WORDS; k < (row + 1) * WORDS; k++) h = Math.imul(h ^ col[k], 0x01000193);
  return h >>> 0;
}

/** Whether row i of `a` equals row j of `b`, column by column. */
function sameRow(a: readonly Uint32Array[], i: number, b: readonly Uint32Array[], j: number): boolean {
  for (let c = 0; c < a.length; c++) for (let k = 0; k < WORDS; k++) if (a[c][i * WORDS + k] !== b[c][j * WORDS + k]) return false;
  return true;
}

/** Whether element `row` of a vector's words is zero (0 is all zero bytes in Montgomery form too). */
function isZeroAt(col: Uint32Array, row: number): boolean {
  for (let k = row * WORDS; k < (row + 1) * WORDS; k++) if (col[k] !== 0) return false;
  return true;
}

/**
 * Multiplicity of each table row: how many input rows (weighted by their table id q_lk) look up
 * its (t_in, t_out, t_tag). Returns the input rows whose key is in no table row. Keys are matched
 * by a hash of their words, then compared in full.
 */
export function lookupMultiplicities(
  fixed: readonly FrVec[],
  a: FrVec,
  b: FrVec,
  n: number,
): { m: FrVec; missing: number[] } {
  const table = [fixed[FIXED.tIn], fixed[FIXED.tOut], fixed[FIXED.tTag]].map(words);
  const qLk = words(fixed[FIXED.qLK]);
  const input = [words(a), words(b), qLk];
  // Hash → the first table row of each distinct key with that hash.
  const tableRows = new Map<number, number[]>();
  for (let row = 0; row < n; row++) {
    if (isZeroAt(table[2], row)) continue;
    const h = rowHash(table, row);
    const rows = tableRows.get(h);
    if (!rows) tableRows.set(h, [row]);
    else if (!rows.some((t) => sameRow(table, t, table, row))) rows.push(row);
  }
  // Rows that match table row t all have q_lk = t_tag(t), their key's third part: m_t = count·t_tag(t).
  const counts = new Map<number, number>();
  const missing: number[] = [];
  for (let row = 0; row < n; row++) {
    if (isZeroAt(qLk, row)) continue;
    const t = tableRows.get(rowHash(input, row))?.find((r) => sameRow(table, r, input, row));
    if (t === undefined) missing.push(row);
    else counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const m = frZeros(n);
  for (const [row, count] of counts) frSet(m, row, (BigInt(count) * frGet(fixed[FIXED.tTag], row)) % R);
  return { m, missing };
}

/** 1/v elementwise, or the first row where v is zero. */
async function inverse(v: FrVec, what: string): Promise<FrVec> {
  const zero = frIndexOfZero(v);
  if (zero >= 0) throw new ChallengeRetryError(`${what} is zero at row ${zero}: a challenge hit a pole`);
  return frBatchInverse(v);
}

/**
 * u_j = Σ_(i_b,t) W̃_((i_b,t),j)·κ_t/(β − i_b) and v_j = Σ_p X_jp/(δ − p), placed at the UV row of
 * each j: a weight row's term is Ŵ = Σ_t κ_t·W_t (`weights`, its K slots at once), an activation W
 * row's its a wire (docs/protocol.md §3.6), each times the row's power P = ψ^E (`powers`; omitted
 * when P ≡ 1).
 */
export async function freivaldsVectors(
  fixed: readonly FrVec[],
  weights: FrVec,
  a: FrVec,
  c: FrVec,
  uvTarget: Int32Array,
  beta: bigint,
  delta: bigint,
  n: number,
  powers?: FrVec,
): Promise<{ u: FrVec; v: FrVec }> {
  const negIdA = await frScale(fixed[FIXED.idA], R - 1n);
  const negIdB = await frScale(fixed[FIXED.idB], R - 1n);
  const e = await inverse(await frAddScalar(negIdA, beta), "β − id_a");
  const g = await inverse(await frAddScalar(negIdB, delta), "δ − id_b");
  let uTerms = await frMul(await frAdd(await frMul(fixed[FIXED.qFWT], weights), await frMul(fixed[FIXED.qFW], a)), e);
  let vTerms = await frMul(await frMul(fixed[FIXED.qFX], c), g);
  if (powers) [uTerms, vTerms] = [await frMul(uTerms, powers), await frMul(vTerms, powers)];
  return { u: await frScatterAdd(uTerms, uvTarget, n), v: await frScatterAdd(vTerms, uvTarget, n) };
}

/** The running column of a gate Δ(X)·den(X) = num(X), starting at `init`: sums or products. */
async function running(num: FrVec, den: FrVec, what: string, mode: "sum" | "product", init: bigint): Promise<FrVec> {
  const step = await frMul(num, await inverse(den, what));
  const { values } = mode === "sum" ? await frPrefixSums(step, init) : await frPrefixProducts(step, init);
  return values;
}

/** Phase 3: the permutation grand product z, the Freivalds running sum acc, the logUp running sum φ. */
export async function runningColumns(env: VectorEnv, domain: Domain): Promise<{ z: FrVec; acc: FrVec; phi: FrVec }> {
  // z(ωx)·den(x) = z(x)·num(x), z(1) = 1; the numerator reads X, the rows' points.
  const points = await domain.elements();
  const onH: VectorEnv = { ...env, x: () => points };
  const z = await running(await evaluateVector(permutationNumerator(), onH), await evaluateVector(permutationDenominator(), onH), "a permutation denominator", "product", 1n);

  const acc = await running(
    await evaluateVector(freivaldsNumerator(), env),
    await evaluateVector(freivaldsDenominator(), env),
    "a Freivalds denominator",
    "sum",
    0n,
  );

  const alpha = env.challenge("alpha");
  const fKey = await evaluateVector(lookupInputKey(), env);
  const tKey = await evaluateVector(lookupTableKey(), env);
  const af = await inverse(await frAddScalar(await frScale(fKey, R - 1n), alpha), "α − lookup input key");
  const at = await inverse(await frAddScalar(await frScale(tKey, R - 1n), alpha), "α − lookup table key");
  // Δφ = q_lk/(α − f) − m/(α − t)
  const step = await frSub(await frMul(env.column(FIXED.qLK, 0), af), await frMul(env.column(ADVICE.m, 0), at));
  const { values: phi } = await frPrefixSums(step, 0n);
  return { z, acc, phi };
}
