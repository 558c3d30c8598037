// Reads one model version (verifier, pinned code hash, key digest, dev-SRS flag, first block);
// versions never change once added.
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { checkUint32 } from "../internal/validate.js";
import { versionFromAbi, type ModelVersion } from "../records.js";

export interface GetModelVersionParameters {
  version: number;
}

export type GetModelVersionReturnType = ModelVersion;

export async function getModelVersion(client: ZkinferClientBase, { version }: GetModelVersionParameters): Promise<GetModelVersionReturnType> {
  return versionFromAbi(version, await readRegistry(client, "getVersion", [checkUint32("version", version)]));
}
