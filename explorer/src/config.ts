// The page's settings: config.json (written by `zkinfer explorer`), then the URL's query string
// (?rpc=…&registry=…&chainId=…), which wins, so the built app works from any static host.
import { getAddress, isAddress, type Address, type Hex } from "viem";

export interface ExplorerConfig {
  rpc: string;
  registry: Address;
  /** The chain the registry is on; unset: whatever the RPC answers. */
  chainId?: number;
  /** Digests of the keys the server hands out under artifacts/<digest>/. */
  keys: Hex[];
}

export class ConfigError extends Error {}

export async function loadConfig(): Promise<ExplorerConfig> {
  let served: Partial<ExplorerConfig> = {};
  try {
    const res = await fetch("config.json", { cache: "no-store" });
    if (res.ok) served = (await res.json()) as Partial<ExplorerConfig>;
  } catch {
    // a static host without config.json: the query string must say everything
  }
  const q = new URLSearchParams(location.search);
  const rpc = q.get("rpc") ?? served.rpc;
  const registry = q.get("registry") ?? served.registry;
  const chainId = q.get("chainId") ?? served.chainId;
  if (!rpc) throw new ConfigError("no JSON-RPC URL: open the page with ?rpc=<url>&registry=<address>, or start it with `zkinfer explorer`");
  if (!registry || !isAddress(registry)) throw new ConfigError(`the registry must be an address (0x and 40 hex digits), got "${registry ?? ""}"`);
  if (chainId !== undefined && chainId !== null && !/^[1-9][0-9]*$/.test(String(chainId))) throw new ConfigError(`chainId must be a chain id, got "${chainId}"`);
  return {
    rpc,
    registry: getAddress(registry),
    ...(chainId === undefined || chainId === null ? {} : { chainId: Number(chainId) }),
    keys: served.keys ?? [],
  };
}
