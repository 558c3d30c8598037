// Reads one audit record: the stored part (version, submitter, time, hashes) and its
// InferenceRecorded event (input hash, outputs, reference, nonce, block); UnknownRecordError if
// there is none with this id.
import type { Hex } from "viem";
import { ZkinferError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { recordLogs, recordsOfLogs, versionReader } from "../internal/record-logs.js";
import { readRegistry } from "../internal/registry.js";
import type { InferenceRecord } from "../records.js";

export interface GetRecordParameters {
  recordId: Hex;
  /** First block to search for the record's event (default: the first block of its model version). */
  fromBlock?: bigint;
}

export type GetRecordReturnType = InferenceRecord;

export async function getRecord(client: ZkinferClientBase, { recordId, fromBlock }: GetRecordParameters): Promise<GetRecordReturnType> {
  const stored = await readRegistry(client, "getRecord", [recordId]);
  const version = versionReader(client);
  const from = fromBlock ?? (await version(stored.version)).firstBlock;
  const to = await client.backend.blockNumber();
  const logs = await recordLogs(client, "getRecord", { recordId, modelId: stored.modelId, fromBlock: from, toBlock: to });
  if (logs.length === 0) throw new ZkinferError(`record ${recordId} is stored, but this node returns no InferenceRecorded event for it in blocks ${from}…${to} (a node without old logs?)`);
  const [record] = await recordsOfLogs(client, logs.slice(0, 1), version);
  return record;
}
