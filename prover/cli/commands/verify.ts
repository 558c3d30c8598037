// zkinfer verify <dir> <proof.json>: checks a proof file against a model directory's
// verification key. Exit 0 valid, 1 invalid, 2 unreadable or malformed input.
import { toSigned, type OutputLayout } from "../../circuits/index.js";
import { parseProofFile, ProofFileError, ProofFormatError, verify } from "../../plonkish/index.js";
import type { Command } from "../command.js";
import { hashValues } from "../../compiler/visibility.js";
import { EXIT, InputError } from "../errors.js";
import { exists, hex, loadVerificationKey, modelPath, readJson, requireDir, since } from "../model-dir.js";

/** The output layout vk.json records, after checking that vk.json belongs to vk.bin. */
async function outputLayout(dir: string, digest: `0x${string}`, publicInputCount: number): Promise<OutputLayout | undefined> {
  const path = modelPath(dir, "vkJson");
  if (!(await exists(path))) return undefined;
  const json = (await readJson(path, "verification key view")) as { digest?: unknown; outputs?: { offset?: unknown; count?: unknown; kind?: unknown; scales?: unknown; bits?: unknown } } | null;
  if (typeof json !== "object" || json === null) throw new InputError(`${path} must be a JSON object`);
  if (json.digest !== digest) throw new InputError(`${path} does not belong to ${modelPath(dir, "vk")} (its digest is ${JSON.stringify(json.digest)}, vk.bin's is ${digest})`);
  const o = json.outputs;
  if (o === undefined) return undefined;
  const ok = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (!ok(o.offset) || !ok(o.count) || o.offset + o.count > publicInputCount) throw new InputError(`${path}: "outputs" must be {offset, count} within the ${publicInputCount} public inputs`);
  if (o.kind !== undefined && o.kind !== "public" && o.kind !== "hashed") return undefined;
  if (o.scales === undefined) return o.kind === "hashed" ? undefined : { offset: o.offset, count: o.count };
  const scales = o.scales as { count?: unknown; scale?: unknown }[];
  const total = Array.isArray(scales) ? scales.reduce((n, r) => n + (r?.count as number), 0) : -1;
  if (!Array.isArray(scales) || scales.some((r) => !ok(r?.count) || !Number.isSafeInteger(r.scale)) || (o.kind !== "hashed" && total !== o.count)) {
    throw new InputError(`${path}: "outputs.scales" must be runs {count, scale} covering the ${o.count} outputs`);
  }
  if (o.kind === "hashed") {
    if (o.count !== 1 || !ok(o.bits) || o.bits < 1) throw new InputError(`${path}: hashed "outputs" must be one public input with the packing width "bits"`);
    return { offset: o.offset, count: 1, kind: "hashed", bits: o.bits, scales: scales as { count: number; scale: number }[] };
  }
  return { offset: o.offset, count: o.count, scales: scales as { count: number; scale: number }[] };
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
  async run({ positionals }) {
    const [dir, proofPath] = positionals;
    await requireDir(dir);
    const { vk, digest } = await loadVerificationKey(dir);
    const digestHex = hex(digest);
    const layout = await outputLayout(dir, digestHex, vk.publicInputCount);
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
    const lines = [
      ...(vk.insecure ? ["note: this verification key was made with --dev-srs: INSECURE, development only"] : []),
      ...(valid && !outputsChecked ? [`note: no ${modelPath(dir, "vkJson")} with an output layout, so "outputs" were not checked`] : []),
      ...(valid ? ["valid"] : ["invalid", ...reasons.map((r) => `  - ${r}`)]),
    ];
    return { exitCode: valid ? EXIT.ok : EXIT.checkFailed, json: result, text: lines.join("\n") };
  },
};
