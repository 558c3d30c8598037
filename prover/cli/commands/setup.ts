// zkinfer setup <dir> (--srs <file.ptau> | --dev-srs) [--circuit <name>] [--param k=v …]:
// makes the proving and verification keys of a model directory.
import { join } from "node:path";
import { CircuitError, encodeVerificationKey, provingKeyChunks, publicCircuitFileChunks, setup as keygen, srsSizeFor, verificationKeyJson } from "../../plonkish/index.js";
import { builtinCircuits } from "../../circuits/index.js";
import { MANIFEST_FILE } from "../../compiler/manifest.js";
import { devSrs, loadPtau, SrsError, type Srs } from "../../srs/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import {
  checkManifest,
  ensureDir,
  exists,
  FILES,
  layOutCircuit,
  loadCompiledManifest,
  modelPath,
  readJson,
  since,
  toJsonText,
  writeChunksAtomic,
  writeFileAtomic,
  type LoadedManifest,
} from "../model-dir.js";

/** Smallest power p of a snarkjs .ptau file (2^(p+1) − 1 G1 powers) that holds `size` powers. */
export function ptauPowerFor(size: number): number {
  let power = 1;
  while (2 ** (power + 1) - 1 < size) power++;
  return power;
}

function devSrsWarning(power: number): string {
  // The Hermez ceremony's files come in powers 08 … 28.
  const hermez = `powersOfTau28_hez_final_${String(Math.max(power, 8)).padStart(2, "0")}.ptau`;
  return [
    "INSECURE SETUP (--dev-srs): the structured reference string was generated on this machine, so its",
    "secret τ was known here; anyone who knew τ can forge proofs for these keys, and vk.json says \"insecure\": true.",
    "Use it for development only. For real keys, run the setup on a public Powers of Tau ceremony file of",
    `power ${power} or more, e.g. the Hermez / Perpetual Powers of Tau file ${hermez}`,
    `(https://storage.googleapis.com/zkevm/ptau/${hermez}), check it with \`zkinfer srs check <file.ptau>\`,`,
    "and run `zkinfer setup <dir> --srs <file.ptau>`.",
  ].join("\n");
}

