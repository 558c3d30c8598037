// zkinfer compile <model.onnx> --out <dir> [--calibration <data.json>] [--target accuracy|resources]
// [--input-visibility …] [--output-visibility …] [--im2col]: quantizes and lowers an ONNX model into a model
// directory (model.json, model.onnx, graph.bin) that setup, prove, verify and info take.
import { dirname, join } from "node:path";
import { compileModel } from "../../compiler/compile.js";
import { GRAPH_FILE, MANIFEST_FILE, MODEL_FILE } from "../../compiler/manifest.js";
import { CompileError, QuantRangeError, UnsupportedModelError } from "../../compiler/errors.js";
import { loadModelGraph } from "../../compiler/from-ir.js";
import type { Visibility } from "../../compiler/lower.js";
import { OnnxError } from "../../onnx/errors.js";
import { CalibrationError, parseInputData } from "../../quantize/calibration.js";
import { FloatReferenceError, FloatReferenceUnavailableError } from "../../quantize/reference.js";
import type { TargetName } from "../../quantize/targets.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import { ensureDir, exists, readInput, readJson, toJsonText, writeFileAtomic } from "../model-dir.js";
import { IrError } from "../../ir/errors.js";

const VISIBILITIES = ["public", "hashed", "private"];

function visibility(value: unknown, flag: string, fallback: Visibility): Visibility {
  if (value === undefined) return fallback;
  if (!VISIBILITIES.includes(value as string)) throw new UsageError(`${flag} must be public, hashed or private, not "${value}"`);
  return value as Visibility;
}

export const compileCommand: Command = {
  path: ["compile"],
  summary: "compile and calibrate an ONNX model into a model directory",
  args: "<model.onnx>",
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: "string", valueName: "<dir>", description: "the model directory to write (model.json, model.onnx, graph.bin)" },
    calibration: { type: "string", valueName: "<data.json>", description: 'calibration data in EZKL\'s layout {"input_data": [[…]]} (default: input.json next to the model)' },
    target: { type: "string", valueName: "<accuracy|resources>", description: "larger scales and tables (accuracy, default) or smaller ones (resources)" },
    "input-visibility": { type: "string", valueName: "<public|hashed|private>", description: "how the input is exposed (default hashed)" },
    "output-visibility": { type: "string", valueName: "<public|hashed|private>", description: "how the output is exposed (default public)" },
    im2col: {
      type: "boolean",
      description: "lay every convolution out as im2col copies and a matrix product, as before convolution runs (more rows)",
    },
  },
  description:
    "Loads the model, calibrates the range of every value on the calibration samples (an input list k times the\n" +
    "input's size holds k samples), picks power-of-two scales, lowers every node onto the basic blocks and compares\n" +
    "the dequantized outputs with onnxruntime's float outputs (the accuracy report and the tolerance). A model with\n" +
    "unsupported operators fails here, listing every such node. <dir>/model.onnx and <dir>/graph.bin (the graph\n" +
    "setup and prove read) hold the weights: keep the directory as private as pk.bin.",
  async run({ positionals, values, stage, warn }) {
    const modelPath = positionals[0];
    const out = values.out as string | undefined;
    if (out === undefined) throw new UsageError("compile needs --out <dir>");
    const target = (values.target as string | undefined) ?? "accuracy";
    if (target !== "accuracy" && target !== "resources") throw new UsageError(`--target must be accuracy or resources, not "${target}"`);
    const inputVisibility = visibility(values["input-visibility"], "--input-visibility", "hashed");
    const outputVisibility = visibility(values["output-visibility"], "--output-visibility", "public");
    // The model first: a wrong path should not be reported as missing calibration data.
    const bytes = new Uint8Array(await readInput(modelPath, "model"));
    let calibration = values.calibration as string | undefined;
    if (calibration === undefined) {
      const guess = join(dirname(modelPath), "input.json");
      if (!(await exists(guess))) throw new UsageError(`compile needs calibration data: --calibration <data.json> (no input.json next to ${modelPath})`);
      calibration = guess;
    }
    const calibrationJson = await readJson(calibration, "calibration data");

    const started = performance.now();
    try {
      const inputs = loadModelGraph(bytes).graph.inputs;
      const samples = parseInputData(calibrationJson, inputs, `calibration data ${calibration}`);
      if (samples.length === 1) {
        warn(
          `calibrated on 1 sample (${calibration}): the value ranges fit that input alone, and an input with larger values can overflow them at prove time. ` +
            `Pass a data set: --calibration <data.json> whose "input_data" holds k samples per input, one flat list of k × the input's size values, the samples one after another`,
        );
      }
      const compiling = stage("compile");
      const compiled = await compileModel(bytes, {
        samples,
        target: target as TargetName,
        inputVisibility,
        outputVisibility,
        convRuns: values.im2col !== true,
        calibrationSource: calibration,
        source: modelPath,
        progress: (message) => compiling.update(message.replace(/^compile: /, "")),
      });
      compiling.done();
      const paths = { manifest: join(out, MANIFEST_FILE), model: join(out, MODEL_FILE), graph: join(out, GRAPH_FILE) };
      await ensureDir(out);
      await writeFileAtomic(paths.model, compiled.bytes);
      await writeFileAtomic(paths.graph, compiled.graphBytes);
      await writeFileAtomic(paths.manifest, toJsonText(compiled.manifest));
      const m = compiled.manifest;
      const ms = Math.round(performance.now() - started);
      const acc = m.accuracy;
      const text = [
        `compiled ${modelPath} → ${paths.manifest} (ops: ${m.ops.join(", ")})`,
        `circuit: ${m.circuit.rows} rows, ${m.circuit.requiredRows} with the lookup tables → 2^${m.circuit.logRows} rows; ${m.circuit.tables.length} function/range table(s)`,
        `scales: inputs ${m.inputs.map((v) => `${v.name} 2^${v.scale}`).join(", ")}; outputs ${m.outputs.map((v) => `${v.name} 2^${v.scale}`).join(", ")} (target ${m.target})`,
        `public inputs: ${m.publicInputs.count} (input ${m.visibility.input}: ${m.publicInputs.input.count}, output ${m.visibility.output}: ${m.publicInputs.output.count})`,
        `accuracy on ${acc.samples} calibration sample(s): max abs error ${acc.maxAbsError.toPrecision(3)} (outputs up to ${acc.maxAbsOutput.toPrecision(3)})` +
          (acc.top1Agreement === null ? "" : `, top-1 agreement ${(acc.top1Agreement * 100).toFixed(1)}%`) +
          `; tolerance ${acc.tolerance.toPrecision(3)}`,
        `time: ${ms} ms`,
        `next: zkinfer setup ${out} --srs <file.ptau> (or --dev-srs)`,
      ].join("\n");
      return { exitCode: EXIT.ok, json: { out, files: paths, manifest: { ...m, ranges: undefined, calibration: { ...m.calibration, layoutSample: undefined } }, timeMs: ms }, text };
    } catch (err) {
      if (err instanceof FloatReferenceUnavailableError) throw new InputError(err.message, { cause: err });
      if (err instanceof UnsupportedModelError || err instanceof CalibrationError || err instanceof QuantRangeError || err instanceof CompileError || err instanceof OnnxError || err instanceof IrError || err instanceof FloatReferenceError) {
        throw new InputError(`${modelPath}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  },
};
