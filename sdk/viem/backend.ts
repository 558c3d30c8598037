// The Backend over viem: a public client for reads and logs, an optional wallet client for writes.
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";
import { NoSignerError } from "../errors.js";
import { findRevertData, isRevert, RevertedCall, type Backend, type RawLog, type TxOutcome } from "../internal/backend.js";

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

export function viemBackend(publicClient: AnyPublicClient, walletClient?: AnyWalletClient): Backend {
  let account: Address | undefined;
  const sender = async (what: string): Promise<Address> => {
    if (!walletClient) throw new NoSignerError(what);
    account ??= walletClient.account?.address ?? (await walletClient.getAddresses())[0];
    if (!account) throw new NoSignerError(what);
    return account;
  };
  return {
    kind: "viem",
    chainId: () => publicClient.getChainId(),
    account: sender,
    hasSigner: () => walletClient !== undefined,
    async call({ to, data, from }) {
      try {
        return (await publicClient.call({ to, data, account: from })).data ?? "0x";
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async send({ to, data }): Promise<TxOutcome> {
      const from = await sender("this action");
      let hash: Hex;
      try {
        hash = await walletClient!.sendTransaction({ account: walletClient!.account ?? from, to, data, chain: walletClient!.chain ?? null });
      } catch (err) {
        rethrowRevert(err);
      }
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      return {
        hash,
        blockNumber: receipt.blockNumber,
        gasUsed: receipt.gasUsed,
        success: receipt.status === "success",
        logs: receipt.logs.map(toRawLog),
        contractAddress: receipt.contractAddress ?? undefined,
      };
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
