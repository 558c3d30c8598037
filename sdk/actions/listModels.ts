// Model ids in registration order, a page at a time.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";

export interface ListModelsParameters {
  offset?: number;
  /** Page size (default 100). */
  limit?: number;
}

export interface ListModelsReturnType {
  modelIds: Hex[];
  total: number;
  /** Offset of the next page, or undefined after the last. */
  nextOffset: number | undefined;
}

export async function listModels(client: ZkinferClientBase, { offset = 0, limit = 100 }: ListModelsParameters = {}): Promise<ListModelsReturnType> {
  const [total, ids] = await Promise.all([readRegistry(client, "modelCount", []), readRegistry(client, "listModels", [BigInt(offset), BigInt(limit)])]);
  const next = offset + ids.length;
  return { modelIds: [...ids], total: Number(total), nextOffset: next < Number(total) && ids.length > 0 ? next : undefined };
}
