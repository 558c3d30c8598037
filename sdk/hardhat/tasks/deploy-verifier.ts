// npx hardhat deploy-verifier --artifacts <dir> [--registry <addr>] [--metadata-uri <uri>] [--json]
// Generates and compiles the model's verifier, deploys it, deploys a registry unless one is
// given or recorded for the network, registers the model, and records the deployment.
import { resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getAddress, type Address } from "viem";
import { InvalidArgumentError } from "../../errors.js";
import { asTask, connect, print } from "../connect.js";
import { readDeployments, writeDeployments } from "../deployments.js";
import { compileModelVerifier, loadModelArtifacts } from "../model-artifacts.js";

interface Args {
  artifacts?: string;
  registry?: string;
  metadataUri: string;
  json: boolean;
}

export function parseAddress(value: string, what: string): Address {
  try {
    return getAddress(value);
  } catch {
    throw new InvalidArgumentError(`${what} must be an address (0x and 40 hex digits), got "${value}"`);
  }
}

export default async function deployVerifierTask(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  await asTask(async () => {
    if (!args.artifacts) throw new InvalidArgumentError("--artifacts <dir> is required: the model directory holding vk.bin and vk.json");
    const model = await loadModelArtifacts(resolve(args.artifacts));
    const { client, network, chainId, persistent } = await connect(hre);
    const deployments = await readDeployments(hre.config.paths.root, network, chainId);
    if (model.insecure) console.error("warning: this model's keys were made with --dev-srs: INSECURE, its proofs prove nothing (development only)");

    const { bytecode, contractName } = compileModelVerifier(model);
    const verifier = await client.deployVerifier({ bytecode });

    let registry = args.registry === undefined ? deployments.registry : parseAddress(args.registry, "--registry");
    let registryGas = 0n;
    if (registry && (await client.backend.getCode(registry)) === "0x") {
      if (args.registry !== undefined) throw new InvalidArgumentError(`no contract at --registry ${registry} on network "${network}"`);
      registry = undefined; // the recorded registry is gone (a restarted node): deploy a new one
    }
    if (!registry) {
      const deployed = await client.deployRegistry();
      registry = deployed.address;
      registryGas = deployed.gasUsed;
    }
    const registered = await client.withRegistry(registry).registerModel({
      vkDigest: model.vkDigest,
      verifier: verifier.address,
      layout: model.layout,
      metadataURI: args.metadataUri,
    });

    let recordedIn: string | undefined;
    if (persistent) {
      deployments.registry = registry;
      deployments.models.push({
        modelId: registered.modelId,
        verifier: verifier.address,
        vkDigest: model.vkDigest,
        artifacts: model.dir,
        insecure: model.insecure,
        blockNumber: registered.blockNumber.toString(),
        deployedAt: new Date().toISOString(),
      });
      recordedIn = await writeDeployments(hre.config.paths.root, deployments);
    }
    const result = {
      verifier: verifier.address,
      registry,
      modelId: registered.modelId,
      vkDigest: model.vkDigest,
      contractName,
      network,
      chainId,
      insecure: model.insecure,
      gasUsed: { verifier: verifier.gasUsed, registry: registryGas, registerModel: registered.gasUsed },
      deployments: recordedIn ?? null,
    };
    const text = [
      `verifier ${verifier.address}`,
      `registry ${registry}`,
      `modelId ${registered.modelId}`,
      recordedIn ? `recorded in ${recordedIn}` : `not recorded: network "${network}" is in-process and ends with this command (use a node and --network)`,
    ].join("\n");
    print(args.json, result, text);
  });
}
