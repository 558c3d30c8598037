// npx hardhat deploy-verifier --artifacts <dir> [--registry <addr>] [--metadata-uri <uri>] [--json]
// Deploys a registry unless one is given or recorded for the network, then the model (its
// verifier generated and compiled from vk.bin, and its registration), and records the deployment.
import { resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getAddress, type Address } from "viem";
import { InvalidArgumentError } from "../../errors.js";
import { asTask, connect, print } from "../connect.js";
import { readDeployments, writeDeployments } from "../deployments.js";
import { deployModel } from "../deployModel.js";
import { loadModelArtifacts } from "../model-artifacts.js";

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

    let registry = args.registry === undefined ? deployments.registry : parseAddress(args.registry, "--registry");
    let registryGas = 0n;
    if (registry && (await client.backend.getCode(registry)) === "0x") {
      if (args.registry !== undefined) throw new InvalidArgumentError(`no contract at --registry ${registry} on network "${network}"`);
      registry = undefined; // the recorded registry is gone (a restarted node): deploy a new one
    }
    if (!registry) {
      const fresh = await client.deployRegistry();
      registry = fresh.address;
      registryGas = fresh.gasUsed;
    }
    const deployed = await deployModel(client.withRegistry(registry), { model, metadataURI: args.metadataUri });

    let recordedIn: string | undefined;
    if (persistent) {
      deployments.registry = registry;
      deployments.models.push({
        modelId: deployed.modelId,
        verifier: deployed.verifier,
        vkDigest: model.vkDigest,
        artifacts: model.dir,
        insecure: model.insecure,
        blockNumber: deployed.blockNumber.toString(),
        deployedAt: new Date().toISOString(),
      });
      recordedIn = await writeDeployments(hre.config.paths.root, deployments);
    }
    const result = {
      verifier: deployed.verifier,
      registry,
      modelId: deployed.modelId,
      vkDigest: model.vkDigest,
      contractName: deployed.contractName,
      network,
      chainId,
      insecure: model.insecure,
      gasUsed: { ...deployed.gasUsed, registry: registryGas },
      deployments: recordedIn ?? null,
    };
    const text = [
      `verifier ${deployed.verifier}`,
      `registry ${registry}`,
      `modelId ${deployed.modelId}`,
      recordedIn ? `recorded in ${recordedIn}` : `not recorded: network "${network}" is in-process and ends with this command (use a node and --network)`,
    ].join("\n");
    print(args.json, result, text);
  });
}
