// Built-in circuits, built directly in code (no ONNX model): one file each, listed here.
import { matvec } from "./matvec.js";
import { CircuitParamError, type BuiltinCircuit } from "./types.js";

export { matvec, matvecRows, matvecShape, matvecTableRows, matvecWeights, sizedMatvec, toSigned, WEIGHT_BOUND, type MatvecParams } from "./matvec.js";
export {
  CircuitInputError,
  CircuitParamError,
  type BuiltCircuit,
  type BuiltinCircuit,
  type CircuitManifest,
  type CircuitParams,
  type OutputLayout,
  type ParamSpec,
} from "./types.js";

export const builtinCircuits: readonly BuiltinCircuit[] = [matvec];

/** The built-in circuit of that name; throws CircuitParamError listing the known ones. */
export function getBuiltinCircuit(name: string): BuiltinCircuit {
  const found = builtinCircuits.find((c) => c.name === name);
  if (!found) throw new CircuitParamError(`unknown built-in circuit "${name}" (built-ins: ${builtinCircuits.map((c) => c.name).join(", ")})`);
  return found;
}
