// zkinfer/sdk/ethers: the SDK's client on ethers v6. A subpath of its own, so that zkinfer/sdk
// (viem) neither loads nor names ethers, an optional peer dependency.
export { createEthersClient, type CreateEthersClientParameters } from "./create-client.js";
