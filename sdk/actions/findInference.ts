// Whether a model has been proven to give these outputs on an input with this hash, to a verifier
// whose code hash is the one given: the first such record (lowest seq), or undefined. Found in the
// model's events, each checked against storage; records checked by other code never answer, so
// pinning the audited verifier's code hash leaves out whatever another version of the model
// accepted. A contract checks the record it is handed with the registry's isRecorded
// (recordWords(record) gives its words); that no such record was left out is the node's word.
// Candidates are checked one at a time, up to the first that answers: later copies of the claim
// cost no storage reads.
import type { Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import { findRecords } from "../internal/record-search.js";
import { checkArray, checkBytes32, checkUint256 } from "../internal/validate.js";
import { hashWords, type InferenceRecord } from "../records.js";

export interface FindInferenceParameters {
  modelId: Hex;
  /**
   * The code hash of the verifier the answer must come from: the one `zkinfer audit --check`
   * prints, compileModelVerifier(artifacts).codeHash.
   */
  codeHash: Hex;
  /** See inputHashOf; zero for a model with a private input. */
  inputHash: Hex;
  /** The outputs as field elements, in the order of the public inputs. */
  outputs: readonly bigint[];
  /** First block to search (default: the model's registration block). */
  fromBlock?: bigint;
}

export type FindInferenceReturnType = InferenceRecord | undefined;

export async function findInference(client: ZkinferClientBase, params: FindInferenceParameters): Promise<FindInferenceReturnType> {
  const modelId = checkBytes32("modelId", params.modelId);
  const codeHash = checkBytes32("codeHash", params.codeHash).toLowerCase();
  const inputHash = checkBytes32("inputHash", params.inputHash).toLowerCase();
  const outputHash = hashWords(checkArray("outputs", params.outputs).map((x, i) => checkUint256(`outputs[${i}]`, x))).toLowerCase();
  // The log's input and outputs pick the candidates; the checked record's code hash (its version's) decides.
  const candidate = (words: { inputHash: Hex; outputs: readonly bigint[] }): boolean => words.inputHash.toLowerCase() === inputHash && hashWords(words.outputs).toLowerCase() === outputHash;
  const claim = (r: InferenceRecord): boolean => r.codeHash.toLowerCase() === codeHash && candidate(r);
  const [first] = await findRecords(client, "findInference", { modelId, fromBlock: params.fromBlock }, candidate, claim, true);
  return first;
}
