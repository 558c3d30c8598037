// InferenceRecorded logs: the filter for a model, submitter or record, and decoding into records
// (what the event says, the stored timestamp, and the dev-SRS flag of the version that checked it).
// Each log must come from the registry and agree with the record the registry stores and with its
// version, or it is refused with RecordLogMismatchError: the record id binds the model, digest,
// submitter and nonce, the stored entry hash binds digest, input hash, output hash, reference, nonce
// and seq (the record's position among its model's records), the output hash binds the outputs, and
// the version binds verifier and code hash, so no word shown is the node's alone (docs/protocol.md
// §10.3). A listing must also keep each model's records in seq order.
import { decodeEventLog, encodeEventTopics, type Address, type Hex } from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import { getModel } from "../actions/getModel.js";
import { RecordLogMismatchError, UnaskedRecordLogError, UndecodableRecordLogError, UnknownRecordError, ZkinferError } from "../errors.js";
import { entryHashOf, hashWords, recordIdOfDigest, versionFromAbi, ZERO_HASH, type InferenceRecord, type ModelVersion } from "../records.js";
import type { RawLog } from "./backend.js";
import { registryOf, type ZkinferClientBase } from "./client.js";
import { readRegistry } from "./registry.js";
import { encodeArguments } from "./validate.js";

/**
 * What a log query asks for. The node filters by it, and recordsOfLogs refuses a log that is not an
 * answer (a genuine record of another id, model or submitter), so both take the same object.
 */
export interface RecordQuery {
  recordId?: Hex;
  modelId?: Hex;
  submitter?: Address;
}

export async function recordLogs(client: ZkinferClientBase, what: string, filter: RecordQuery & { fromBlock: bigint; toBlock: bigint }): Promise<RawLog[]> {
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

/** Whether a model's key declares what its public inputs mean, read once per model. */
function declaredReader(client: ZkinferClientBase): (modelId: Hex) => Promise<boolean> {
  const cache = new Map<string, Promise<boolean>>();
  return (modelId) => {
    let found = cache.get(modelId.toLowerCase());
    if (!found) {
      found = getModel(client, { modelId }).then((m) => m.publicInputsDeclared);
      cache.set(modelId.toLowerCase(), found);
    }
    return found;
  };
}

function decodeRecordLog(log: RawLog) {
  let args;
  try {
    args = decodeEventLog({ abi: inferenceRegistryAbi, eventName: "InferenceRecorded", topics: log.topics as [Hex, ...Hex[]], data: log.data }).args;
  } catch (err) {
    throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, (err as Error).message.split("\n")[0]);
  }
  // viem reads a uint64 word whole, high bytes and all; the registry never emits such a word, and
  // entryHashOf could not encode it (a raw viem error instead of the node's lie).
  if (args.seq >= 1n << 64n) throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, `seq ${args.seq} does not fit in a uint64`);
  return args;
}

/** One record in two logs: a node repeating a log (to make up for a hidden one, or to page forever). */
export function repeatedRecordLog(recordId: Hex): RecordLogMismatchError {
  return new RecordLogMismatchError(recordId, "recordId", "in two logs", "one InferenceRecorded event per record");
}

/**
 * Refuses a listing whose order (the node's blocks and log indices) is not the order the registry
 * made the records in: a model's records must come in strictly increasing seq (their positions,
 * bound to storage by the entry hash), in one block as across blocks, and no record may come after
 * one whose stored time is later (block timestamps never decrease along the chain). Records of
 * different models made in one block have no stored order between them: there the node's order stands.
 * `last` holds each model's (lower-case id) last record already accepted, as across the pages of an
 * audit or the polls of a watch, and is updated.
 */
export function expectRecordOrder(records: readonly InferenceRecord[], last = new Map<string, InferenceRecord>()): void {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (i > 0 && r.timestamp < records[i - 1].timestamp) {
      const before = records[i - 1];
      throw new RecordLogMismatchError(r.id, "place among the logs", `after record ${before.id} (made at ${before.timestamp})`, `made at ${r.timestamp}, earlier`);
    }
    const model = r.modelId.toLowerCase();
    const before = last.get(model);
    if (before && r.seq <= before.seq) {
      throw new RecordLogMismatchError(
        r.id,
        "place among the logs",
        `after record ${before.id} (record ${before.seq} of model ${r.modelId})`,
        `record ${r.seq} of the model, which comes ${r.seq === before.seq ? "at the same place" : "earlier"}`,
      );
    }
    last.set(model, r);
  }
}

/**
 * The records of InferenceRecorded logs that answer `asked`, each completed with its stored
 * timestamp, its version's dev-SRS flag and whether its model declares an input. A log that is not
 * the registry's record, answers another query, or repeats a record is refused. With
 * `storageBlock`, each record is read as stored after that block, so a record made later is
 * refused ("no such record"): auditRecords counts records at one block. Records listed out of the
 * order the registry made them in are refused too (expectRecordOrder).
 */
