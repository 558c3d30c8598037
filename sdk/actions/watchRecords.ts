// Calls back with every new audit record (optionally of one model and/or submitter) by polling
// the registry's events; returns a function that stops watching.
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { expectRecordOrder, recordLogs, recordsOfLogs, repeatedRecordLog } from "../internal/record-logs.js";
import { checkAddress, checkBytes32 } from "../internal/validate.js";
import type { InferenceRecord } from "../records.js";

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
   * start a new watch after the reorg to go on. Likewise a record listed before one of its model
   * already reported (a lower seq: "place among the logs") is refused with its poll.
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
  const interval = params.pollingIntervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let next = params.fromBlock;
  // Every record id reported (lower case), for the watch's life: ~100 bytes per record.
  const reported = new Set<string>();
  // Each model's last record reported: a later poll's records of the model must come after it.
  const lastOfModel = new Map<string, InferenceRecord>();
  const poll = async (): Promise<void> => {
    try {
      const head = await client.backend.blockNumber();
      next ??= head + 1n;
      if (head >= next) {
        const asked = { modelId: params.modelId, submitter: params.submitter };
        const logs = await recordLogs(client, "watchRecords", { ...asked, fromBlock: next, toBlock: head });
        const records = await recordsOfLogs(client, logs, asked);
        // A node handing back a reported log in a later poll would have it reported again.
        const again = records.find((r) => reported.has(r.id.toLowerCase()));
        if (again) throw repeatedRecordLog(again.id);
        // Checked on a copy, so a refused poll leaves the watch's positions as they were.
        const last = new Map(lastOfModel);
        expectRecordOrder(records, last);
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
