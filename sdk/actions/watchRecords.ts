// Calls back with every new audit record (optionally of one model and/or submitter) by polling
// the registry's events; returns a function that stops watching.
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { MissingRecordLogsError, RecordLogMismatchError, ReorgedRecordError, ZkinferError } from "../errors.js";
import { expectRecordOrder, missingPositions, recordLogs, recordsOfLogs, repeatedRecordLog } from "../internal/record-logs.js";
import { readRegistry } from "../internal/registry.js";
import { checkAddress, checkBytes32, checkUint256 } from "../internal/validate.js";
import { recordHashOf, type InferenceRecord } from "../records.js";
import { getModel } from "./getModel.js";

export interface WatchRecordsParameters {
  modelId?: Hex;
  submitter?: Address;
  onRecords: (records: InferenceRecord[]) => void;
  /**
   * Failures of a poll (RpcError after retries, a RecordLogError for a log that does not agree with
   * storage, …); polling goes on, from the same block after a refused log. Default: ignored.
   * A record is reported once per watch: a log of a record already reported is refused
   * (RecordLogMismatchError) with its whole poll, as a repeat within one poll is. A reorg that moves
   * a reported record to a later block therefore stops the watch at that block with this error;
   * start a new watch after the reorg to go on. A reorg that removes or replaces a reported record
   * stops it too (ReorgedRecordError), once a poll checks the record's model: each poll reads the
   * stored word of the last record reported of the watched model, or of each model its records
   * show. Likewise a record listed before one of its model already reported (a lower seq: "place
   * among the logs") is refused with its poll.
   *
   * Without a submitter filter the watch also checks that no record is left out (each record's
   * seq is its position among its model's records): a poll's records of a model must be exactly
   * the positions from the model's recordCount before the watch's first block (0 for a model
   * registered at or after it; later, its count at the last poll's block) to its recordCount at
   * the poll's last block, read from storage; otherwise the poll is refused with
   * MissingRecordLogsError (naming the positions) and retried. With modelId, that count is read
   * every poll, so a node cannot hide the model's newest records either; watching all models, the
   * count is read for each model a poll shows, so a hidden record is found when the node shows any
   * later record of its model (watch a model by its id to have every poll checked), searched for in
   * the blocks polled since the model's count was last read, and reported then.
   * The counts before the first block are read once, at the first poll (watching all models, every
   * model's: one read per model), at the block before `fromBlock`: an old `fromBlock` needs a node
   * that keeps that state (an archive node), or every poll fails with the node's error.
   */
  onError?: (error: Error) => void;
  /** First block to report (default: the block after the current one). */
  fromBlock?: bigint;
  /** Default 1000 ms. */
  pollingIntervalMs?: number;
}

export type WatchRecordsReturnType = () => void;

