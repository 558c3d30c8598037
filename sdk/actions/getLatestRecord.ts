// A submitter's latest record of a model for one input hash (see inputHashOf; zero for a private
// input), or undefined if none: the one with the highest position (seq) among that submitter's
// records of the model, found in the registry's events (indexed by model and submitter). Every
// record considered is checked against storage, its submitter included, so other submitters'
// records never change what it returns; that the node left none of the submitter's logs out is its
// word (docs/protocol.md §10.3: auditRecords counts them).
import type { Address, Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { findRecords } from "../internal/record-search.js";
import { checkAddress, checkBytes32 } from "../internal/validate.js";
import type { InferenceRecord } from "../records.js";

export interface GetLatestRecordParameters {
  modelId: Hex;
  submitter: Address;
  inputHash: Hex;
  /** First block to search (default: the model's registration block). */
  fromBlock?: bigint;
}

export type GetLatestRecordReturnType = InferenceRecord | undefined;

export async function getLatestRecord(client: ZkinferClientBase, params: GetLatestRecordParameters): Promise<GetLatestRecordReturnType> {
  const modelId = checkBytes32("modelId", params.modelId);
  const submitter = checkAddress("submitter", params.submitter);
  const inputHash = checkBytes32("inputHash", params.inputHash).toLowerCase();
  const mine = (words: { inputHash: Hex }): boolean => words.inputHash.toLowerCase() === inputHash;
  const found = await findRecords(client, "getLatestRecord", { modelId, submitter, fromBlock: params.fromBlock }, mine, mine);
  return found.reduce<InferenceRecord | undefined>((latest, r) => (latest === undefined || r.seq > latest.seq ? r : latest), undefined);
}
