// Deploys a new InferenceRegistry from the client's wallet.
import type { Address, Hex } from "viem";
import { inferenceRegistryBytecode } from "../abi/inference-registry.js";
import { RegistryError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";

export type DeployRegistryParameters = Record<string, never>;

export interface DeployRegistryReturnType {
  address: Address;
  hash: Hex;
  gasUsed: bigint;
  blockNumber: bigint;
}

export async function deployRegistry(client: ZkinferClientBase, _params: DeployRegistryParameters = {}): Promise<DeployRegistryReturnType> {
  await client.backend.account("deployRegistry");
  const outcome = await client.backend.send({ data: inferenceRegistryBytecode }, { operation: "deployRegistry" });
  if (!outcome.success || !outcome.contractAddress) throw new RegistryError("DeploymentFailed", [outcome.hash]);
  return { address: outcome.contractAddress, hash: outcome.hash, gasUsed: outcome.gasUsed, blockNumber: outcome.blockNumber };
}