export function watchRecords(client: ZkinferClientBase, params: WatchRecordsParameters): WatchRecordsReturnType {
  // Checked here, not at the first poll, where a malformed filter would only reach onError.
  if (params.modelId !== undefined) checkBytes32("modelId", params.modelId);
  if (params.submitter !== undefined) checkAddress("submitter", params.submitter);
  if (params.fromBlock !== undefined) checkUint256("fromBlock", params.fromBlock);
  const interval = params.pollingIntervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let next = params.fromBlock;
  // Every record id reported (lower case), for the watch's life: ~100 bytes per record.
  const reported = new Set<string>();
  // Each model's last record reported: a later poll's records of the model must come after it.
  const lastOfModel = new Map<string, InferenceRecord>();
  // Without a submitter filter: each model's next position to report (its recordCount before the
  // first block, then at the last poll that checked it), the block that count was read at (default:
  // the one before the first), and how many of its records the watch has reported.
  const nextSeq = new Map<string, bigint>();
  const countedAt = new Map<string, bigint>();
  const reportedOf = new Map<string, number>();
  let firstBlock: bigint | undefined;
  // Whether nextSeq holds the counts before the first block (read once, at the first poll that can).
  let counted = false;
  const poll = async (): Promise<void> => {
    try {
      const head = await client.backend.blockNumber();
      next ??= head + 1n;
      firstBlock ??= next;
      if (params.submitter === undefined && !counted && head >= firstBlock - 1n) {
        for (const [model, count] of await countsBefore(client, params.modelId, firstBlock)) nextSeq.set(model, count);
        counted = true;
      }
      if (head >= next) {
        const asked = { modelId: params.modelId, submitter: params.submitter };
        const logs = await recordLogs(client, "watchRecords", { ...asked, fromBlock: next, toBlock: head });
        const shown = await recordsOfLogs(client, logs, asked);
        const watchingAll = params.modelId === undefined && params.submitter === undefined;
        const earlier = watchingAll ? await recordsHiddenEarlier(client, shown, { nextSeq, countedAt, since: firstBlock - 1n, next }) : [];
        const records = [...earlier, ...shown];
        // A node handing back a reported log in a later poll would have it reported again.
        const again = records.find((r) => reported.has(r.id.toLowerCase()));
        if (again) throw repeatedRecordLog(again.id);
        await expectStillStored(client, lastOfModel, [...(params.modelId ? [params.modelId] : []), ...records.map((r) => r.modelId)], head);
        // Checked on a copy, so a refused poll leaves the watch's positions as they were.
        const last = new Map(lastOfModel);
        expectRecordOrder(records, last);
        const positions = params.submitter === undefined ? await expectEveryRecord(client, records, params.modelId, firstBlock, head, nextSeq, reportedOf) : undefined;
        for (const [model, seq] of positions ?? []) {
          nextSeq.set(model, seq);
          countedAt.set(model, head);
        }
        for (const r of records) reportedOf.set(r.modelId.toLowerCase(), (reportedOf.get(r.modelId.toLowerCase()) ?? 0) + 1);
        for (const [model, r] of last) lastOfModel.set(model, r);
        for (const r of records) reported.add(r.id.toLowerCase());
        next = head + 1n;
        if (records.length > 0 && !stopped) params.onRecords(records);
      }
    } catch (err) {
      params.onError?.(err as Error);
    }
    if (!stopped) timer = setTimeout(() => void poll(), interval);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/**
 * Refuses a poll (ReorgedRecordError) once the last record reported of one of `models` is no longer
 * stored as reported after block `head`: a reorg replaced or removed it. The watch's positions
 * (next block, each model's next seq and last record) hold only while it is: a record taking its
 * place in a block already searched would be neither reported nor counted as missing.
 */
async function expectStillStored(client: ZkinferClientBase, lastOfModel: ReadonlyMap<string, InferenceRecord>, models: readonly Hex[], head: bigint): Promise<void> {
  for (const model of new Set(models.map((m) => m.toLowerCase()))) {
    const last = lastOfModel.get(model);
    if (last === undefined) continue;
    const stored = await readRegistry(client, "recordHash", [last.id], head);
    if (stored.toLowerCase() !== recordHashOf({ ...last, recordId: last.id })) throw new ReorgedRecordError(last.id, last.modelId, last.seq, head);
  }
}

/**
 * Watching all models: the records of the models a poll shows that a node left out of earlier polls.
 * A model's count is checked only in the polls that show it, so a poll from which a node hid every
 * record of a model passed, and the hidden records lie in blocks the watch does not search again:
 * every later poll showing the model would miss them, and the watch would stop for good. When a
 * model's first record shown comes after its next position, its logs are searched again in the
 * blocks polled since its count was read; what is found is checked like the poll's own records.
 */
async function recordsHiddenEarlier(
  client: ZkinferClientBase,
  shown: readonly InferenceRecord[],
  watched: { nextSeq: ReadonlyMap<string, bigint>; countedAt: ReadonlyMap<string, bigint>; since: bigint; next: bigint },
): Promise<InferenceRecord[]> {
  const found: InferenceRecord[] = [];
  const firsts = new Map<string, InferenceRecord>();
  for (const r of shown) if (!firsts.has(r.modelId.toLowerCase())) firsts.set(r.modelId.toLowerCase(), r);
  for (const [model, first] of firsts) {
    const from = watched.countedAt.get(model) ?? watched.since;
    if (first.seq <= (watched.nextSeq.get(model) ?? 0n) || from + 1n >= watched.next) continue;
    const asked = { modelId: first.modelId };
    found.push(...(await recordsOfLogs(client, await recordLogs(client, "watchRecords", { ...asked, fromBlock: from + 1n, toBlock: watched.next - 1n }), asked)));
  }
  // In the order the node places them, as the poll's own records.
  return found.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** How many models' counts one read of the model list asks for. */
const MODELS_PER_READ = 100n;

/**
 * Each model's recordCount after block firstBlock − 1, where the watch's positions start: the
 * watched model's, or every model's registered by then (watching all models: one read of the list
 * per 100 models and one per model). Read once, at the first poll, while a node without archive still
 * serves that state (for a watch from the block after the current one, it is the latest): reading a
 * model's count there only when a poll first shows the model failed on such a node once the watch
 * had run for longer than the node keeps state.
 */
async function countsBefore(client: ZkinferClientBase, modelId: Hex | undefined, firstBlock: bigint): Promise<Map<string, bigint>> {
  const counts = new Map<string, bigint>();
  if (firstBlock === 0n) return counts;
  const block = firstBlock - 1n;
  const count = (id: Hex): Promise<bigint> => readRegistry(client, "recordCount", [id], block) as Promise<bigint>;
  if (modelId !== undefined) {
    // recordCount reverts (UnknownModel) before the registration: a model registered since has no record before.
    if ((await getModel(client, { modelId })).registeredAtBlock < firstBlock) counts.set(modelId.toLowerCase(), await count(modelId));
    return counts;
  }
  const total = (await readRegistry(client, "modelCount", [], block)) as bigint;
  for (let offset = 0n; offset < total; offset += MODELS_PER_READ) {
    const ids = (await readRegistry(client, "listModels", [offset, MODELS_PER_READ], block)) as readonly Hex[];
    const page = await Promise.all(ids.map(count));
    ids.forEach((id, i) => counts.set(id.toLowerCase(), page[i]));
  }
  return counts;
}

/**
 * The first position of a model the watch has no count of: 0, the model having been registered at
 * or after the watch's first block (so not among the models counted before it).
 */
async function registeredSince(client: ZkinferClientBase, modelId: Hex, firstBlock: bigint): Promise<bigint> {
  const registered = (await getModel(client, { modelId })).registeredAtBlock;
  if (registered < firstBlock) {
    throw new ZkinferError(`model ${modelId} was registered at block ${registered}, before the watch's first block, but the registry's model list at block ${firstBlock - 1n} did not have it (a faulty or dishonest node?)`);
  }
  return 0n;
}

/**
 * The next position to report of every model checked in a poll up to block `head`, once the poll's
 * records (in seq order per model, expectRecordOrder) are shown to be all the positions from each
 * model's `nextSeq` (or, the first time, its recordCount before the watch's first block) to its
 * recordCount at `head`. The watch's maps are read, not changed: a refused poll changes nothing.
 */
async function expectEveryRecord(
  client: ZkinferClientBase,
  records: readonly InferenceRecord[],
  modelId: Hex | undefined,
  firstBlock: bigint,
  head: bigint,
  nextSeq: ReadonlyMap<string, bigint>,
  reportedOf: ReadonlyMap<string, number>,
): Promise<Map<string, bigint>> {
  const seqs = new Map<string, { id: Hex; seqs: bigint[] }>();
  if (modelId !== undefined) seqs.set(modelId.toLowerCase(), { id: modelId, seqs: [] });
  for (const r of records) {
    const model = r.modelId.toLowerCase();
    if (!seqs.has(model)) seqs.set(model, { id: r.modelId, seqs: [] });
    seqs.get(model)!.seqs.push(r.seq);
  }
  const count = (id: Hex, block: bigint): Promise<bigint> => readRegistry(client, "recordCount", [id], block) as Promise<bigint>;
  const positions = new Map<string, bigint>();
  for (const [model, { id, seqs: listed }] of seqs) {
    const from = nextSeq.get(model) ?? (await registeredSince(client, id, firstBlock));
    const stored = await count(id, head);
    // An honest node lists no record made before the watch's first block or reported before.
    const early = listed.find((seq) => seq < from);
    if (early !== undefined) {
      const r = records.find((x) => x.modelId.toLowerCase() === model && x.seq === early)!;
      throw new RecordLogMismatchError(r.id, "seq", String(early), `at least ${from}: the model's records before it were made before the watch's first block or reported already`);
    }
    // Logs up to `head` are of records the registry had counted by then (a guard: each log agrees with storage).
    const late = listed.find((seq) => seq >= stored);
    if (late !== undefined) {
      const r = records.find((x) => x.modelId.toLowerCase() === model && x.seq === late)!;
      throw new RecordLogMismatchError(r.id, "seq", String(late), `below the model's recordCount ${stored} at block ${head}, the poll's last`);
    }
    const { missing, missingCount } = missingPositions(listed, from, stored);
    if (missingCount > 0n) {
      const found = (reportedOf.get(model) ?? 0) + listed.length;
      throw new MissingRecordLogsError(id, found, Number(stored), missing, missingCount, true, "watch");
    }
    positions.set(model, stored);
  }
  return positions;
}
