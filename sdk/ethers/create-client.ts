// createEthersClient: the same client as createClient, on an ethers v6 provider and optional signer.
import type { Provider, Signer } from "ethers";
import { clientFromBackend, type ClientOptions, type ZkinferClient } from "../client.js";
import { ethersBackend } from "./backend.js";

export interface CreateEthersClientParameters extends ClientOptions {
  provider: Provider;
  signer?: Signer;
}

export function createEthersClient({ provider, signer, ...options }: CreateEthersClientParameters): ZkinferClient {
  return clientFromBackend(ethersBackend(provider, signer), options);
}
