// Registers a model owned by the client's account.
import type { Address, Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { registryEvents, writeRegistry } from "../internal/registry.js";
import type { PublicInputLayout } from "../records.js";

export interface RegisterModelParameters {
  /** keccak256 of the verification key's canonical bytes (vk.json "digest"). */
  vkDigest: Hex;
  verifier: Address;
  layout: PublicInputLayout;
  metadataURI?: string;
}

export interface RegisterModelReturnType {
  modelId: Hex;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
}

export async function registerModel(client: ZkinferClientBase, params: RegisterModelParameters): Promise<RegisterModelReturnType> {
  const { vkDigest, verifier, layout, metadataURI = "" } = params;
  if (!/^0x[0-9a-fA-F]{64}$/.test(vkDigest)) throw new InvalidArgumentError(`vkDigest must be 32 bytes of hex, got ${vkDigest}`);
  if (typeof layout !== "object" || layout === null) throw new InvalidArgumentError(`layout must be a PublicInputLayout object, got ${String(layout)}`);
  for (const key of ["count", "inputOffset", "inputCount", "outputOffset", "outputCount"] as const) {
    const v = layout[key];
    if (!Number.isSafeInteger(v) || v < 0 || v >= 2 ** 32) throw new InvalidArgumentError(`layout.${key} must be an integer in 0…2^32−1, got ${v}`);
  }
  const outcome = await writeRegistry(client, "registerModel", [vkDigest, verifier, layout, metadataURI]);
  const event = registryEvents(client, outcome.logs).find((e) => e.eventName === "ModelRegistered");
  const modelId = event && event.eventName === "ModelRegistered" ? event.args.modelId : outcome.result;
  return { modelId, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber };
}
