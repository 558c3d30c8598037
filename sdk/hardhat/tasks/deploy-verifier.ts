// npx hardhat deploy-verifier --artifacts <dir> [--registry <addr>] [--metadata-uri <uri>] [--redeploy] [--json]
// Deploys a registry unless one is given or recorded for the network, then the model (its
// verifier generated and compiled from vk.bin, and its registration), and records the deployment.
// Run again on the same key, it reuses the recorded model when the registry still holds it exactly as
// it would be deployed now (same key, owner and metadata, not deprecated, the current version pinning
// the code generated now, that code at its verifier) and says which happened; --redeploy always deploys.
import { resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getAddress, keccak256, type Address, type Hex } from "viem";
import { InvalidArgumentError, UnknownModelError } from "../../errors.js";
import { asTask, connect, print } from "../connect.js";
import { readDeployments, writeDeployments } from "../deployments.js";
import { deployModel } from "../deployModel.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../model-artifacts.js";
import type { ZkinferClient } from "../../client.js";
import type { ModelDeployment } from "../deployments.js";

interface Args {
  artifacts?: string;
  registry?: string;
  metadataUri: string;
  redeploy: boolean;
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
    // Compile before the first request: solc blocks the event loop for seconds, and a node can close
    // an idle keep-alive connection meanwhile (the next request then fails with "other side closed").
    const { codeHash } = compileModelVerifier(model);
    const { client, network, chainId, persistent, account } = await connect(hre);
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
    const bound = client.withRegistry(registry);
    // Only models recorded for the registry in use: a new registry (given, or after a restarted node) holds none of them.
    const candidates = !args.redeploy && deployments.registry !== undefined && registry.toLowerCase() === deployments.registry.toLowerCase() ? deployments.models : [];
    const { reuse, skipped } = await reusable(bound, candidates, model, { codeHash, metadataURI: args.metadataUri, owner: account });
    if (reuse) {
      const result = { reused: true, verifier: reuse.verifier, registry, modelId: reuse.modelId, vkDigest: model.vkDigest, codeHash, network, chainId, insecure: model.insecure, skipped };
      const text = [
        `reused model ${reuse.modelId}: the registry holds it with this key, and its verifier ${reuse.verifier} has the code generated now; nothing deployed (pass --redeploy to register a new model)`,
        `verifier ${reuse.verifier}`,
        `registry ${registry}`,
        `modelId ${reuse.modelId}`,
      ].join("\n");
      print(args.json, result, text);
      return;
    }
    const deployed = await deployModel(bound, { model, metadataURI: args.metadataUri });

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
      reused: false,
      skipped,
      gasUsed: { ...deployed.gasUsed, registry: registryGas },
      deployments: recordedIn ?? null,
    };
    const text = [
      `deployed model ${deployed.modelId}${args.redeploy ? " (--redeploy)" : ""}`,
      ...skipped.map((k) => `  recorded model ${k.modelId} not reused: ${k.reason}`),
      `verifier ${deployed.verifier}`,
      `registry ${registry}`,
      `modelId ${deployed.modelId}`,
      recordedIn ? `recorded in ${recordedIn}` : `not recorded: network "${network}" is in-process and ends with this command (use a node and --network)`,
    ].join("\n");
    print(args.json, result, text);
  });
}

/** A recorded model of this key that was not reused, and why. */
interface NotReused {
  modelId: Hex;
  reason: string;
}

/**
 * The recorded deployment of this key that the registry still holds exactly as it would be deployed
 * now: the model exists with this key and metadata URI, is not deprecated and is this account's; its
 * current version has the key, the same dev-SRS flag and pins keccak256 of the code generated from
 * the artifacts now; and that code is at the version's verifier. Otherwise every recorded model of
 * the key with the reason it was passed over (the caller deploys a new one).
 */
async function reusable(
  client: ZkinferClient,
  recorded: ModelDeployment[],
  model: ModelArtifacts,
  want: { codeHash: Hex; metadataURI: string; owner: Address | undefined },
): Promise<{ reuse: ModelDeployment; skipped: NotReused[] } | { reuse: undefined; skipped: NotReused[] }> {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const skipped: NotReused[] = [];
  // The newest first: a later deployment of the key supersedes an earlier one.
  for (const m of recorded.filter((r) => same(r.vkDigest, model.vkDigest)).reverse()) {
    const why = await mismatch(client, m, model, want, same);
    if (typeof why === "string") skipped.push({ modelId: m.modelId, reason: why });
    else return { reuse: { ...m, verifier: same(why.verifier, m.verifier) ? m.verifier : why.verifier }, skipped };
  }
  return { reuse: undefined, skipped };
}

/** Why recorded model `m` cannot be reused, or its current verifier when it can. */
async function mismatch(
  client: ZkinferClient,
  m: ModelDeployment,
  model: ModelArtifacts,
  want: { codeHash: Hex; metadataURI: string; owner: Address | undefined },
  same: (a: string, b: string) => boolean,
): Promise<string | { verifier: Address }> {
  let info;
  try {
    info = await client.getModel({ modelId: m.modelId });
  } catch (err) {
    // Only "no such model" means the registry lost it; any other failure (the node, the registry) stops the task.
    if (err instanceof UnknownModelError) return "the registry holds no model of this id";
    throw err;
  }
  if (!same(info.vkDigest, model.vkDigest)) return `the registry holds it with another key (${info.vkDigest})`;
  if (info.deprecated) return "it is deprecated";
  if (!want.owner) return "no account to check its owner against";
  if (!same(info.owner, want.owner)) return `it is owned by ${info.owner}, not by ${want.owner}`;
  if (info.metadataURI !== want.metadataURI) return `its metadata URI is "${info.metadataURI}", not "${want.metadataURI}"`;
  const version = await client.getModelVersion({ version: info.currentVersion });
  if (!same(version.modelId, m.modelId) || !same(version.vkDigest, model.vkDigest)) return `its current version ${version.version} is not of this key`;
  if (version.insecureDevSrs !== model.insecure) return `its current version ${version.version} says dev-SRS ${version.insecureDevSrs}, the key ${model.insecure}`;
  if (!same(version.codeHash, want.codeHash)) return `its current version ${version.version} pins other verifier code (${version.codeHash}) than the one generated now (${want.codeHash})`;
  const code = await client.backend.getCode(version.verifier);
  if (code === "0x") return `no code at its verifier ${version.verifier}`;
  if (!same(keccak256(code), want.codeHash)) return `the code at its verifier ${version.verifier} is not the one generated now`;
  return { verifier: version.verifier };
}
