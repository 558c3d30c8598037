// Submits one proof: the registry verifies it with the model's verifier and, if it holds,
// records it. Simulated first, so an invalid proof costs nothing and comes back as
// InvalidProofError (UnknownModelError, DeprecatedModelError, RecordExistsError, …).
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { registryEvents, writeRegistry } from "../internal/registry.js";
import { checkBytes32, checkUint256 } from "../internal/validate.js";
import { normalizeProof, type ProofInput } from "../proof-input.js";
import { randomNonce, ZERO_HASH } from "../records.js";

export interface SubmitInferenceParameters {
  modelId: Hex;
  proof: ProofInput;
  /** 32 bytes the record keeps, e.g. an off-chain request id (default zero). */
  reference?: Hex;
  /** Picks the record id with the model, public inputs and submitter (default random). */
  nonce?: bigint;
}

export interface SubmitInferenceReturnType {
  recordId: Hex;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
  nonce: bigint;
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
  const outcome = await writeRegistry(client, "submitInference", [modelId, proof, publicInputs, reference, nonce]);
  const event = registryEvents(client, outcome.logs).find((e) => e.eventName === "InferenceRecorded");
  const recordId = event && event.eventName === "InferenceRecorded" ? event.args.recordId : outcome.result;
  return { recordId, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber, nonce };
}
