// The SDK's view of models and audit records, and the hashes the registry computes, reproduced
// off-chain so callers can predict record ids and look records up by input.
import { bytesToHex, encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/**
 * Where the input and the outputs sit among a proof's public inputs: the registry's projection of
 * the public-input layout the model's key binds, read from its verifier at registration.
 */
export interface PublicInputLayout {
  /** Public inputs per proof. */
  count: number;
  inputOffset: number;
  /** 0 for a private input: records then hold no digest of the input (inputHash zero). */
  inputCount: number;
  outputOffset: number;
  outputCount: number;
}

export interface ModelInfo {
  id: Hex;
  owner: Address;
  /** Proposed by transferModelOwnership; owner once it accepts (zero address if none). */
  pendingOwner: Address;
  deprecated: boolean;
  registeredAtBlock: bigint;
  vkDigest: Hex;
  layout: PublicInputLayout;
  /** keccak256 of the public-input layout the key binds (the verifier's LAYOUT_DIGEST). */
  layoutDigest: Hex;
  /**
   * The key's layout declares what its public inputs mean. False for the layout with no ranges
   * (`setup` without one): its records then name no input ("input not declared", not private)
   * and no outputs.
   */
  publicInputsDeclared: boolean;
  metadataURI: string;
  /** The version that checks submissions in the latest block. */
  currentVersion: number;
  /** Every version of the model, oldest first (the last may take effect only in the next block). */
  versions: number[];
}

/** One verifier of a model, as the registry pinned it; versions never change once added. */
export interface ModelVersion {
  /** Version id (counted from 1 across every model of the registry). */
  version: number;
  modelId: Hex;
  verifier: Address;
  /** The verifier's EXTCODEHASH when the version was added: submissions need the same code. */
  codeHash: Hex;
  vkDigest: Hex;
  /** The verifier's key was built on a development SRS: proofs checked by it prove nothing. */
  insecureDevSrs: boolean;
  /** The first block whose submissions this version checks. */
  firstBlock: bigint;
  /** The version that checks submissions before firstBlock (0 for a model's first). */
  previous: number;
}

/** A record: what the registry stores, what its InferenceRecorded event says, and its version's flag. */
export interface InferenceRecord {
  id: Hex;
  modelId: Hex;
  /** The model version whose verifier accepted the proof. */
  version: number;
  /** That version's verifier and pinned code hash (read from the registry's version). */
  verifier: Address;
  codeHash: Hex;
  /** The version's verifier was built on a development SRS: the record proves nothing. */
  insecureDevSrs: boolean;
  /** keccak256 of all public inputs (32-byte words). */
  publicInputDigest: Hex;
  /**
   * keccak256 of the input's public-input words (for a hashed input: of its Poseidon commitment);
   * zero for a private input (see inputIsPrivate).
   */
  inputHash: Hex;
  /** The model's input is private: the record says nothing about which input was used. */
  inputIsPrivate: boolean;
  /**
   * The model's key declares no meaning for its public inputs (ModelInfo.publicInputsDeclared is
   * false): the input hash is zero because no input is declared, not because it is private.
   */
  inputNotDeclared: boolean;
  outputHash: Hex;
  /** The outputs as field elements (from the event). */
  outputs: bigint[];
  /** The submitter's reference (e.g. an off-chain request id); zero when unused. */
  reference: Hex;
  submitter: Address;
  nonce: bigint;
  /**
   * The record's position among its model's records: 0 for the model's first, then 1, 2, … in the
   * order the registry made them (the model's recordCount before this record). Bound to storage by
   * the record hash, so a node can neither change it nor list a model's records out of this order.
   */
  seq: bigint;
  /**
   * Where the node says the record's log is (block, transaction, index in the block): the node's
   * word alone. Every other field is bound to storage (docs/protocol.md §10.3); the registry stores
   * no block number (it would cost a slot per record), so a dishonest node can show the log in
   * another block or transaction. For when the record was made, use `timestamp`.
   */
  blockNumber: bigint;
  /** When the record was made: the block timestamp, bound to storage by the record hash. */
  timestamp: bigint;
  /** The node's word, like blockNumber. */
  transactionHash: Hex;
  /** The node's word, like blockNumber. */
  logIndex: number;
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

/** The input hash the registry records: zero for a private input (no input words), else their keccak256. */
export function inputHashOf(layout: PublicInputLayout, publicInputs: readonly bigint[]): Hex {
  if (layout.inputCount === 0) return ZERO_HASH;
  return hashWords(publicInputs.slice(layout.inputOffset, layout.inputOffset + layout.inputCount));
}

export function outputHashOf(layout: PublicInputLayout, publicInputs: readonly bigint[]): Hex {
  return hashWords(publicInputs.slice(layout.outputOffset, layout.outputOffset + layout.outputCount));
}

/** The id the registry gives the record of these public inputs from this submitter with this nonce. */
export function computeRecordId(args: { modelId: Hex; publicInputs: readonly bigint[]; submitter: Address; nonce: bigint }): Hex {
  return recordIdOfDigest({ ...args, publicInputDigest: publicInputDigest(args.publicInputs) });
}

/** computeRecordId from the public inputs' digest (as a record stores it) instead of the inputs. */
export function recordIdOfDigest(args: { modelId: Hex; publicInputDigest: Hex; submitter: Address; nonce: bigint }): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }], [args.modelId, args.publicInputDigest, args.submitter, args.nonce]),
  );
}

