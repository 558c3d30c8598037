// Reads a registered model; UnknownModelError if there is none with this id.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { layoutFromAbi, type ModelInfo } from "../records.js";

export interface GetModelParameters {
  modelId: Hex;
}

export type GetModelReturnType = ModelInfo;

export async function getModel(client: ZkinferClientBase, { modelId }: GetModelParameters): Promise<GetModelReturnType> {
  const m = await readRegistry(client, "getModel", [modelId]);
  return {
    id: modelId,
    owner: m.owner,
    pendingOwner: m.pendingOwner,
    deprecated: m.deprecated,
    registeredAtBlock: BigInt(m.registeredAtBlock),
    vkDigest: m.vkDigest,
    layout: layoutFromAbi(m.publicInputLayout),
    layoutDigest: m.layoutDigest,
    metadataURI: m.metadataURI,
    currentVersion: m.currentVersion,
    versions: [...m.versions],
  };
}
