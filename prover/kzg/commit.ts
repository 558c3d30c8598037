// KZG commitments and single-point openings over the G1 powers of an SRS.
import type { Bn128 } from "ffjavascript";
import { msm, G1_BYTES, FR_BYTES, type G1Lem } from "../engine/g1.js";
import { divideByLinear } from "../poly/index.js";
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
