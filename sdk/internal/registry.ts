// Typed calls to the InferenceRegistry over any Backend: reads decode their results, writes are
// simulated first (so a revert comes back as a typed error before any gas is spent) and then
// sent; registry events are decoded from receipts and logs.
import {
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type DecodeEventLogReturnType,
  type Hex,
} from "viem";
import { inferenceRegistryAbi } from "../abi/inference-registry.js";
import { ContractRevertError, decodeRegistryError } from "../errors.js";
import { RevertedCall, type RawLog, type SendContext, type TxOutcome } from "./backend.js";
import { registryOf, type ZkinferClientBase } from "./client.js";
import { beforeSending } from "./send.js";
import { encodeArguments } from "./validate.js";

type RegistryAbi = typeof inferenceRegistryAbi;
type ReadName = ContractFunctionName<RegistryAbi, "view" | "pure">;
type WriteName = ContractFunctionName<RegistryAbi, "nonpayable">;

const encodeCall = (functionName: string, args: unknown): Hex =>
  encodeArguments(functionName, () => encodeFunctionData({ abi: inferenceRegistryAbi, functionName, args } as never));

function rethrowTyped(err: unknown): never {
  if (err instanceof RevertedCall) throw decodeRegistryError(err.data);
  throw err;
}

export async function readRegistry<const F extends ReadName>(
  client: ZkinferClientBase,
  functionName: F,
  args: ContractFunctionArgs<RegistryAbi, "view" | "pure", F>,
  /** Read the state after this block (default: the latest). */
  blockNumber?: bigint,
): Promise<ContractFunctionReturnType<RegistryAbi, "view" | "pure", F>> {
  const to = registryOf(client, functionName);
  const data = encodeCall(functionName, args);
  let result: Hex;
  const notARegistry = (data: Hex, what: string) => new ContractRevertError(data, `the contract at ${to} is not an InferenceRegistry: ${what} (wrong address or network?)`);
  try {
    result = await client.backend.call({ to, data, blockNumber });
  } catch (err) {
    if (!(err instanceof RevertedCall)) throw err;
    const typed = decodeRegistryError(err.data);
    // A registry's reads revert only with its own errors: any other revert is another contract's.
    if (typed.constructor === ContractRevertError) throw notARegistry(err.data, `${functionName} reverted${err.data === "0x" ? "" : ` with data ${err.data}`}`);
    throw typed;
  }
  if (result === "0x") throw new ContractRevertError("0x", `no InferenceRegistry at ${to} (the call returned nothing: wrong address or network?)`);
  try {
    return decodeFunctionResult({ abi: inferenceRegistryAbi, functionName, data: result } as never) as ContractFunctionReturnType<RegistryAbi, "view" | "pure", F>;
  } catch {
    throw notARegistry(result, `its answer to ${functionName} does not decode`);
  }
}

export interface WriteOutcome<F extends WriteName> extends TxOutcome {
  /** The function's return value, from the simulation just before sending. */
  result: ContractFunctionReturnType<RegistryAbi, "nonpayable", F>;
}

export async function writeRegistry<const F extends WriteName>(
  client: ZkinferClientBase,
  functionName: F,
  args: ContractFunctionArgs<RegistryAbi, "nonpayable", F>,
  /** The records the call makes, for its errors and for finding its outcome if the send's is unknown. */
  context: Omit<SendContext, "operation"> = {},
): Promise<WriteOutcome<F>> {
  const to = registryOf(client, functionName);
  const data = encodeCall(functionName, args);
  const sending = { operation: functionName, ...context };
  let simulated: Hex;
  try {
    simulated = await beforeSending(sending, async () => client.backend.call({ to, data, from: await client.backend.account(functionName) }));
    const outcome = await client.backend.send({ to, data }, sending);
    const result = decodeFunctionResult({ abi: inferenceRegistryAbi, functionName, data: simulated } as never) as ContractFunctionReturnType<RegistryAbi, "nonpayable", F>;
    return { ...outcome, result };
  } catch (err) {
    rethrowTyped(err);
  }
}

/** Gas a registry write needs, from the client's account; its revert comes back typed. */
export async function estimateRegistryGas<const F extends WriteName>(client: ZkinferClientBase, functionName: F, args: ContractFunctionArgs<RegistryAbi, "nonpayable", F>): Promise<bigint> {
  const to = registryOf(client, functionName);
  const data = encodeCall(functionName, args);
  try {
    return await client.backend.estimateGas({ to, data, from: await client.backend.account(functionName) });
  } catch (err) {
    rethrowTyped(err);
  }
}

export type RegistryEvent = DecodeEventLogReturnType<RegistryAbi, ContractEventName<RegistryAbi>> & { log: RawLog };

/** The registry's events among `logs` (logs of other contracts or unknown events are skipped). */
export function registryEvents(client: ZkinferClientBase, logs: readonly RawLog[]): RegistryEvent[] {
  const registry = client.registry?.toLowerCase();
  const out: RegistryEvent[] = [];
  for (const log of logs) {
    if (log.address.toLowerCase() !== registry) continue;
    try {
      const decoded = decodeEventLog({ abi: inferenceRegistryAbi, topics: log.topics as [Hex, ...Hex[]], data: log.data });
      out.push({ ...decoded, log } as RegistryEvent);
    } catch {
      // not one of the registry's events
    }
  }
  return out;
}
