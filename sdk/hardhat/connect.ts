// A zkinfer client on the network Hardhat connects to (--network), over its EIP-1193 provider:
// the first account sends transactions (Hardhat signs with the network's configured accounts).
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { createPublicClient, createWalletClient, custom, getAddress, type Address } from "viem";
import { realpathSync } from "node:fs";
import { CliError, EXIT } from "../../prover/cli/errors.js";
import { AcceptingVerifierError, InvalidProofError, RecordLogError, RpcError, TransactionError, VerifierCodeChangedError, ZkinferError } from "../errors.js";
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
  let accounts: string[];
  try {
    accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
  } catch (err) {
    // The first request: a failure here is a node that does not answer, which Hardhat names only by network.
    const where = connection.networkConfig.type === "http" ? ` at ${await origin(connection.networkConfig.url)}` : "";
    throw new RpcError(1, `eth_accounts to network "${connection.networkName}"${where} (is the node running?)`, { cause: err });
  }
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

/** The URL's scheme, host and port: never its path or query, where a provider's API key may sit. */
async function origin(url: { get(): Promise<string> }): Promise<string> {
  try {
    return new URL(await url.get()).origin;
  } catch {
    return "its configured url";
  }
}

/**
 * The CLI's exit code for an error a task failed with: 1 when a check failed (a proof or verifier
 * refused, the node lied about records, a transaction failed), 2 for bad input (arguments, files,
 * an unreachable node, an address that is not a registry), as `zkinfer` exits.
 */
export function taskExitCode(err: ZkinferError | CliError): 1 | 2 {
  if (err instanceof CliError) return err.exitCode;
  const failedCheck =
    err instanceof InvalidProofError || err instanceof RecordLogError || err instanceof VerifierCodeChangedError || err instanceof AcceptingVerifierError || err instanceof TransactionError;
  return failedCheck ? EXIT.checkFailed : EXIT.badInput;
}

/** The plugin's tasks, as `npx hardhat <task>` names them. */
const TASKS = ["deploy-verifier", "submit-proof", "audit"];

/**
 * Started as `npx hardhat <one of these tasks> …`: Hardhat's CLI then exits 1 for any error the
 * task throws. Not under another task (`hardhat test` running tasks in-process keeps its own code).
 */
const cliRunsOurTask = (() => {
  try {
    return /hardhat[/\\]dist[/\\]src[/\\]cli\.js$/.test(realpathSync(process.argv[1] ?? "")) && process.argv.slice(2).some((a) => TASKS.includes(a));
  } catch {
    return false;
  }
})();

/** The exit code the failed task stands for, set by asTask; one listener applies it. */
let failedTaskExitCode: 1 | 2 | undefined;

/** Runs a task body; SDK errors become plugin errors, which Hardhat prints without a stack. */
export async function asTask<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    // The SDK's errors, and the CLI's usage and input errors of the code the tasks share with it.
    if (err instanceof ZkinferError || err instanceof CliError) {
      const code = taskExitCode(err);
      // Hardhat's CLI exits 1 after printing the error; bad input exits 2, as with `zkinfer`. Only
      // in that CLI: a process that runs tasks itself (a script, a test) keeps its own exit code.
      if (cliRunsOurTask) {
        if (failedTaskExitCode === undefined) process.once("exit", (exit) => void (exit === 1 && failedTaskExitCode === 2 && (process.exitCode = 2)));
        failedTaskExitCode = code;
      }
      throw new HardhatPluginError(PLUGIN_ID, err.message, err);
    }
    throw err;
  }
}

export function print(json: boolean, value: Record<string, unknown>, text: string): void {
  console.log(json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) : text);
}
