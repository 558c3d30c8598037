// A submitter's latest record of a model for one input hash (see inputHashOf; zero for a private
// input), or undefined if none. Other submitters' records never change what it returns.
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { ZERO_HASH, type InferenceRecord } from "../records.js";
import { getRecord } from "./getRecord.js";

export interface GetLatestRecordParameters {
  modelId: Hex;
  submitter: Address;
  inputHash: Hex;
}

export type GetLatestRecordReturnType = InferenceRecord | undefined;

export async function getLatestRecord(client: ZkinferClientBase, { modelId, submitter, inputHash }: GetLatestRecordParameters): Promise<GetLatestRecordReturnType> {
  const id = await readRegistry(client, "latestRecordId", [modelId, submitter, inputHash]);
  return id === ZERO_HASH ? undefined : getRecord(client, { recordId: id });
}
