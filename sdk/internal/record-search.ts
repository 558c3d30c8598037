// Records picked out of the registry's events: the registry keeps no index of records by input or
// claim, since such an index would cost a fresh storage slot per record. The logs of a model (and
// submitter) are searched in block ranges; only those whose own words could match are checked
// against storage (recordsOfLogs: every word of a record returned is the registry's), so a search
// costs one read per candidate, not per record of the model. That no log was left out is the
// node's word, as for listRecords (auditRecords is the count-checked path).
import type { Address, Hex } from "viem";
import { getModel } from "../actions/getModel.js";
import type { InferenceRecord } from "../records.js";
import type { ZkinferClientBase } from "./client.js";
import { decodeRecordLog, expectRecordOrder, recordLogs, recordsOfLogs, repeatedRecordLog, versionReader } from "./record-logs.js";

/** Blocks per eth_getLogs request, as listRecords' default. */
const BLOCK_RANGE = 10_000n;

export interface RecordSearch {
  modelId: Hex;
  submitter?: Address;
  /** First block to search (default: the model's registration block). */
  fromBlock?: bigint;
}

/**
 * The records of the model (and submitter) whose logs `candidate` picks by their own words and
 * that `keep` accepts once checked, each model's in seq order. With `firstOnly`, candidates are
 * checked one at a time in the node's (seq) order and the search ends at the first kept: anyone may
 * record a published claim again, and such later copies must not each cost a read.
 */
export async function findRecords(
  client: ZkinferClientBase,
  what: string,
  search: RecordSearch,
  candidate: (words: ReturnType<typeof decodeRecordLog>) => boolean,
  keep: (r: InferenceRecord) => boolean,
  firstOnly = false,
): Promise<InferenceRecord[]> {
  const asked = { modelId: search.modelId, submitter: search.submitter };
  const to = await client.backend.blockNumber();
  const version = versionReader(client);
  const seen = new Set<string>();
  const last = new Map<string, InferenceRecord>();
  const found: InferenceRecord[] = [];
  for (let from = search.fromBlock ?? (await getModel(client, { modelId: search.modelId })).registeredAtBlock; from <= to; from += BLOCK_RANGE) {
    const end = from + BLOCK_RANGE - 1n < to ? from + BLOCK_RANGE - 1n : to;
    const picked = [];
    for (const log of await recordLogs(client, what, { ...asked, fromBlock: from, toBlock: end })) {
      const words = decodeRecordLog(log);
      if (!candidate(words)) continue;
      // A node repeating one log across ranges is refused, as in auditRecords.
      const id = words.recordId.toLowerCase();
      if (seen.has(id)) throw repeatedRecordLog(words.recordId);
      seen.add(id);
      picked.push(log);
    }
    for (const batch of firstOnly ? picked.map((log) => [log]) : [picked]) {
      const records = await recordsOfLogs(client, batch, asked, version);
      expectRecordOrder(records, last);
      found.push(...records.filter(keep));
      if (firstOnly && found.length > 0) return found;
    }
  }
  return found;
}
