// zkinfer verify <dir> <proof.json>: checks a proof file against a model directory's
// verification key. Exit 0 valid, 1 invalid, 2 unreadable or malformed input.
import { toSigned, type OutputLayout } from "../../circuits/index.js";
import { boundPublicInputLayout, BoundLayoutError, outputRange, parseProofFile, ProofFileError, ProofFormatError, verify, type VerificationKey } from "../../plonkish/index.js";
import type { Command } from "../command.js";
import { hashValues } from "../../compiler/visibility.js";
import { EXIT, InputError } from "../errors.js";
import { exists, hex, loadVerificationKey, modelPath, readJson, requireDir, since } from "../model-dir.js";

/**
 * Where the outputs sit and how to read them, from vk.json's public-input layout once it is checked
 * to be the one vk.bin's digest binds (docs/protocol.md §3.10); vk.json's "outputs" must agree with it.
 */
async function outputLayout(dir: string, vk: VerificationKey): Promise<OutputLayout | undefined> {
  const path = modelPath(dir, "vkJson");
  if (!(await exists(path))) return undefined;
  let out;
  try {
    out = outputRange(boundPublicInputLayout(await readJson(path, "verification key view"), vk, path));
  } catch (err) {
    if (err instanceof BoundLayoutError) throw new InputError(err.message, { cause: err });
    throw err;
  }
  if (!out || out.visibility === "private") return undefined;
  return out.visibility === "hashed" ? { offset: out.offset, count: 1, kind: "hashed", bits: out.bits, scales: out.scales } : { offset: out.offset, count: out.count, scales: out.scales };
}

/** Why the file's outputs do not hash to the proven output hash, or undefined when they do. */
function hashedOutputsMismatch(layout: OutputLayout, outputs: readonly number[], proven: bigint): string | undefined {
  const scaleOf = layout.scales!.flatMap((r) => new Array<number>(r.count).fill(r.scale));
  if (outputs.length !== scaleOf.length) return `the file has ${outputs.length} "outputs", the model ${scaleOf.length}`;
  const q: bigint[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const v = outputs[i] * 2 ** scaleOf[i];
    if (!Number.isSafeInteger(v)) return `output ${i} = ${outputs[i]} is not a multiple of 2^−${scaleOf[i]}`;
    q.push(BigInt(v));
  }
  let digest: bigint;
  try {
    digest = hashValues(q, layout.bits!);
  } catch (err) {
    return `the "outputs" cannot be packed: ${(err as Error).message}`;
  }
  return digest === proven ? undefined : `the file's "outputs" do not hash to the proven output hash`;
}

/** The public outputs as the numbers a proof file carries (dequantized by their scale, if any). */
function provenOutputs(layout: OutputLayout, values: readonly bigint[]): number[] {
  const scaleOf: number[] = layout.scales ? layout.scales.flatMap((r) => new Array<number>(r.count).fill(r.scale)) : [];
  return values.map((x, i) => Number(toSigned(x)) / 2 ** (scaleOf[i] ?? 0));
}

export const verifyCommand: Command = {
  path: ["verify"],
  summary: "check a proof file against a model directory's verification key",
  args: "<dir> <proof.json>",
  positionals: { min: 2, max: 2 },
  description:
    "Needs only the public files of the model directory: vk.bin (authoritative) and, to check the proof file's\n" +
    "\"outputs\" against the proven public outputs, vk.json. Exit 0 if the proof is valid, 1 if it is invalid (a proof\n" +
    "for another model, altered bytes or public inputs, outputs that differ from the proven ones), 2 if the\n" +
    "directory, its keys or the proof file are missing or malformed.",
  async run({ positionals, warn, note }) {
    const [dir, proofPath] = positionals;
    await requireDir(dir);
    const { vk, digest } = await loadVerificationKey(dir);
    const digestHex = hex(digest);
    const layout = await outputLayout(dir, vk);
    const json = await readJson(proofPath, "proof file");

    const started = performance.now();
    const reasons: string[] = [];
    let parsed: ReturnType<typeof parseProofFile> | undefined;
    try {
      parsed = parseProofFile(json);
    } catch (err) {
      if (err instanceof ProofFileError) throw new InputError(`proof file ${proofPath}: ${err.message}`, { cause: err });
      // A well-formed file whose proof bytes do not decode holds an invalid proof (exit 1).
      if (!(err instanceof ProofFormatError)) throw err;
      reasons.push(`the proof does not decode: ${err.message}`);
    }
    let outputsChecked = false;
    if (parsed) {
      const { proof, publicInputs, outputs } = parsed;
      if (publicInputs.length !== vk.publicInputCount) {
        reasons.push(`the proof has ${publicInputs.length} public inputs but this model's verification key takes ${vk.publicInputCount} (a proof for another model?)`);
      } else if (!(await verify(vk, proof, publicInputs))) {
        reasons.push(`the proof does not verify against this model's verification key (digest ${digestHex}); it was made for another model or altered`);
      }
      if (layout?.kind === "hashed") {
        outputsChecked = true;
        const why = hashedOutputsMismatch(layout, outputs, publicInputs[layout.offset]);
        if (why) reasons.push(why);
      } else if (layout) {
        outputsChecked = true;
        const proven = provenOutputs(layout, publicInputs.slice(layout.offset, layout.offset + layout.count));
        if (outputs.length !== proven.length || outputs.some((v, i) => v !== proven[i])) {
          reasons.push(`the file's "outputs" ${JSON.stringify(outputs)} are not the proven public outputs ${JSON.stringify(proven)}`);
        }
      }
    }
    const valid = reasons.length === 0;
    const result = {
      dir,
      proof: proofPath,
      valid,
      reasons,
      digest: digestHex,
      insecure: vk.insecure,
      publicInputs: parsed?.publicInputs.map(String) ?? null,
      outputs: parsed?.outputs ?? null,
      outputsChecked,
      timeMs: since(started),
    };
    // stdout is the verdict alone; what qualifies it goes to stderr (the warning even with --quiet).
    if (vk.insecure) warn("this verification key was made with --dev-srs: INSECURE, its proofs prove nothing (development only)");
    if (valid && !outputsChecked) note(`no ${modelPath(dir, "vkJson")} with an output layout, so "outputs" were not checked`);
    const lines = valid ? ["valid"] : ["invalid", ...reasons.map((r) => `  - ${r}`)];
    return { exitCode: valid ? EXIT.ok : EXIT.checkFailed, json: result, text: lines.join("\n") };
  },
};
