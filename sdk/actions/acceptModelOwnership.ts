// Takes over a model whose owner proposed the client's account (transferModelOwnership).
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";

export interface AcceptModelOwnershipParameters {
  modelId: Hex;
}

export interface AcceptModelOwnershipReturnType {
  hash: Hex;
  gasUsed: bigint;
}

export async function acceptModelOwnership(client: ZkinferClientBase, { modelId }: AcceptModelOwnershipParameters): Promise<AcceptModelOwnershipReturnType> {
  const { hash, gasUsed } = await writeRegistry(client, "acceptModelOwnership", [modelId]);
  return { hash, gasUsed };
}
