// What the SDK's actions need from a chain connection, in raw bytes: calls, transactions with
// their receipts, logs. One implementation wraps viem clients, one an ethers provider and signer;
// the actions above them encode and decode with the registry's ABI and never see which it is.
import type { Address, Hex } from "viem";
import type { TransactionContext } from "../errors.js";

export interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}

export interface TxOutcome {
  hash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  success: boolean;
  logs: RawLog[];
  /** Set when the transaction deployed a contract. */
  contractAddress?: Address;
}

export interface LogFilter {
  address: Address;
  /** Per position: a topic, any of several, or null for any. */
  topics: (Hex | Hex[] | null)[];
  fromBlock: bigint;
  toBlock: bigint;
}

/** Raised by a backend when a call or a gas estimate reverts; `data` is the revert data ("0x" if none). */
export class RevertedCall extends Error {
  override name = "RevertedCall";
  constructor(
    readonly data: Hex,
    options?: { cause?: unknown },
  ) {
    super(`execution reverted (${data})`, options);
  }
}

/** What the actions use: reads, and `send`, which broadcasts and waits for the outcome (see send.ts). */
export interface Backend {
  readonly kind: "viem" | "ethers";
  chainId(): Promise<number>;
  /** The sending account; throws NoSignerError without a wallet client or signer. */
  account(what: string): Promise<Address>;
  hasSigner(): boolean;
  /** An eth_call, against the state after block `blockNumber` when given (default: the latest). */
  call(tx: { to: Address; data: Hex; from?: Address; blockNumber?: bigint }): Promise<Hex>;
  /** Gas the transaction needs; RevertedCall if it reverts. */
  estimateGas(tx: { to?: Address; data: Hex; from: Address }): Promise<bigint>;
  /**
   * Sends a transaction (`to` absent: a deployment) and waits for its receipt. A failure is a
   * TransactionError saying whether it was broadcast; when that is unknown, `context.findOutcome`
   * (the records it makes) is looked for until the client's confirmTimeoutMs.
   */
  send(tx: { to?: Address; data: Hex }, context?: SendContext): Promise<TxOutcome>;
  /** The receipt of a mined transaction, or undefined while it is pending or unknown. */
  receipt(hash: Hex): Promise<TxOutcome | undefined>;
  getLogs(filter: LogFilter): Promise<RawLog[]>;
  blockNumber(): Promise<bigint>;
  getCode(address: Address): Promise<Hex>;
}

export interface SendContext extends Omit<TransactionContext, "hash" | "transactionNonce"> {
  /** The transaction's effect, if it is found on chain (e.g. its records exist): then it was mined. */
  findOutcome?: () => Promise<TxOutcome | undefined>;
}

/** What a viem or ethers adapter implements: Backend, with a bare broadcast in place of send. */
export interface RawBackend extends Omit<Backend, "send"> {
  /**
   * Prepares, signs (locally, when the signer can) and broadcasts a transaction; resolves once the
   * node has taken it. Any failure is a SendFailure (or RevertedCall, when the gas estimate reverts).
   */
  broadcast(tx: { to?: Address; data: Hex }): Promise<Broadcast>;
}

export interface Broadcast {
  hash: Hex;
  /** The account's transaction nonce, when the SDK picked it. */
  transactionNonce?: number;
}

/** A broadcast that failed: "no" if the node never took it, "unknown" if it may have. */
export class SendFailure extends Error {
  override name = "SendFailure";
  constructor(
    readonly broadcast: "no" | "unknown",
    readonly hash: Hex | undefined,
    readonly transactionNonce: number | undefined,
    options: { cause: unknown; staleNonce?: boolean },
  ) {
    super(`broadcast ${broadcast}`, options);
    this.staleNonce = options.staleNonce ?? false;
  }
  /** The node refused it for its nonce (taken already, or past a gap): a fresh nonce may go through. */
  readonly staleNonce: boolean;
}

/** Finds revert data in an error or its causes (viem and ethers nest it differently). */
export function findRevertData(err: unknown): Hex | undefined {
  for (let e = err as { data?: unknown; cause?: unknown; info?: { error?: { data?: unknown } } } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    for (const candidate of [e.data, (e.data as { data?: unknown } | undefined)?.data, e.info?.error?.data]) {
      if (typeof candidate === "string" && /^0x([0-9a-fA-F]{2})*$/.test(candidate)) return candidate as Hex;
    }
  }
  return undefined;
}

/** Whether an error says the execution reverted (as opposed to a transport failure). */
export function isRevert(err: unknown): boolean {
  for (let e = err as { message?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    if (e.code === "CALL_EXCEPTION" || e.code === 3) return true;
    if (typeof e.message === "string" && /revert/i.test(e.message)) return true;
  }
  return false;
}
