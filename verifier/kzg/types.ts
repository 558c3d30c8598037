// Shapes shared by the KZG prover, verifier and accumulator.
import type { G1Lem } from "../engine/g1-affine.js";

/** What a KZG verifier needs from the SRS: [1]₂ and [τ]₂ in the engine's G2 affine form. */
export interface KzgVerifierKey {
  g2One: Uint8Array;
  g2Tau: Uint8Array;
}

/**
 * The claim "the polynomial committed in `commitment` takes `value` at `point`", with its
 * witness `proof` = [q(τ)]₁ for q(X) = (p(X) − value)/(X − point).
 */
export interface OpeningClaim {
  commitment: G1Lem;
  point: bigint;
  value: bigint;
  proof: G1Lem;
}

/**
 * A KZG accumulator: a pair (A, B) in G1 that stands for every claim folded into it.
 * It is valid iff e(A, [1]₂) = e(B, [τ]₂), i.e. A = τ·B.
 */
export interface Accumulator {
  a: G1Lem;
  b: G1Lem;
}

/** A G1 element not computed yet: the linear combination Σ scalar·point. */
export type G1Terms = readonly { point: G1Lem; scalar: bigint }[];

/**
 * An accumulator whose A and B are still linear combinations. Folding these (rather than
 * computed accumulators) lets a batch compute every A and B of many proofs in one MSM each, with
 * a point that several of them share (a key's commitment, the generator) appearing once.
 */
export interface AccumulatorTerms {
  a: G1Terms;
  b: G1Terms;
}
