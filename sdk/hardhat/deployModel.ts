// Deploys a model to the client's registry in one step: generates and compiles its verifier from
// the model directory's verification key and the public-input layout it binds, deploys it, and
// registers the model (the registry reads the layout from the verifier).
import type { Address, Hex } from "viem";
import { registryOf, type ZkinferClientBase } from "../internal/client.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "./model-artifacts.js";
import type { PublicInputLayout } from "../records.js";
import { deployVerifier } from "../actions/deployVerifier.js";
import { registerModel } from "../actions/registerModel.js";

export interface DeployModelParameters {
  /** A model directory (vk.bin, vk.json from `zkinfer setup`), or one already loaded. */
  model: string | ModelArtifacts;
  metadataURI?: string;
}

export interface DeployModelReturnType {
  modelId: Hex;
  verifier: Address;
  contractName: string;
  vkDigest: Hex;
  layout: PublicInputLayout;
  /** Keys made with --dev-srs: proofs under them prove nothing. */
  insecure: boolean;
  blockNumber: bigint;
  gasUsed: { verifier: bigint; registerModel: bigint };
}

export async function deployModel(client: ZkinferClientBase, params: DeployModelParameters): Promise<DeployModelReturnType> {
  registryOf(client, "deployModel");
  const model = typeof params.model === "string" ? await loadModelArtifacts(params.model) : params.model;
  const { bytecode, contractName } = compileModelVerifier(model);
  const verifier = await deployVerifier(client, { bytecode });
  const registered = await registerModel(client, { vkDigest: model.vkDigest, verifier: verifier.address, metadataURI: params.metadataURI });
  return {
    modelId: registered.modelId,
    verifier: verifier.address,
    contractName,
    vkDigest: model.vkDigest,
    layout: model.layout,
    insecure: model.insecure,
    blockNumber: registered.blockNumber,
    gasUsed: { verifier: verifier.gasUsed, registerModel: registered.gasUsed },
  };
}
