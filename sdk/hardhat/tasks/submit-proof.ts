// npx hardhat submit-proof --artifacts <dir> --proof <proof.json> [--registry <addr>] [--model <id>] [--json]
// Submits a proof file to the registry for the model deployed from <dir> on this network
// (found in the deployments file by its verification-key digest); prints the record id and gas.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { Hex } from "viem";
import { InvalidArgumentError } from "../../errors.js";
import type { ProofFile } from "../../../prover/plonkish/index.js";
import { asTask, connect, print } from "../connect.js";
import { deploymentsPath, readDeployments } from "../deployments.js";
import { loadModelArtifacts } from "../model-artifacts.js";
import { parseAddress } from "./deploy-verifier.js";

interface Args {
  artifacts?: string;
  proof?: string;
  registry?: string;
  model?: string;
  json: boolean;
}

export function parseModelId(value: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError(`--model must be a model id (0x and 64 hex digits), got "${value}"`);
  return value as Hex;
}

export default async function submitProofTask(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  await asTask(async () => {
    if (!args.artifacts) throw new InvalidArgumentError("--artifacts <dir> is required: the model directory the proof was made with");
    if (!args.proof) throw new InvalidArgumentError("--proof <proof.json> is required: a proof file from `zkinfer prove`");
    const model = await loadModelArtifacts(resolve(args.artifacts));
    let proof: ProofFile;
    try {
      proof = JSON.parse(await readFile(args.proof, "utf8"));
    } catch (err) {
      throw new InvalidArgumentError(`cannot read the proof file ${args.proof}: ${(err as Error).message}`, { cause: err });
    }
    const { client, network, chainId } = await connect(hre);
    const deployments = await readDeployments(hre.config.paths.root, network, chainId);
    const registry = args.registry !== undefined ? parseAddress(args.registry, "--registry") : deployments.registry;
    if (!registry) throw new InvalidArgumentError(`no registry recorded for network "${network}" in ${deploymentsPath(hre.config.paths.root, network)}: run deploy-verifier first or pass --registry`);
    let modelId: Hex;
    if (args.model !== undefined) {
      modelId = parseModelId(args.model);
    } else {
      const deployed = deployments.models.filter((m) => m.vkDigest === model.vkDigest).pop();
      if (!deployed) throw new InvalidArgumentError(`no model with verification key ${model.vkDigest} recorded for network "${network}": run deploy-verifier --artifacts ${args.artifacts} first or pass --model`);
      modelId = deployed.modelId;
    }
    const sent = await client.withRegistry(registry).submitInference({ modelId, proof });
    const result = { recordId: sent.recordId, gasUsed: sent.gasUsed, modelId, registry, transactionHash: sent.hash, blockNumber: sent.blockNumber, nonce: sent.nonce, network };
    print(args.json, result, [`recordId ${sent.recordId}`, `gasUsed ${sent.gasUsed}`].join("\n"));
  });
}
