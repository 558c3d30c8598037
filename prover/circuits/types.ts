// What a built-in circuit (one built directly in code, without an ONNX model) provides: its
// parameters, the input it takes (EZKL's input.json layout), and one build function that lays
// out the same table for any input — setup calls it without an input, the prover with one.
import type { CircuitTable, PublicInputLayout, Witness } from "../plonkish/index.js";

/** A circuit's parameters as stored in circuit.json: integers and strings only. */
export type CircuitParams = Record<string, number | string>;

/** The manifest a model directory holds for a built-in circuit (circuit.json). */
export interface CircuitManifest {
  builtin: string;
  params: CircuitParams;
}

export interface ParamSpec {
  description: string;
  /** Shown in help; parameters without a default are required. */
  default?: number | string;
}

/** Where the outputs sit among the public inputs: public inputs [offset, offset + count). */
export interface OutputLayout {
  offset: number;
  count: number;
  /** Fixed-point outputs (compiled models): runs of outputs and their scale, output = integer / 2^scale. */
  scales?: { count: number; scale: number }[];
  /** How outputs are exposed (compiled models): public values, one Poseidon hash of them, or nothing. */
  kind?: "public" | "hashed" | "private";
  /** Hashed outputs: the signed width each quantized output is packed at before hashing. */
  bits?: number;
}

export interface BuiltCircuit {
  table: CircuitTable;
  witness: Witness;
  /** The circuit's output values (the public outputs, as numbers). */
  outputs: number[];
  /** Rows the circuit uses, before padding to 2^logRows (lookup-table entries not counted). */
  rows: number;
}

export interface BuiltinCircuit {
  name: string;
  summary: string;
  params: Record<string, ParamSpec>;
  /**
   * Checks parameters (strings from the command line or values from circuit.json) and fills in
   * defaults; `fresh` is set when a new manifest is being created (e.g. to draw a weight seed).
   * Throws CircuitParamError.
   */
  normalizeParams(raw: Record<string, unknown>, options?: { fresh?: boolean }): CircuitParams;
  /** What input.json must hold, in words (for error messages and help). */
  describeInput(params: CircuitParams): string;
  /** Reads EZKL's `input_data` (an array of arrays of numbers); throws CircuitInputError naming the bad entry. */
  parseInput(params: CircuitParams, inputData: unknown): bigint[];
  /** Lays out the circuit; without an input, with all-zero inputs (the table is the same either way). */
  build(params: CircuitParams, input?: readonly bigint[]): BuiltCircuit;
  outputLayout(params: CircuitParams): OutputLayout;
  /** What every public input means: setup binds it into the verification key (docs/protocol.md §3.10). */
  publicInputLayout(params: CircuitParams): PublicInputLayout;
}

/** Bad circuit parameters (unknown name, out of range, missing). */
export class CircuitParamError extends Error {
  override name = "CircuitParamError";
}

/** An input that the circuit cannot take (wrong length, not an integer, outside the documented range). */
export class CircuitInputError extends Error {
  override name = "CircuitInputError";
}
