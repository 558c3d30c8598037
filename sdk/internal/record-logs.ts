// InferenceRecorded logs: the filter for a model and/or submitter, and decoding into records.
import { decodeEventLog, encodeEventTopics, type Address, type Hex } from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import type { InferenceRecord } from "../records.js";
import type { RawLog } from "./backend.js";
import { registryOf, type ZkinferClientBase } from "./client.js";
import { readRegistry } from "./registry.js";
import { encodeArguments } from "./validate.js";
import { recordFromAbi } from "../records.js";

/** A record as listed or watched: the stored record plus what only its event says. */
export interface RecordedInference extends InferenceRecord {
  nonce: bigint;
  transactionHash: Hex;
  logIndex: number;
}

export async function recordLogs(
  client: ZkinferClientBase,
  what: string,
  filter: { modelId?: Hex; submitter?: Address; fromBlock: bigint; toBlock: bigint },
): Promise<RawLog[]> {
  const topics = encodeArguments(what, () =>
    encodeEventTopics({
      abi: inferenceRegistryAbi,
      eventName: "InferenceRecorded",
      args: { modelId: filter.modelId ?? null, submitter: filter.submitter ?? null },
    }),
  );
  const logs = await client.backend.getLogs({ address: registryOf(client, what), topics, fromBlock: filter.fromBlock, toBlock: filter.toBlock });
  return logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** Reads the record of each log (events say which, reads say what is stored now). */
export async function recordsOfLogs(client: ZkinferClientBase, logs: readonly RawLog[]): Promise<RecordedInference[]> {
  return Promise.all(
    logs.map(async (log) => {
      const { args } = decodeEventLog({ abi: inferenceRegistryAbi, eventName: "InferenceRecorded", topics: log.topics as [Hex, ...Hex[]], data: log.data });
      const stored = recordFromAbi(args.recordId, await readRegistry(client, "getRecord", [args.recordId]));
      return { ...stored, nonce: args.nonce, transactionHash: log.transactionHash, logIndex: log.logIndex };
    }),
  );
}
