// compile: ONNX bytes + calibration samples → the manifest of a compiled model. Calibrates every
// value's range with the IR's float interpreter, lowers the model once per calibration sample
// (the layout is the same each time; the witness gives the quantized outputs), compares the
// dequantized outputs with onnxruntime-node's float outputs, and records the result.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { accuracyReport } from "../quantize/accuracy.js";
import { calibrate, type Samples } from "../quantize/calibration.js";
import { dequantizeValue } from "../quantize/fixed-point.js";
import { FloatReference, requireFloatRuntime } from "../quantize/reference.js";
import { getTarget, type TargetName } from "../quantize/targets.js";
import { CompileError, UnsupportedModelError } from "./errors.js";
import { loadModelGraph, modelGraphOf, type LoadedGraph } from "./from-ir.js";
import { checkHeap, HEAP_PER_WEIGHT } from "./heap.js";
import type { GraphNode } from "./graph.js";
import { lowerModel, quantizeInputs, unsupportedNodes, type LoweredModel, type LoweringPlan, type Visibility } from "./lower.js";
import { checkCompiledManifest, GRAPH_FILE, MANIFEST_FILE, MANIFEST_FORMAT, MODEL_FILE, sha256Hex, type CompiledManifest } from "./manifest.js";
import { decodeGraph, encodeGraph } from "../ir/binary.js";
import { size as sizeOf } from "../ir/tensor.js";

export interface CompileOptions {
  target?: TargetName;
  inputVisibility?: Visibility;
  outputVisibility?: Visibility;
  /** Calibration samples: samples[s][i] is sample s's flat values for input i. */
  samples: Samples;
  /** Where the samples came from (recorded in the manifest). */
  calibrationSource?: string;
  /** Where the model came from (recorded in the manifest). */
  source?: string;
  /** At most this many samples are lowered for the accuracy report (all are used for ranges). */
  maxAccuracySamples?: number;
  /**
   * Lower stride-1 2-D convolutions (batch 1, dilation 1) onto the conv block's runs (default) rather
   * than im2col products (docs/compiler.md), and 2-D ConvTransposes (dilation 1) too. Recorded in the
   * manifest either way (convRuns, convTransposeRuns).
   */
  convRuns?: boolean;
  progress?: (message: string) => void;
}

export interface CompiledModel {
  manifest: CompiledManifest;
  graph: LoadedGraph;
  /** The ONNX model: from compileModel; readCompiledModel reads it only for a directory without a graph file. */
  bytes?: Uint8Array;
}

/** What compileModel returns: the model, and its IR graph in binary form for the graph file. */
export interface CompileResult extends CompiledModel {
  bytes: Uint8Array;
  graphBytes: Uint8Array;
}

export function planOf(manifest: Pick<CompiledManifest, "target" | "ranges" | "visibility" | "convRuns" | "convTransposeRuns">): LoweringPlan {
  return {
    target: getTarget(manifest.target),
    ranges: manifest.ranges,
    inputVisibility: manifest.visibility.input,
    outputVisibility: manifest.visibility.output,
    convRuns: manifest.convRuns ?? false,
    convTransposeRuns: manifest.convTransposeRuns ?? false,
  };
}

/**
 * Lowers one float sample; returns the lowering and its dequantized outputs. A circuit too large for
 * Node's heap is a CompileError (heap.ts), not V8's abort.
 */
export function runQuantized(graph: LoadedGraph, plan: LoweringPlan, sample: readonly ArrayLike<number>[]): { lowered: LoweredModel; outputs: Float64Array[] } {
  // A node's constants (its weights) are held a second time, in the blocks' form, while it is lowered.
  const nodeNeed = (node: GraphNode) => node.inputs.reduce((n, name) => n + sizeOf(graph.graph.constants.get(name)?.dims ?? [0]), 0) * HEAP_PER_WEIGHT;
  const lowered = lowerModel(graph.graph, plan, quantizeInputs(graph.graph, plan, sample), { fillOpenRows: true, onRows: (rows) => checkHeap(rows) }, (node, rows) =>
    checkHeap(rows, { need: nodeNeed(node), what: `node ${node.name} (${node.op})` }),
  );
  return { lowered, outputs: lowered.outputs.map((o) => Float64Array.from(o.values, (q) => dequantizeValue(q, o.scale))) };
}

