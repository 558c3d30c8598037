// Values on the quotient's extended coset g·H_4n that depend on the table's size alone: its points
// and L_0 there. Computed with our kernels only (no ffjavascript engine), so a gate worker can make
// them while the main thread starts the proof.
import { R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frVecFromBigints, type FrVec } from "../../verifier/engine/fr.js";
import { frExp, frInv, frMod } from "../../verifier/engine/scalar.js";
import { batchInverse, LOAD_FACTOR, scalePowers, withFieldVectors } from "../engine/wasm/index.js";
import { COSET_GENERATOR, Domain } from "../poly/index.js";
import { EXTENSION } from "../../verifier/plonkish/layout.js";

/** Elements per pass of the scratch loops. */
const CHUNK = 1 << 14;

/** `pattern` (a few elements) repeated over `size` elements, in shared memory. */
export function repeated(pattern: readonly bigint[], size: number): FrVec {
  const words = frVecFromBigints(pattern);
  const out = new Uint8Array(new SharedArrayBuffer(size * FR_BYTES));
  for (let o = 0; o < out.length; o += words.length) out.set(words, o);
  return out;
}

/** Z_H at a point of the coset shift·H_m (m dividing n): shiftⁿ − 1, the same at each of them. */
export function vanishingOnCoset(domain: Domain, shift: bigint): bigint {
  return frMod(frExp(shift, BigInt(domain.size)) - 1n);
}

/** The shift g·ν^j of part j of the extended coset (ν = ω_4n). */
export function cosetShift(extended: Domain, j: number): bigint {
  return (COSET_GENERATOR * frExp(extended.omega, BigInt(j))) % R;
}

/** Z_H on each of the 4 n-point cosets g·ν^k·H, where it is constant: element i of the extended coset is on coset i mod 4. */
export function vanishingPeriod(logRows: number): bigint[] {
  const domain = Domain.create(logRows);
  const extended = Domain.create(logRows + Math.log2(EXTENSION));
  return Array.from({ length: EXTENSION }, (_, k) => vanishingOnCoset(domain, cosetShift(extended, k)));
}

/**
 * The points x_i = g·ν^i of the extended coset of a 2^logRows-row table and L_0 there, both in
 * one shared buffer (`joint`, x then L_0).
 */
export function cosetPointsAndL0(logRows: number): { x: FrVec; l0: FrVec; joint: FrVec } {
  return pointsAndL0(Domain.create(logRows + Math.log2(EXTENSION)), COSET_GENERATOR, vanishingPeriod(logRows), Domain.create(logRows).nInv);
}

/**
 * The points x_i = shift·ω^i of the coset shift·D (ω generating `points`) and L_0 of an n-row
 * table there, L_0(x) = Z_H(x)/(n·(x − 1)), with Z_H's values on the coset repeating `zh` (one
 * value on a coset of H, four on the extended coset: element i is on n-point coset i mod 4), both
 * in one shared buffer (`joint`, x then L_0): one pass for the points, one for x − 1, a batch
 * inversion and one pass for the product with Z_H/n.
 */
export function pointsAndL0(points: Domain, shift: bigint, zh: readonly bigint[], nInv: bigint): { x: FrVec; l0: FrVec; joint: FrVec } {
  const size = points.size;
  // Both in one shared buffer, which a gate worker hands back whole.
  const joint = new Uint8Array(new SharedArrayBuffer(2 * size * FR_BYTES));
  const x = joint.subarray(0, size * FR_BYTES);
  const l0 = joint.subarray(size * FR_BYTES);
  x.set(scalePowers(repeated([shift], size), points.omega));
  const chunk = Math.min(size, CHUNK);
  const factors = repeated(
    zh.map((z) => (z * nInv) % R),
    chunk,
  );
  const minusOne = new Uint8Array(size * FR_BYTES);
  withFieldVectors(2 * chunk + 1, chunk, (s) => {
    const v = s.alloc(chunk);
    // A loaded word x is held as x/LOAD_FACTOR, so −1 is added as −1/LOAD_FACTOR.
    const k = s.scalar(R - frInv(LOAD_FACTOR));
    for (let start = 0; start < size; start += chunk) {
      s.load(v, x.subarray(start * FR_BYTES, (start + chunk) * FR_BYTES), chunk);
      s.ex.frv_add(v, v, k, chunk, 0);
      s.store(minusOne, start, v, chunk, LOAD_FACTOR);
    }
  });
  const inverses = batchInverse(minusOne);
  withFieldVectors(2 * chunk, chunk, (s) => {
    const [v, f] = [s.alloc(chunk), s.alloc(chunk)];
    s.load(f, factors, chunk);
    for (let start = 0; start < size; start += chunk) {
      s.load(v, inverses.subarray(start * FR_BYTES, (start + chunk) * FR_BYTES), chunk);
      s.ex.frv_mul(v, v, f, chunk, s.elementBytes);
      s.store(l0, start, v, chunk, LOAD_FACTOR * LOAD_FACTOR);
    }
  });
  return { x, l0, joint };
}
