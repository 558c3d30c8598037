// Reads one audit record: the stored part (version, submitter, time, hashes) and its
// InferenceRecorded event (input hash, outputs, reference, nonce, block); UnknownRecordError if
// there is none with this id.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { readRecord } from "../internal/record-logs.js";
import { checkUint256 } from "../internal/validate.js";
import type { InferenceRecord } from "../records.js";

export interface GetRecordParameters {
  recordId: Hex;
  /** First block to search for the record's event (default: the first block of its model version). */
  fromBlock?: bigint;
}

export type GetRecordReturnType = InferenceRecord;

export async function getRecord(client: ZkinferClientBase, { recordId, fromBlock }: GetRecordParameters): Promise<GetRecordReturnType> {
  return readRecord(client, recordId, fromBlock === undefined ? undefined : checkUint256("fromBlock", fromBlock));
}
