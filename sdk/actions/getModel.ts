// Reads a registered model; UnknownModelError if there is none with this id. Whether its key's layout
// declares anything is recognised by the digest of the layout that declares nothing.
import { bytesToHex, type Hex } from "viem";
import { plainPublicInputLayout, publicInputLayoutDigest } from "../../verifier/plonkish/index.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { layoutFromAbi, type ModelInfo } from "../records.js";

export interface GetModelParameters {
  modelId: Hex;
}

export type GetModelReturnType = ModelInfo;

/** The digest of the layout that declares nothing about `count` public inputs (setup's default). */
function plainLayoutDigest(count: number): Hex {
  return bytesToHex(publicInputLayoutDigest(plainPublicInputLayout(count)));
}

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
    publicInputsDeclared: m.layoutDigest.toLowerCase() !== plainLayoutDigest(m.publicInputLayout.count),
    metadataURI: m.metadataURI,
    currentVersion: m.currentVersion,
    versions: [...m.versions],
  };
}
