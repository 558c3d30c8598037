// Typed SDK errors. Contract reverts are decoded from the registry's custom errors into the
// classes below, so callers can branch with instanceof instead of parsing messages.
import { decodeErrorResult, type Hex } from "viem";
import { inferenceRegistryAbi } from "./abi/inference-registry.js";

export class ZkinferError extends Error {
  override name = "ZkinferError";
}

/** The verifier refused the proof (returned false), or reverted on a malformed proof or public input. */
export class InvalidProofError extends ZkinferError {
  override name = "InvalidProofError";
  constructor(
    readonly modelId: Hex,
    /** The verifier's revert data when it reverted (a malformed proof), else undefined. */
    readonly verifierRevert?: Hex,
  ) {
    super(
      verifierRevert === undefined
        ? `the proof does not verify for model ${modelId} (wrong model, altered proof or public inputs); nothing was recorded`
        : `the verifier of model ${modelId} rejected the proof as malformed (revert data ${verifierRevert}); nothing was recorded`,
    );
  }
}

export class UnknownModelError extends ZkinferError {
  override name = "UnknownModelError";
  constructor(readonly modelId: Hex) {
    super(`no model ${modelId} is registered in this registry`);
  }
}

export class DeprecatedModelError extends ZkinferError {
  override name = "DeprecatedModelError";
  constructor(readonly modelId: Hex) {
    super(`model ${modelId} is deprecated and accepts no new records`);
  }
}

export class UnknownRecordError extends ZkinferError {
  override name = "UnknownRecordError";
  constructor(readonly recordId: Hex) {
    super(`no record ${recordId} in this registry`);
  }
}

export class NotModelOwnerError extends ZkinferError {
  override name = "NotModelOwnerError";
  constructor(
    readonly modelId: Hex,
    readonly caller: Hex,
  ) {
    super(`${caller} does not own model ${modelId}; only its owner may change it`);
  }
}

export class RecordExistsError extends ZkinferError {
  override name = "RecordExistsError";
  constructor(readonly recordId: Hex) {
    super(`record ${recordId} already exists (same model, public inputs, submitter and nonce); pick another nonce to record the inference again`);
  }
}

export class PublicInputCountError extends ZkinferError {
  override name = "PublicInputCountError";
  constructor(
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(`the model takes ${expected} public inputs but ${actual} were given (a proof for another model?)`);
  }
}

/** Any other custom error of the registry (bad layout, not a contract, batch size…). */
export class RegistryError extends ZkinferError {
  override name = "RegistryError";
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[],
  ) {
    super(`the registry refused the call: ${errorName}(${args.map(String).join(", ")})`);
  }
}

/** A call reverted without a reason the registry's ABI explains. */
export class ContractRevertError extends ZkinferError {
  override name = "ContractRevertError";
  constructor(
    readonly data: Hex,
    message?: string,
  ) {
    super(message ?? `the call reverted${data === "0x" ? " without a reason" : ` with data ${data}`}`);
  }
}

/** The JSON-RPC endpoint failed, after the configured retries for transient failures. */
export class RpcError extends ZkinferError {
  override name = "RpcError";
  constructor(
    readonly attempts: number,
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    const why = options?.cause instanceof Error ? options.cause.message.split("\n")[0] : String(options?.cause);
    super(`RPC ${operation} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${why}`, options);
  }
}

/** A write was asked of a client without a wallet client (viem) or signer (ethers). */
export class NoSignerError extends ZkinferError {
  override name = "NoSignerError";
  constructor(what: string) {
    super(`${what} sends a transaction: create the client with a walletClient (viem) or a signer (ethers)`);
  }
}

/** The client was created without a registry address and the action needs one. */
export class MissingRegistryError extends ZkinferError {
  override name = "MissingRegistryError";
  constructor(what: string) {
    super(`${what} needs a registry: create the client with { registry: <address> } (deployRegistry deploys one)`);
  }
}

/** Arguments the SDK refuses before touching the chain (a malformed proof file, a bad id…). */
export class InvalidArgumentError extends ZkinferError {
  override name = "InvalidArgumentError";
}

/** Maps revert data from the registry to the typed error it stands for. */
export function decodeRegistryError(data: Hex): ZkinferError {
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: inferenceRegistryAbi, data });
  } catch {
    return new ContractRevertError(data);
  }
  const a = decoded.args as readonly unknown[];
  switch (decoded.errorName) {
    case "InvalidProof":
      return new InvalidProofError(a[0] as Hex);
    case "ProofRejected":
      return new InvalidProofError(a[0] as Hex, a[1] as Hex);
    case "UnknownModel":
      return new UnknownModelError(a[0] as Hex);
    case "ModelIsDeprecated":
      return new DeprecatedModelError(a[0] as Hex);
    case "UnknownRecord":
      return new UnknownRecordError(a[0] as Hex);
    case "NotModelOwner":
      return new NotModelOwnerError(a[0] as Hex, a[1] as Hex);
    case "RecordExists":
      return new RecordExistsError(a[0] as Hex);
    case "PublicInputCountMismatch":
      return new PublicInputCountError(a[0] as bigint, a[1] as bigint);
    default:
      return new RegistryError(decoded.errorName, a);
  }
}
