// Submits one proof: the registry verifies it with the model's verifier and, if it holds,
// records it. Simulated first, so an invalid proof costs nothing and comes back as
// InvalidProofError (UnknownModelError, DeprecatedModelError, RecordExistsError, …).
import type { Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { registryEvents, writeRegistry } from "../internal/registry.js";
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

export function checkReference(reference: Hex | undefined): Hex {
  if (reference === undefined) return ZERO_HASH;
  if (!/^0x[0-9a-fA-F]{64}$/.test(reference)) throw new InvalidArgumentError(`reference must be 32 bytes of hex, got ${reference}`);
  return reference;
}

export function checkNonce(nonce: bigint | undefined): bigint {
  if (nonce === undefined) return randomNonce();
  if (nonce < 0n || nonce >= 1n << 256n) throw new InvalidArgumentError("nonce must be a uint256");
  return nonce;
}

export async function submitInference(client: ZkinferClientBase, params: SubmitInferenceParameters): Promise<SubmitInferenceReturnType> {
  const { proof, publicInputs } = normalizeProof(params.proof);
  const reference = checkReference(params.reference);
  const nonce = checkNonce(params.nonce);
  const outcome = await writeRegistry(client, "submitInference", [params.modelId, proof, publicInputs, reference, nonce]);
  const event = registryEvents(client, outcome.logs).find((e) => e.eventName === "InferenceRecorded");
  const recordId = event && event.eventName === "InferenceRecorded" ? event.args.recordId : outcome.result;
  return { recordId, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber, nonce };
}
