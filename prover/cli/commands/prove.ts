// zkinfer prove <dir> --input <input.json> --out <proof.json>: proves one inference of a model
// directory's circuit on an EZKL-layout input ({"input_data": [[…]]}).
import { CircuitInputError } from "../../circuits/index.js";
import { prove, toProofFile, type ProveStage } from "../../plonkish/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import { bytesEqual, exists, hex, loadManifest, loadVerificationKey, modelPath, readJson, requireDir, requireWritableFile, sameTable, since, startLoadingProvingKey, startProverThreadsFor, toJsonText, writeFileAtomic } from "../model-dir.js";

export const proveCommand: Command = {
  path: ["prove"],
  summary: "prove one inference of a model directory's circuit",
  args: "<dir>",
  positionals: { min: 1, max: 1 },
  options: {
    input: { type: "string", valueName: "<input.json>", description: 'the input, in EZKL\'s layout: {"input_data": [[…numbers…]]}' },
    out: { type: "string", valueName: "<proof.json>", description: "where to write the proof file" },
  },
  description:
    "Reads <dir>/circuit.json and <dir>/pk.bin (made by `zkinfer setup`), checks the input, proves, and writes the\n" +
    "proof file {version, proof, publicInputs, outputs}: the public inputs are the circuit's inputs then its outputs;\n" +
    "outputs repeats the outputs as numbers. Progress goes to stderr.",
  async run({ positionals, values, warn, stage }) {
    const dir = positionals[0];
    const inputPath = values.input as string | undefined;
    const outPath = values.out as string | undefined;
    if (inputPath === undefined) throw new UsageError("prove needs --input <input.json>");
    if (outPath === undefined) throw new UsageError("prove needs --out <proof.json>");
    await requireDir(dir, " (run `zkinfer setup <dir> --circuit <name> …` to create it)");
    // Before the slow part: a proof that cannot be written is better refused now than after proving.
    await requireWritableFile(outPath, "--out");
    // A large proving key is read and hashed on a thread of its own, and the prover's worker threads
    // start up, on the other cores while this thread reads the manifest and the input and builds the
    // witness; the key is decoded, with every check, here after that.
    const started = performance.now();
    const loadingKey = startLoadingProvingKey(dir);
    let keyLoadedAt = started;
    const keyLoaded = loadingKey.key.then((key) => ((keyLoadedAt = performance.now()), key));
    keyLoaded.catch(() => undefined);
    const witnessAndKey = async () => {
      await startProverThreadsFor(dir);
      const { circuit, params } = await loadManifest(dir);
      const inputJson = await readJson(inputPath, "input file");
      if (typeof inputJson !== "object" || inputJson === null || Array.isArray(inputJson) || !("input_data" in inputJson)) {
        throw new InputError(`input file ${inputPath} must be an object with "input_data" (${circuit.describeInput(params)})`);
      }
      let t = performance.now();
      const witnessing = stage("witness");
      let built;
      try {
        built = circuit.build(params, circuit.parseInput(params, (inputJson as { input_data: unknown }).input_data));
      } catch (err) {
        if (err instanceof CircuitInputError) throw new InputError(`${inputPath}: ${err.message}`, { cause: err });
        throw err;
      }
      const witnessMs = since(t);
      witnessing.done();
      t = performance.now();
      const loading = stage("load proving key");
      const pk = await keyLoaded;
      const waitMs = since(t);
      loading.done();
      return { circuit, built, pk, witnessMs, waitMs };
    };
    let prepared;
    try {
      prepared = await witnessAndKey();
    } catch (err) {
      loadingKey.cancel();
      throw err;
    }
    const { circuit, built, pk, witnessMs, waitMs } = prepared;
    const loadMs = Math.round(keyLoadedAt - started);
    if (pk.vk.insecure) warn("these keys were made with --dev-srs: the proof is INSECURE, it proves nothing (development only)");
    if (await exists(modelPath(dir, "vk"))) {
      const { digest, path } = await loadVerificationKey(dir);
      if (!bytesEqual(digest, pk.vkDigest)) {
        throw new InputError(`${modelPath(dir, "pk")} and ${path} come from different setups (verification key digests differ); run \`zkinfer setup\` again`);
      }
    }
    if (!sameTable(pk, built.table)) {
      throw new InputError(`${modelPath(dir, "manifest")} does not lay out the circuit ${modelPath(dir, "pk")} was made for: it was edited after setup, or the keys were made by another version of zkinfer (a circuit's layout can change between versions); run \`zkinfer setup\` again`);
    }

    const t = performance.now();
    const proving = stage(`prove (2^${pk.vk.logRows} rows)`);
    const result = await prove(pk, built.witness, {
      onProgress: (step: ProveStage, index, total) => proving.update(index / total, step),
    });
    const proveMs = since(t);
    proving.done(`(${result.proof.length}-byte proof)`);

    const file = toProofFile(result.proof, result.publicInputs, built.outputs);
    await writeFileAtomic(outPath, toJsonText(file));
    const totalMs = since(started);

    const json = {
      dir,
      circuit: circuit.name,
      out: outPath,
      proofBytes: result.proof.length,
      publicInputCount: result.publicInputs.length,
      outputs: built.outputs,
      digest: hex(pk.vkDigest),
      insecure: pk.vk.insecure,
      logRows: pk.vk.logRows,
      timingsMs: {
        loadKey: loadMs,
        keyWait: waitMs,
        witness: witnessMs,
        prove: proveMs,
        msm: Math.round(result.timings.msm),
        fft: Math.round(result.timings.fft),
        gates: Math.round(result.timings.gates),
        derive: Math.round(result.timings.derive),
        openings: Math.round(result.timings.openings),
        other: Math.round(result.timings.other),
        total: totalMs,
      },
    };
    const text = [
      `wrote ${outPath}: ${result.proof.length}-byte proof, ${result.publicInputs.length} public inputs`,
      `outputs: ${JSON.stringify(built.outputs)}`,
      `time: load key ${loadMs} ms (alongside the witness, ${witnessMs} ms; ${waitMs} ms more after it), prove ${proveMs} ms (2^${pk.vk.logRows} rows)`,
    ].join("\n");
    return { exitCode: EXIT.ok, json, text };
  },
};
