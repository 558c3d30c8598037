// Multi-point openings, SHPLONK style (Boneh–Drake–Fisch–Gabizon 2020, docs/protocol.md §6.4):
// polynomials opened at distinct points z_0 … z_(m−1) cost two witnesses in all, W and W′, and
// fold into one accumulator in which every commitment appears once.
//
// With h_j = Σ_k γᵏ·p_{j,k} and v_j = Σ_k γᵏ·v_{j,k} (the claims at z_j), the prover sends
//   W  = [q(τ)]₁,  q(X) = Σ_j γ′ʲ·(h_j(X) − v_j)/(X − z_j),
// and, for the challenge z drawn after W, with the weights c_j = γ′ʲ·Π_(i≠j)(z − z_i)/Π_(i≠0)(z − z_i)
// (so c_0 = 1) and Z = Π_j (z − z_j)/Π_(i≠0)(z − z_i) = z − z_0,
//   W′ = [L(τ)/(τ − z)]₁,  L(X) = Σ_j c_j·(h_j(X) − v_j) − Z·q(X),
// which vanishes at z. The claims hold iff [L]₁ = τ·W′ − z·W′, i.e. the accumulator
//   A = Σ_j c_j·Σ_k γᵏ·C_{j,k} − (Σ_j c_j·v_j)·[1]₁ − Z·W + z·W′,   B = W′
// is valid. B has scalar 1, and so has the first commitment at z_0: the division by
// Π_(i≠0)(z − z_i) costs the verifier one field inversion, no group operation. z ∈ {z_j} rejects.
//
// Transcript order, shared by prover and verifier (the caller has already absorbed every
// commitment and every claimed evaluation):
//   (γ, γ′) ← challenges("shplonk-gamma", 2); absorb W ("shplonk-w");
//   z ← challenge("shplonk-z"); absorb W′ ("shplonk-w2").
import type { Bn128 } from "ffjavascript";
import { R } from "../engine/bn254.js";
import { frDot, frInv, frMod, frPowersOf as powers } from "../engine/scalar.js";
import { g1Generator, type G1Lem } from "../engine/g1-affine.js";
import { KzgError } from "./errors.js";
import { evaluateAccumulator } from "./accumulator.js";
import type { Accumulator, AccumulatorTerms, G1Terms } from "./types.js";

/** The part of the Fiat–Shamir transcript that multi-opening uses. */
export interface OpeningTranscript {
  absorbG1Lem(label: string, point: G1Lem): void;
  challenge(label: string): bigint;
  challenges(label: string, k: number): bigint[];
}

/** The two witnesses of a multi-point opening: W (before z) and W′ (after z). */
export interface OpeningWitnesses {
  w: G1Lem;
  w2: G1Lem;
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

/** Throws unless the points are distinct (SHPLONK divides by z_j − z_i). */
export function checkDistinct(points: readonly bigint[]): void {
  const seen = new Set<bigint>();
  for (const p of points) {
    const v = frMod(p);
    if (seen.has(v)) throw new KzgError("two opening queries share a point");
    seen.add(v);
  }
}

/**
 * The z-dependent weights of this file's header: c_j for each point (c_0 = 1) and Z = z − z_0, or
 * null when z is one of the points (probability m/r; the proof is then rejected). Shared by prover
 * and verifier so that both build the same L.
 */
export function pointWeights(points: readonly bigint[], gammaPrime: bigint, z: bigint): { weights: bigint[]; vanishing: bigint } | null {
  const g = powers(gammaPrime, points.length);
  const differences = points.map((p) => frMod(z - p));
  if (differences.some((d) => d === 0n)) return null;
  const others = (j: number): bigint => differences.reduce((acc, d, i) => (i === j ? acc : (acc * d) % R), 1n);
  const norm = frInv(others(0));
  const weights = points.map((_, j) => (j === 0 ? 1n : (((g[j] * others(j)) % R) * norm) % R));
  return { weights, vanishing: differences[0] };
}

/**
 * Verifier side: replays the transcript and returns the accumulator (A, B) of the opening as linear
 * combinations (no group operation), with A and B as in this file's header, or null when z is one
 * of the points. A commitment may itself be a linear combination (e.g. a linearised one); a
 * commitment listed at several points appears once per listing, and evaluateTerms merges identical points.
 */
export function multiOpeningTerms(
  curve: Bn128,
  queries: readonly VerifierQuery[],
  witnesses: OpeningWitnesses,
  transcript: OpeningTranscript,
): AccumulatorTerms | null {
  queries.forEach((q, j) => checkShape(q, q.commitments.length, j));
  checkDistinct(queries.map((q) => q.point));
  const [gamma, gammaPrime] = transcript.challenges("shplonk-gamma", 2);
  transcript.absorbG1Lem("shplonk-w", witnesses.w);
  const z = transcript.challenge("shplonk-z");
  transcript.absorbG1Lem("shplonk-w2", witnesses.w2);
  const w = pointWeights(queries.map((q) => q.point), gammaPrime, z);
  if (!w) return null;
  const { weights, vanishing } = w;
  const a: { point: G1Lem; scalar: bigint }[] = [];
  let value = 0n;
  for (const [j, q] of queries.entries()) {
    const g = powers(gamma, q.commitments.length);
    q.commitments.forEach((c, k) => {
      const s = (weights[j] * g[k]) % R;
      if (c instanceof Uint8Array) a.push({ point: c, scalar: s });
      else for (const t of c) a.push({ point: t.point, scalar: (s * frMod(t.scalar)) % R });
    });
    value = (value + weights[j] * frDot(q.values, g)) % R;
  }
  a.push({ point: witnesses.w, scalar: frMod(-vanishing) });
  a.push({ point: witnesses.w2, scalar: frMod(z) });
  a.push({ point: g1Generator(curve), scalar: frMod(-value) });
  return { a, b: [{ point: witnesses.w2, scalar: 1n }] };
}

/**
 * Verifier side: the accumulator of multiOpeningTerms, computed (one MSM for A, one for B), or null
 * when z is one of the points. The caller decides it.
 */
export async function accumulateMultiOpening(
  curve: Bn128,
  queries: readonly VerifierQuery[],
  witnesses: OpeningWitnesses,
  transcript: OpeningTranscript,
): Promise<Accumulator | null> {
  const terms = multiOpeningTerms(curve, queries, witnesses, transcript);
  return terms && evaluateAccumulator(curve, terms);
}
