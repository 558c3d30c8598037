// Submits a batch of proofs of one model: the verifier decides each transaction's proofs with one
// pairing, and either every proof of a transaction is recorded or none is. A batch longer than the
// registry's MAX_BATCH, or whose gas does not fit one transaction (EIP-7825 caps it at 2^24), is
// cut into as few transactions as fit, sent one after another. Records that already exist (a resend with the same nonces) are returned, not
// sent again; a failed send is a TransactionError naming the records of its transaction.
import type { Hex } from "viem";
import { InvalidArgumentError } from "../errors.js";
import type { ZkinferClientBase } from "../internal/client.js";
import { estimateRegistryGas, writeRegistry } from "../internal/registry.js";
import { beforeSending } from "../internal/send.js";
import { allRecordedBefore, batchChunkSize, recordedBefore } from "../internal/submissions.js";
import { checkArray, checkBytes32 } from "../internal/validate.js";
import { normalizeProof, type ProofInput } from "../proof-input.js";
import { computeRecordId } from "../records.js";
import { checkNonce, checkReference } from "./submitInference.js";

export interface SubmitInferencesParameters {
  modelId: Hex;
  proofs: readonly ProofInput[];
  /** One per proof (default zero). */
  references?: readonly Hex[];
  /** One per proof (default random). Pass them to make a resend safe: each nonce records at most once. */
  nonces?: readonly bigint[];
}

export interface BatchTransaction {
  hash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  recordIds: Hex[];
  /** True for a transaction of an earlier call that had made these records already. */
  alreadyRecorded: boolean;
}

export interface SubmitInferencesReturnType {
  recordIds: Hex[];
  nonces: bigint[];
  /** The transactions that made the records, in order: one, unless the batch had to be cut or was partly recorded before. */
  transactions: BatchTransaction[];
  /** The last transaction's hash and block. */
  hash: Hex;
  blockNumber: bigint;
  /** Gas of the transactions this call sent (zero if every record existed). */
  gasUsed: bigint;
}

export async function submitInferences(client: ZkinferClientBase, params: SubmitInferencesParameters): Promise<SubmitInferencesReturnType> {
  const modelId = checkBytes32("modelId", params.modelId);
  const n = checkArray("proofs", params.proofs).length;
  if (n === 0) throw new InvalidArgumentError("submitInferences needs at least one proof");
  if (params.references !== undefined && checkArray("references", params.references).length !== n) throw new InvalidArgumentError(`${params.references.length} references for ${n} proofs`);
  if (params.nonces !== undefined && checkArray("nonces", params.nonces).length !== n) throw new InvalidArgumentError(`${params.nonces.length} nonces for ${n} proofs`);
  const proofs = params.proofs.map((p, i) => normalizeProof(p, `proofs[${i}]`));
  const references = proofs.map((_, i) => checkReference(params.references?.[i], `references[${i}]`));
  const nonces = proofs.map((_, i) => checkNonce(params.nonces?.[i], `nonces[${i}]`));
  const submitter = await beforeSending({ operation: "submitInferences", nonces }, () => client.backend.account("submitInferences"));
  const recordIds = proofs.map((p, i) => computeRecordId({ modelId, publicInputs: p.publicInputs, submitter, nonce: nonces[i] }));
  const lookUp = <T>(step: () => Promise<T>): Promise<T> => beforeSending({ operation: "submitInferences", recordIds, nonces }, step);

  const transactions: BatchTransaction[] = [];
  const before = await lookUp(() => Promise.all(recordIds.map((id, i) => recordedBefore(client, id, references[i]))));
  for (const [i, o] of before.entries()) {
    if (!o) continue;
    const last = transactions[transactions.length - 1];
    if (last?.hash === o.hash) last.recordIds.push(recordIds[i]);
    else transactions.push({ hash: o.hash, blockNumber: o.blockNumber, gasUsed: o.gasUsed, recordIds: [recordIds[i]], alreadyRecorded: true });
  }

  let todo = proofs.map((_, i) => i).filter((i) => !before[i]);
  const args = (chunk: number[]) =>
    [modelId, chunk.map((i) => proofs[i].proof), chunk.map((i) => proofs[i].publicInputs), chunk.map((i) => references[i]), chunk.map((i) => nonces[i])] as const;
  const size = todo.length === 0 ? 0 : await lookUp(() => batchChunkSize(client, todo.length, (k) => estimateRegistryGas(client, "submitInferences", args(todo.slice(0, k)))));
  let gasUsed = 0n;
  while (todo.length > 0) {
    const chunk = todo.slice(0, size);
    const ids = chunk.map((i) => recordIds[i]);
    const refs = chunk.map((i) => references[i]);
    const outcome = await writeRegistry(client, "submitInferences", args(chunk), {
      recordIds: ids,
      nonces: chunk.map((i) => nonces[i]),
      findOutcome: () => allRecordedBefore(client, ids, refs),
    });
    transactions.push({ hash: outcome.hash, blockNumber: outcome.blockNumber, gasUsed: outcome.gasUsed, recordIds: ids, alreadyRecorded: false });
    gasUsed += outcome.gasUsed;
    todo = todo.slice(size);
  }
  const last = transactions[transactions.length - 1];
  return { recordIds, nonces, transactions, hash: last.hash, blockNumber: last.blockNumber, gasUsed };
}
