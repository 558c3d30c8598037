// Multi-point openings (GWC style): the polynomials opened at one point are combined with the
// powers of a fresh challenge γ_j into one polynomial and opened once, and the per-point claims
// then fold into the accumulator with a further fresh challenge ρ.
//
// Transcript order, shared by prover and verifier (the caller has already absorbed every
// commitment and every claimed evaluation):
//   for each point j: γ_j ← challenge("kzg-gamma")
//   for each point j: absorb π_j ("kzg-witness")
//   ρ ← challenge("kzg-rho")
import type { Bn128 } from "ffjavascript";
import { R } from "../engine/bn254.js";
import { frDot, frMod, frPowersOf as powers } from "../engine/scalar.js";
import { g1Generator, type G1Lem } from "../engine/g1-affine.js";
import { KzgError } from "./errors.js";
import { evaluateAccumulator } from "./accumulator.js";
import type { Accumulator, AccumulatorTerms, G1Terms } from "./types.js";

/** The part of the Fiat–Shamir transcript that multi-opening uses. */
export interface OpeningTranscript {
  absorbG1Lem(label: string, point: G1Lem): void;
  challenge(label: string): bigint;
}

/**
 * Verifier side: commitments opened at one point, with their claimed values. A commitment is a
 * point or a linear combination of points.
 */
export interface VerifierQuery {
  point: bigint;
  commitments: readonly (G1Lem | G1Terms)[];
  values: readonly bigint[];
}

export function checkShape(q: { values: readonly bigint[] }, count: number, j: number): void {
  if (count === 0) throw new KzgError(`opening query ${j} has no polynomials`);
  if (q.values.length !== count) throw new KzgError(`opening query ${j}: ${count} polynomials but ${q.values.length} values`);
}

/**
 * Verifier side: replays the transcript, combines each point's commitments and values with
 * γ_j, and folds the per-point claims with ρ, returning the accumulator as linear combinations
 * (no group operation): A = Σ_j ρʲ·(Σ_k γ_jᵏ·C_{j,k} + z_j·π_j) − (Σ_j ρʲ·Σ_k γ_jᵏ·v_{j,k})·[1]₁
 * and B = Σ_j ρʲ·π_j. A commitment may itself be a linear combination (e.g. a linearised one).
 */
export function multiOpeningTerms(
  curve: Bn128,
  queries: readonly VerifierQuery[],
  witnesses: readonly G1Lem[],
  transcript: OpeningTranscript,
): AccumulatorTerms {
  if (witnesses.length !== queries.length) throw new KzgError(`${queries.length} opening points but ${witnesses.length} witnesses`);
  queries.forEach((q, j) => checkShape(q, q.commitments.length, j));
  const gammas = queries.map(() => transcript.challenge("kzg-gamma"));
  witnesses.forEach((w) => transcript.absorbG1Lem("kzg-witness", w));
  const rhos = powers(transcript.challenge("kzg-rho"), queries.length);
  const a: { point: G1Lem; scalar: bigint }[] = [];
  let value = 0n;
  for (const [j, q] of queries.entries()) {
    const g = powers(gammas[j], q.commitments.length);
    q.commitments.forEach((c, k) => {
      const s = (rhos[j] * g[k]) % R;
      if (c instanceof Uint8Array) a.push({ point: c, scalar: s });
      else for (const t of c) a.push({ point: t.point, scalar: (s * frMod(t.scalar)) % R });
    });
    a.push({ point: witnesses[j], scalar: (rhos[j] * frMod(q.point)) % R });
    value = (value + rhos[j] * frDot(q.values, g)) % R;
  }
  a.push({ point: g1Generator(curve), scalar: frMod(-value) });
  return { a, b: witnesses.map((w, j) => ({ point: w, scalar: rhos[j] })) };
}

/**
 * Verifier side: the accumulator of multiOpeningTerms, computed (one MSM for A, one for B).
 * The caller decides it.
 */
export async function accumulateMultiOpening(
  curve: Bn128,
  queries: readonly VerifierQuery[],
  witnesses: readonly G1Lem[],
  transcript: OpeningTranscript,
): Promise<Accumulator> {
  return evaluateAccumulator(curve, multiOpeningTerms(curve, queries, witnesses, transcript));
}
