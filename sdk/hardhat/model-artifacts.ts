// A model directory as deployment reads it (the public files `zkinfer setup` writes): vk.bin
// (authoritative), vk.json (its public-input layout, checked against the digest vk.bin binds), and
// the verifier generated and compiled from both. Where a record's input and outputs sit is the
// registry's projection of that bound layout, never vk.json's unbound "outputs".
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak256, type Hex } from "viem";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import {
  boundPublicInputLayout,
  CircuitError,
  decodeVerificationKey,
  registryLayout,
  verificationKeyDigest,
  type PublicInputLayout as BoundLayout,
  type VerificationKey,
} from "../../prover/plonkish/index.js";
import { InvalidArgumentError } from "../errors.js";
import type { PublicInputLayout } from "../records.js";

export interface ModelArtifacts {
  dir: string;
  vk: VerificationKey;
  vkDigest: Hex;
  /** The public-input layout vk.bin binds (vk.json "publicInputLayout", digest-checked). */
  publicInputLayout: BoundLayout;
  /** Where the registry will record the input and outputs: the projection of publicInputLayout. */
  layout: PublicInputLayout;
  insecure: boolean;
}

async function read(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`${what} ${path} ${code === "ENOENT" ? "does not exist (run `zkinfer setup` on the model directory first)" : `cannot be read: ${(err as Error).message}`}`, { cause: err });
  }
}

export async function loadModelArtifacts(dir: string): Promise<ModelArtifacts> {
  const vkPath = join(dir, "vk.bin");
  const vkJsonPath = join(dir, "vk.json");
  const bytes = await read(vkPath, "verification key");
  let vk: VerificationKey;
  try {
    vk = decodeVerificationKey(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).vk;
  } catch (err) {
    throw new InvalidArgumentError(`${vkPath}: ${(err as Error).message}`, { cause: err });
  }
  const vkDigest = `0x${Buffer.from(verificationKeyDigest(vk)).toString("hex")}` as Hex;
  let json: unknown;
  try {
    json = JSON.parse((await read(vkJsonPath, "verification key view")).toString("utf8"));
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(`${vkJsonPath} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  try {
    const publicInputLayout = boundPublicInputLayout(json, vk, vkJsonPath);
    return { dir, vk, vkDigest, publicInputLayout, layout: registryLayout(publicInputLayout), insecure: vk.insecure };
  } catch (err) {
    if (err instanceof CircuitError) throw new InvalidArgumentError(err.message, { cause: err });
    throw err;
  }
}

/**
 * Generates the model's Solidity verifier (with the layout constants the registry reads) and compiles it offline (solc-js, the settings of
 * prover/codegen/compile.ts). `codeHash` is keccak256 of the runtime bytecode: the EXTCODEHASH the
 * registry pins for a verifier deployed from `bytecode`, byte for byte (the generated verifier has
 * no immutables, and the compiler's metadata hash follows from the same source and settings).
 */
export function compileModelVerifier(model: ModelArtifacts): CompiledModelVerifier {
  // Once per loaded model: solc takes seconds, and blocks the event loop while it runs.
  let compiled = compiledVerifiers.get(model);
  if (!compiled) {
    const { source, contractName } = generateVerifier(model.vk, { publicInputLayout: model.publicInputLayout });
    const { bytecode, deployedBytecode } = compileVerifier(source, contractName);
    compiled = { contractName, source, bytecode, deployedBytecode, codeHash: keccak256(deployedBytecode) };
    compiledVerifiers.set(model, compiled);
  }
  return compiled;
}

export interface CompiledModelVerifier {
  contractName: string;
  source: string;
  bytecode: Hex;
  deployedBytecode: Hex;
  codeHash: Hex;
}

const compiledVerifiers = new WeakMap<ModelArtifacts, CompiledModelVerifier>();
