// Owner-only updates of a model: its metadata URI and/or its verifier (another verifier of the
// same verification key). Each change is its own transaction and event.
import type { Address, Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";

export interface UpdateModelParameters {
  modelId: Hex;
  metadataURI?: string;
  verifier?: Address;
}

export interface UpdateModelReturnType {
  hashes: Hex[];
  gasUsed: bigint;
}

export async function updateModel(client: ZkinferClientBase, { modelId, metadataURI, verifier }: UpdateModelParameters): Promise<UpdateModelReturnType> {
  if (metadataURI === undefined && verifier === undefined) throw new InvalidArgumentError("updateModel needs a metadataURI or a verifier to change");
  const outcomes = [];
  if (metadataURI !== undefined) outcomes.push(await writeRegistry(client, "setMetadataURI", [modelId, metadataURI]));
  if (verifier !== undefined) outcomes.push(await writeRegistry(client, "setVerifier", [modelId, verifier]));
  return { hashes: outcomes.map((o) => o.hash), gasUsed: outcomes.reduce((s, o) => s + o.gasUsed, 0n) };
}
