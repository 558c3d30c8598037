// KZG commitments and single-point openings over the G1 powers of an SRS.
import type { Bn128 } from "ffjavascript";
import { R } from "../engine/bn254.js";
import { frScale, frSet, frToStandardLE, type FrVec } from "../engine/fr.js";
import { msm, msmStandard, G1_BYTES, FR_BYTES, type G1Lem } from "../engine/g1.js";
import { divideByLinear, ifft, type Domain } from "../poly/index.js";
import type { OpeningClaim } from "./types.js";

/** The prover's part of an SRS: G1 powers [τ^0]₁ … [τ^(size−1)]₁ in affine LEM form. */
export interface CommitKey {
  g1: Uint8Array;
  size: number;
}

export class KzgError extends Error {
  override name = "KzgError";
}

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
  return msm(curve, key.g1, coeffs);
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
  return { value: remainder, proof: await msm(curve, key.g1, quotient) };
}

/** Commits to p and opens it at z in one go, returning the full claim. */
export async function commitAndOpen(curve: Bn128, key: CommitKey, coeffs: Uint8Array, point: bigint): Promise<OpeningClaim> {
  const commitment = await commit(curve, key, coeffs);
  const { value, proof } = await open(curve, key, coeffs, point);
  return { commitment, point, value, proof };
}

/**
 * [p(τ)]₁ for p of degree < n given by its values on H, over a Lagrange basis [L_i(τ)]₁ of H.
 * Model columns hold small signed integers, so each value goes to one of two MSMs, as v or as
 * −v, whichever is below r/2: both MSMs then have short scalars and the cost drops several-fold
 * against a commitment to coefficients, which are full-width (npm run bench, proof-system suite).
 */
export async function commitLagrange(curve: Bn128, basis: Uint8Array, values: FrVec): Promise<G1Lem> {
  const n = values.length / FR_BYTES;
  if (!Number.isInteger(n)) throw new KzgError(`value buffer of ${values.length} bytes is not a whole number of Fr elements`);
  if (basis.length < n * G1_BYTES) throw new KzgError(`${n} values but the Lagrange basis holds ${basis.length / G1_BYTES} points`);
  const positive = await frToStandardLE(values);
  const negative = await frToStandardLE(await frScale(values, R - 1n));
  for (let o = 0; o < positive.length; o += FR_BYTES) {
    // Keep whichever form is shorter (compare the top bytes) and zero the other.
    const keepNegative = negative[o + 31] < positive[o + 31] || (negative[o + 31] === positive[o + 31] && negative[o + 30] < positive[o + 30]);
    (keepNegative ? positive : negative).fill(0, o, o + FR_BYTES);
  }
  const bases = basis.subarray(0, n * G1_BYTES);
  const [plus, minus] = await Promise.all([msmStandard(curve, bases, positive), msmStandard(curve, bases, negative)]);
  return curve.G1.toAffine(curve.G1.sub(plus, minus));
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
