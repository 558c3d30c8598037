// A model directory as deployment reads it (the public files `zkinfer setup` writes): vk.bin
// (authoritative), vk.json (digest and where the outputs sit among the public inputs), model.json
// of a compiled model (where the input sits), and the verifier generated and compiled from the key.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak256, type Hex } from "viem";
import { compileVerifier, generateVerifier } from "../prover/codegen/index.js";
import { decodeVerificationKey, verificationKeyDigest, type VerificationKey } from "../prover/plonkish/index.js";
import { InvalidArgumentError } from "./errors.js";
import type { PublicInputLayout } from "./records.js";

export interface ModelArtifacts {
  dir: string;
  vk: VerificationKey;
  vkDigest: Hex;
  layout: PublicInputLayout;
  insecure: boolean;
}

interface Range {
  offset: number;
  count: number;
}

function range(value: unknown, what: string, total: number): Range | undefined {
  if (value === undefined) return undefined;
  const r = value as Partial<Range> | null;
  const ok = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!r || !ok(r.offset) || !ok(r.count) || r.offset + r.count > total) throw new InvalidArgumentError(`${what} must be {offset, count} within the ${total} public inputs`);
  return { offset: r.offset, count: r.count };
}

/**
 * The public-input layout of a model: the outputs from vk.json's "outputs" {offset, count}; the
 * input from `input` {offset, count} when known (a compiled model's model.json: a hashed input is
 * one Poseidon commitment, a private one has count 0), else every public input before the
 * outputs, as in the built-in circuits (inputs, then outputs).
 */
export function layoutFromVkJson(json: Record<string, unknown>, publicInputCount: number, source: string, input?: { value: unknown; source: string }): PublicInputLayout {
  const outputs = range(json.outputs, `${source}: "outputs"`, publicInputCount) ?? { offset: publicInputCount, count: 0 };
  const inputs = (input && range(input.value, input.source, publicInputCount)) ?? { offset: 0, count: outputs.offset };
  return {
    count: publicInputCount,
    inputOffset: inputs.offset,
    inputCount: inputs.count,
    outputOffset: outputs.offset,
    outputCount: outputs.count,
  };
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
  let json: Record<string, unknown>;
  try {
    json = JSON.parse((await read(vkJsonPath, "verification key view")).toString("utf8"));
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(`${vkJsonPath} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (json.digest !== vkDigest) throw new InvalidArgumentError(`${vkJsonPath} does not belong to ${vkPath} (digest ${String(json.digest)}, vk.bin's is ${vkDigest})`);
  const input = await compiledInputRange(join(dir, "model.json"));
  return { dir, vk, vkDigest, layout: layoutFromVkJson(json, vk.publicInputCount, vkJsonPath, input), insecure: vk.insecure };
}

/** A compiled model's input range (model.json "publicInputs.input"), if the directory has one. */
async function compiledInputRange(path: string): Promise<{ value: unknown; source: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return { value: (JSON.parse(text) as { publicInputs?: { input?: unknown } }).publicInputs?.input, source: `${path}: "publicInputs.input"` };
  } catch (err) {
    throw new InvalidArgumentError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Generates the model's Solidity verifier and compiles it offline (solc-js, the settings of
 * prover/codegen/compile.ts). `codeHash` is keccak256 of the runtime bytecode: the EXTCODEHASH the
 * registry pins for a verifier deployed from `bytecode`, byte for byte (the generated verifier has
 * no immutables, and the compiler's metadata hash follows from the same source and settings).
 */
export function compileModelVerifier(model: ModelArtifacts): { contractName: string; source: string; bytecode: Hex; deployedBytecode: Hex; codeHash: Hex } {
  const { source, contractName } = generateVerifier(model.vk);
  const { bytecode, deployedBytecode } = compileVerifier(source, contractName);
  return { contractName, source, bytecode, deployedBytecode, codeHash: keccak256(deployedBytecode) };
}
