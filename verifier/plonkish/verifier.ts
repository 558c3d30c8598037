// The verifier (docs/protocol.md §5): replays the transcript, checks the combined gate identity
// at ζ through the linearised commitment, and folds every opening into one KZG accumulator,
// decided with a single pairing check. A batch folds the proofs' accumulators as linear
// combinations, so that all of them are computed by one MSM for A and one for B (§5.8).
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../engine/bn254.js";
import { g1Concat, type G1Lem } from "../engine/g1-affine.js";
import { frMod } from "../engine/scalar.js";
import { decide, evaluateAccumulator, foldAccumulatorTerms, multiOpeningTerms, type Accumulator, type AccumulatorTerms } from "../kzg/index.js";
import { Domain } from "../poly/index.js";
import { Transcript } from "../transcript/index.js";
import { ProofFormatError } from "./errors.js";
import { combinedIdentity, linearisationScalars, pointValues } from "./identity.js";
import { CIRCUIT_MISMATCH, isCircuitDigest } from "./description.js";
import { verificationKeyDigest, type VerificationKey } from "./verification-key.js";
import { NEXT_ROW_COLUMNS, NUM_COLUMNS, PHASES, QUOTIENT_CHUNKS, slotChallenges } from "./layout.js";
import { decodeProof } from "./proof.js";
import { proofTranscript } from "./schedule.js";

export const BATCH_PROTOCOL = "zkinfer-batch-v2";

/** The batch transcript's operations (docs/protocol.md §5.8). */
const BATCH_SCHEDULE = [
  { op: "bytes", label: "vk" },
  { op: "bytes", label: "proof-states" },
  { op: "challenge", label: "fold" },
] as const;

/** Why a well-formed proof was rejected before the pairing (null when it reached the accumulator). */
export type Rejection = "zeta-in-domain" | null;

function checkPublicInputs(vk: VerificationKey, publicInputs: readonly bigint[]): void {
  // The key's digest binds a circuit description; this verifier checks its own gates only.
  if (!isCircuitDigest(vk.circuitDigest)) throw new ProofFormatError(`the ${CIRCUIT_MISMATCH}`);
  if (publicInputs.length !== vk.publicInputCount) {
    throw new ProofFormatError(`the verification key expects ${vk.publicInputCount} public inputs, got ${publicInputs.length}`);
  }
  publicInputs.forEach((x, i) => {
    if (typeof x !== "bigint" || x < 0n || x >= R) throw new ProofFormatError(`public input ${i} is not a field element below r`);
  });
}

/** One proof reduced to its accumulator, not computed yet, and its transcript's final state. */
export interface ProofReduction {
  terms: AccumulatorTerms;
  /** The proof transcript's state after its last operation (§5.1, absorbing W′): it binds every input. */
  state: Uint8Array;
}

/**
 * Reduces one proof to its accumulator (A, B) as linear combinations of the key's and the proof's
 * points; the proof is valid iff e(A,[1]₂) = e(B,[τ]₂). Throws ProofFormatError for malformed
 * bytes or public inputs; returns null when ζ ∈ H, λ is a pole of κ_t or the opening's z is ζ or ωζ.
 */
