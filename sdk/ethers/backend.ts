// The Backend over ethers v6: a provider for reads and logs, an optional signer for writes.
import type { Provider, Signer, TransactionReceipt } from "ethers";
import type { Address, Hex } from "viem";
import { NoSignerError } from "../errors.js";
import { findRevertData, isRevert, RevertedCall, type Backend, type RawLog, type TxOutcome } from "../internal/backend.js";

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

export function ethersBackend(provider: Provider, signer?: Signer): Backend {
  let account: Address | undefined;
  const sender = async (what: string): Promise<Address> => {
    if (!signer) throw new NoSignerError(what);
    account ??= (await signer.getAddress()) as Address;
    return account;
  };
  return {
    kind: "ethers",
    chainId: async () => Number((await provider.getNetwork()).chainId),
    account: sender,
    hasSigner: () => signer !== undefined,
    async call({ to, data, from }) {
      try {
        return (await provider.call({ to, data, from })) as Hex;
      } catch (err) {
        rethrowRevert(err);
      }
    },
    async send({ to, data }): Promise<TxOutcome> {
      if (!signer) throw new NoSignerError("this action");
      let receipt: TransactionReceipt | null;
      let hash: Hex;
      try {
        const tx = await signer.sendTransaction({ to, data });
        hash = tx.hash as Hex;
        receipt = await tx.wait();
      } catch (err) {
        rethrowRevert(err);
      }
      if (!receipt) throw new Error(`no receipt for transaction ${hash}`);
      return {
        hash,
        blockNumber: BigInt(receipt.blockNumber),
        gasUsed: receipt.gasUsed,
        success: receipt.status === 1,
        logs: receipt.logs.map(toRawLog),
        contractAddress: (receipt.contractAddress ?? undefined) as Address | undefined,
      };
    },
    async getLogs({ address, topics, fromBlock, toBlock }) {
      const logs = await provider.getLogs({ address, topics, fromBlock: Number(fromBlock), toBlock: Number(toBlock) });
      return logs.map(toRawLog);
    },
    // Not getBlockNumber() or getBlock("latest"): ethers answers both from caches (a polling
    // interval, and 250 ms for identical requests), and a list made right after a transaction must
    // see that transaction's block. A JSON-RPC provider's send() goes to the node every time.
    async blockNumber() {
      const rpc = provider as Partial<{ send(method: string, params: unknown[]): Promise<unknown> }>;
      if (typeof rpc.send === "function") {
        const hex = await rpc.send("eth_blockNumber", []);
        if (typeof hex !== "string" || !/^0x[0-9a-fA-F]+$/.test(hex)) throw new Error(`the node returned a malformed block number ${String(hex)}`);
        return BigInt(hex);
      }
      const block = await provider.getBlock("latest");
      if (!block) throw new Error("the node returned no latest block");
      return BigInt(block.number);
    },
    getCode: async (address) => (await provider.getCode(address)) as Hex,
  };
}
