// The weight column on the quotient's coset without an FFT: Ĉ = Σ_t κ_t·C_t from the key's C_t on
// the coset, and Ŵ′ = Ĉ + D·Z_H (protocol.md §5.4).
import { ownKernels, R } from "../../verifier/engine/bn254.js";
import { CHUNK, FR_BYTES, frAdd, frAddScalar, frGet, frMul, frScale, frZeros, type FrVec } from "../../verifier/engine/fr.js";
import { frMod } from "../../verifier/engine/scalar.js";
import { LOAD_FACTOR, withFieldVectors } from "../engine/wasm/index.js";
import { linearCombination } from "../poly/index.js";
import { toShared } from "./gate-pool.js";

/**
 * The coefficients of D = R − r̂ for the blinded Ŵ′ = Σ_t κ_t·W_t + R·Z_H (`blinded`, n + count
 * coefficients) and Ĉ (`combined`, n + 1): Ŵ′ − Ĉ = (R − r̂)·Z_H with r̂ = Σ_t κ_t·r_(0,t), Ĉ's
 * coefficient n, so Ŵ′(x) = Ĉ(x) + D(x)·Z_H(x); R's coefficients are Ŵ′'s n, n + 1, … (as `blind`
 * stores them). D has a few coefficients, so D(x) by Horner is a few vector operations.
 */
function blindingDifference(combined: FrVec, blinded: FrVec, n: number): bigint[] {
  const count = blinded.length / FR_BYTES - n;
  const d = Array.from({ length: count }, (_, j) => frGet(blinded, n + j));
  d[0] = frMod(d[0] - frGet(combined, n));
  return d;
}

/**
 * Ĉ and Ŵ′ on the coset whose points are `x`, given the key's C_t there (`weights`), the slot
 * scalars κ_t, Ĉ's and Ŵ′'s coefficients (`combined`, `blinded`, Ŵ′ of n + count) and Z_H on the
 * coset (`zh`). Both come back in shared memory, where the gate workers read them.
 */
export async function weightsOnCoset(
  weights: readonly FrVec[],
  slots: readonly bigint[],
  combined: FrVec,
  blinded: FrVec,
  n: number,
  x: FrVec,
  zh: FrVec,
): Promise<{ combined: FrVec; blinded: FrVec }> {
  const d = blindingDifference(combined, blinded, n);
  if (!ownKernels()) {
    const c = await linearCombination(weights, [...slots]);
    return { combined: toShared(c), blinded: toShared(await frAdd(c, await frMul(await polynomialOnPoints(d, x), zh))) };
  }
  return weightsOnCosetByKernels(weights, slots, d, x, zh);
}

/**
 * c + R(x)·Z_H(x) on the coset whose points are `x`, for a polynomial c + R·Z_H whose values on H are
 * the constant c and whose blinding R has the coefficients `r` (the power column P ≡ 1 of a table
 * without exponent steps): the same pass as Ŵ′'s, with no weight columns. In shared memory.
 */
export async function constantOnCoset(constant: bigint, r: readonly bigint[], x: FrVec, zh: FrVec): Promise<FrVec> {
  const rzh = ownKernels() ? weightsOnCosetByKernels([], [], r, x, zh).blinded : await frMul(await polynomialOnPoints(r, x), zh);
  return toShared(await frAddScalar(rzh, constant));
}

/**
 * Σ_j c_j·x^j at every point of `x`, for a polynomial of a few coefficients (a blinding): Horner in
 * whole-vector operations of the engine, one multiply and one add per coefficient.
 */
export async function polynomialOnPoints(c: readonly bigint[], x: FrVec): Promise<FrVec> {
  let acc = c.length === 1 ? frZeros(x.length / FR_BYTES) : await frScale(x, c[c.length - 1]);
  for (let j = c.length - 2; j >= 1; j--) acc = await frMul(await frAddScalar(acc, c[j]), x);
  return frAddScalar(acc, c[0]);
}

/**
 * One pass of our vector kernels over the coset, a chunk at a time: Σ_t κ_t·C_t, D(x) by Horner,
 * then Ĉ + D(x)·Z_H(x). Loaded vectors stand for their values over LOAD_FACTOR (vectors.ts): so
 * does the sum, and D's coefficient j is scaled by LOAD_FACTOR^j, D being evaluated at x/LOAD_FACTOR.
 */
function weightsOnCosetByKernels(weights: readonly FrVec[], slots: readonly bigint[], d: readonly bigint[], x: FrVec, zh: FrVec): { combined: FrVec; blinded: FrVec } {
  const size = x.length / FR_BYTES;
  const combined = new Uint8Array(new SharedArrayBuffer(size * FR_BYTES));
  const blinded = new Uint8Array(new SharedArrayBuffer(size * FR_BYTES));
  const chunk = Math.min(size, CHUNK);
  return withFieldVectors(5 * chunk + slots.length + d.length, chunk, (s) => {
    const ex = s.ex;
    const E = s.elementBytes;
    const kappa = slots.map((k) => s.scalar(k));
    const e = d.map((dj, j) => s.scalar((dj * LOAD_FACTOR ** BigInt(j)) % R));
    const [acc, term, u, dx, w] = [0, 1, 2, 3, 4].map(() => s.alloc(chunk));
    for (let start = 0; start < size; start += chunk) {
      const m = Math.min(chunk, size - start);
      const slice = (v: FrVec): FrVec => v.subarray(start * FR_BYTES, (start + m) * FR_BYTES);
      s.clear(acc, m);
      weights.forEach((c, t) => {
        s.load(term, slice(c), m);
        ex.frv_axpy(acc, acc, term, kappa[t], m);
      });
      // dx = D(x): e_(c−1)·u, then + e_j and · u down to j = 1, then + e_0 (u = x/LOAD_FACTOR).
      s.load(u, slice(x), m);
      if (e.length === 1) s.clear(dx, m);
      else ex.frv_mul(dx, u, e[e.length - 1], m, 0);
      for (let j = e.length - 2; j >= 1; j--) {
        ex.frv_add(dx, dx, e[j], m, 0);
        ex.frv_mul(dx, dx, u, m, E);
      }
      ex.frv_add(dx, dx, e[0], m, 0);
      s.load(term, slice(zh), m);
      ex.frv_mul(dx, dx, term, m, E);
      ex.frv_add(w, acc, dx, m, E);
      // (store clobbers what it stores: acc last.)
      s.store(blinded, start, w, m, LOAD_FACTOR);
      s.store(combined, start, acc, m, LOAD_FACTOR);
    }
    return { combined, blinded };
  });
}
