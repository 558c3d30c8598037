// What makes a submission safe to resend: its record ids are known before sending (the registry's
// keccak256(model, public-input digest, submitter, nonce)), so a resend first looks for the
// records and returns those that exist, and a send whose outcome is unknown is settled by looking
// for them too. Batches are cut to the registry's MAX_BATCH and the per-transaction gas cap.
import { encodeEventTopics, type Hex } from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import { ContractRevertError, RecordExistsError, RecordLogMismatchError, RpcError, UnknownRecordError, ZkinferError } from "../errors.js";
import type { InferenceRecord } from "../records.js";
import type { TxOutcome } from "./backend.js";
import { registryOf, type ZkinferClientBase } from "./client.js";
import { readRecord } from "./record-logs.js";
import { readRegistry } from "./registry.js";

/** EIP-7825: no transaction may use more than 2^24 gas (Hardhat enforces it since 3.18). */
export const TRANSACTION_GAS_CAP = 16_777_216n;
/** What a batch is cut to: under the cap, with room for the estimate's error. */
const BATCH_GAS_TARGET = (TRANSACTION_GAS_CAP * 15n) / 16n;

async function existingRecord(client: ZkinferClientBase, recordId: Hex): Promise<InferenceRecord | undefined> {
  try {
    return await readRecord(client, recordId);
  } catch (err) {
    if (err instanceof UnknownRecordError) return undefined;
    throw err;
  }
}

/**
 * The transaction that made record `recordId`, if it exists; undefined if it does not. A record
 * with another reference (its event's) was made by another submission with the same nonce:
 * RecordExistsError. Which transaction made it is the node's word (nothing stored binds it); the
 * receipt must at least be a successful one holding the registry's InferenceRecorded log of this
 * id, so a node cannot name another transaction (RecordLogMismatchError).
 */
export async function recordedBefore(client: ZkinferClientBase, recordId: Hex, reference: Hex): Promise<TxOutcome | undefined> {
  const record = await existingRecord(client, recordId);
  if (!record) return undefined;
  if (record.reference.toLowerCase() !== reference.toLowerCase()) throw new RecordExistsError(recordId);
  const outcome = await client.backend.receipt(record.transactionHash);
  if (!outcome) throw new ZkinferError(`record ${recordId} exists, but the node has no receipt of the transaction ${record.transactionHash} that made it in block ${record.blockNumber}`);
  if (!outcome.success || !outcome.logs.some((log) => logsRecord(client, log, recordId))) {
    throw new RecordLogMismatchError(recordId, "transactionHash", record.transactionHash, "a successful transaction whose receipt logs this record");
  }
  return outcome;
}

function logsRecord(client: ZkinferClientBase, log: TxOutcome["logs"][number], recordId: Hex): boolean {
  const [event] = encodeEventTopics({ abi: inferenceRegistryAbi, eventName: "InferenceRecorded" });
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
  return same(log.address, registryOf(client, "submitInference")) && same(log.topics[0], event) && same(log.topics[1], recordId);
}

/** The transaction that made every one of `recordIds`, if they all exist; else undefined. */
export async function allRecordedBefore(client: ZkinferClientBase, recordIds: readonly Hex[], references: readonly Hex[]): Promise<TxOutcome | undefined> {
  const outcomes = await Promise.all(recordIds.map((id, i) => recordedBefore(client, id, references[i])));
  return outcomes.every((o) => o !== undefined) ? outcomes[0] : undefined;
}

/**
 * How many of `count` proofs one submitInferences transaction takes: all of them (up to the
 * registry's MAX_BATCH) if their gas estimate is under the cap; else as many as the estimates of
 * one and two proofs say fit, shrunk until the estimate of such a chunk agrees. `estimate(k)` is
 * the gas of a transaction with the first k proofs. A node refuses to estimate beyond the cap: the
 * call runs out of gas, a failure without revert data (an RPC error from viem, a bare revert from
 * ethers), which means "too many" here. The registry's own reverts (an invalid proof…) are thrown.
 */
export async function batchChunkSize(client: ZkinferClientBase, count: number, estimate: (k: number) => Promise<bigint>): Promise<number> {
  const n = Math.min(count, Number(await readRegistry(client, "MAX_BATCH", [])));
  const under = async (k: number): Promise<bigint | undefined> => {
    const gas = await estimate(k).catch((err: unknown) => {
      if (err instanceof RpcError || (err instanceof ContractRevertError && err.data === "0x")) return undefined;
      throw err;
    });
    return gas !== undefined && gas <= BATCH_GAS_TARGET ? gas : undefined;
  };
  if (n <= 1 || (await under(n)) !== undefined) return n;
  const one = await estimate(1);
  const two = await under(2);
  if (two === undefined) return 1;
  // Gas grows about linearly with the proofs (a fixed part, the same part per proof); memory
  // expansion makes it grow a little faster, which the check of the chunk's own estimate catches.
  let k = Math.min(n, Number(1n + (BATCH_GAS_TARGET - one) / (two - one > 0n ? two - one : 1n)));
  if (k >= n) return n;
  while (k > 2 && (await under(k)) === undefined) k -= Math.max(1, Math.floor(k / 16));
  return k;
}
