// A zkinfer client on the network Hardhat connects to (--network), over its EIP-1193 provider:
// the first account sends transactions (Hardhat signs with the network's configured accounts).
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { createPublicClient, createWalletClient, custom, getAddress, type Address } from "viem";
import { CliError } from "../../prover/cli/errors.js";
import { ZkinferError } from "../errors.js";
import { createClient } from "../viem/create-client.js";
import type { ZkinferClient } from "../client.js";

export const PLUGIN_ID = "zkinfer";

export interface TaskConnection {
  client: ZkinferClient;
  network: string;
  chainId: number;
  /** False for Hardhat's in-process network, whose state ends with the command. */
  persistent: boolean;
  account: Address | undefined;
}

export async function connect(hre: HardhatRuntimeEnvironment): Promise<TaskConnection> {
  const connection = await hre.network.getOrCreate();
  const transport = custom(connection.provider);
  const publicClient = createPublicClient({ transport });
  const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  const account = accounts[0] ? getAddress(accounts[0]) : undefined;
  const walletClient = account ? createWalletClient({ account, transport }) : undefined;
  return {
    client: createClient({ publicClient, walletClient }),
    network: connection.networkName,
    chainId: await publicClient.getChainId(),
    persistent: connection.networkConfig.type !== "edr-simulated",
    account,
  };
}

/** Runs a task body; SDK errors become plugin errors, which Hardhat prints without a stack. */
export async function asTask<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    // The SDK's errors, and the CLI's usage and input errors of the code the tasks share with it.
    if (err instanceof ZkinferError || err instanceof CliError) throw new HardhatPluginError(PLUGIN_ID, err.message, err);
    throw err;
  }
}

export function print(json: boolean, value: Record<string, unknown>, text: string): void {
  console.log(json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) : text);
}
