// Reads one audit record: its InferenceRecorded event (every word of the record, and the block the
// node places it in), checked against the one word the registry stores for it, its record hash;
// UnknownRecordError if there is none with this id.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRecord } from "../internal/record-logs.js";
import { checkUint256 } from "../internal/validate.js";
import type { InferenceRecord } from "../records.js";

export interface GetRecordParameters {
  recordId: Hex;
  /** First block to search for the record's event (default: the first block; the registry stores nothing that says which). */
  fromBlock?: bigint;
}

export type GetRecordReturnType = InferenceRecord;

export async function getRecord(client: ZkinferClientBase, { recordId, fromBlock }: GetRecordParameters): Promise<GetRecordReturnType> {
  return readRecord(client, recordId, fromBlock === undefined ? undefined : checkUint256("fromBlock", fromBlock));
}
