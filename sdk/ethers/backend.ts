// The Backend over ethers v6: a provider for reads and logs, an optional signer for writes. A
// signer that signs locally (Wallet…) is signed for here, with the SDK's nonce sequence, so the
// hash is known before the broadcast; a JsonRpcSigner's account is the node's.
import { JsonRpcSigner, keccak256, type Provider, type Signer, type TransactionReceipt } from "ethers";
import type { Address, Hex } from "viem";
import { NoSignerError } from "../errors.js";
import { findRevertData, isRevert, RevertedCall, SendFailure, type Broadcast, type RawBackend as Backend, type RawLog, type TxOutcome } from "../internal/backend.js";
import { nonceSequence, signedBroadcastFailure } from "../internal/nonces.js";
import { broadcastFailure } from "../internal/retry.js";

function rethrowRevert(err: unknown): never {
  if (isRevert(err)) throw new RevertedCall(findRevertData(err) ?? "0x", { cause: err });
  throw err;
}

const toRawLog = (l: { address: string; topics: readonly string[]; data: string; blockNumber: number; index: number; transactionHash: string }): RawLog => ({
  address: l.address as Address,
  topics: [...l.topics] as Hex[],
  data: l.data as Hex,
  blockNumber: BigInt(l.blockNumber),
  logIndex: l.index,
  transactionHash: l.transactionHash as Hex,
});

/**
 * A JSON-RPC provider's send(), which goes to the node every time (ethers answers identical
 * requests within 250 ms from a cache); undefined for a provider without send(). A quantity answer.
 */
async function uncached(provider: Provider, method: string, params: unknown[]): Promise<string | undefined> {
  const rpc = provider as Partial<{ send(method: string, params: unknown[]): Promise<unknown> }>;
  if (typeof rpc.send !== "function") return undefined;
  const hex = await rpc.send(method, params);
  if (typeof hex !== "string" || !/^0x[0-9a-fA-F]+$/.test(hex)) throw new Error(`the node answered ${method} with a malformed quantity ${String(hex)}`);
  return hex;
}

const toOutcome = (receipt: TransactionReceipt): TxOutcome => ({
  hash: receipt.hash as Hex,
  blockNumber: BigInt(receipt.blockNumber),
  gasUsed: receipt.gasUsed,
  success: receipt.status === 1,
  logs: receipt.logs.map(toRawLog),
  contractAddress: (receipt.contractAddress ?? undefined) as Address | undefined,
});

export function ethersBackend(provider: Provider, signer?: Signer): Backend {
  let account: Address | undefined;
  const sender = async (what: string): Promise<Address> => {
    if (!signer) throw new NoSignerError(what);
    account ??= (await signer.getAddress()) as Address;
    return account;
  };
  let chainId: number | undefined;
  const getChainId = async (): Promise<number> => (chainId ??= Number((await provider.getNetwork()).chainId));

  /** A signer that signs locally (a Wallet…): the SDK picks the nonce, signs, and so knows the hash before broadcasting. */
  async function broadcastSigned(local: Signer, from: Address, to: Address | undefined, data: Hex): Promise<Broadcast> {
    // Uncached: a count cached from just before another send of the account would be stale.
    const pendingCount = async (): Promise<number> => {
      const hex = await uncached(provider, "eth_getTransactionCount", [from, "pending"]);
      return hex === undefined ? provider.getTransactionCount(from, "pending") : Number(hex);
    };
    const sequence = nonceSequence(local, await getChainId(), pendingCount);
    let nonce: number | undefined;
    let signed: string;
    try {
      nonce = await sequence.take();
      const request = await local.populateTransaction({ to, data, nonce });
      signed = await local.signTransaction(request);
    } catch (err) {
      sequence.reset();
      if (isRevert(err)) rethrowRevert(err);
      throw new SendFailure("no", undefined, nonce, { cause: err });
    }
    const hash = keccak256(signed) as Hex;
    try {
      await provider.broadcastTransaction(signed);
    } catch (err) {
      sequence.reset();
      throw await signedBroadcastFailure(err, hash, nonce, pendingCount);
    }
    return { hash, transactionNonce: nonce };
  }

  return {
    kind: "ethers",
    chainId: getChainId,
    account: sender,
    hasSigner: () => signer !== undefined,
    async call({ to, data, from, blockNumber }) {
      try {
        return (await provider.call({ to, data, from, blockTag: blockNumber })) as Hex;
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async estimateGas({ to, data, from }) {
      try {
        return await provider.estimateGas({ to, data, from });
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async broadcast({ to, data }): Promise<Broadcast> {
      const from = await sender("this action");
      // A node's account (JsonRpcSigner, e.g. a BrowserProvider's): the node fills in the nonce
      // and gas, signs and broadcasts in one request.
      if (!(signer instanceof JsonRpcSigner)) return broadcastSigned(signer!, from, to, data);
      try {
        const hash = (await signer.provider.send("eth_sendTransaction", [{ from, to, data }])) as Hex;
        return { hash };
      } catch (err) {
        if (isRevert(err)) rethrowRevert(err);
        throw new SendFailure(broadcastFailure(err), undefined, undefined, { cause: err });
      }
    },
    async receipt(hash) {
      const receipt = await provider.getTransactionReceipt(hash);
      return receipt ? toOutcome(receipt) : undefined;
    },
    async getLogs({ address, topics, fromBlock, toBlock }) {
      const logs = await provider.getLogs({ address, topics, fromBlock: Number(fromBlock), toBlock: Number(toBlock) });
      return logs.map(toRawLog);
    },
    // Not getBlockNumber() or getBlock("latest"): ethers answers both from caches (a polling
    // interval, and 250 ms for identical requests), and a list made right after a transaction must
    // see that transaction's block.
    async blockNumber() {
      const hex = await uncached(provider, "eth_blockNumber", []);
      if (hex !== undefined) return BigInt(hex);
      const block = await provider.getBlock("latest");
      if (!block) throw new Error("the node returned no latest block");
      return BigInt(block.number);
    },
    getCode: async (address) => (await provider.getCode(address)) as Hex,
  };
}
