// InferenceRecorded logs: the filter for a model, submitter or record, and decoding into records
// (what the event says, the stored timestamp, and the dev-SRS flag of the version that checked it).
// Each log must come from the registry and agree with the one word the registry stores for the
// record, or it is refused with RecordLogMismatchError: the record id binds the model, digest,
// submitter and nonce, and the stored record hash binds the id, the version (so its verifier and
// code hash), the time, seq (the record's position among its model's records), the input hash, the
// outputs (through their hash) and the reference, so no word shown is the node's alone
// (docs/protocol.md §10.3). A listing must also keep each model's records in seq order.
import { decodeEventLog, encodeEventTopics, type Address, type Hex } from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import { getModel } from "../actions/getModel.js";
import { RecordLogMismatchError, RegistryError, UnaskedRecordLogError, UndecodableRecordLogError, UnknownRecordError, ZkinferError } from "../errors.js";
import { hashWords, recordHashOf, recordIdOfDigest, versionFromAbi, ZERO_HASH, type InferenceRecord, type ModelVersion } from "../records.js";
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

export function decodeRecordLog(log: RawLog) {
  let args;
  try {
    args = decodeEventLog({ abi: inferenceRegistryAbi, eventName: "InferenceRecorded", topics: log.topics as [Hex, ...Hex[]], data: log.data }).args;
  } catch (err) {
    throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, (err as Error).message.split("\n")[0]);
  }
  // viem reads a uint64 or uint48 word whole, high bytes and all; the registry never emits such a
  // word, and recordHashOf could not encode it (a raw viem error instead of the node's lie).
  if (args.seq >= 1n << 64n) throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, `seq ${args.seq} does not fit in a uint64`);
  if (args.timestamp >= 2 ** 48 || args.timestamp < 0) throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, `timestamp ${args.timestamp} does not fit in a uint48`);
  if (args.version >= 2 ** 32 || args.version < 0) throw new UndecodableRecordLogError(log.transactionHash, log.logIndex, log.blockNumber, `version ${args.version} does not fit in a uint32`);
  return args;
}

/** One record in two logs: a node repeating a log (to make up for a hidden one, or to page forever). */
export function repeatedRecordLog(recordId: Hex): RecordLogMismatchError {
  return new RecordLogMismatchError(recordId, "recordId", "in two logs", "one InferenceRecorded event per record");
}

/**
 * Refuses a listing whose order (the node's blocks and log indices) is not the order the registry
 * made the records in: a model's records must come in strictly increasing seq (their positions,
 * bound to storage by the record hash), in one block as across blocks, and no record may come after
 * one whose (bound) time is later (block timestamps never decrease along the chain). Records of
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
      // The record must be the one asked for: a genuine record of another id, model or submitter
      // is not (model and submitter are compared once the record hash has bound them).
      const answers = (field: keyof RecordQuery, actual: string): void => {
        const wanted = asked[field];
        if (wanted !== undefined && wanted.toLowerCase() !== actual.toLowerCase()) throw new UnaskedRecordLogError(args.recordId, field, actual, wanted, log);
      };
      answers("recordId", args.recordId);
      const stored = await readRegistry(client, "recordHash", [args.recordId], storageBlock);
      if (stored === ZERO_HASH) throw new RecordLogMismatchError(args.recordId, "recordId", args.recordId, "no such record");
      // The id the registry computed from the log's model, digest, submitter and nonce.
      agree("modelId, publicInputDigest, submitter or nonce", recordIdOfDigest({ ...args, publicInputDigest: args.publicInputDigest }), args.recordId);
      // No record names a version the registry does not have (UnknownVersion).
      const v = await version(args.version).catch((err: unknown) => {
        throw err instanceof RegistryError && err.errorName === "UnknownVersion" ? new RecordLogMismatchError(args.recordId, "version", String(args.version), "a version of the registry") : err;
      });
      const outputHash = hashWords(args.outputs);
      // The stored record hash binds every other word of the log, the version's code hash and the
      // outputs' hash included.
      const hash = recordHashOf({ recordId: args.recordId, version: args.version, codeHash: v.codeHash, timestamp: BigInt(args.timestamp), seq: args.seq, inputHash: args.inputHash, outputHash, reference: args.ref });
      agree("record hash (version, timestamp, seq, inputHash, outputs, ref)", hash, stored);
      // Only then is the log's model the record's: a version of another model cannot check a record.
      agree("version", `${args.version} of model ${v.modelId}`, `${args.version} of model ${args.modelId}`);
      answers("modelId", args.modelId);
      answers("submitter", args.submitter);
      const inputNotDeclared = !(await declared(args.modelId));
      return {
        id: args.recordId,
        modelId: args.modelId,
        version: args.version,
        verifier: v.verifier,
        codeHash: v.codeHash,
        insecureDevSrs: v.insecureDevSrs,
        publicInputDigest: args.publicInputDigest,
        inputHash: args.inputHash,
        inputIsPrivate: args.inputHash === ZERO_HASH && !inputNotDeclared,
        inputNotDeclared,
        outputHash,
        outputs: [...args.outputs],
        reference: args.ref,
        submitter: args.submitter,
        nonce: args.nonce,
        seq: args.seq,
        blockNumber: log.blockNumber,
        timestamp: BigInt(args.timestamp),
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      };
    }),
  );
  expectRecordOrder(records);
  return records;
}

/**
 * One record: its stored hash (UnknownRecordError if there is none) and its InferenceRecorded
 * event, searched from `fromBlock` (default: the first block).
 */
export async function readRecord(client: ZkinferClientBase, recordId: Hex, fromBlock = 0n): Promise<InferenceRecord> {
  if ((await readRegistry(client, "recordHash", [recordId])) === ZERO_HASH) throw new UnknownRecordError(recordId);
  const to = await client.backend.blockNumber();
  const asked = { recordId };
  const logs = await recordLogs(client, "getRecord", { ...asked, fromBlock, toBlock: to });
  if (logs.length === 0) throw new ZkinferError(`record ${recordId} is stored, but this node returns no InferenceRecorded event for it in blocks ${fromBlock}…${to} (a node without old logs?)`);
  const [record] = await recordsOfLogs(client, logs.slice(0, 1), asked);
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
