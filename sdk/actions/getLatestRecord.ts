// The latest record of a model for one input hash (see inputHashOf), or undefined if none.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { ZERO_HASH, type InferenceRecord } from "../records.js";
import { getRecord } from "./getRecord.js";

export interface GetLatestRecordParameters {
  modelId: Hex;
  inputHash: Hex;
}

export type GetLatestRecordReturnType = InferenceRecord | undefined;

export async function getLatestRecord(client: ZkinferClientBase, { modelId, inputHash }: GetLatestRecordParameters): Promise<GetLatestRecordReturnType> {
  const id = await readRegistry(client, "latestRecordId", [modelId, inputHash]);
  return id === ZERO_HASH ? undefined : getRecord(client, { recordId: id });
}
