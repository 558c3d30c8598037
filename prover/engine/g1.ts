// G1 arithmetic on the engine. Points are 64-byte affine LEM (x‖y, little-endian Montgomery),
// the engine's and the .ptau files' native form; the point at infinity is all zeros.
import type { Bn128 } from "ffjavascript";
import { G1_BYTES } from "./encoding.js";
import { FR_BYTES, frToStandardLE } from "./fr.js";

export { G1_BYTES } from "./encoding.js";
export { FR_BYTES } from "./fr.js";

export type G1Lem = Uint8Array;

/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ over `bases` (n affine LEM points) and `scalars`
 * (n Fr elements in Montgomery form, the engine's FrVec). Uses the first n bases when
 * `bases` holds more. Spread over the engine's worker threads.
 */
export async function msm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = scalars.length / FR_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`msm: scalar buffer of ${scalars.length} bytes is not a whole number of Fr elements`);
  if (bases.length < n * G1_BYTES) throw new RangeError(`msm: ${n} scalars but only ${bases.length / G1_BYTES} bases`);
  if (n === 0) return new Uint8Array(G1_BYTES);
  // The engine's MSM wants standard-form scalars; converting on the main thread is cheaper than
  // shipping the vector to the workers and back (measured in prover/engine/fr.ts).
  return msmStandard(curve, bases.subarray(0, n * G1_BYTES), await frToStandardLE(scalars));
}

/**
 * MSM with scalars already in standard little-endian form, `width` bytes each (narrow scalars,
 * e.g. 8 bytes for small integers, make the MSM proportionally cheaper).
 */
export async function msmStandard(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = bases.length / G1_BYTES;
  if (n === 0) return new Uint8Array(G1_BYTES);
  if (scalars.length % n !== 0) throw new RangeError("msm: scalar buffer does not divide evenly among the bases");
  const jacobian = await curve.G1.multiExpAffine(bases, scalars);
  return curve.G1.toAffine(jacobian);
}

/** Concatenates affine LEM points into one flat buffer (MSM bases). */
export function g1Concat(points: readonly G1Lem[]): Uint8Array {
  const out = new Uint8Array(points.length * G1_BYTES);
  points.forEach((p, i) => {
    if (p.length !== G1_BYTES) throw new RangeError(`G1 point ${i} has ${p.length} bytes, expected ${G1_BYTES}`);
    out.set(p, i * G1_BYTES);
  });
  return out;
}

/** P + Q. */
export function g1Add(curve: Bn128, p: G1Lem, q: G1Lem): G1Lem {
  return curve.G1.toAffine(curve.G1.add(p, q));
}

/** P − Q. */
export function g1Sub(curve: Bn128, p: G1Lem, q: G1Lem): G1Lem {
  return curve.G1.toAffine(curve.G1.sub(p, q));
}

/** s·P for a scalar s (bigint, reduced by the caller). */
export function g1Mul(curve: Bn128, p: G1Lem, s: bigint): G1Lem {
  return curve.G1.toAffine(curve.G1.timesScalar(p, s));
}

/** The generator [1]₁ in affine LEM form. */
export function g1Generator(curve: Bn128): G1Lem {
  return curve.G1.toAffine(curve.G1.g);
}

export function g1Equal(curve: Bn128, p: G1Lem, q: G1Lem): boolean {
  return curve.G1.eq(p, q);
}