export async function compileModel(bytes: Uint8Array, options: CompileOptions): Promise<CompileResult> {
  const progress = options.progress ?? (() => undefined);
  const graph = loadModelGraph(bytes);
  const bad = unsupportedNodes(graph.graph);
  if (bad.length > 0) throw new UnsupportedModelError(bad);
  if (options.samples.length === 0) throw new CompileError("compile needs at least one calibration sample");
  const target = options.target ?? "accuracy";
  const visibility = { input: options.inputVisibility ?? "hashed", output: options.outputVisibility ?? "public" };
  // Before any long step: without onnxruntime-node the accuracy report cannot be made.
  await requireFloatRuntime();

  progress(`compile: calibrating on ${options.samples.length} sample(s)`);
  const ranges = calibrate(options.samples, (s) => graph.evaluate(s));
  const convRuns = options.convRuns ?? true;
  const plan = planOf({ target, ranges, visibility, convRuns, convTransposeRuns: convRuns });

  const reference = await FloatReference.load(bytes);
  const float: Float64Array[][] = [];
  const quant: Float64Array[][] = [];
  // What the manifest needs of the first lowering: its circuit is dropped before the next sample is
  // lowered, so only one circuit is ever held (each takes ~0.2 KB of heap a row).
  let first: LoweringSummary | undefined;
  try {
    const count = Math.min(options.samples.length, options.maxAccuracySamples ?? 16);
    for (let s = 0; s < count; s++) {
      progress(`compile: lowering sample ${s + 1}/${count}`);
      const sample = options.samples[s];
      const { summary, outputs } = lowerSample(graph, plan, sample);
      first ??= summary;
      quant.push(outputs);
      float.push(
        await reference.run(
          graph.graph.inputs.map((v, i) => ({ name: v.name, dtype: graph.inputTypes[i], dims: v.dims, values: sample[i] })),
          graph.graph.outputs.map((v) => v.name),
        ),
      );
    }
  } finally {
    await reference.release();
  }
  const lowered = first!;
  const graphBytes = encodeGraph(graph.ir);
  const accuracy = accuracyReport(float, quant, lowered.outputs.map((o) => o.scale));
  const manifest: CompiledManifest = {
    format: MANIFEST_FORMAT,
    model: { file: MODEL_FILE, sha256: sha256Hex(bytes), source: options.source ?? "" },
    graph: { file: GRAPH_FILE, sha256: sha256Hex(graphBytes) },
    target,
    convRuns,
    convTransposeRuns: convRuns,
    visibility,
    ranges,
    inputs: graph.graph.inputs.map((v, i) => ({ name: v.name, dims: v.dims, dtype: graph.inputTypes[i], scale: lowered.inputScales[i] })),
    outputs: lowered.outputs.map((o) => ({ name: o.name, dims: o.dims, dtype: "float32", scale: o.scale })),
    publicInputs: lowered.layout,
    calibration: { source: options.calibrationSource ?? "", samples: options.samples.length, layoutSample: options.samples[0].map((l) => [...l]) },
    circuit: {
      ...lowered.rows,
      blockRows: lowered.blockRows,
      nodeRows: lowered.nodeRows,
      tables: lowered.tables,
      weights: countWeights(graph),
    },
    accuracy,
    ops: [...new Set(graph.graph.nodes.map((n) => n.op))].sort(),
  };
  return { manifest, graph, bytes, graphBytes };
}

type LoweringSummary = Omit<LoweredModel, "builder" | "outputs"> & {
  outputs: Omit<LoweredModel["outputs"][number], "values">[];
  rows: { rows: number; hostedRows: number; requiredRows: number; logRows: number };
};

/** Lowers one sample; returns its outputs and the summary only, so the circuit can be freed on return (not held across an await). */
function lowerSample(graph: LoadedGraph, plan: LoweringPlan, sample: readonly ArrayLike<number>[]): { summary: LoweringSummary; outputs: Float64Array[] } {
  const { lowered, outputs } = runQuantized(graph, plan, sample);
  const { builder: b, outputs: lowOutputs, ...rest } = lowered;
  const summary = {
    ...rest,
    outputs: lowOutputs.map(({ name, dims, scale }) => ({ name, dims, scale })),
    rows: { rows: b.placedRows, hostedRows: b.hostedRows, requiredRows: b.requiredRows, logRows: b.minLogRows },
  };
  return { summary, outputs };
}

function countWeights(graph: LoadedGraph): number {
  let n = 0;
  for (const c of graph.graph.constants.values()) n += sizeOf(c.dims);
  return n;
}

/**
 * Reads a compiled model directory back: the graph from the graph file compile wrote (or, for a
 * directory compiled before there was one, from the model file), checked against the manifest's hash.
 */
export async function readCompiledModel(dir: string): Promise<CompiledModel> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (err) {
    throw new CompileError(`cannot read ${manifestPath}: ${(err as Error).message}`, { cause: err });
  }
  const manifest = checkCompiledManifest(json, manifestPath);
  const { file, sha256 } = manifest.graph ?? manifest.model;
  const path = join(dir, file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CompileError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (sha256Hex(bytes) !== sha256) throw new CompileError(`${path} is not the ${manifest.graph ? "graph" : "model"} ${manifestPath} was compiled ${manifest.graph ? "to" : "from"} (sha256 differs); compile again`);
  if (manifest.graph) return { manifest, graph: modelGraphOf(decodeGraph(bytes, path)) };
  return { manifest, graph: loadModelGraph(bytes), bytes };
}
