// Submits a batch of proofs of one model in one transaction: the verifier decides them all with
// one pairing, and either every proof is recorded or none is.
import type { Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";
import { checkArray, checkBytes32 } from "../internal/validate.js";
import { normalizeProof, type ProofInput } from "../proof-input.js";
import { checkNonce, checkReference } from "./submitInference.js";

export interface SubmitInferencesParameters {
  modelId: Hex;
  proofs: readonly ProofInput[];
  /** One per proof (default zero). */
  references?: readonly Hex[];
  /** One per proof (default random). */
  nonces?: readonly bigint[];
}

export interface SubmitInferencesReturnType {
  recordIds: Hex[];
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
  nonces: bigint[];
}

export async function submitInferences(client: ZkinferClientBase, params: SubmitInferencesParameters): Promise<SubmitInferencesReturnType> {
  const modelId = checkBytes32("modelId", params.modelId);
  const n = checkArray("proofs", params.proofs).length;
  if (n === 0) throw new InvalidArgumentError("submitInferences needs at least one proof");
  if (params.references !== undefined && checkArray("references", params.references).length !== n) throw new InvalidArgumentError(`${params.references.length} references for ${n} proofs`);
  if (params.nonces !== undefined && checkArray("nonces", params.nonces).length !== n) throw new InvalidArgumentError(`${params.nonces.length} nonces for ${n} proofs`);
  const proofs = params.proofs.map((p, i) => normalizeProof(p, `proofs[${i}]`));
  const references = proofs.map((_, i) => checkReference(params.references?.[i], `references[${i}]`));
  const nonces = proofs.map((_, i) => checkNonce(params.nonces?.[i], `nonces[${i}]`));
  const outcome = await writeRegistry(client, "submitInferences", [
    modelId,
    proofs.map((p) => p.proof),
    proofs.map((p) => p.publicInputs),
    references,
    nonces,
  ]);
  return { recordIds: [...outcome.result], hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber, nonces };
}
