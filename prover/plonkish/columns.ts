// Column polynomials: interpolation from values on H, zero-knowledge blinding with multiples of
// Z_H, and evaluation on the extended coset where the quotient is computed.
import { FR_BYTES, frSet, frSub, type FrVec } from "../../verifier/engine/fr.js";
import { randomScalar } from "../../verifier/engine/scalar.js";
import { cosetFft, ifft, type Domain } from "../poly/index.js";
import { transformMany } from "./gate-pool.js";

/** Coefficients of the polynomial taking `values` on H. */
export function interpolate(values: FrVec, domain: Domain): Promise<FrVec> {
  return ifft(values, domain);
}

/** {@link interpolate} of each vector, shared out over the prover's worker threads. */
export function interpolateMany(values: readonly FrVec[], domain: Domain): Promise<FrVec[]> {
  return transformMany("ifft", values, domain);
}

/**
 * f(X) + R(X)·Z_H(X) for `count` fresh uniform coefficients of R: the values on H are unchanged,
 * and (f(τ), f(z₁), …, f(z_{count−1})) are uniform for any count − 1 points outside H.
 */
export async function blind(coeffs: FrVec, n: number, count: number, random: () => bigint = randomScalar): Promise<FrVec> {
  const out = new Uint8Array((n + count) * FR_BYTES);
  out.set(coeffs.subarray(0, Math.min(coeffs.length, n * FR_BYTES)));
  const r = new Uint8Array(count * FR_BYTES);
  for (let i = 0; i < count; i++) frSet(r, i, random());
  // R·(Xⁿ − 1) = Xⁿ·R − R
  const low = await frSub(out.subarray(0, count * FR_BYTES), r);
  out.set(low, 0);
  out.set(r, n * FR_BYTES);
  return out;
}

/** Evaluations of a polynomial (any length ≤ the extended size) on the extended coset. */
export function onCoset(coeffs: FrVec, extended: Domain): Promise<FrVec> {
  return cosetFft(coeffs, extended);
}

/** {@link onCoset} of each polynomial, shared out over the prover's worker threads. */
export function onCosetMany(coeffs: readonly FrVec[], extended: Domain): Promise<FrVec[]> {
  return transformMany("coset-fft", coeffs, extended);
}
