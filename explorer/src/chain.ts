// The explorer's data layer: one viem public client on the configured RPC and the zkinfer client on
// it. Everything is read through zkinfer/sdk's actions; the few raw reads (chain id, code, a
// transaction and its receipt) go through the same viem client.
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { createClient, dequantizeOutputs, inferenceRegistryAbi, type InferenceRecord, type ModelInfo, type ModelVersion, type ZkinferClient } from "../../sdk/index.js";
import type { ExplorerConfig } from "./config.js";

export interface Chain {
  config: ExplorerConfig;
  publicClient: PublicClient;
  client: ZkinferClient;
  chainId: number;
}

/** Why the page cannot show the registry: each has its own screen. */
export class ConnectionProblem extends Error {
  constructor(
    readonly kind: "unreachable" | "wrong-network" | "not-registry",
    message: string,
  ) {
    super(message);
  }
}

export async function connect(config: ExplorerConfig): Promise<Chain> {
  const publicClient = createPublicClient({ transport: http(config.rpc, { retryCount: 1, timeout: 10_000 }) }) as PublicClient;
  let chainId: number;
  try {
    chainId = await publicClient.getChainId();
  } catch (err) {
    throw new ConnectionProblem("unreachable", `the JSON-RPC node at ${config.rpc} cannot be reached from this browser (${(err as Error).message.split("\n")[0]})`);
  }
  if (config.chainId !== undefined && chainId !== config.chainId) {
    throw new ConnectionProblem("wrong-network", `the node at ${config.rpc} serves chain ${chainId}, but the registry is on chain ${config.chainId}`);
  }
  const client = createClient({ publicClient, registry: config.registry });
  const code = await publicClient.getCode({ address: config.registry });
  if (!code || code === "0x") throw new ConnectionProblem("not-registry", `${config.registry} holds no contract on chain ${chainId}: it is not an inference registry`);
  try {
    await client.listModels({ limit: 1 });
  } catch (err) {
    throw new ConnectionProblem("not-registry", `the contract at ${config.registry} does not answer as an inference registry (${(err as Error).message.split("\n")[0]})`);
  }
  return { config, publicClient, client, chainId };
}

export interface ModelSummary {
  model: ModelInfo;
  versions: ModelVersion[];
  recordCount: number;
}

/** The model, its versions and its record count (after block `atBlock`, default the latest). */
export async function modelSummary(chain: Chain, modelId: Hex, atBlock?: bigint): Promise<ModelSummary> {
  const model = await chain.client.getModel({ modelId });
  const versions = await Promise.all(model.versions.map((version) => chain.client.getModelVersion({ version })));
  const recordCount = Number(
    await chain.publicClient.readContract({ address: chain.config.registry, abi: inferenceRegistryAbi, functionName: "recordCount", args: [modelId], blockNumber: atBlock }),
  );
  return { model, versions, recordCount };
}

export async function allModels(chain: Chain): Promise<Hex[]> {
  const ids: Hex[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = await chain.client.listModels({ offset, limit: 100 });
    ids.push(...page.modelIds);
    offset = page.nextOffset;
  }
  return ids;
}

/** A key file the server hands out for a key digest, or undefined when it has none. */
export async function keyFile(chain: Chain, vkDigest: Hex, name: "vk.bin" | "layout.json"): Promise<Uint8Array | undefined> {
  if (!chain.config.keys.some((k) => k.toLowerCase() === vkDigest.toLowerCase())) return undefined;
  const res = await fetch(`artifacts/${vkDigest.toLowerCase()}/${name}`, { cache: "no-store" });
  return res.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
}

/** The record's outputs as numbers when the key's layout (digest-checked against the registry) is at hand. */
export async function outputValues(chain: Chain, model: ModelInfo, record: InferenceRecord): Promise<number[] | undefined> {
  const bytes = await keyFile(chain, model.vkDigest, "layout.json");
  if (!bytes) return undefined;
  return dequantizeOutputs({ layout: JSON.parse(new TextDecoder().decode(bytes)), layoutDigest: model.layoutDigest, outputs: record.outputs });
}
