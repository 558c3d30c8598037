// Owner-only updates of a model: its metadata URI and/or its verifier (another verifier of the
// same verification key, probed like registerModel's). Each change is its own transaction and
// event; a new verifier is a new model version, which checks submissions from the next block on.
import type { Address, Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";
import { beforeSending } from "../internal/send.js";
import { checkAddress, checkBytes32 } from "../internal/validate.js";
import { probeVerifier } from "../verifier-probe.js";

export interface UpdateModelParameters {
  modelId: Hex;
  metadataURI?: string;
  verifier?: Address;
}

export interface UpdateModelReturnType {
  hashes: Hex[];
  gasUsed: bigint;
  /** The new version's id, when the verifier changed. */
  version?: number;
}

export async function updateModel(client: ZkinferClientBase, params: UpdateModelParameters): Promise<UpdateModelReturnType> {
  const { metadataURI } = params;
  const modelId = checkBytes32("modelId", params.modelId);
  const verifier = params.verifier === undefined ? undefined : checkAddress("verifier", params.verifier);
  if (metadataURI === undefined && verifier === undefined) throw new InvalidArgumentError("updateModel needs a metadataURI or a verifier to change");
  if (verifier !== undefined) await beforeSending({ operation: "setVerifier" }, () => probeVerifier(client, verifier));
  const outcomes = [];
  if (metadataURI !== undefined) outcomes.push(await writeRegistry(client, "setMetadataURI", [modelId, metadataURI]));
  let version: number | undefined;
  if (verifier !== undefined) {
    const changed = await writeRegistry(client, "setVerifier", [modelId, verifier]);
    version = changed.result;
    outcomes.push(changed);
  }
  return { hashes: outcomes.map((o) => o.hash), gasUsed: outcomes.reduce((s, o) => s + o.gasUsed, 0n), version };
}
