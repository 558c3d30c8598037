// Registers a model owned by the client's account, with `verifier` as its version 1. The verifier
// is probed first (probeVerifier): one that accepts a proof nobody made is refused before anything
// is sent (AcceptingVerifierError). The registry reads the model's public-input layout from the
// verifier (the layout its key binds), so the caller supplies none.
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { registryEvents, writeRegistry } from "../internal/registry.js";
import { beforeSending } from "../internal/send.js";
import { checkAddress, checkBytes32 } from "../internal/validate.js";
import { probeVerifier } from "../verifier-probe.js";

export interface RegisterModelParameters {
  /** keccak256 of the verification key's canonical bytes (vk.json "digest"). */
  vkDigest: Hex;
  verifier: Address;
  metadataURI?: string;
}

export interface RegisterModelReturnType {
  modelId: Hex;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
}

export async function registerModel(client: ZkinferClientBase, params: RegisterModelParameters): Promise<RegisterModelReturnType> {
  const { metadataURI = "" } = params;
  const vkDigest = checkBytes32("vkDigest", params.vkDigest);
  const verifier = checkAddress("verifier", params.verifier);
  // A read before anything is sent: its transport failure is TransactionNotSentError, as the simulation's.
  await beforeSending({ operation: "registerModel" }, () => probeVerifier(client, verifier));
  const outcome = await writeRegistry(client, "registerModel", [vkDigest, verifier, metadataURI]);
  const event = registryEvents(client, outcome.logs).find((e) => e.eventName === "ModelRegistered");
  const modelId = event && event.eventName === "ModelRegistered" ? event.args.modelId : outcome.result;
  return { modelId, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber };
}