/**
 * The record hash a record stores under its id (the registry's hashRecord):
 * keccak256(abi.encode(recordId, version, codeHash, timestamp, seq, inputHash, outputHash, ref)).
 * With the id (model, public-input digest, submitter, nonce) it binds every word of the record.
 */
export function recordHashOf(args: {
  recordId: Hex;
  version: number;
  codeHash: Hex;
  timestamp: bigint;
  seq: bigint;
  inputHash: Hex;
  outputHash: Hex;
  reference: Hex;
}): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint32" }, { type: "bytes32" }, { type: "uint48" }, { type: "uint64" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }],
      [args.recordId, args.version, args.codeHash, Number(args.timestamp), args.seq, args.inputHash, args.outputHash, args.reference],
    ),
  );
}

/**
 * A record's words in the form the registry's isRecorded takes them (InferenceRegistry.Record), for
 * a consuming contract's caller: pass it with the outputs, and the contract checks both.
 */
export function recordWords(record: InferenceRecord) {
  return {
    modelId: record.modelId,
    publicInputDigest: record.publicInputDigest,
    submitter: record.submitter,
    nonce: record.nonce,
    version: record.version,
    codeHash: record.codeHash,
    timestamp: Number(record.timestamp),
    seq: record.seq,
    inputHash: record.inputHash,
    outputHash: record.outputHash,
    ref: record.reference,
  };
}

/** A fresh random nonce for a submission. */
export function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return BigInt(bytesToHex(bytes));
}

// Conversions from the registry's ABI structs.

interface RawLayout {
  count: number;
  inputOffset: number;
  inputCount: number;
  outputOffset: number;
  outputCount: number;
}

export const layoutFromAbi = (l: RawLayout): PublicInputLayout => ({
  count: l.count,
  inputOffset: l.inputOffset,
  inputCount: l.inputCount,
  outputOffset: l.outputOffset,
  outputCount: l.outputCount,
});

export function versionFromAbi(
  version: number,
  v: { modelId: Hex; verifier: Address; firstBlock: number; insecureDevSrs: boolean; previous: number; codeHash: Hex; vkDigest: Hex },
): ModelVersion {
  return {
    version,
    modelId: v.modelId,
    verifier: v.verifier,
    codeHash: v.codeHash,
    vkDigest: v.vkDigest,
    insecureDevSrs: v.insecureDevSrs,
    firstBlock: BigInt(v.firstBlock),
    previous: v.previous,
  };
}
