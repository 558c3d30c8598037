// The SDK's view of models and audit records, and the hashes the registry computes, reproduced
// off-chain so callers can predict record ids and look records up by input.
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/** Where the input and the outputs sit among a proof's public inputs (fixed at registration). */
export interface PublicInputLayout {
  /** Public inputs per proof. */
  count: number;
  inputOffset: number;
  inputCount: number;
  outputOffset: number;
  outputCount: number;
  /** Whether each record keeps the outputs (at most 32); the events carry them regardless. */
  storeOutputs: boolean;
}

export interface ModelInfo {
  id: Hex;
  owner: Address;
  deprecated: boolean;
  verifier: Address;
  registeredAtBlock: bigint;
  vkDigest: Hex;
  layout: PublicInputLayout;
  metadataURI: string;
}

export interface InferenceRecord {
  id: Hex;
  modelId: Hex;
  /** keccak256 of all public inputs (32-byte words). */
  publicInputDigest: Hex;
  /** keccak256 of the input's public-input words (for a hashed input: of its Poseidon commitment). */
  inputHash: Hex;
  outputHash: Hex;
  /** The submitter's reference (e.g. an off-chain request id); zero when unused. */
  reference: Hex;
  submitter: Address;
  blockNumber: bigint;
  timestamp: bigint;
  /** The outputs as field elements, if the model stores them; else empty. */
  outputs: bigint[];
}

export const ZERO_HASH: Hex = `0x${"00".repeat(32)}`;

/** keccak256 of the words as concatenated 32-byte big-endian integers, as the registry hashes them. */
export function hashWords(words: readonly bigint[]): Hex {
  const hex = words.map((w) => {
    if (w < 0n || w >= 1n << 256n) throw new RangeError(`public input ${w} is not a 256-bit word`);
    return w.toString(16).padStart(64, "0");
  });
  return keccak256(`0x${hex.join("")}`);
}

export const publicInputDigest = (publicInputs: readonly bigint[]): Hex => hashWords(publicInputs);

export function inputHashOf(layout: PublicInputLayout, publicInputs: readonly bigint[]): Hex {
  return hashWords(publicInputs.slice(layout.inputOffset, layout.inputOffset + layout.inputCount));
}

export function outputHashOf(layout: PublicInputLayout, publicInputs: readonly bigint[]): Hex {
  return hashWords(publicInputs.slice(layout.outputOffset, layout.outputOffset + layout.outputCount));
}

/** The id the registry gives the record of these public inputs from this submitter with this nonce. */
export function computeRecordId(args: { modelId: Hex; publicInputs: readonly bigint[]; submitter: Address; nonce: bigint }): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }],
      [args.modelId, publicInputDigest(args.publicInputs), args.submitter, args.nonce],
    ),
  );
}

/** A fresh random nonce for a submission. */
export function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

// Conversions from the registry's ABI structs.

interface RawLayout {
  count: number;
  inputOffset: number;
  inputCount: number;
  outputOffset: number;
  outputCount: number;
  storeOutputs: boolean;
}

export const layoutFromAbi = (l: RawLayout): PublicInputLayout => ({
  count: l.count,
  inputOffset: l.inputOffset,
  inputCount: l.inputCount,
  outputOffset: l.outputOffset,
  outputCount: l.outputCount,
  storeOutputs: l.storeOutputs,
});

export function recordFromAbi(
  id: Hex,
  r: { modelId: Hex; publicInputDigest: Hex; inputHash: Hex; outputHash: Hex; ref: Hex; submitter: Address; blockNumber: number; timestamp: number; outputs: readonly bigint[] },
): InferenceRecord {
  return {
    id,
    modelId: r.modelId,
    publicInputDigest: r.publicInputDigest,
    inputHash: r.inputHash,
    outputHash: r.outputHash,
    reference: r.ref,
    submitter: r.submitter,
    blockNumber: BigInt(r.blockNumber),
    timestamp: BigInt(r.timestamp),
    outputs: [...r.outputs],
  };
}
