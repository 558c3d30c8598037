// zkinfer/sdk: the client (viem; on ethers v6 it is zkinfer/sdk/ethers), the actions one per file,
// typed errors, the registry's record types and hashes, and the contract ABIs as const.
export { createClient, type CreateClientParameters } from "./viem/create-client.js";
export type { ZkinferClient, ClientOptions } from "./client.js";
export type { ZkinferClientBase } from "./internal/client.js";
export type { RetryOptions } from "./internal/retry.js";

export * from "./actions/deployRegistry.js";
export * from "./actions/deployVerifier.js";
export * from "./actions/registerModel.js";
export * from "./actions/updateModel.js";
export * from "./actions/transferModelOwnership.js";
export * from "./actions/acceptModelOwnership.js";
export * from "./actions/deprecateModel.js";
export * from "./actions/getModel.js";
export * from "./actions/getModelVersion.js";
export * from "./actions/listModels.js";
export { submitInference, type SubmitInferenceParameters, type SubmitInferenceReturnType } from "./actions/submitInference.js";
export * from "./actions/submitInferences.js";
export * from "./actions/getRecord.js";
export * from "./actions/getLatestRecord.js";
export * from "./actions/findInference.js";
export * from "./actions/listRecords.js";
export * from "./actions/watchRecords.js";
export * from "./actions/verifyOffchain.js";
export * from "./actions/auditRecords.js";
export * from "./actions/checkVerifierCode.js";
export { auditReportJson, auditReportText, checkText, INSECURE_RECORD_WARNING, type AuditReportOptions } from "./audit-report.js";
export { probeVerifier, randomWellFormedProof } from "./verifier-probe.js";
export * from "./output-values.js";

export * from "./errors.js";
export * from "./prover-client.js";
export * from "./records.js";
/** The former name of InferenceRecord (a record as listed or watched). */
export type { InferenceRecord as RecordedInference } from "./records.js";
export type { ProofInput } from "./proof-input.js";
export { inferenceRegistryAbi, inferenceRegistryBytecode } from "./abi/inference-registry.js";
export { zkinferVerifierAbi } from "./abi/zkinfer-verifier.js";
