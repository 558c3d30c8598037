// Submits one proof: the registry verifies it with the model's verifier and, if it holds,
// records it. Simulated first, so an invalid proof costs nothing and comes back as
// InvalidProofError (UnknownModelError, DeprecatedModelError, …). The record id is known before
// sending, so a resend with the same nonce returns the record the first send made, and a failed
// send is a TransactionError that says whether it was broadcast, with its hash and nonces.
import type { Hex } from "viem";
import { RecordExistsError } from "../errors.js";
import type { TxOutcome } from "../internal/backend.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";
import { beforeSending } from "../internal/send.js";
import { recordedBefore } from "../internal/submissions.js";
import { checkBytes32, checkUint256 } from "../internal/validate.js";
import { normalizeProof, type ProofInput } from "../proof-input.js";
import { computeRecordId, randomNonce, ZERO_HASH } from "../records.js";

export interface SubmitInferenceParameters {
  modelId: Hex;
  proof: ProofInput;
  /** 32 bytes the record keeps, e.g. an off-chain request id (default zero). */
  reference?: Hex;
  /**
   * Picks the record id with the model, public inputs and submitter (default random). Pass one
   * (e.g. derived from your request id) to make a resend safe: the same nonce never records twice.
   */
  nonce?: bigint;
}

export interface SubmitInferenceReturnType {
  recordId: Hex;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
  nonce: bigint;
  /** True if the record existed before this call (a resend): hash, gasUsed and blockNumber are those of the transaction that made it. */
  alreadyRecorded: boolean;
}

export function checkReference(reference: Hex | undefined, what = "reference"): Hex {
  return reference === undefined ? ZERO_HASH : checkBytes32(what, reference);
}

export function checkNonce(nonce: bigint | undefined, what = "nonce"): bigint {
  return nonce === undefined ? randomNonce() : checkUint256(what, nonce);
}

export async function submitInference(client: ZkinferClientBase, params: SubmitInferenceParameters): Promise<SubmitInferenceReturnType> {
  const modelId = checkBytes32("modelId", params.modelId);
  const { proof, publicInputs } = normalizeProof(params.proof);
  const reference = checkReference(params.reference);
  const nonce = checkNonce(params.nonce);
  const submitter = await beforeSending({ operation: "submitInference", nonces: [nonce] }, () => client.backend.account("submitInference"));
  const recordId = computeRecordId({ modelId, publicInputs, submitter, nonce });
  const made = (): Promise<TxOutcome | undefined> => recordedBefore(client, recordId, reference);
  const result = (o: TxOutcome, alreadyRecorded: boolean): SubmitInferenceReturnType => ({ recordId, hash: o.hash, gasUsed: o.gasUsed, blockNumber: o.blockNumber, nonce, alreadyRecorded });

  const before = await beforeSending({ operation: "submitInference", recordIds: [recordId], nonces: [nonce] }, made);
  if (before) return result(before, true);
  try {
    return result(await writeRegistry(client, "submitInference", [modelId, proof, publicInputs, reference, nonce], { recordIds: [recordId], nonces: [nonce], findOutcome: made }), false);
  } catch (err) {
    // Recorded between the look-up and the simulation: by a concurrent resend, or another reference.
    const raced = err instanceof RecordExistsError && err.recordId === recordId ? await beforeSending({ operation: "submitInference", recordIds: [recordId], nonces: [nonce] }, made) : undefined;
    if (raced) return result(raced, true);
    throw err;
  }
}
