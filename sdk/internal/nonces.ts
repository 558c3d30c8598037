// Transaction nonces of accounts the SDK signs for: handed out one after another, so several
// sends in flight from one account never take the same one (the node's pending count lags behind
// a send that is still being prepared). After a send that may not have used its nonce, the next
// one asks the node again. Shared by every client made with the same account or signer object.
import type { Hex } from "viem";
import { SendFailure } from "./backend.js";
import { broadcastFailure } from "./retry.js";

export class NonceSequence {
  #next: Promise<number> | undefined;

  constructor(private readonly pendingCount: () => Promise<number>) {}

  take(): Promise<number> {
    const current = this.#next ?? this.pendingCount();
    const next = current.then((n) => n + 1);
    this.#next = next;
    // A failed count is not kept: the next take asks again.
    next.catch(() => {
      if (this.#next === next) this.#next = undefined;
    });
    return current;
  }

  /** After a failed send: the next nonce comes from the node's pending count. */
  reset(): void {
    this.#next = undefined;
  }
}

const sequences = new WeakMap<object, Map<number, NonceSequence>>();

/** The sequence of `signer` (a viem account or an ethers signer object) on chain `chainId`. */
export function nonceSequence(signer: object, chainId: number, pendingCount: () => Promise<number>): NonceSequence {
  let byChain = sequences.get(signer);
  if (!byChain) sequences.set(signer, (byChain = new Map()));
  let sequence = byChain.get(chainId);
  if (!sequence) byChain.set(chainId, (sequence = new NonceSequence(pendingCount)));
  return sequence;
}

/**
 * The SendFailure of a broadcast the SDK signed. A refusal while the node's pending count differs
 * from the nonce used means that nonce was stale (another transaction took it, e.g. one sent from
 * the same account outside the SDK, or an earlier nonce was left unused): the transaction did not
 * go out, and a fresh nonce may. Told apart by the account's state, not by the node's message.
 */
export async function signedBroadcastFailure(err: unknown, hash: Hex, nonce: number | undefined, pendingCount: () => Promise<number>): Promise<SendFailure> {
  const broadcast = broadcastFailure(err);
  const staleNonce = broadcast === "no" && nonce !== undefined && (await pendingCount().catch(() => nonce)) !== nonce;
  return new SendFailure(broadcast, hash, nonce, { cause: err, staleNonce });
}
