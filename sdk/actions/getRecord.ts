// Reads one audit record; UnknownRecordError if there is none with this id.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRegistry } from "../internal/registry.js";
import { recordFromAbi, type InferenceRecord } from "../records.js";

export interface GetRecordParameters {
  recordId: Hex;
}

export type GetRecordReturnType = InferenceRecord;

export async function getRecord(client: ZkinferClientBase, { recordId }: GetRecordParameters): Promise<GetRecordReturnType> {
  return recordFromAbi(recordId, await readRegistry(client, "getRecord", [recordId]));
}
