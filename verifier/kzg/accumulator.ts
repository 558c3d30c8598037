// The KZG accumulator: opening claims and whole accumulators fold, by random linear
// combination, into one pair (A, B) decided by a single two-pair pairing check.
//
// A claim (C, z, v, π) holds iff e(C − v·G + z·π, [1]₂) = e(π, [τ]₂), i.e. the pair
// (C − v·G + z·π, π) is itself an accumulator. Folding pairs (Aᵢ, Bᵢ) with powers of a fresh
// challenge ρ gives (Σρⁱ·Aᵢ, Σρⁱ·Bᵢ): if any pair has Aᵢ ≠ τ·Bᵢ, the folded pair is valid only
// if ρ is a root of a nonzero polynomial of degree < n, which happens with probability < n/r.
//
// Each fold is one multi-scalar multiplication, which the engine splits by scalar window
// across its worker threads (when it has any) and then combines: the fold is a parallel reduction.
import type { Bn128 } from "ffjavascript";
import { R } from "../engine/bn254.js";
import { frMod as mod, frPowersOf as powers } from "../engine/scalar.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { g1Concat, g1Generator, g1MsmSmall as msm, type G1Lem } from "../engine/g1-affine.js";
import { frVecFromBigints } from "../engine/fr.js";
import type { Accumulator, AccumulatorTerms, G1Terms, KzgVerifierKey, OpeningClaim } from "./types.js";

/** Folds opening claims into one accumulator with the powers of `rho` (a fresh challenge). */
export async function accumulateClaims(curve: Bn128, claims: readonly OpeningClaim[], rho: bigint): Promise<Accumulator> {
  if (claims.length === 0) throw new RangeError("accumulateClaims: no claims");
  const rhos = powers(mod(rho), claims.length);
  // A = Σρⁱ·Cᵢ + Σρⁱzᵢ·πᵢ − (Σρⁱvᵢ)·G and B = Σρⁱ·πᵢ, each one MSM.
  let valueSum = 0n;
  claims.forEach((c, i) => (valueSum = (valueSum + rhos[i] * mod(c.value)) % R));
  const aBases = g1Concat([...claims.map((c) => c.commitment), ...claims.map((c) => c.proof), g1Generator(curve)]);
  const aScalars = frVecFromBigints([...rhos, ...claims.map((c, i) => (rhos[i] * mod(c.point)) % R), mod(-valueSum)]);
  const bBases = g1Concat(claims.map((c) => c.proof));
  const [a, b] = await Promise.all([msm(curve, aBases, aScalars), msm(curve, bBases, frVecFromBigints(rhos))]);
  return { a, b };
}

/** Folds accumulators (of one proof's parts, or of many proofs) with the powers of a fresh challenge `r`. */
export async function foldAccumulators(curve: Bn128, accumulators: readonly Accumulator[], r: bigint): Promise<Accumulator> {
  if (accumulators.length === 0) throw new RangeError("foldAccumulators: no accumulators");
  if (accumulators.length === 1) return accumulators[0];
  const scalars = frVecFromBigints(powers(mod(r), accumulators.length));
  const [a, b] = await Promise.all([
    msm(curve, g1Concat(accumulators.map((x) => x.a)), scalars),
    msm(curve, g1Concat(accumulators.map((x) => x.b)), scalars),
  ]);
  return { a, b };
}

/** The decider: e(A, [1]₂)·e(−B, [τ]₂) = 1. */
export async function decide(curve: Bn128, vk: KzgVerifierKey, acc: Accumulator): Promise<boolean> {
  return curve.pairingEq(acc.a, vk.g2One, curve.G1.neg(acc.b), vk.g2Tau);
}

/** Checks one opening claim on its own: e(C − v·G + z·π, [1]₂) = e(π, [τ]₂). */
export async function verifyClaim(curve: Bn128, vk: KzgVerifierKey, claim: OpeningClaim): Promise<boolean> {
  return decide(curve, vk, await accumulateClaims(curve, [claim], 1n));
}

/**
 * Σ scalar·point in one MSM. Terms with byte-identical points are merged first (their scalars
 * summed), which changes nothing in the sum and makes a shared point cost one base.
 */
export async function evaluateTerms(curve: Bn128, terms: G1Terms): Promise<G1Lem> {
  const merged = new Map<string, { point: G1Lem; scalar: bigint }>();
  for (const t of terms) {
    const key = bytesToHex(t.point);
    const m = merged.get(key);
    if (m) m.scalar = (m.scalar + mod(t.scalar)) % R;
    else merged.set(key, { point: t.point, scalar: mod(t.scalar) });
  }
  const list = [...merged.values()];
  return msm(curve, g1Concat(list.map((t) => t.point)), frVecFromBigints(list.map((t) => t.scalar)));
}

/** Computes an accumulator given as linear combinations (one MSM for A, one for B). */
export async function evaluateAccumulator(curve: Bn128, terms: AccumulatorTerms): Promise<Accumulator> {
  const [a, b] = await Promise.all([evaluateTerms(curve, terms.a), evaluateTerms(curve, terms.b)]);
  return { a, b };
}

/**
 * Folds accumulators given as linear combinations with the powers of a fresh challenge `r`:
 * (Σ rⁱ·Aᵢ, Σ rⁱ·Bᵢ), still as linear combinations (no group operation is done here).
 */
export function foldAccumulatorTerms(accumulators: readonly AccumulatorTerms[], r: bigint): AccumulatorTerms {
  if (accumulators.length === 0) throw new RangeError("foldAccumulatorTerms: no accumulators");
  const rs = powers(mod(r), accumulators.length);
  const scale = (terms: G1Terms, w: bigint) => terms.map((t) => ({ point: t.point, scalar: (w * mod(t.scalar)) % R }));
  return { a: accumulators.flatMap((acc, i) => scale(acc.a, rs[i])), b: accumulators.flatMap((acc, i) => scale(acc.b, rs[i])) };
}