function parseParamList(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param wants key=value, got "${item}"`);
    const key = item.slice(0, eq);
    if (key in out) throw new UsageError(`--param ${key} given twice`);
    out[key] = item.slice(eq + 1);
  }
  return out;
}

export const setupCommand: Command = {
  path: ["setup"],
  summary: "make the proving and verification keys of a model directory",
  args: "<dir>",
  positionals: { min: 1, max: 1 },
  options: {
    srs: { type: "string", valueName: "<file.ptau>", description: "Powers of Tau file (snarkjs .ptau, BN254) to build the keys on" },
    "dev-srs": { type: "boolean", description: "generate an INSECURE local SRS instead (development only)" },
    circuit: { type: "string", valueName: "<name>", description: `built-in circuit to create circuit.json with (${builtinCircuits.map((c) => c.name).join(", ")})` },
    param: { type: "string", multiple: true, valueName: "<key=value>", description: "a parameter of the built-in circuit (repeatable), e.g. --param m=4 --param k=8" },
  },
  description:
    "Uses <dir>/circuit.json if it exists; otherwise --circuit (with --param) creates it. Writes <dir>/pk.bin (private:\n" +
    "it holds the weights), <dir>/vk.bin (the verification key's canonical bytes), <dir>/vk.json (a readable view) and\n" +
    "<dir>/public-circuit.bin (public: the fixed columns and the public-input layout, no weights, for `zkinfer check-circuit`).\n" +
    "circuit.json of a built-in circuit holds the seed of its weights: keep it as private as pk.bin.\n\n" +
    "Built-in circuits:\n" +
    builtinCircuits
      .map((c) => `  ${c.name}: ${c.summary}\n` + Object.entries(c.params).map(([k, p]) => `    ${k}: ${p.description}${p.default === undefined ? " (required)" : ` (default ${p.default})`}`).join("\n"))
      .join("\n"),
  async run({ positionals, values, warn, note, stage }) {
    const dir = positionals[0];
    const ptau = values.srs as string | undefined;
    const dev = values["dev-srs"] === true;
    if (ptau !== undefined && dev) throw new UsageError("give either --srs <file.ptau> or --dev-srs, not both");
    if (ptau === undefined && !dev) throw new UsageError("setup needs an SRS: --srs <file.ptau> (a Powers of Tau file), or --dev-srs for an insecure development setup");
    const circuitName = values.circuit as string | undefined;
    const rawParams = parseParamList(values.param);

    const manifestPath = modelPath(dir, "manifest");
    let loaded: LoadedManifest;
    let created = false;
    const compiled = await loadCompiledManifest(dir);
    if (compiled) {
      if (circuitName !== undefined || Object.keys(rawParams).length > 0) throw new UsageError(`${dir} holds a compiled model; --circuit and --param are for built-in circuits`);
      loaded = compiled;
    } else if (await exists(manifestPath)) {
      loaded = checkManifest(await readJson(manifestPath, "circuit manifest"), manifestPath);
      if (circuitName !== undefined && circuitName !== loaded.circuit.name) {
        throw new UsageError(`${manifestPath} already describes the circuit "${loaded.circuit.name}", not "${circuitName}"; remove it to start over`);
      }
      if (Object.keys(rawParams).length > 0) throw new UsageError(`${manifestPath} already fixes the parameters; edit or remove it instead of passing --param`);
    } else {
      if (circuitName === undefined) {
        // Most often a compiled model's directory mistyped, or not compiled yet: say that first.
        const hint =
          `: compile a model into it first (\`zkinfer compile <model.onnx> --out ${dir}\`), or pass --circuit <name> to set up a ` +
          `built-in circuit there (built-ins: ${builtinCircuits.map((c) => c.name).join(", ")})`;
        if (!(await exists(dir))) throw new InputError(`model directory ${dir} does not exist${hint}`);
        throw new InputError(`${dir} holds neither a compiled model (${MANIFEST_FILE}) nor a built-in circuit (${FILES.manifest})${hint}`);
      }
      try {
        loaded = checkManifest({ builtin: circuitName, params: rawParams }, "--circuit/--param", { fresh: true });
      } catch (err) {
        if (err instanceof InputError) throw new UsageError(err.message.replace(/^--circuit\/--param: /, ""), { cause: err });
        throw err;
      }
      created = true;
    }
    const { circuit, params, manifest } = loaded;
    // The file the circuit came from: a compiled model's model.json, else circuit.json.
    const usedManifest = compiled ? join(dir, MANIFEST_FILE) : manifestPath;

    let t = performance.now();
    let current = stage(`layout ${circuit.name}`);
    const { table } = layOutCircuit(loaded);
    const layoutMs = since(t);
    current.done(`(2^${table.logRows} rows)`);

    // What each public input means; the key's digest binds it, vk.json shows it.
    const publicInputLayout = circuit.publicInputLayout(params);
    const size = srsSizeFor(table.logRows);
    const power = ptauPowerFor(size);
    t = performance.now();
    let srs: Srs;
    if (dev) {
      warn(devSrsWarning(power));
      current = stage(`dev SRS (${size} G1 powers)`);
      srs = await devSrs(size);
    } else {
      const loading = (current = stage(`load and check SRS ${ptau} (${size} G1 powers)`));
      try {
        srs = await loadPtau(ptau!, { size, onProgress: (done, total) => loading.update(done / total) });
      } catch (err) {
        if (err instanceof SrsError) {
          const why = /fewer than/.test(err.message) ? ` (a table of 2^${table.logRows} rows needs ${size} G1 powers)` : "";
          throw new InputError(`${err.message}${why}`, { cause: err });
        }
        throw err;
      }
    }
    const srsMs = since(t);
    current.done();

    t = performance.now();
    current = stage(`keygen (${table.fixed.length} fixed columns and the weights, 2^${table.logRows} rows)`);
    let pk;
    try {
      const keygenStage = current;
      pk = await keygen(table, srs, { publicInputLayout, onProgress: (fraction, step) => keygenStage.update(fraction, step) });
    } catch (err) {
      if (err instanceof CircuitError || err instanceof SrsError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    const keygenMs = since(t);
    current.done();

    t = performance.now();
    const layout = circuit.outputLayout(params);
    const vkBytes = encodeVerificationKey(pk.vk);
    // pk.bin and public-circuit.bin are streamed to disk: at 2^22 rows pk.bin is about 8 GiB.
    const pkChunks = provingKeyChunks(pk);
    const vkJson = { ...verificationKeyJson(pk.vk), circuit: circuit.name, outputs: layout, publicInputLayout };
    await ensureDir(dir);
    if (created) await writeFileAtomic(manifestPath, toJsonText(manifest));
    await writeFileAtomic(modelPath(dir, "vk"), vkBytes);
    await writeFileAtomic(modelPath(dir, "vkJson"), toJsonText(vkJson));
    const circuitFileBytes = await writeChunksAtomic(modelPath(dir, "publicCircuit"), publicCircuitFileChunks(table, publicInputLayout));
    const pkFileBytes = await writeChunksAtomic(modelPath(dir, "pk"), pkChunks.chunks);
    const writeMs = since(t);

    // Parameters without the seed: it fixes the private weights.
    const { seed: _seed, ...shownParams } = params;
    const result = {
      dir,
      circuit: circuit.name,
      params: shownParams,
      createdManifest: created,
      logRows: table.logRows,
      rows: 2 ** table.logRows,
      publicInputCount: table.publicInputCount,
      outputs: layout,
      srs: { source: srs.source, powers: size, minPtauPower: power, lagrangeBasis: pk.lagrangeKey !== undefined },
      insecure: pk.vk.insecure,
      digest: vkJson.digest,
      files: {
        manifest: usedManifest,
        pk: modelPath(dir, "pk"),
        vk: modelPath(dir, "vk"),
        vkJson: modelPath(dir, "vkJson"),
        publicCircuit: modelPath(dir, "publicCircuit"),
      },
      bytes: { pk: pkFileBytes, vk: vkBytes.length, publicCircuit: circuitFileBytes },
      timingsMs: { layout: layoutMs, srs: srsMs, keygen: keygenMs, write: writeMs },
    };
    if (!pk.lagrangeKey) {
      note("this .ptau has no Lagrange sections, so proving commits from coefficients (slower); `npx snarkjs powersoftau prepare phase2 <in.ptau> <out.ptau>` adds them");
    }
    const text = [
      `${created ? "created" : "used"} ${usedManifest}: ${circuit.name} ${Object.entries(shownParams).map(([k, v]) => `${k}=${v}`).join(" ")}`,
      `table: 2^${table.logRows} rows, ${table.publicInputCount} public inputs (outputs at ${layout.offset}…${layout.offset + layout.count - 1})`,
      `srs: ${srs.source}${pk.vk.insecure ? " — INSECURE, development only" : ""}`,
      `wrote ${result.files.pk} (${pkFileBytes} bytes, private), ${result.files.vk} (${vkBytes.length} bytes), ${result.files.vkJson}, ${result.files.publicCircuit} (${circuitFileBytes} bytes, public)`,
      `verification key digest ${vkJson.digest}`,
      `time: layout ${layoutMs} ms, srs ${srsMs} ms, keygen ${keygenMs} ms, write ${writeMs} ms`,
    ].join("\n");
    return { exitCode: EXIT.ok, json: result, text };
  },
};
