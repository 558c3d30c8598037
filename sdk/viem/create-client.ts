// createClient: the zkinfer client on viem clients (a public client for reads, an optional
// wallet client for transactions), against any JSON-RPC node or Hardhat's in-process network.
import { clientFromBackend, type ClientOptions, type ZkinferClient } from "../client.js";
import { viemBackend, type AnyPublicClient, type AnyWalletClient } from "./backend.js";

export interface CreateClientParameters extends ClientOptions {
  publicClient: AnyPublicClient;
  walletClient?: AnyWalletClient;
}

export function createClient({ publicClient, walletClient, ...options }: CreateClientParameters): ZkinferClient {
  return clientFromBackend(viemBackend(publicClient, walletClient), options);
}
