// The power column P = ψ^E (docs/protocol.md §3.2, §4.5 Lemma C1): every row's exponent E follows
// from the fixed steps s (0 hold, 1 times ψ, 2 reset to 0), starting at 0 on row 0. A table
// without convolution runs has s ≡ 0, so P ≡ 1 on H: then its interpolant, its commitment and
// its values on the quotient's coset come in closed form (1 + R·Z_H), with no FFT and no MSM
// over the table.
import type { Bn128 } from "ffjavascript";
import { R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frGet, frIndexOfNonZero, frSet, frVecFromBigints, type FrVec } from "../../verifier/engine/fr.js";
import { frMod } from "../../verifier/engine/scalar.js";
import { CircuitError } from "../../verifier/plonkish/errors.js";
import { msm, type G1Lem } from "../engine/g1.js";
import type { ExtraTerms } from "../kzg/index.js";
import { toShared } from "./gate-pool.js";
import { constantOnCoset, polynomialOnPoints } from "./weight-coset.js";

/** The multiplier m(s) and offset r(s) of one step (gate G14): hold, times ψ, reset. */
function stepOf(s: bigint, psi: bigint): { factor: bigint; offset: bigint } {
  // m(s) = (1 − s)(2 − s)/2 + ψ·s·(2 − s), r(s) = s(s − 1)/2, for any field value s (G15 rejects
  // the others; the prover still computes what G14 demands, so its self-check names G15).
  const half = (R + 1n) / 2n;
  const factor = frMod((((1n - s) * (2n - s)) % R) * half + psi * ((s * (2n - s)) % R));
  return { factor, offset: frMod(((s * (s - 1n)) % R) * half) };
}

/** Whether every step is "hold" (s ≡ 0): P ≡ 1 on H. */
export function isFlat(steps: FrVec): boolean {
  return frIndexOfNonZero(steps) < 0;
}

/**
 * P's values on H: P_0 = 1 and P_(i+1) = m(s_i)·P_i + r(s_i) (gates G14, G16), n values in shared
 * memory. Rows that hold copy the previous value's bytes; only steps that are not holds cost a
 * field operation, and s ≡ 0 is n copies of 1.
 */
export function powerColumn(steps: FrVec, psi: bigint, n: number): FrVec {
  const out = new Uint8Array(new SharedArrayBuffer(n * FR_BYTES));
  out.set(frVecFromBigints([1n]), 0);
  if (isFlat(steps)) {
    for (let have = 1; have < n; have *= 2) out.copyWithin(have * FR_BYTES, 0, Math.min(have, n - have) * FR_BYTES);
    return out;
  }
  let value = 1n;
  for (let i = 1; i < n; i++) {
    // 0 is all-zero bytes in Montgomery form too: a hold needs no conversion.
    let o = (i - 1) * FR_BYTES;
    const end = o + FR_BYTES;
    while (o < end && steps[o] === 0) o++;
    if (o === end) {
      out.copyWithin(i * FR_BYTES, (i - 1) * FR_BYTES, i * FR_BYTES);
      continue;
    }
    const { factor, offset } = stepOf(frGet(steps, i - 1), psi);
    value = frMod(factor * value + offset);
    frSet(out, i, value);
  }
  return out;
}

/** The interpolant of P ≡ 1 on H: the constant 1, as n coefficients. */
export function flatPowerCoefficients(n: number): FrVec {
  const out = new Uint8Array(n * FR_BYTES);
  out.set(frVecFromBigints([1n]), 0);
  return out;
}

/**
 * [1 + R·Z_H]₁ for P ≡ 1 on H: [1]₁ (Σ_i [L_i(τ)]₁ = [1]₁) plus the blinding terms, one MSM over
 * those few points and the generator.
 */
export function commitFlatPowers(curve: Bn128, generator: Uint8Array, blinding: ExtraTerms): Promise<G1Lem> {
  return msm(curve, Buffer.concat([blinding.bases, generator]), Buffer.concat([blinding.scalars, frVecFromBigints([1n])]));
}

/**
 * 1 + R(x)·Z_H(x) on the coset whose points are `x`, for the blinded P ≡ 1 (`blinded`: n + count
 * coefficients, R's at n, n + 1, …, as `blind` stores them) and Z_H there (`zh`): R by Horner in one
 * pass of vector operations instead of a coset FFT.
 */
export function flatPowersOnCoset(blinded: FrVec, n: number, x: FrVec, zh: FrVec): Promise<FrVec> {
  return constantOnCoset(1n, blindingCoefficients(blinded, n), x, zh);
}

/**
 * The same on a coset c·H_m (m dividing n) where Z_H is the one value `zh` = cⁿ − 1: 1 + (zh·R)(x),
 * by Horner over R's few coefficients scaled by zh.
 */
export async function flatPowersOnPart(blinded: FrVec, n: number, x: FrVec, zh: bigint): Promise<FrVec> {
  const coefficients = blindingCoefficients(blinded, n).map((rj) => (rj * zh) % R);
  coefficients[0] = (coefficients[0] + 1n) % R;
  return toShared(await polynomialOnPoints(coefficients, x));
}

/** R's coefficients in a blinded P ≡ 1 (at n, n + 1, …, as `blind` stores them). */
function blindingCoefficients(blinded: FrVec, n: number): bigint[] {
  const count = blinded.length / FR_BYTES - n;
  if (count < 1) throw new CircuitError("the power column must be blinded");
  return Array.from({ length: count }, (_, j) => frGet(blinded, n + j));
}