export async function reduceProof(
  vk: VerificationKey,
  proofBytes: Uint8Array,
  publicInputs: readonly bigint[],
  vkDigest: Uint8Array = verificationKeyDigest(vk),
): Promise<ProofReduction | null> {
  const curve: Bn128 = await getEngine();
  checkPublicInputs(vk, publicInputs);
  const proof = decodeProof(proofBytes);
  const domain = Domain.create(vk.logRows);
  const transcript = proofTranscript(vkDigest, publicInputs);

  const challenges = new Map<string, bigint>();
  const columnCommitment = new Map<number, G1Lem>();
  vk.fixedCommitments.forEach((c, i) => columnCommitment.set(i, c));
  let next = 0;
  for (const phase of PHASES) {
    const points = phase.columns.map((col) => {
      const c = proof.commitments[next++];
      columnCommitment.set(col, c);
      return c;
    });
    transcript.absorbG1Lem(phase.label, g1Concat(points));
    const drawn = transcript.challenges(phase.label, phase.challenges.length);
    phase.challenges.forEach((name, i) => challenges.set(name, drawn[i]));
    if (phase.challenges.includes("lambda")) {
      // λ ∈ {0, …, K − 1} is a pole of κ_t: an honest prover restarts, so no valid proof has it.
      const slots = slotChallenges(challenges.get("lambda")!);
      if (!slots) return null;
      slots.forEach((v, name) => challenges.set(name, v));
    }
  }
  const chunks = proof.commitments.slice(next, next + QUOTIENT_CHUNKS);
  transcript.absorbG1Lem("quotient", g1Concat(chunks));
  const zeta = transcript.challenge("zeta");
  if (domain.contains(zeta)) return null;
  const point = pointValues(domain, zeta, publicInputs);
  transcript.absorbScalars("evals", proof.evaluations);

  // L = Σ_t coefC·κ_t·[C_t] − Z_H(ζ)·([t₀] + ζⁿ[t₁] + ζ²ⁿ[t₂]) must open to −N_rest at ζ.
  const { rest, weightCoefficient } = combinedIdentity(proof.evaluations, challenges, point);
  const scalars = linearisationScalars(weightCoefficient, challenges, point, domain.size);
  const linearised = [...vk.weightCommitments, ...chunks].map((p, i) => ({ point: p, scalar: scalars[i] }));

  const commitments = Array.from({ length: NUM_COLUMNS }, (_, col) => columnCommitment.get(col)!);
  const terms = multiOpeningTerms(
    curve,
    [
      { point: zeta, commitments: [...commitments, linearised], values: [...proof.evaluations.slice(0, NUM_COLUMNS), frMod(-rest)] },
      {
        point: (zeta * domain.omega) % R,
        commitments: NEXT_ROW_COLUMNS.map((col) => columnCommitment.get(col)!),
        values: proof.evaluations.slice(NUM_COLUMNS),
      },
    ],
    { w: proof.witnesses[0], w2: proof.witnesses[1] },
    transcript,
  );
  transcript.assertScheduleComplete();
  // z ∈ {ζ, ωζ} (probability 2/r): no valid proof has it.
  if (!terms) return null;
  return { terms, state: transcript.state };
}

/**
 * Reduces one proof to its accumulator (A, B); the proof is valid iff e(A,[1]₂) = e(B,[τ]₂).
 * Throws ProofFormatError for malformed bytes or public inputs; returns null when ζ ∈ H or λ is a pole of κ_t.
 */
export async function accumulateProof(
  vk: VerificationKey,
  proofBytes: Uint8Array,
  publicInputs: readonly bigint[],
  vkDigest: Uint8Array = verificationKeyDigest(vk),
): Promise<Accumulator | null> {
  const reduced = await reduceProof(vk, proofBytes, publicInputs, vkDigest);
  return reduced && evaluateAccumulator(await getEngine(), reduced.terms);
}

/** Whether the proof is valid for these public inputs. Throws ProofFormatError for malformed input. */
export async function verify(vk: VerificationKey, proof: Uint8Array, publicInputs: readonly bigint[]): Promise<boolean> {
  const acc = await accumulateProof(vk, proof, publicInputs);
  if (!acc) return false;
  return decide(await getEngine(), { g2One: vk.g2One, g2Tau: vk.g2Tau }, acc);
}

/** The batch challenge ν from the proofs' final transcript states (docs/protocol.md §5.8). */
export function batchChallenge(vkDigest: Uint8Array, states: readonly Uint8Array[]): bigint {
  const t = new Transcript(BATCH_PROTOCOL, { schedule: [...BATCH_SCHEDULE] });
  t.absorbBytes("vk", vkDigest);
  const all = new Uint8Array(32 * states.length);
  states.forEach((s, i) => all.set(s, 32 * i));
  t.absorbBytes("proof-states", all);
  const nu = t.challenge("fold");
  t.assertScheduleComplete();
  return nu;
}

/**
 * Verifies N proofs of one verification key with one pairing (docs/protocol.md §5.8): each proof
 * is reduced to its accumulator's linear combinations, ν is drawn from a fresh transcript that has
 * absorbed every proof's final transcript state, and A = Σ νⁱ·Aᵢ, B = Σ νⁱ·Bᵢ are computed by one
 * MSM each, every key commitment appearing once.
 */
export async function verifyBatch(
  vk: VerificationKey,
  items: readonly { proof: Uint8Array; publicInputs: readonly bigint[] }[],
): Promise<boolean> {
  if (items.length === 0) throw new ProofFormatError("a batch needs at least one proof");
  const curve = await getEngine();
  const digest = verificationKeyDigest(vk);
  const reductions: ProofReduction[] = [];
  for (const item of items) {
    const reduced = await reduceProof(vk, item.proof, item.publicInputs, digest);
    if (!reduced) return false;
    reductions.push(reduced);
  }
  const nu = batchChallenge(digest, reductions.map((r) => r.state));
  const folded = foldAccumulatorTerms(reductions.map((r) => r.terms), nu);
  return decide(curve, { g2One: vk.g2One, g2Tau: vk.g2Tau }, await evaluateAccumulator(curve, folded));
}