export async function recordsOfLogs(
  client: ZkinferClientBase,
  logs: readonly RawLog[],
  asked: RecordQuery,
  version = versionReader(client),
  storageBlock?: bigint,
): Promise<InferenceRecord[]> {
  const registry = registryOf(client, "reading records");
  const declared = declaredReader(client);
  // Before any read: every log decodes and comes from the registry, and no record is in two logs.
  const decoded = logs.map((log) => {
    const args = decodeRecordLog(log);
    if (log.address.toLowerCase() !== registry.toLowerCase()) throw new RecordLogMismatchError(args.recordId, "address", log.address, registry);
    return { log, args };
  });
  const seen = new Set<string>();
  for (const { args } of decoded) {
    if (seen.has(args.recordId.toLowerCase())) throw repeatedRecordLog(args.recordId);
    seen.add(args.recordId.toLowerCase());
  }
  const records = await Promise.all(
    decoded.map(async ({ log, args }) => {
      const agree = (field: string, logged: string, expected: string): void => {
        if (logged.toLowerCase() !== expected.toLowerCase()) throw new RecordLogMismatchError(args.recordId, field, logged, expected);
      };
      // The record must be the one asked for: the registry's model (through the stored version) and
      // submitter, not the log's words, are compared with the query.
      const answers = (field: keyof RecordQuery, actual: string): void => {
        const wanted = asked[field];
        if (wanted !== undefined && wanted.toLowerCase() !== actual.toLowerCase()) throw new UnaskedRecordLogError(args.recordId, field, actual, wanted, log);
      };
      answers("recordId", args.recordId);
      const stored = await readRegistry(client, "getRecord", [args.recordId], storageBlock).catch((err: unknown) => {
        throw err instanceof UnknownRecordError ? new RecordLogMismatchError(args.recordId, "recordId", args.recordId, "no such record") : err;
      });
      answers("modelId", stored.modelId);
      answers("submitter", stored.submitter);
      agree("modelId", args.modelId, stored.modelId);
      agree("version", String(args.version), String(stored.version));
      agree("submitter", args.submitter, stored.submitter);
      // The id the registry computed from the digest and nonce, with the stored model and submitter.
      agree("publicInputDigest or nonce", recordIdOfDigest({ ...stored, publicInputDigest: args.publicInputDigest, nonce: args.nonce }), args.recordId);
      // The stored entry hash binds every other word of the event; the outputs hash to its output hash.
      const entry = entryHashOf({ ...args, reference: args.ref });
      agree("entry hash (publicInputDigest, inputHash, outputHash, ref, nonce, seq)", entry, stored.entryHash);
      agree("outputs", hashWords(args.outputs), args.outputHash);
      const v = await version(stored.version);
      agree("verifier", args.verifier, v.verifier);
      agree("codeHash", args.codeHash, v.codeHash);
      const inputNotDeclared = !(await declared(stored.modelId));
      return {
        id: args.recordId,
        modelId: args.modelId,
        version: args.version,
        verifier: args.verifier,
        codeHash: args.codeHash,
        insecureDevSrs: v.insecureDevSrs,
        publicInputDigest: args.publicInputDigest,
        inputHash: args.inputHash,
        inputIsPrivate: args.inputHash === ZERO_HASH && !inputNotDeclared,
        inputNotDeclared,
        outputHash: args.outputHash,
        outputs: [...args.outputs],
        reference: args.ref,
        submitter: args.submitter,
        nonce: args.nonce,
        seq: args.seq,
        blockNumber: log.blockNumber,
        timestamp: BigInt(stored.timestamp),
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    }),
  );
  expectRecordOrder(records);
  return records;
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
  const asked = { recordId, modelId: stored.modelId };
  const logs = await recordLogs(client, "getRecord", { ...asked, fromBlock: from, toBlock: to });
  if (logs.length === 0) throw new ZkinferError(`record ${recordId} is stored, but this node returns no InferenceRecorded event for it in blocks ${from}…${to} (a node without old logs?)`);
  const [record] = await recordsOfLogs(client, logs.slice(0, 1), asked, version);
  return record;
}

/** At most this many missing positions are named in a MissingRecordLogsError. */
const MISSING_POSITIONS_SHOWN = 20;

/**
 * The positions in [from, count) that `listed` (a model's seqs, strictly increasing) leaves out:
 * the first MISSING_POSITIONS_SHOWN of them and how many in all.
 */
export function missingPositions(listed: readonly bigint[], from: bigint, count: bigint): { missing: bigint[]; missingCount: bigint } {
  const missing: bigint[] = [];
  let missingCount = 0n;
  let next = from;
  for (const seq of [...listed.filter((s) => s >= from), count]) {
    if (seq > next) {
      for (let p = next; p < seq && missing.length < MISSING_POSITIONS_SHOWN; p++) missing.push(p);
      missingCount += seq - next;
    }
    next = seq + 1n;
  }
  return { missing, missingCount };
}
