// The verifier (docs/protocol.md §5): replays the transcript, checks the combined gate identity
// at ζ through the linearised commitment, and folds every opening into one KZG accumulator,
// decided with a single pairing check. Batches of proofs fold their accumulators too.
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "../engine/bn254.js";
import { frVecFromBigints } from "../engine/fr.js";
import { g1Concat, msm, type G1Lem } from "../engine/g1.js";
import { frMod } from "../engine/scalar.js";
import { accumulateMultiOpening, decide, foldAccumulators, type Accumulator } from "../kzg/index.js";
import { Domain } from "../poly/index.js";
import { Transcript } from "../transcript/index.js";
import { ProofFormatError } from "./errors.js";
import { combinedIdentity, linearisationScalars, pointValues } from "./identity.js";
import { verificationKeyDigest, type VerificationKey } from "./keys.js";
import { NEXT_ROW_COLUMNS, NUM_COLUMNS, PHASES, QUOTIENT_CHUNKS } from "./layout.js";
import { decodeProof } from "./proof.js";
import { proofTranscript } from "./schedule.js";

export const BATCH_PROTOCOL = "zkinfer-batch-v1";

/** Why a well-formed proof was rejected before the pairing (null when it reached the accumulator). */
export type Rejection = "zeta-in-domain" | null;

function checkPublicInputs(vk: VerificationKey, publicInputs: readonly bigint[]): void {
  if (publicInputs.length !== vk.publicInputCount) {
    throw new ProofFormatError(`the verification key expects ${vk.publicInputCount} public inputs, got ${publicInputs.length}`);
  }
  publicInputs.forEach((x, i) => {
    if (typeof x !== "bigint" || x < 0n || x >= R) throw new ProofFormatError(`public input ${i} is not a field element below r`);
  });
}

/**
 * Reduces one proof to its accumulator (A, B); the proof is valid iff e(A,[1]₂) = e(B,[τ]₂).
 * Throws ProofFormatError for malformed bytes or public inputs; returns null when ζ ∈ H.
 */
export async function accumulateProof(
  vk: VerificationKey,
  proofBytes: Uint8Array,
  publicInputs: readonly bigint[],
  vkDigest: Uint8Array = verificationKeyDigest(vk),
): Promise<Accumulator | null> {
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
  }
  const chunks = proof.commitments.slice(next, next + QUOTIENT_CHUNKS);
  transcript.absorbG1Lem("quotient", g1Concat(chunks));
  const zeta = transcript.challenge("zeta");
  if (domain.contains(zeta)) return null;
  const point = pointValues(domain, zeta, publicInputs);
  transcript.absorbScalars("evals", proof.evaluations);

  // L = coefC·[C] − Z_H(ζ)·([t₀] + ζⁿ[t₁] + ζ²ⁿ[t₂]) must open to −N_rest at ζ.
  const { rest, weightCoefficient } = combinedIdentity(proof.evaluations, challenges, point);
  const scalars = linearisationScalars(weightCoefficient, point, domain.size);
  const linearised = await msm(curve, g1Concat([vk.weightCommitment, ...chunks]), frVecFromBigints(scalars));

  const commitments = Array.from({ length: NUM_COLUMNS }, (_, col) => columnCommitment.get(col)!);
  const accumulator = await accumulateMultiOpening(
    curve,
    [
      { point: zeta, commitments: [...commitments, linearised], values: [...proof.evaluations.slice(0, NUM_COLUMNS), frMod(-rest)] },
      {
        point: (zeta * domain.omega) % R,
        commitments: NEXT_ROW_COLUMNS.map((col) => columnCommitment.get(col)!),
        values: proof.evaluations.slice(NUM_COLUMNS),
      },
    ],
    proof.witnesses,
    transcript,
  );
  transcript.assertScheduleComplete();
  return accumulator;
}

/** Whether the proof is valid for these public inputs. Throws ProofFormatError for malformed input. */
export async function verify(vk: VerificationKey, proof: Uint8Array, publicInputs: readonly bigint[]): Promise<boolean> {
  const acc = await accumulateProof(vk, proof, publicInputs);
  if (!acc) return false;
  return decide(await getEngine(), { g2One: vk.g2One, g2Tau: vk.g2Tau }, acc);
}

/**
 * Verifies N proofs of one verification key with one pairing: each proof's accumulator is
 * computed, all of them are absorbed into a fresh transcript, and they fold with its challenge.
 */
export async function verifyBatch(
  vk: VerificationKey,
  items: readonly { proof: Uint8Array; publicInputs: readonly bigint[] }[],
): Promise<boolean> {
  if (items.length === 0) throw new ProofFormatError("a batch needs at least one proof");
  const curve = await getEngine();
  const digest = verificationKeyDigest(vk);
  const accumulators: Accumulator[] = [];
  for (const item of items) {
    const acc = await accumulateProof(vk, item.proof, item.publicInputs, digest);
    if (!acc) return false;
    accumulators.push(acc);
  }
  const t = new Transcript(BATCH_PROTOCOL);
  t.absorbBytes("vk", digest);
  t.absorbG1Lem("accumulators", g1Concat(accumulators.flatMap((a) => [a.a, a.b])));
  const r = t.challenge("fold");
  return decide(curve, { g2One: vk.g2One, g2Tau: vk.g2Tau }, await foldAccumulators(curve, accumulators, r));
}

