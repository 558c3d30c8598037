// Column polynomials: interpolation from values on H, zero-knowledge blinding with multiples of
// Z_H, and evaluation on the extended coset where the quotient is computed.
import { R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frSet, frSub, type FrVec } from "../../verifier/engine/fr.js";
import { randomScalar } from "../../verifier/engine/scalar.js";
import { cosetFft, ifft, linearCombination, type Domain } from "../poly/index.js";
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

/**
 * The m coefficients of p mod (X^m − c) for c = `shiftM`: coefficient i + j·m of p adds c^j times
 * itself to coefficient i, so the remainder is Σ_j c^j·(slice j of p), one vector kernel pass (a
 * loop of BigInt products here took minutes a proof at 2^22 rows, 16 parts of 2^20 points).
 * `p` itself when it has at most m coefficients. The copy lives in shared memory, where a
 * transform worker reads it. On a coset c'·H_m (c = c'^m) p takes the values of this remainder;
 * on H (c = 1) those of the unblinded column.
 */
export async function foldModulo(p: FrVec, m: number, shiftM: bigint): Promise<FrVec> {
  const length = p.length / FR_BYTES;
  if (length <= m) return p;
  const slices: FrVec[] = [];
  const powers: bigint[] = [];
  for (let j = 0, power = 1n; j * m < length; j++, power = (power * shiftM) % R) {
    slices.push(p.subarray(j * m * FR_BYTES, Math.min(length, (j + 1) * m) * FR_BYTES));
    powers.push(power);
  }
  const out = new Uint8Array(new SharedArrayBuffer(m * FR_BYTES));
  out.set(await linearCombination(slices, powers));
  return out;
}
