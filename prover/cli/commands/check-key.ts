// zkinfer check-key <dir>: the full checks of a model directory's proving key, which `prove` skips.
import { KeyConsistencyError } from "../../plonkish/index.js";
import type { Command } from "../command.js";
import { EXIT } from "../errors.js";
import { bytesEqual, exists, hex, layOutCircuit, loadManifest, loadProvingKey, loadVerificationKey, modelPath, requireDir, sameTable, since } from "../model-dir.js";

export const checkKeyCommand: Command = {
  path: ["check-key"],
  summary: "check a model directory's proving key in full",
  args: "<dir>",
  positionals: { min: 1, max: 1 },
  description:
    "`prove` checks pk.bin by its SHA-256 checksum, which any change to the file breaks; that is enough for a key\n" +
    "that your own `zkinfer setup` wrote. check-key also checks that the key's parts fit together: the table is\n" +
    "well-formed, the stored coefficients interpolate the columns, the commit key and Lagrange key give the\n" +
    "verification key's commitments, the stored coset values are the columns' (random linear combinations: a few\n" +
    "seconds at 2^16 rows); and that vk.bin and the manifest's circuit are the ones the key was made for. Run it on\n" +
    "a key you did not make yourself, or suspect. Exit 1 if a check fails, 2 if a file is missing, unreadable or\n" +
    "corrupted.",
  async run({ positionals, stage }) {
    const dir = positionals[0];
    await requireDir(dir, " (run `zkinfer setup` first)");
    const loaded = await loadManifest(dir);
    const started = performance.now();
    const reasons: string[] = [];
    const checking = stage("check proving key");
    let pk;
    try {
      pk = await loadProvingKey(dir, { checks: "full" });
    } catch (err) {
      if (!(err instanceof KeyConsistencyError)) throw err;
      reasons.push(`${modelPath(dir, "pk")}: ${err.message}`);
    }
    checking.done();
    if (pk && (await exists(modelPath(dir, "vk")))) {
      const { digest, path } = await loadVerificationKey(dir);
      if (!bytesEqual(digest, pk.vkDigest)) reasons.push(`${modelPath(dir, "pk")} and ${path} come from different setups (verification key digests differ)`);
    }
    if (pk && !sameTable(pk, layOutCircuit(loaded).table)) reasons.push(`${modelPath(dir, "manifest")} does not lay out the circuit ${modelPath(dir, "pk")} was made for`);
    const valid = reasons.length === 0;
    const json = {
      dir,
      valid,
      reasons,
      ...(pk ? { digest: hex(pk.vkDigest), logRows: pk.vk.logRows, insecure: pk.vk.insecure } : {}),
      timeMs: since(started),
    };
    const text = valid
      ? `${modelPath(dir, "pk")}: valid (2^${pk!.vk.logRows} rows, verification key digest ${json.digest})${pk!.vk.insecure ? "; made with --dev-srs: INSECURE" : ""}`
      : ["INVALID:", ...reasons.map((r) => `  - ${r}`)].join("\n");
    return { exitCode: valid ? EXIT.ok : EXIT.checkFailed, json, text };
  },
};
