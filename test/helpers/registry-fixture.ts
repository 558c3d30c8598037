// The registry fixture the record-layer tests share: an InferenceRegistry with one model whose
// verifier is contracts/test/PairingTestVerifier.sol (tests can prove any public inputs under its
// key), and SDK clients whose node lies about the logs it returns.
import type { network } from "hardhat";
import { createPublicClient, custom, parseEventLogs, type Hex } from "viem";
import { createClient, inferenceRegistryAbi } from "../../sdk/index.js";
import { pairingTestKey } from "../contracts/pairing-test-prover.js";

export type Connection = Awaited<ReturnType<typeof network.create>>;

export const TEST_KEY = pairingTestKey(0x5eedn);
export const VK_DIGEST = `0x${"cd".repeat(32)}` as Hex;
export const LAYOUT_DIGEST = `0x${"1b".repeat(32)}` as Hex;
export const ZERO_REF = `0x${"00".repeat(32)}` as Hex;
/** 4 public inputs: the input at 0..2, the outputs at 2..4. */
export const RANGES: [bigint, bigint, bigint, bigint] = [0n, 2n, 2n, 2n];

/** A log as a node returns it from eth_getLogs. */
export type RpcLog = { address: Hex; data: Hex; topics: Hex[]; blockNumber: Hex; transactionHash: Hex; logIndex: Hex };
export type LogFilter = { topics?: (Hex | null)[]; fromBlock?: Hex };

/** The model id a registerModel transaction made. */
export async function registeredModelId(connection: Connection, hash: Hex): Promise<Hex> {
  const receipt = await (await connection.viem.getPublicClient()).waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: inferenceRegistryAbi, logs: receipt.logs, eventName: "ModelRegistered" });
  return event.args.modelId;
}

/** A fresh registry and a pairing-test verifier under TEST_KEY, registered as one model. */
export async function deployRegisteredModel(connection: Connection, layout: { digest: Hex; ranges: readonly bigint[] } = { digest: LAYOUT_DIGEST, ranges: RANGES }) {
  const { viem } = connection;
  const registry = await viem.deployContract("InferenceRegistry");
  const ranges = layout.ranges as [bigint, bigint, bigint, bigint];
  const verifier = await viem.deployContract("PairingTestVerifier", [[...TEST_KEY.tauG2], VK_DIGEST, 4n, false, layout.digest, ranges]);
  const registration = await registry.write.registerModel([VK_DIGEST, verifier.address, ""]);
  return { registry, verifier, registration, modelId: await registeredModelId(connection, registration) };
}

/** An SDK client of `registry` whose node answers every request honestly, then passes the answer through `lie`. */
export function lyingClient(connection: Connection, registry: Hex, lie: (method: string, params: unknown[], answer: unknown) => unknown) {
  return createClient({
    publicClient: createPublicClient({
      transport: custom({
        request: async ({ method, params }: { method: string; params: unknown[] }) => lie(method, params, await connection.provider.request({ method, params })),
      }),
    }),
  }).withRegistry(registry);
}

/** A lie that rewrites only eth_getLogs answers, given the query's filter. */
export const lyingLogs =
  (rewrite: (logs: RpcLog[], filter: LogFilter) => RpcLog[] | Promise<RpcLog[]>) =>
  (method: string, params: unknown[], answer: unknown): unknown =>
    method === "eth_getLogs" ? rewrite(answer as RpcLog[], params[0] as LogFilter) : answer;

/** Every log of `registry`, from the honest chain. */
export async function allLogs(connection: Connection, registry: Hex): Promise<RpcLog[]> {
  return (await connection.provider.request({ method: "eth_getLogs", params: [{ address: registry, fromBlock: "0x0", toBlock: "latest" }] })) as RpcLog[];
}

export const sameWord = (a: Hex | null | undefined, b: Hex): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** A log rewrite that leaves out the logs of these record ids. */
export const withoutRecords =
  (...recordIds: Hex[]) =>
  (logs: RpcLog[]): RpcLog[] =>
    logs.filter((l) => !recordIds.some((id) => sameWord(l.topics[1], id)));

/** The outcome of a read that must either refuse or resolve: the error, or the value. */
export async function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}
