// What every action takes first: the chain connection (a Backend, viem or ethers) and the
// registry's address. The public clients (createClient, createEthersClient) add the actions as
// methods on top of this.
import type { Address } from "viem";
import { MissingRegistryError, RpcError, ZkinferError } from "../errors.js";
import { RevertedCall, type Backend } from "./backend.js";
import { withRetry, type RetryOptions } from "./retry.js";
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

/** Wraps a backend so idempotent requests retry on transient failures and errors come out typed. */
export function retrying(backend: Backend, options: RetryOptions = {}): Backend {
  return {
    kind: backend.kind,
    hasSigner: () => backend.hasSigner(),
    account: (what) => backend.account(what),
    chainId: () => withRetry("eth_chainId", () => backend.chainId(), options),
    call: (tx) => withRetry("eth_call", () => backend.call(tx), options),
    getLogs: (filter) => withRetry("eth_getLogs", () => backend.getLogs(filter), options),
    blockNumber: () => withRetry("eth_blockNumber", () => backend.blockNumber(), options),
    getCode: (address) => withRetry("eth_getCode", () => backend.getCode(address), options),
    // Not retried: a resent transaction could be mined twice. Record ids make a resend safe
    // (RecordExists), but that is the caller's decision.
    async send(tx) {
      try {
        return await backend.send(tx);
      } catch (err) {
        if (err instanceof RevertedCall || err instanceof ZkinferError) throw err;
        throw new RpcError(1, "eth_sendTransaction", { cause: err });
      }
    },
  };
}
