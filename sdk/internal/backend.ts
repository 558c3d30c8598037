// What the SDK's actions need from a chain connection, in raw bytes: calls, transactions with
// their receipts, logs. One implementation wraps viem clients, one an ethers provider and signer;
// the actions above them encode and decode with the registry's ABI and never see which it is.
import type { Address, Hex } from "viem";

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

export interface Backend {
  readonly kind: "viem" | "ethers";
  chainId(): Promise<number>;
  /** The sending account; throws NoSignerError without a wallet client or signer. */
  account(what: string): Promise<Address>;
  hasSigner(): boolean;
  call(tx: { to: Address; data: Hex; from?: Address }): Promise<Hex>;
  /** Sends a transaction (`to` absent: a deployment) and waits for its receipt. */
  send(tx: { to?: Address; data: Hex }): Promise<TxOutcome>;
  getLogs(filter: LogFilter): Promise<RawLog[]>;
  blockNumber(): Promise<bigint>;
  getCode(address: Address): Promise<Hex>;
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
