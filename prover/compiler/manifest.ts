// The compiled model's manifest, <dir>/model.json, next to <dir>/model.onnx (a copy of the
// model) and <dir>/graph.bin (its IR graph, which setup and prove read): both hold the weights,
// so the directory is as private as pk.bin. It records everything
// setup and prove need to lay the circuit out again exactly: target, calibrated ranges,
// visibility, and the calibration sample used to lay the circuit out at setup; plus what compile
// measured (rows, tables, scales, accuracy) for `zkinfer info`.
import { createHash } from "node:crypto";
import type { AccuracyReport } from "../quantize/accuracy.js";
import type { TableInfo } from "./context.js";
import { CompileError } from "./errors.js";
import type { PublicLayout, Visibility } from "./lower.js";

export const MANIFEST_FORMAT = "zkinfer-model-v1";
export const MANIFEST_FILE = "model.json";
export const MODEL_FILE = "model.onnx";
/** The IR graph compile derived from the model, in binary form (prover/ir/binary.ts); private like the model. */
export const GRAPH_FILE = "graph.bin";

export interface TensorInfo {
  name: string;
  dims: number[];
  dtype: string;
  /** Fixed-point scale exponent: values are round(x·2^scale). */
  scale: number;
}

export interface CompiledManifest {
  format: typeof MANIFEST_FORMAT;
  model: { file: string; sha256: string; source: string };
  /**
   * The IR graph of the model as compile built it (GRAPH_FILE): setup and prove read it instead of
   * decoding the ONNX file again. Absent in manifests from before it: they read the ONNX file.
   */
  graph?: { file: string; sha256: string };
  target: "accuracy" | "resources";
  /**
   * Stride-1 convolutions laid out as convolution runs (the conv block; compile's default) or, when
   * false, as im2col products (compile --im2col). Absent in manifests from before runs: im2col.
   */
  convRuns?: boolean;
  /**
   * ConvTransposes laid out as convolution runs (the sub-pixel split; with convRuns, compile's
   * default since it was added). Absent in manifests from before: im2col, as they were set up.
   */
  convTransposeRuns?: boolean;
  visibility: { input: Visibility; output: Visibility };
  /** Calibrated max |x| of every value (inputs, intermediates, outputs). */
  ranges: Record<string, number>;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  publicInputs: PublicLayout;
  calibration: {
    source: string;
    samples: number;
    /** The sample (one flat list per input) setup lays the circuit out with. */
    layoutSample: number[][];
  };
  circuit: {
    /** Rows of the table's circuit part (after placement). */
    rows: number;
    /** Rows of blocks placed in open weight and UV rows (counted in blockRows, not in rows); absent in older manifests. */
    hostedRows?: number;
    /** max(rows, lookup-table entries): what the table must hold. */
    requiredRows: number;
    logRows: number;
    blockRows: Record<string, number>;
    nodeRows: { node: string; op: string; rows: number }[];
    tables: TableInfo[];
    weights: number;
  };
  accuracy: AccuracyReport;
  ops: string[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const VIS = ["public", "hashed", "private"];

/** Checks the fields prove relies on (the rest is informational); throws CompileError naming `source`. */
export function checkCompiledManifest(json: unknown, source: string): CompiledManifest {
  const fail = (why: string): never => {
    throw new CompileError(`${source}: ${why}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("must be a JSON object");
  const m = json as Partial<CompiledManifest>;
  if (typeof m.format === "string" && m.format.startsWith("zkinfer-model-") && m.format !== MANIFEST_FORMAT) {
    fail(`compiled by another version of zkinfer (format "${m.format}"; this version reads "${MANIFEST_FORMAT}"): compile the model again, then run setup again`);
  }
  if (m.format !== MANIFEST_FORMAT) fail(`"format" must be "${MANIFEST_FORMAT}"`);
  if (typeof m.model?.file !== "string" || !/^[0-9a-f]{64}$/.test(m.model?.sha256 ?? "")) fail('"model" must name the model file and its sha256');
  if (m.graph !== undefined && (typeof m.graph?.file !== "string" || !/^[0-9a-f]{64}$/.test(m.graph?.sha256 ?? ""))) fail('"graph" must name the graph file and its sha256');
  if (m.target !== "accuracy" && m.target !== "resources") fail('"target" must be accuracy or resources');
  if (!VIS.includes(m.visibility?.input as string) || !VIS.includes(m.visibility?.output as string)) fail('"visibility" must give input and output as public, hashed or private');
  if (typeof m.ranges !== "object" || m.ranges === null || Object.values(m.ranges).some((v) => typeof v !== "number" || !(v >= 0))) fail('"ranges" must map value names to non-negative numbers');
  const sample = m.calibration?.layoutSample;
  if (!Array.isArray(sample) || sample.some((l) => !Array.isArray(l) || l.some((v) => typeof v !== "number"))) fail('"calibration.layoutSample" must be lists of numbers');
  if (!Array.isArray(m.inputs) || !Array.isArray(m.outputs)) fail('"inputs" and "outputs" must be lists');
  if (m.convRuns !== undefined && typeof m.convRuns !== "boolean") fail('"convRuns" must be true or false');
  if (m.convTransposeRuns !== undefined && typeof m.convTransposeRuns !== "boolean") fail('"convTransposeRuns" must be true or false');
  return m as CompiledManifest;
}
