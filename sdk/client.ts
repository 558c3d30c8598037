// The client both createClient (viem) and createEthersClient (ethers) return: the chain
// connection and registry address that every action takes first, with the actions bound to it.
import type { Address } from "viem";
import { acceptModelOwnership, type AcceptModelOwnershipParameters, type AcceptModelOwnershipReturnType } from "./actions/acceptModelOwnership.js";
import { auditRecords, type AuditRecordsParameters, type AuditRecordsReturnType } from "./actions/auditRecords.js";
import { checkVerifierCode, type CheckVerifierCodeParameters, type CheckVerifierCodeReturnType } from "./actions/checkVerifierCode.js";
import { deployRegistry, type DeployRegistryParameters, type DeployRegistryReturnType } from "./actions/deployRegistry.js";
import { deployVerifier, type DeployVerifierParameters, type DeployVerifierReturnType } from "./actions/deployVerifier.js";
import { deprecateModel, type DeprecateModelParameters, type DeprecateModelReturnType } from "./actions/deprecateModel.js";
import { findInference, type FindInferenceParameters, type FindInferenceReturnType } from "./actions/findInference.js";
import { getLatestRecord, type GetLatestRecordParameters, type GetLatestRecordReturnType } from "./actions/getLatestRecord.js";
import { getModel, type GetModelParameters, type GetModelReturnType } from "./actions/getModel.js";
import { getModelVersion, type GetModelVersionParameters, type GetModelVersionReturnType } from "./actions/getModelVersion.js";
import { getRecord, type GetRecordParameters, type GetRecordReturnType } from "./actions/getRecord.js";
import { listModels, type ListModelsParameters, type ListModelsReturnType } from "./actions/listModels.js";
import { listRecords, type ListRecordsParameters, type ListRecordsReturnType } from "./actions/listRecords.js";
import { registerModel, type RegisterModelParameters, type RegisterModelReturnType } from "./actions/registerModel.js";
import { submitInference, type SubmitInferenceParameters, type SubmitInferenceReturnType } from "./actions/submitInference.js";
import { submitInferences, type SubmitInferencesParameters, type SubmitInferencesReturnType } from "./actions/submitInferences.js";
import {
  transferModelOwnership,
  type TransferModelOwnershipParameters,
  type TransferModelOwnershipReturnType,
} from "./actions/transferModelOwnership.js";
import { updateModel, type UpdateModelParameters, type UpdateModelReturnType } from "./actions/updateModel.js";
import { verifyOffchain, type VerifyOffchainReturnType } from "./actions/verifyOffchain.js";
import { watchRecords, type WatchRecordsParameters, type WatchRecordsReturnType } from "./actions/watchRecords.js";
import type { RawBackend } from "./internal/backend.js";
import { retrying, type ZkinferClientBase } from "./internal/client.js";
import type { RetryOptions } from "./internal/retry.js";
import type { ProofInput } from "./proof-input.js";
import type { VerificationKey } from "../verifier/plonkish/index.js";

export interface ZkinferClient extends ZkinferClientBase {
  deployRegistry(params?: DeployRegistryParameters): Promise<DeployRegistryReturnType>;
  deployVerifier(params: DeployVerifierParameters): Promise<DeployVerifierReturnType>;
  registerModel(params: RegisterModelParameters): Promise<RegisterModelReturnType>;
  updateModel(params: UpdateModelParameters): Promise<UpdateModelReturnType>;
  transferModelOwnership(params: TransferModelOwnershipParameters): Promise<TransferModelOwnershipReturnType>;
  acceptModelOwnership(params: AcceptModelOwnershipParameters): Promise<AcceptModelOwnershipReturnType>;
  deprecateModel(params: DeprecateModelParameters): Promise<DeprecateModelReturnType>;
  getModel(params: GetModelParameters): Promise<GetModelReturnType>;
  getModelVersion(params: GetModelVersionParameters): Promise<GetModelVersionReturnType>;
  listModels(params?: ListModelsParameters): Promise<ListModelsReturnType>;
  submitInference(params: SubmitInferenceParameters): Promise<SubmitInferenceReturnType>;
  submitInferences(params: SubmitInferencesParameters): Promise<SubmitInferencesReturnType>;
  getRecord(params: GetRecordParameters): Promise<GetRecordReturnType>;
  getLatestRecord(params: GetLatestRecordParameters): Promise<GetLatestRecordReturnType>;
  findInference(params: FindInferenceParameters): Promise<FindInferenceReturnType>;
  listRecords(params?: ListRecordsParameters): Promise<ListRecordsReturnType>;
  watchRecords(params: WatchRecordsParameters): WatchRecordsReturnType;
  auditRecords(params?: AuditRecordsParameters): Promise<AuditRecordsReturnType>;
  checkVerifierCode(params: CheckVerifierCodeParameters): Promise<CheckVerifierCodeReturnType>;
  verifyOffchain(proof: ProofInput, vk: VerificationKey | Uint8Array): Promise<VerifyOffchainReturnType>;
  /** The same client for another registry (e.g. one just deployed). */
  withRegistry(registry: Address): ZkinferClient;
}

export interface ClientOptions {
  registry?: Address;
  /** Retries of reads, logs and receipts on transient RPC failures (default 3 attempts). */
  retry?: RetryOptions;
  /**
   * How long a sent transaction is waited for: its receipt, or, when a failed send may have been
   * broadcast, its records (default 180 s). Then TransactionUnconfirmedError says what is known.
   */
  confirmTimeoutMs?: number;
}

/** Binds the actions to a backend (used by createClient and createEthersClient). */
export function clientFromBackend(backend: RawBackend, options: ClientOptions = {}): ZkinferClient {
  return bind({ backend: retrying(backend, { ...options.retry, confirmTimeoutMs: options.confirmTimeoutMs }), registry: options.registry });
}

function bind(base: ZkinferClientBase): ZkinferClient {
  return {
    ...base,
    deployRegistry: (p) => deployRegistry(base, p),
    deployVerifier: (p) => deployVerifier(base, p),
    registerModel: (p) => registerModel(base, p),
    updateModel: (p) => updateModel(base, p),
    transferModelOwnership: (p) => transferModelOwnership(base, p),
    acceptModelOwnership: (p) => acceptModelOwnership(base, p),
    deprecateModel: (p) => deprecateModel(base, p),
    getModel: (p) => getModel(base, p),
    getModelVersion: (p) => getModelVersion(base, p),
    listModels: (p) => listModels(base, p),
    submitInference: (p) => submitInference(base, p),
    submitInferences: (p) => submitInferences(base, p),
    getRecord: (p) => getRecord(base, p),
    getLatestRecord: (p) => getLatestRecord(base, p),
    findInference: (p) => findInference(base, p),
    listRecords: (p) => listRecords(base, p),
    watchRecords: (p) => watchRecords(base, p),
    auditRecords: (p) => auditRecords(base, p),
    checkVerifierCode: (p) => checkVerifierCode(base, p),
    verifyOffchain: (proof, vk) => verifyOffchain({ proof, vk }),
    withRegistry: (registry) => bind({ backend: base.backend, registry }),
  };
}
