// KZG commitments and openings over the G1 powers of an SRS: single points, and the prover's side of
// SHPLONK multi-point openings (verifier/kzg/multiopen.ts has the transcript order and the verifier's side).
import type { Bn128 } from "ffjavascript";
import { R } from "../../verifier/engine/bn254.js";
import { frScale, frSet, frSub, frToStandardLE, type FrVec } from "../../verifier/engine/fr.js";
import { g1Add, g1NegateInPlace, g1SuffixSums, msmCommitKey, msmStandard, G1_BYTES, FR_BYTES, type G1Lem } from "../engine/g1.js";
import { frDot, frPowersOf as powers } from "../../verifier/engine/scalar.js";
import { divideByLinear, ifft, linearCombination, type Domain } from "../poly/index.js";
import { KzgError, OpeningPointError } from "../../verifier/kzg/errors.js";
import { checkDistinct, checkShape, pointWeights, type OpeningTranscript, type OpeningWitnesses } from "../../verifier/kzg/multiopen.js";
import type { OpeningClaim } from "../../verifier/kzg/types.js";

/** The prover's part of an SRS: G1 powers [τ^0]₁ … [τ^(size−1)]₁ in affine LEM form. */
export interface CommitKey {
  g1: Uint8Array;
  size: number;
}

export { KzgError };

function checkDegree(key: CommitKey, coeffs: Uint8Array): number {
  const n = coeffs.length / FR_BYTES;
  if (!Number.isInteger(n)) throw new KzgError(`polynomial buffer of ${coeffs.length} bytes is not a whole number of Fr elements`);
  if (n > key.size || key.g1.length < n * G1_BYTES) {
    throw new KzgError(`polynomial has ${n} coefficients but the SRS holds only ${key.size} G1 powers`);
  }
  return n;
}

/** [p(τ)]₁ for p given by its coefficients (FrVec, lowest degree first). */
export async function commit(curve: Bn128, key: CommitKey, coeffs: Uint8Array): Promise<G1Lem> {
  checkDegree(key, coeffs);
  return msmCommitKey(curve, key.g1, coeffs);
}

/** Opens p at z: the value p(z) and the witness [(p(X) − p(z))/(X − z)]₁. */
export async function open(
  curve: Bn128,
  key: CommitKey,
  coeffs: Uint8Array,
  point: bigint,
): Promise<{ value: bigint; proof: G1Lem }> {
  checkDegree(key, coeffs);
  // The remainder of the division by (X − z) is p(z).
  const { quotient, remainder } = await divideByLinear(coeffs, point);
  return { value: remainder, proof: await msmCommitKey(curve, key.g1, quotient) };
}

/** Commits to p and opens it at z in one go, returning the full claim. */
export async function commitAndOpen(curve: Bn128, key: CommitKey, coeffs: Uint8Array, point: bigint): Promise<OpeningClaim> {
  const commitment = await commit(curve, key, coeffs);
  const { value, proof } = await open(curve, key, coeffs, point);
  return { commitment, point, value, proof };
}

/** The number of values, checked to be whole elements that the basis has points for. */
function valueCount(basis: Uint8Array, values: FrVec): number {
  const n = values.length / FR_BYTES;
  if (!Number.isInteger(n)) throw new KzgError(`value buffer of ${values.length} bytes is not a whole number of Fr elements`);
  if (basis.length < n * G1_BYTES) throw new KzgError(`${n} values but the Lagrange basis holds ${basis.length / G1_BYTES} points`);
  return n;
}

/** Terms Σ s_j·Q_j a commitment adds to its sum: affine LEM points and their scalars (FrVec). */
export interface ExtraTerms {
  bases: Uint8Array;
  scalars: FrVec;
}

/** Bytes of the longest of n standard-form scalars of `stride` bytes each (0 when all are zero). */
function longestScalar(standard: Uint8Array, n: number, stride: number): number {
  let width = 0;
  for (let i = 0, o = 0; i < n; i++, o += stride) {
    let l = stride;
    while (l > width && standard[o + l - 1] === 0) l--;
    if (l > width) width = l;
  }
  return width;
}

/**
 * [p(τ)]₁ for p of degree < n given by its values on H, over a Lagrange basis [L_i(τ)]₁ of H, plus
 * the `extra` terms if given. Model columns hold small signed integers and many zeros, so each
 * nonzero value is taken as v on B_i or as −v on −B_i, whichever is shorter, and zeros not at all:
 * one MSM over only those points, with scalars cut to the longest one's bytes. The cost follows the
 * nonzero values and their size, not n (a sparse column such as u or v costs a few hundred points).
 * The extra terms join that MSM unless they would widen its scalars by more than a byte; then they
 * make one of their own.
 */
