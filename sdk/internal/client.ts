// What every action takes first: the chain connection (a Backend, viem or ethers) and the
// registry's address. The public clients (createClient, createEthersClient) add the actions as
// methods on top of this.
import type { Address } from "viem";
import { MissingRegistryError } from "../errors.js";
import type { Backend, RawBackend } from "./backend.js";
import { withRetry, type RetryOptions } from "./retry.js";
import { sendAndConfirm, type SendOptions } from "./send.js";
import { checkAddress } from "./validate.js";

export interface ZkinferClientBase {
  readonly backend: Backend;
  /** The InferenceRegistry address; undefined until one is given (deployRegistry deploys one). */
  readonly registry: Address | undefined;
}

/** The registry address, or MissingRegistryError naming the action. */
export function registryOf(client: ZkinferClientBase, what: string): Address {
  if (!client.registry) throw new MissingRegistryError(what);
  return checkAddress("the registry address", client.registry);
}

/**
 * Wraps an adapter's backend: idempotent requests retry on transient failures, errors come out
 * typed, and sends wait for their outcome (send.ts).
 */
export function retrying(backend: RawBackend, options: RetryOptions & SendOptions = {}): Backend {
  return {
    kind: backend.kind,
    hasSigner: () => backend.hasSigner(),
    account: (what) => withRetry("eth_accounts", () => backend.account(what), options),
    chainId: () => withRetry("eth_chainId", () => backend.chainId(), options),
    call: (tx) => withRetry("eth_call", () => backend.call(tx), options),
    estimateGas: (tx) => withRetry("eth_estimateGas", () => backend.estimateGas(tx), options),
    receipt: (hash) => withRetry("eth_getTransactionReceipt", () => backend.receipt(hash), options),
    getLogs: (filter) => withRetry("eth_getLogs", () => backend.getLogs(filter), options),
    blockNumber: () => withRetry("eth_blockNumber", () => backend.blockNumber(), options),
    getCode: (address) => withRetry("eth_getCode", () => backend.getCode(address), options),
    // Resent only when nothing went out (a transport failure while preparing); otherwise a resend
    // is the caller's decision, and the failure says whether the first one was broadcast.
    send: (tx, context = { operation: tx.to ? "transaction" : "deployment" }) => sendAndConfirm(backend, tx, context, options),
  };
}
