// Records picked out of a listing of the registry's events (each log checked against storage by
// listRecords): the registry keeps no index of records by input or claim, since such an index
// would cost a fresh storage slot per record. What is found is genuine; that nothing was left out
// is the node's word, as for listRecords (auditRecords is the count-checked path).
import type { InferenceRecord } from "../records.js";
import { listRecords, type ListRecordsParameters } from "../actions/listRecords.js";
import { repeatedRecordLog } from "./record-logs.js";
import type { ZkinferClientBase } from "./client.js";

/** Every record of the listing that `keep` accepts, in the listing's order (each model's in seq order). */
export async function findRecords(client: ZkinferClientBase, params: Omit<ListRecordsParameters, "cursor">, keep: (r: InferenceRecord) => boolean): Promise<InferenceRecord[]> {
  const found: InferenceRecord[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listRecords(client, { ...params, cursor });
    for (const r of page.records) {
      // A node paging one log forever is refused, as in auditRecords.
      if (seen.has(r.id.toLowerCase())) throw repeatedRecordLog(r.id);
      seen.add(r.id.toLowerCase());
      if (keep(r)) found.push(r);
    }
    cursor = page.cursor;
  } while (cursor);
  return found;
}
