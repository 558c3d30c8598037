/**
 * Why an ONNX model was refused.
 * - `"format"`: the bytes are not a readable ONNX model (bad protobuf, no graph, a tensor whose
 *   data does not match its shape, a dangling value name, a cycle).
 * - `"unsupported"`: the model is well formed but uses something zkinfer does not handle
 *   (external-data weights, an opset or domain outside the supported range, a symbolic
 *   dimension that cannot be resolved, an element type without a typed-array form).
 */
export type OnnxErrorKind = "format" | "unsupported";

/** Thrown when an ONNX model cannot be loaded; the CLI reports it as bad input (exit code 2). */
export class OnnxError extends Error {
  override name = "OnnxError";
  readonly kind: OnnxErrorKind;

  constructor(kind: OnnxErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}
