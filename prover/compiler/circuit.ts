// A compiled model as a circuit for setup/prove/verify: the same interface as the built-in
// circuits (prover/circuits/types.ts). Inputs are floats in EZKL's layout, quantized at the
// input scales; setup lays the circuit out with the manifest's calibration sample (the table never
// depends on the values); the outputs are the dequantized model outputs.
import { CircuitInputError, type BuiltCircuit, type BuiltinCircuit, type CircuitParams, type OutputLayout } from "../circuits/types.js";
import { CalibrationError, parseInputData } from "../quantize/calibration.js";
import { dequantizeValue } from "../quantize/fixed-point.js";
import { planOf, type CompiledModel } from "./compile.js";
import { CompileError, QuantRangeError } from "./errors.js";
import { lowerModel, quantizeInputs, type HashedRange } from "./lower.js";
import type { TensorInfo } from "./manifest.js";
import type { PublicInputLayout, PublicInputRange } from "../plonkish/index.js";

export interface CompiledOutputLayout extends OutputLayout {
  /** How the outputs are exposed: public values, one Poseidon hash, or nothing. */
  kind: "public" | "hashed" | "private";
  /** Runs of outputs (public, or hashed) and their scale: output = integer / 2^scale. */
  scales: { count: number; scale: number }[];
}

export function compiledCircuit(model: CompiledModel): BuiltinCircuit {
  const { manifest, graph } = model;
  const plan = planOf(manifest);
  const inputs = graph.graph.inputs.map((v) => ({ name: v.name, dims: v.dims }));
  const describe = () => `the model takes ${inputs.map((v) => `${v.name} [${v.dims.join(", ")}] (${v.dims.reduce((a, b) => a * b, 1)} numbers)`).join(", ")}`;
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof QuantRangeError || err instanceof CalibrationError || err instanceof CompileError) throw new CircuitInputError(err.message, { cause: err });
      throw err;
    }
  };
  return {
    name: "onnx",
    summary: `compiled ONNX model (${manifest.ops.join(", ")})`,
    params: {},
    normalizeParams: () => ({}),
    describeInput: describe,
    parseInput(_params: CircuitParams, inputData: unknown): bigint[] {
      return wrap(() => {
        const [sample] = parseInputData({ input_data: inputData }, inputs, "input", { single: true });
        return quantizeInputs(graph.graph, plan, sample);
      });
    },
    build(_params: CircuitParams, input?: readonly bigint[]): BuiltCircuit {
      return wrap(() => {
        const q = input ?? quantizeInputs(graph.graph, plan, manifest.calibration.layoutSample);
        const lowered = lowerModel(graph.graph, plan, q);
        const { table, witness } = lowered.builder.build();
        if (table.logRows !== manifest.circuit.logRows) throw new CompileError(`the circuit now needs 2^${table.logRows} rows, the manifest says 2^${manifest.circuit.logRows}; compile again`);
        const outputs = lowered.outputs.flatMap((o) => o.values.map((v) => dequantizeValue(v, o.scale)));
        return { table, witness, outputs, rows: lowered.builder.placedRows };
      });
    },
    publicInputLayout(): PublicInputLayout {
      const { publicInputs } = manifest;
      const range = (role: "input" | "output", r: HashedRange, tensors: TensorInfo[]): PublicInputRange => ({
        role,
        visibility: r.kind,
        offset: r.offset,
        count: r.count,
        bits: r.kind === "hashed" ? r.bits! : 0,
        scales: r.kind === "private" ? [] : tensors.map((t) => ({ count: t.dims.reduce((a, b) => a * b, 1), scale: t.scale })).filter((s) => s.count > 0),
      });
      return { count: publicInputs.count, ranges: [range("input", publicInputs.input, manifest.inputs), range("output", publicInputs.output, manifest.outputs)] };
    },
    outputLayout(): CompiledOutputLayout {
      const o = manifest.publicInputs.output;
      const scales = o.kind === "private" ? [] : manifest.outputs.map((t) => ({ count: t.dims.reduce((a, b) => a * b, 1), scale: t.scale }));
      return { offset: o.offset, count: o.count, kind: o.kind, scales, ...(o.kind === "hashed" ? { bits: o.bits } : {}) };
    },
  };
}
