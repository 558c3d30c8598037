// A small real model for SDK, task and end-to-end tests: a matvec model directory (2^9 rows, dev
// SRS), real proofs of a few inputs made with the CLI in this process, and its generated verifier.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../helpers/cli.js";
import { bytesToHex, type Hex } from "viem";
import type { ProofFile } from "../../prover/plonkish/index.js";
import type { ModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";

export interface MatvecModel {
  tmp: string;
  dir: string;
  /** Proof files, one per input. */
  proofs: ProofFile[];
  proofPaths: string[];
}

async function zkOk(...args: string[]): Promise<void> {
  const { code, stderr } = await zk(...args);
  if (code !== 0) throw new Error(`zkinfer ${args.join(" ")} exited ${code}: ${stderr}`);
}

/** Sets up matvec m=outputs, k=4 (4 input public inputs, then the outputs; 2 by default) and proves `inputs`. */
export async function makeMatvecModel(inputs: number[][], outputs = 2): Promise<MatvecModel> {
  const tmp = await mkdtemp(join(tmpdir(), "zkinfer-sdk-"));
  const dir = join(tmp, "model");
  await zkOk("setup", dir, "--dev-srs", "--circuit", "matvec", "--param", `m=${outputs}`, "--param", "k=4");
  const proofs: ProofFile[] = [];
  const proofPaths: string[] = [];
  for (const [i, x] of inputs.entries()) {
    const input = join(tmp, `input-${i}.json`);
    const out = join(tmp, `proof-${i}.json`);
    await writeFile(input, JSON.stringify({ input_data: [x] }));
    await zkOk("prove", dir, "--input", input, "--out", out);
    proofs.push(JSON.parse(await readFile(out, "utf8")));
    proofPaths.push(out);
  }
  return { tmp, dir, proofs, proofPaths };
}

/**
 * Constructor arguments of the test contract AcceptAllVerifier that make it claim the model's key
 * and layout (its digest and registry ranges), as a forger would.
 */
export function acceptAllArgs(artifacts: ModelArtifacts): [Hex, bigint, Hex, [bigint, bigint, bigint, bigint]] {
  const l = artifacts.layout;
  return [artifacts.vkDigest, BigInt(l.count), bytesToHex(artifacts.vk.publicInputLayoutDigest), [BigInt(l.inputOffset), BigInt(l.inputCount), BigInt(l.outputOffset), BigInt(l.outputCount)]];
}
