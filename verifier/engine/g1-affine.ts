// G1 points on the engine, for the verifier: 64-byte affine LEM (x‖y, little-endian Montgomery),
// the engine's and the .ptau files' native form, the point at infinity all zeros; the group
// operations, and the small MSMs a verifier does through the engine's own multi-exponentiation
// (the prover's large ones run on its kernels, prover/engine/g1.ts).
import type { Bn128 } from "ffjavascript";
import { G1_BYTES } from "./encoding.js";
import { FR_BYTES, frToStandardLE } from "./fr.js";

export type G1Lem = Uint8Array;

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

/**
 * Σ sᵢ·Pᵢ over n affine LEM `bases` and n Fr `scalars` (Montgomery form, the engine's FrVec),
 * through the engine: for the few dozen points of a verifier's accumulator.
 */
export async function g1MsmSmall(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = scalars.length / FR_BYTES;
  if (!Number.isInteger(n) || bases.length !== n * G1_BYTES) throw new RangeError(`g1MsmSmall: ${bases.length / G1_BYTES} bases for ${n} scalars`);
  if (n === 0) return new Uint8Array(G1_BYTES);
  return curve.G1.toAffine(await curve.G1.multiExpAffine(bases, await frToStandardLE(scalars)));
}