export async function commitLagrange(curve: Bn128, basis: Uint8Array, values: FrVec, extra?: ExtraTerms): Promise<G1Lem> {
  const n = valueCount(basis, values);
  const positive = await frToStandardLE(values);
  const negative = await frToStandardLE(await frScale(values, R - 1n));
  // Per value: the byte length of v and of −v (0 for v = 0); the shorter one is used.
  const negated = new Uint8Array(n);
  const length = new Uint8Array(n);
  let count = 0;
  let width = 0;
  for (let i = 0, o = 0; i < n; i++, o += FR_BYTES) {
    let lp = FR_BYTES;
    while (lp > 0 && positive[o + lp - 1] === 0) lp--;
    if (lp === 0) continue;
    let ln = FR_BYTES;
    while (ln > 0 && negative[o + ln - 1] === 0) ln--;
    negated[i] = ln < lp ? 1 : 0;
    length[i] = Math.min(lp, ln);
    count++;
    if (length[i] > width) width = length[i];
  }
  const extraCount = extra ? extra.scalars.length / FR_BYTES : 0;
  if (extra && (!Number.isInteger(extraCount) || extra.bases.length < extraCount * G1_BYTES)) throw new KzgError(`${extra.bases.length / G1_BYTES} extra points for ${extraCount} scalars`);
  const extraStandard = extra && extraCount > 0 ? await frToStandardLE(extra.scalars) : new Uint8Array(0);
  const extraWidth = longestScalar(extraStandard, extraCount, FR_BYTES);
  // (extraWidth is 0 when every extra scalar is: nothing to add then.)
  const merge = extraWidth > 0 && extraWidth <= width + 1;
  const w = merge ? Math.max(width, extraWidth) : width;
  const total = count + (merge ? extraCount : 0);
  const bases = new Uint8Array(total * G1_BYTES);
  const scalars = new Uint8Array(total * w);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (length[i] === 0) continue;
    bases.set(basis.subarray(i * G1_BYTES, (i + 1) * G1_BYTES), k * G1_BYTES);
    if (negated[i]) g1NegateInPlace(bases, k);
    scalars.set((negated[i] ? negative : positive).subarray(i * FR_BYTES, i * FR_BYTES + length[i]), k * w);
    k++;
  }
  if (merge) {
    bases.set(extra!.bases.subarray(0, extraCount * G1_BYTES), k * G1_BYTES);
    for (let j = 0; j < extraCount; j++) scalars.set(extraStandard.subarray(j * FR_BYTES, j * FR_BYTES + extraWidth), (k + j) * w);
  }
  const sum = w === 0 ? new Uint8Array(G1_BYTES) : await msmStandard(curve, bases, scalars);
  if (merge || extraWidth === 0) return sum;
  const own = new Uint8Array(extraCount * extraWidth);
  for (let j = 0; j < extraCount; j++) own.set(extraStandard.subarray(j * FR_BYTES, j * FR_BYTES + extraWidth), j * extraWidth);
  return g1Add(curve, sum, await msmStandard(curve, extra!.bases.subarray(0, extraCount * G1_BYTES), own));
}

/** Suffix sums of a basis's first n points, by basis buffer (a key's Lagrange basis stays the same object). */
const suffixSums = new WeakMap<Uint8Array, { n: number; sums: Promise<Uint8Array> }>();

/**
 * The same commitment as {@link commitLagrange}, from the column's steps d_j = f_(j+1) − f_j:
 * f_0·[1]₁ + Σ_j d_j·S_j with S_j = Σ_(i>j) [L_i(τ)]₁, because Σ_j d_j·Σ_(i>j) L_i = Σ_i (f_i − f_0)·L_i
 * and Σ_i L_i = 1. A running column (a sum or a product that changes on few rows) has few nonzero
 * steps, and only those cost. The suffix sums are computed once per basis (n mixed additions).
 */
