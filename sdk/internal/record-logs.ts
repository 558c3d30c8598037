// InferenceRecorded logs: the filter for a model, submitter or record, and decoding into records
// (what the event says, the stored timestamp, and the dev-SRS flag of the version that checked it).
// Each log must come from the registry and agree with the record the registry stores and with its
// version, or it is refused with RecordLogMismatchError. The registry stores no input hash and no
// reference, so those two fields are the node's word (docs/protocol.md §10.3).
import { decodeEventLog, encodeEventTopics, type Address, type Hex } from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import { RecordLogMismatchError, UnknownRecordError, ZkinferError } from "../errors.js";
import { hashWords, recordIdOfDigest, versionFromAbi, ZERO_HASH, type InferenceRecord, type ModelVersion } from "../records.js";
import type { RawLog } from "./backend.js";
import { registryOf, type ZkinferClientBase } from "./client.js";
import { readRegistry } from "./registry.js";
import { encodeArguments } from "./validate.js";

export async function recordLogs(
  client: ZkinferClientBase,
  what: string,
  filter: { modelId?: Hex; submitter?: Address; recordId?: Hex; fromBlock: bigint; toBlock: bigint },
): Promise<RawLog[]> {
  const topics = encodeArguments(what, () =>
    encodeEventTopics({
      abi: inferenceRegistryAbi,
      eventName: "InferenceRecorded",
      args: { recordId: filter.recordId ?? null, modelId: filter.modelId ?? null, submitter: filter.submitter ?? null },
    }),
  );
  const logs = await client.backend.getLogs({ address: registryOf(client, what), topics, fromBlock: filter.fromBlock, toBlock: filter.toBlock });
  return logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** Reads versions once each for a batch of records. */
export function versionReader(client: ZkinferClientBase): (version: number) => Promise<ModelVersion> {
  const cache = new Map<number, Promise<ModelVersion>>();
  return (version) => {
    let found = cache.get(version);
    if (!found) {
      found = readRegistry(client, "getVersion", [version]).then((v) => versionFromAbi(version, v));
      cache.set(version, found);
    }
    return found;
  };
}

/** The records of InferenceRecorded logs, each completed with its stored timestamp and its version's dev-SRS flag. */
export async function recordsOfLogs(client: ZkinferClientBase, logs: readonly RawLog[], version = versionReader(client)): Promise<InferenceRecord[]> {
  const registry = registryOf(client, "reading records");
  return Promise.all(
    logs.map(async (log) => {
      const { args } = decodeEventLog({ abi: inferenceRegistryAbi, eventName: "InferenceRecorded", topics: log.topics as [Hex, ...Hex[]], data: log.data });
      const agree = (field: string, logged: string, expected: string): void => {
        if (logged.toLowerCase() !== expected.toLowerCase()) throw new RecordLogMismatchError(args.recordId, field, logged, expected);
      };
      agree("address", log.address, registry);
      const stored = await readRegistry(client, "getRecord", [args.recordId]).catch((err: unknown) => {
        throw err instanceof UnknownRecordError ? new RecordLogMismatchError(args.recordId, "recordId", args.recordId, "no such record") : err;
      });
      agree("modelId", args.modelId, stored.modelId);
      agree("version", String(args.version), String(stored.version));
      agree("submitter", args.submitter, stored.submitter);
      agree("publicInputDigest", args.publicInputDigest, stored.publicInputDigest);
      agree("outputHash", args.outputHash, stored.outputHash);
      agree("outputs", hashWords(args.outputs), stored.outputHash);
      // The id hashes the nonce with the stored model, digest and submitter: a rewritten nonce shows.
      agree("nonce", recordIdOfDigest({ ...stored, nonce: args.nonce }), args.recordId);
      const v = await version(stored.version);
      agree("verifier", args.verifier, v.verifier);
      agree("codeHash", args.codeHash, v.codeHash);
      return {
        id: args.recordId,
        modelId: args.modelId,
        version: args.version,
        verifier: args.verifier,
        codeHash: args.codeHash,
        insecureDevSrs: v.insecureDevSrs,
        publicInputDigest: args.publicInputDigest,
        inputHash: args.inputHash,
        inputIsPrivate: args.inputHash === ZERO_HASH,
        outputHash: args.outputHash,
        outputs: [...args.outputs],
        reference: args.ref,
        submitter: args.submitter,
        nonce: args.nonce,
        blockNumber: log.blockNumber,
        timestamp: BigInt(stored.timestamp),
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    }),
  );
}

/**
 * One record: the stored part (UnknownRecordError if there is none) and its InferenceRecorded event,
 * searched from `fromBlock` (default: the first block of the version that checked it).
 */
export async function readRecord(client: ZkinferClientBase, recordId: Hex, fromBlock?: bigint): Promise<InferenceRecord> {
  const stored = await readRegistry(client, "getRecord", [recordId]);
  const version = versionReader(client);
  const from = fromBlock ?? (await version(stored.version)).firstBlock;
  const to = await client.backend.blockNumber();
  const logs = await recordLogs(client, "getRecord", { recordId, modelId: stored.modelId, fromBlock: from, toBlock: to });
  if (logs.length === 0) throw new ZkinferError(`record ${recordId} is stored, but this node returns no InferenceRecorded event for it in blocks ${from}…${to} (a node without old logs?)`);
  const [record] = await recordsOfLogs(client, logs.slice(0, 1), version);
  return record;
}
