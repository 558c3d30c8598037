// Everything an auditor asks of a registry in one read: each model (or one, or one owner's) with its
// versions (verifier, pinned code hash, dev-SRS flag) and all its records, from the events and the
// stored records. Pages through listModels and listRecords. Each log is checked against storage
// (record-logs.ts); a model's records must come in seq order and, from the model's registration on,
// be exactly positions 0 … recordCount − 1, so a node can neither hide nor reorder one, and an audit
// it fails names the positions whose logs are missing.
import { getAddress, type Address, type Hex } from "viem";
import { MissingRecordLogsError, RecordLogMismatchError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { expectRecordOrder, missingPositions, repeatedRecordLog } from "../internal/record-logs.js";
import { readRegistry } from "../internal/registry.js";
import type { InferenceRecord, ModelInfo, ModelVersion } from "../records.js";
import { getModel } from "./getModel.js";
import { getModelVersion } from "./getModelVersion.js";
import { listModels } from "./listModels.js";
import { listRecordsAt } from "./listRecords.js";

export interface AuditRecordsParameters {
  /** One model; all models of the registry when absent. */
  modelId?: Hex;
  /** Only the models this account owns. */
  owner?: Address;
  /**
   * Search records from this block (default: each model's registration block). A later block shows
   * only part of a model's records: then the records made from that block on (positions from the
   * model's recordCount after the block before it, read from storage, to recordCount − 1) must all
   * be there. The node must serve the state of the block before it (an archive node for old blocks).
   */
  fromBlock?: bigint;
}

export interface AuditedModel {
  model: ModelInfo;
  /** Every version of the model, oldest first, with how many of the listed records it checked. */
  versions: (ModelVersion & { recordCount: number })[];
  records: InferenceRecord[];
  /** The registry's recordCount for the model after the last block searched. */
  storedRecordCount: number;
  /**
   * The search started at (or before) the model's registration, so the records were counted against
   * storedRecordCount. False with a later `fromBlock`: the list may be partial.
   */
  countChecked: boolean;
}

export interface AuditRecordsReturnType {
  models: AuditedModel[];
}

export async function auditRecords(client: ZkinferClientBase, { modelId, owner, fromBlock }: AuditRecordsParameters = {}): Promise<AuditRecordsReturnType> {
  const ids: Hex[] = [];
  if (modelId) {
    ids.push(modelId);
  } else {
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page: Awaited<ReturnType<typeof listModels>> = await listModels(client, { offset });
      ids.push(...page.modelIds);
      offset = page.nextOffset;
    }
  }
  const models: AuditedModel[] = [];
  for (const id of ids) {
    const model = await getModel(client, { modelId: id });
    if (owner !== undefined && getAddress(model.owner) !== getAddress(owner)) continue;
    // One block for the whole model: its logs are searched up to it, and its count and every
    // listed record are read as stored after it, so a record made later is refused, not counted.
    const toBlock = await client.backend.blockNumber();
    const storedRecordCount = Number(await readRegistry(client, "recordCount", [id], toBlock));
    const start = fromBlock ?? model.registeredAtBlock;
    const records: InferenceRecord[] = [];
    // listRecords refuses a record of another model and a record repeated within a page; a repeat
    // across pages is refused as soon as its page arrives, so a node cannot page one log forever.
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await listRecordsAt(client, { modelId: id, fromBlock: start, toBlock, cursor }, toBlock);
      for (const r of page.records) {
        if (seen.has(r.id.toLowerCase())) throw repeatedRecordLog(r.id);
        seen.add(r.id.toLowerCase());
      }
      records.push(...page.records);
      cursor = page.cursor;
    } while (cursor);
    // Each page is in seq order (recordsOfLogs); so must the pages be, one after another.
    expectRecordOrder(records);
    // Every record listed is a distinct record of this model stored at toBlock, so its seq is below
    // recordCount, and in strictly increasing seq. A search from the registration on must find
    // positions 0 … recordCount − 1, each of them; a later one every position made from its first
    // block on. A position left out is a log the node hid.
    const count = BigInt(storedRecordCount);
    const beyond = records.find((r) => r.seq >= count);
    if (beyond) throw new RecordLogMismatchError(beyond.id, "seq", String(beyond.seq), `below the model's recordCount ${count}`);
    const countChecked = start <= model.registeredAtBlock;
    // From a later block, the records made from it on are positions recordCount(start − 1) … count − 1,
    // read from storage: the first record the node happens to show would let it hide the earliest
    // of them (or all, by showing none).
    const from = countChecked ? 0n : start > toBlock ? count : BigInt(await readRegistry(client, "recordCount", [id], start - 1n));
    // An honest node returns no log from before the search's first block.
    const before = records.find((r) => r.seq < from);
    if (before) throw new RecordLogMismatchError(before.id, "seq", String(before.seq), `at least ${from}, the model's recordCount before block ${start}: the node lists a record made before the search's first block`);
    const { missing, missingCount } = missingPositions(records.map((r) => r.seq), from, count);
    if (missingCount > 0n) throw new MissingRecordLogsError(id, seen.size, storedRecordCount, missing, missingCount, !countChecked);
    const versions = await Promise.all(
      model.versions.map(async (version) => ({
        ...(await getModelVersion(client, { version })),
        recordCount: records.filter((r) => r.version === version).length,
      })),
    );
    models.push({ model, versions, records, storedRecordCount, countChecked });
  }
  return { models };
}