export async function commitSteps(curve: Bn128, key: CommitKey, basis: Uint8Array, values: FrVec, extra?: ExtraTerms): Promise<G1Lem> {
  const n = valueCount(basis, values);
  if (n === 0) throw new KzgError("no values to commit to");
  let cached = suffixSums.get(basis);
  if (cached?.n !== n) suffixSums.set(basis, (cached = { n, sums: g1SuffixSums(curve, basis.subarray(0, n * G1_BYTES)) }));
  const suffixes = cached.sums;
  const steps = await frSub(values.subarray(FR_BYTES), values.subarray(0, (n - 1) * FR_BYTES));
  // f_0·[1]₁ is one more term of the same MSM.
  const first = values.subarray(0, FR_BYTES);
  const terms: ExtraTerms = extra
    ? { bases: Buffer.concat([extra.bases.subarray(0, (extra.scalars.length / FR_BYTES) * G1_BYTES), key.g1.subarray(0, G1_BYTES)]), scalars: Buffer.concat([extra.scalars, first]) }
    : { bases: key.g1.subarray(0, G1_BYTES), scalars: first };
  return commitLagrange(curve, await suffixes, steps, terms);
}

/**
 * Whether `basis` is the Lagrange basis of `domain` for the powers in `key`: for random 64-bit
 * values s, Σ s_i·B_i must equal the commitment to the interpolant of s. A wrong point B_i makes
 * the two differ except with probability 2⁻⁶⁴ over s_i (this guards completeness, not soundness:
 * a wrong basis only yields proofs that fail to verify).
 */
export async function isLagrangeBasis(curve: Bn128, key: CommitKey, basis: Uint8Array, domain: Domain, random: () => bigint): Promise<boolean> {
  const n = domain.size;
  if (basis.length !== n * G1_BYTES || key.size < n) return false;
  const s = new Uint8Array(n * FR_BYTES);
  for (let i = 0; i < n; i++) frSet(s, i, random() & 0xffffffffffffffffn);
  const lhs = await commitLagrange(curve, basis, s);
  const rhs = await commit(curve, key, await ifft(s, domain));
  return curve.G1.eq(lhs, rhs);
}

/** Prover side: polynomials (coefficient form) opened at one point, with their claimed values. */
export interface ProverQuery {
  point: bigint;
  polys: readonly Uint8Array[];
  values: readonly bigint[];
}

/**
 * Computes the two SHPLONK witnesses W and W′ of verifier/kzg/multiopen.ts, performing its
 * transcript steps. Throws KzgError if a claimed value is not its polynomial's value at the point.
 */
export async function proveMultiOpening(
  curve: Bn128,
  key: CommitKey,
  queries: readonly ProverQuery[],
  transcript: OpeningTranscript,
): Promise<OpeningWitnesses> {
  queries.forEach((q, j) => checkShape(q, q.polys.length, j));
  checkDistinct(queries.map((q) => q.point));
  const [gamma, gammaPrime] = transcript.challenges("shplonk-gamma", 2);
  // h_j = Σ_k γᵏ·p_{j,k}; (h_j − v_j)/(X − z_j) is h_j's quotient by X − z_j, with remainder v_j.
  const combined: Uint8Array[] = [];
  const quotients: Uint8Array[] = [];
  const values: bigint[] = [];
  for (const [j, q] of queries.entries()) {
    const g = powers(gamma, q.polys.length);
    const h = await linearCombination(q.polys, g);
    const { quotient, remainder } = await divideByLinear(h, q.point);
    values.push(frDot(q.values, g));
    if (remainder !== values[j]) throw new KzgError(`opening query ${j}: a claimed value is not the polynomial's value at the point`);
    combined.push(h);
    quotients.push(quotient);
  }
  const q = await linearCombination(quotients, powers(gammaPrime, queries.length));
  quotients.length = 0;
  const w = await commit(curve, key, q);
  transcript.absorbG1Lem("shplonk-w", w);
  const z = transcript.challenge("shplonk-z");
  // L(X) = Σ_j c_j·(h_j(X) − v_j) − Z·q(X) vanishes at z; the constants −c_j·v_j change only
  // the remainder of the division by X − z, so L + Σ_j c_j·v_j has remainder Σ_j c_j·v_j there.
  const pw = pointWeights(queries.map((x) => x.point), gammaPrime, z);
  if (!pw) throw new OpeningPointError("the opening challenge z is one of the opening points (probability m/r)");
  const { weights, vanishing } = pw;
  const l = await linearCombination([...combined, q], [...weights, (R - vanishing) % R]);
  combined.length = 0;
  checkDegree(key, l);
  const { quotient, remainder } = await divideByLinear(l, z);
  if (remainder !== frDot(values, weights)) throw new KzgError("the opening's combined polynomial does not vanish at z (a prover bug)");
  const w2 = await msmCommitKey(curve, key.g1, quotient);
  transcript.absorbG1Lem("shplonk-w2", w2);
  return { w, w2 };
}
