// Deployments recorded per network, so later tasks find them: <root>/deployments/<network>.json
// holds the network's registry and every model deployed to it. Read-modify-write through a
// temporary file and a rename, so a reader never sees half a file; entries are only ever added.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { writeFileAtomic } from "../../prover/cli/model-dir.js";
import { InvalidArgumentError } from "../errors.js";

export interface ModelDeployment {
  modelId: Hex;
  verifier: Address;
  vkDigest: Hex;
  /** The model directory it was deployed from (absolute). */
  artifacts: string;
  insecure: boolean;
  blockNumber: string;
  deployedAt: string;
}

export interface NetworkDeployments {
  network: string;
  chainId: number;
  registry: Address | undefined;
  models: ModelDeployment[];
}

export const deploymentsPath = (root: string, network: string): string => join(root, "deployments", `${network}.json`);

/** The network's deployments, or an empty record; refuses a file made on another chain of that name. */
export async function readDeployments(root: string, network: string, chainId: number): Promise<NetworkDeployments> {
  const path = deploymentsPath(root, network);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { network, chainId, registry: undefined, models: [] };
    throw new InvalidArgumentError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: NetworkDeployments;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (json.chainId !== chainId) {
    throw new InvalidArgumentError(`${path} records chain ${json.chainId}, but network "${network}" is now chain ${chainId}; move the file away to start over`);
  }
  if (!Array.isArray(json.models)) throw new InvalidArgumentError(`${path}: "models" must be an array`);
  return json;
}

export async function writeDeployments(root: string, deployments: NetworkDeployments): Promise<string> {
  const path = deploymentsPath(root, deployments.network);
  await mkdir(join(root, "deployments"), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(deployments, null, 2)}\n`);
  return path;
}
