// zkinfer info <dir>: what a compiled model directory holds — rows per block kind and per node,
// lookup tables, scales, the public-input layout, logRows and an estimated prove time.
import { join } from "node:path";
import { estimateProveMs } from "../../compiler/cost.js";
import { checkCompiledManifest, MANIFEST_FILE } from "../../compiler/manifest.js";
import { CompileError } from "../../compiler/errors.js";
import type { Command } from "../command.js";
import { EXIT, InputError } from "../errors.js";
import { readJson, requireDir } from "../model-dir.js";

export const infoCommand: Command = {
  path: ["info"],
  summary: "rows, blocks, lookup tables, scales and sizes of a compiled model",
  args: "<dir>",
  positionals: { min: 1, max: 1 },
  description: "Reads <dir>/model.json (written by `zkinfer compile`). The prove time is an estimate from measured per-row costs, not a measurement.",
  async run({ positionals }) {
    const dir = positionals[0];
    await requireDir(dir, " (run `zkinfer compile <model.onnx> --out <dir>` first)");
    const path = join(dir, MANIFEST_FILE);
    let m;
    try {
      m = checkCompiledManifest(await readJson(path, "compiled model manifest", " (run `zkinfer compile` first)"), path);
    } catch (err) {
      if (err instanceof CompileError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    const c = m.circuit;
    const estimate = estimateProveMs(c.logRows);
    const json = {
      dir,
      ops: m.ops,
      target: m.target,
      rows: c.rows,
      hostedRows: c.hostedRows ?? 0,
      requiredRows: c.requiredRows,
      logRows: c.logRows,
      weights: c.weights,
      blocks: c.blockRows,
      nodes: c.nodeRows,
      tables: c.tables,
      inputs: m.inputs,
      outputs: m.outputs,
      visibility: m.visibility,
      publicInputs: m.publicInputs,
      accuracy: m.accuracy,
      estimatedProveMs: estimate,
    };
    const width = Math.max(...Object.keys(c.blockRows).map((k) => k.length), 10);
    const text = [
      `${dir}: ${m.ops.join(", ")} (target ${m.target}${m.ops.includes("Conv") ? `, convolutions as ${m.convRuns ? "runs" : "im2col"}` : ""}${m.ops.includes("ConvTranspose") ? `, transposed convolutions as ${m.convTransposeRuns ? "runs" : "im2col"}` : ""})`,
      `rows: ${c.rows}, ${c.requiredRows} with the lookup tables → 2^${c.logRows}; ${c.weights} weights (private)`,
      `rows per block (${c.hostedRows ?? 0} of them placed in open weight and UV rows):`,
      ...Object.entries(c.blockRows)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
      "rows per node:",
      ...c.nodeRows.map((n) => `  ${n.node} (${n.op})  ${n.rows}`),
      "lookup tables:",
      ...(c.tables.length ? c.tables.map((t) => `  #${t.id} ${t.kind}: ${t.entries} entries, inputs ${t.lo}…${t.hi}`) : ["  none"]),
      `scales: inputs ${m.inputs.map((v) => `${v.name}[${v.dims.join("×")}] 2^${v.scale}`).join(", ")}; outputs ${m.outputs.map((v) => `${v.name}[${v.dims.join("×")}] 2^${v.scale}`).join(", ")}`,
      `public inputs: ${m.publicInputs.count}: input (${m.visibility.input}) at ${m.publicInputs.input.offset}, ${m.publicInputs.input.count}; output (${m.visibility.output}) at ${m.publicInputs.output.offset}, ${m.publicInputs.output.count}`,
      `accuracy: max abs error ${m.accuracy.maxAbsError.toPrecision(3)}, tolerance ${m.accuracy.tolerance.toPrecision(3)}` +
        (m.accuracy.top1Agreement === null ? "" : `, top-1 agreement ${(m.accuracy.top1Agreement * 100).toFixed(1)}%`),
      `estimated prove time: ~${(estimate / 1000).toFixed(1)} s at 2^${c.logRows} rows on this kind of machine (an estimate, not a measurement)`,
    ].join("\n");
    return { exitCode: EXIT.ok, json, text };
  },
};
