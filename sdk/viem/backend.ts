// The Backend over viem: a public client for reads and logs, an optional wallet client for writes.
// A local account (privateKeyToAccount, mnemonicToAccount…) is signed for here, with the SDK's
// nonce sequence, so the hash is known before the broadcast; a JSON-RPC account is the node's.
import {
  keccak256,
  TransactionReceiptNotFoundError,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { NoSignerError } from "../errors.js";
import { findRevertData, isRevert, RevertedCall, SendFailure, type Broadcast, type RawBackend as Backend, type RawLog, type TxOutcome } from "../internal/backend.js";
import { nonceSequence, signedBroadcastFailure } from "../internal/nonces.js";
import { broadcastFailure } from "../internal/retry.js";

export type AnyPublicClient = PublicClient<Transport, Chain | undefined>;
export type AnyWalletClient = WalletClient<Transport, Chain | undefined, Account | undefined>;

interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  logIndex: Hex;
  transactionHash: Hex;
}

const toRawLog = (l: { address: Address; topics: readonly Hex[]; data: Hex; blockNumber: bigint | null; logIndex: number | null; transactionHash: Hex | null }): RawLog => ({
  address: l.address,
  topics: [...l.topics],
  data: l.data,
  blockNumber: l.blockNumber ?? 0n,
  logIndex: l.logIndex ?? 0,
  transactionHash: l.transactionHash ?? "0x",
});

function rethrowRevert(err: unknown): never {
  if (isRevert(err)) throw new RevertedCall(findRevertData(err) ?? "0x", { cause: err });
  throw err;
}

const toOutcome = (receipt: TransactionReceipt): TxOutcome => ({
  hash: receipt.transactionHash,
  blockNumber: receipt.blockNumber,
  gasUsed: receipt.gasUsed,
  success: receipt.status === "success",
  logs: receipt.logs.map(toRawLog),
  contractAddress: receipt.contractAddress ?? undefined,
});

export function viemBackend(publicClient: AnyPublicClient, walletClient?: AnyWalletClient): Backend {
  let account: Address | undefined;
  const sender = async (what: string): Promise<Address> => {
    if (!walletClient) throw new NoSignerError(what);
    account ??= walletClient.account?.address ?? (await walletClient.getAddresses())[0];
    if (!account) throw new NoSignerError(what);
    return account;
  };
  let chainId: number | undefined;
  const getChainId = async (): Promise<number> => (chainId ??= await publicClient.getChainId());

  /** A local account: the SDK picks the nonce, signs, and so knows the hash before broadcasting. */
  async function broadcastSigned(wallet: AnyWalletClient, local: LocalAccount, to: Address | undefined, data: Hex): Promise<Broadcast> {
    const pendingCount = (): Promise<number> => publicClient.getTransactionCount({ address: local.address, blockTag: "pending" });
    // An account with viem's own nonceManager keeps it; any other gets the SDK's sequence.
    const sequence = local.nonceManager
      ? undefined
      : nonceSequence(local, await getChainId(), pendingCount);
    let nonce: number | undefined;
    let signed: Hex;
    try {
      nonce = await sequence?.take();
      const request = await wallet.prepareTransactionRequest({ account: local, to, data, nonce, chain: wallet.chain ?? null });
      nonce = request.nonce;
      signed = await local.signTransaction!(request as never);
    } catch (err) {
      sequence?.reset();
      if (isRevert(err)) rethrowRevert(err);
      throw new SendFailure("no", undefined, nonce, { cause: err });
    }
    const hash = keccak256(signed);
    try {
      await wallet.sendRawTransaction({ serializedTransaction: signed });
    } catch (err) {
      sequence?.reset();
      throw await signedBroadcastFailure(err, hash, nonce, pendingCount);
    }
    return { hash, transactionNonce: nonce };
  }

  return {
    kind: "viem",
    chainId: getChainId,
    account: sender,
    hasSigner: () => walletClient !== undefined,
    async call({ to, data, from, blockNumber }) {
      try {
        return (await publicClient.call({ to, data, account: from, blockNumber })).data ?? "0x";
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async estimateGas({ to, data, from }) {
      try {
        return await publicClient.estimateGas({ to, data, account: from });
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async broadcast({ to, data }): Promise<Broadcast> {
      const from = await sender("this action");
      const local = walletClient!.account;
      if (local?.type === "local") return broadcastSigned(walletClient!, local, to, data);
      // A JSON-RPC account: the node fills in the nonce and gas, signs and broadcasts in one request.
      try {
        const hash = await walletClient!.request({ method: "eth_sendTransaction", params: [{ from, to, data }] }, { retryCount: 0 });
        return { hash };
      } catch (err) {
        if (isRevert(err)) rethrowRevert(err);
        throw new SendFailure(broadcastFailure(err), undefined, undefined, { cause: err });
      }
    },
    async receipt(hash) {
      try {
        return toOutcome(await publicClient.getTransactionReceipt({ hash }));
      } catch (err) {
        if (err instanceof TransactionReceiptNotFoundError) return undefined;
        throw err;
      }
    },
    async getLogs({ address, topics, fromBlock, toBlock }) {
      const logs = (await publicClient.request({
        method: "eth_getLogs",
        params: [{ address, topics, fromBlock: `0x${fromBlock.toString(16)}`, toBlock: `0x${toBlock.toString(16)}` }],
      })) as unknown as RpcLog[];
      return logs.map((l) => toRawLog({ ...l, blockNumber: BigInt(l.blockNumber), logIndex: Number(l.logIndex) }));
    },
    blockNumber: () => publicClient.getBlockNumber({ cacheTime: 0 }),
    async getCode(address) {
      return (await publicClient.getCode({ address })) ?? "0x";
    },
  };
}
