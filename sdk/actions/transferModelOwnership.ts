// Proposes a new owner for a model (owner only); the model changes hands when the proposed account
// calls acceptModelOwnership. Proposing the zero address cancels a proposal.
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";

export interface TransferModelOwnershipParameters {
  modelId: Hex;
  newOwner: Address;
}

export interface TransferModelOwnershipReturnType {
  hash: Hex;
  gasUsed: bigint;
}

export async function transferModelOwnership(client: ZkinferClientBase, { modelId, newOwner }: TransferModelOwnershipParameters): Promise<TransferModelOwnershipReturnType> {
  const { hash, gasUsed } = await writeRegistry(client, "transferModelOwnership", [modelId, newOwner]);
  return { hash, gasUsed };
}
