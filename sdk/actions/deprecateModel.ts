// Deprecates a model for good (owner only): it takes no new records; its records stay readable.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { writeRegistry } from "../internal/registry.js";

export interface DeprecateModelParameters {
  modelId: Hex;
}

export interface DeprecateModelReturnType {
  hash: Hex;
  gasUsed: bigint;
}

export async function deprecateModel(client: ZkinferClientBase, { modelId }: DeprecateModelParameters): Promise<DeprecateModelReturnType> {
  const { hash, gasUsed } = await writeRegistry(client, "deprecateModel", [modelId]);
  return { hash, gasUsed };
}
