// Lists audit records from the registry's InferenceRecorded events (filtered by model and/or
// submitter, in block order) and reads each record; paginated by an opaque cursor. Each page is
// checked on its own (a repeat within it is refused); pages fetched by hand are not checked against
// each other nor counted, so a node may show one record on two pages or leave one out: auditRecords
// is the checked path (docs/protocol.md §10.3).
import type { Address, Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { recordLogs, recordsOfLogs } from "../internal/record-logs.js";
import type { InferenceRecord } from "../records.js";
import { getModel } from "./getModel.js";

export interface ListRecordsParameters {
  modelId?: Hex;
  submitter?: Address;
  /** First block to search (default: the model's registration block, or 0 without a model). */
  fromBlock?: bigint;
  /** Last block to search (default: the latest block at the first page). */
  toBlock?: bigint;
  /** Records per page (default 100). */
  limit?: number;
  /** The cursor of the previous page. */
  cursor?: string;
  /** Blocks per eth_getLogs request, for nodes that cap the range (default 10 000). */
  blockRange?: bigint;
}

export interface ListRecordsReturnType {
  records: InferenceRecord[];
  /** Pass back for the next page; undefined after the last page. */
  cursor: string | undefined;
}

interface Cursor {
  block: bigint;
  logIndex: number;
  toBlock: bigint;
}

function parseCursor(cursor: string): Cursor {
  const m = /^(\d+):(\d+):(\d+)$/.exec(cursor);
  if (!m) throw new InvalidArgumentError(`not a listRecords cursor: ${cursor}`);
  return { block: BigInt(m[1]), logIndex: Number(m[2]), toBlock: BigInt(m[3]) };
}

export async function listRecords(client: ZkinferClientBase, params: ListRecordsParameters = {}): Promise<ListRecordsReturnType> {
  return listRecordsAt(client, params);
}

/**
 * listRecords reading each record as stored after `storageBlock` (auditRecords passes its toBlock),
 * so a record made after that block is refused rather than listed.
 */
export async function listRecordsAt(client: ZkinferClientBase, params: ListRecordsParameters, storageBlock?: bigint): Promise<ListRecordsReturnType> {
  const limit = params.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError(`limit must be a positive integer, got ${limit}`);
  const range = params.blockRange ?? 10_000n;
  if (range < 1n) throw new InvalidArgumentError("blockRange must be at least 1");
  const after = params.cursor === undefined ? undefined : parseCursor(params.cursor);
  const toBlock = after?.toBlock ?? params.toBlock ?? (await client.backend.blockNumber());
  // Records cannot predate their model, so a model's search starts at its registration block.
  let from = after?.block ?? params.fromBlock ?? (params.modelId ? (await getModel(client, { modelId: params.modelId })).registeredAtBlock : 0n);
  const asked = { modelId: params.modelId, submitter: params.submitter };
  const found = [];
  while (from <= toBlock && found.length <= limit) {
    const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
    const logs = await recordLogs(client, "listRecords", { ...asked, fromBlock: from, toBlock: to });
    for (const log of logs) {
      if (after && (log.blockNumber < after.block || (log.blockNumber === after.block && log.logIndex <= after.logIndex))) continue;
      found.push(log);
    }
    from = to + 1n;
  }
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  const more = found.length > limit || (from <= toBlock && page.length === limit);
  return {
    records: await recordsOfLogs(client, page, asked, undefined, storageBlock),
    cursor: more && last ? `${last.blockNumber}:${last.logIndex}:${toBlock}` : undefined,
  };
}
