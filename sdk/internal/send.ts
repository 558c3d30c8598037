// Sending a transaction so that its failure is never ambiguous: a broadcast that failed is
// TransactionNotSentError when the node never took it; otherwise the SDK looks for the outcome (the
// receipt by hash, and the records the transaction makes) until confirmTimeoutMs, and only then
// gives up with TransactionUnconfirmedError, which says whether it was broadcast, with its hash and
// nonces. A node paused or a connection dropped mid-send thus ends in the record or in an error
// that says what to do, never in a bare RPC failure of a transaction that was mined.
import type { Address, Hex } from "viem";
import { RpcError, TransactionNotSentError, TransactionRevertedError, TransactionUnconfirmedError, ZkinferError, type TransactionContext } from "../errors.js";
import { RevertedCall, SendFailure, type Broadcast, type RawBackend, type SendContext, type TxOutcome } from "./backend.js";
import { isTransient, type RetryOptions } from "./retry.js";

export interface SendOptions {
  /** How long a sent transaction's receipt (or, if the send's outcome is unknown, its records) is looked for (default 180 s). */
  confirmTimeoutMs?: number;
}

/** Runs a step before the send (a look-up, the simulation): its transport failure means nothing was sent. */
export async function beforeSending<T>(context: TransactionContext, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof RpcError) throw new TransactionNotSentError(context, { cause: err });
    throw err;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendAndConfirm(backend: RawBackend, tx: { to?: Address; data: Hex }, context: SendContext, options: RetryOptions & SendOptions = {}): Promise<TxOutcome> {
  const attempts = Math.max(1, options.attempts ?? 3);
  let delay = options.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    let sent: Broadcast;
    try {
      sent = await backend.broadcast(tx);
    } catch (err) {
      if (err instanceof RevertedCall || err instanceof ZkinferError) throw err;
      const failure = err instanceof SendFailure ? err : new SendFailure("unknown", undefined, undefined, { cause: err });
      const known = { ...context, hash: failure.hash, transactionNonce: failure.transactionNonce };
      if (failure.broadcast === "unknown") return confirm(backend, "unknown", known, options, failure.cause);
      // Nothing went out, so trying again is safe: after a transport failure while preparing, or
      // a refusal of a stale nonce (the next attempt takes a fresh one).
      if (attempt >= attempts || !(failure.staleNonce || isTransient(failure.cause))) throw new TransactionNotSentError(known, { cause: failure.cause });
      await sleep(delay);
      delay *= 2;
      continue;
    }
    return confirm(backend, "yes", { ...context, ...sent }, options);
  }
}

/** Polls for the receipt (by hash) and the transaction's effect (findOutcome) until the deadline. */
async function confirm(
  backend: RawBackend,
  broadcast: "yes" | "unknown",
  context: SendContext & Partial<Broadcast>,
  options: SendOptions,
  sendError?: unknown,
): Promise<TxOutcome> {
  if (!context.hash && !context.findOutcome) throw new TransactionUnconfirmedError(broadcast, context, undefined, { cause: sendError });
  const timeout = options.confirmTimeoutMs ?? 180_000;
  const started = Date.now();
  let lastError = sendError;
  let delay = 10;
  for (;;) {
    try {
      const receipt = context.hash ? await backend.receipt(context.hash) : undefined;
      if (receipt && !receipt.success) {
        // Reverted: a concurrent send of the same records (a resend) may have made them first.
        const made = await context.findOutcome?.();
        if (made) return made;
        throw new TransactionRevertedError({ ...context, hash: receipt.hash }, receipt.blockNumber);
      }
      const found = receipt ?? (await context.findOutcome?.());
      if (found) return found;
    } catch (err) {
      // Typed answers end the wait; a node that does not answer yet (paused, restarting) does not.
      if (err instanceof ZkinferError && !(err instanceof RpcError)) throw err;
      lastError = err;
    }
    if (Date.now() - started >= timeout) break;
    await sleep(Math.min(delay, Math.max(0, started + timeout - Date.now())));
    delay = Math.min(delay * 2, 1000);
  }
  throw new TransactionUnconfirmedError(broadcast, context, Date.now() - started, { cause: lastError });
}
