// The float reference: onnxruntime-node runs the original model on the same inputs. It is an
// optional dependency (288 MB installed: binaries for every platform) that only compile's
// accuracy check needs, so it is loaded on first use: proving and verifying work without it.
import type * as Ort from "onnxruntime-node";
import type { ElementType } from "../onnx/tensor.js";

/** The package to install for the float reference, at the version zkinfer is tested with. */
export const FLOAT_REFERENCE_PACKAGE = "onnxruntime-node@1.30.0";

/** onnxruntime-node is not installed (or does not load on this platform). */
export class FloatReferenceUnavailableError extends Error {
  override name = "FloatReferenceUnavailableError";
}

/** onnxruntime refuses the model or fails on it: the model is malformed (bad input, not a bug). */
export class FloatReferenceError extends Error {
  override name = "FloatReferenceError";
}

let ort: typeof Ort | undefined;

/**
 * Checks that onnxruntime-node loads (compile calls it before its long steps); throws
 * FloatReferenceUnavailableError, naming what to install, when it does not.
 */
export async function requireFloatRuntime(): Promise<void> {
  await floatRuntime();
}

// Not exported: the package's declarations must not name onnxruntime-node's types, since a
// consumer may install zkinfer without it.
async function floatRuntime(): Promise<typeof Ort> {
  if (!ort) {
    try {
      ort = await import("onnxruntime-node");
    } catch (err) {
      throw new FloatReferenceUnavailableError(
        `the accuracy check of \`compile\` runs the float model with onnxruntime-node, which did not load ` +
          `(${(err as Error).message.split("\n")[0]}): install it with \`npm install ${FLOAT_REFERENCE_PACKAGE}\` ` +
          `(an optional dependency of zkinfer; setup, prove and verify do not need it)`,
        { cause: err },
      );
    }
  }
  return ort;
}

export interface ReferenceInput {
  name: string;
  dtype: ElementType;
  dims: number[];
  values: ArrayLike<number>;
}

function tensorOf(ort: typeof Ort, x: ReferenceInput): Ort.Tensor {
  switch (x.dtype) {
    case "float32":
      return new ort.Tensor("float32", Float32Array.from(x.values), x.dims);
    case "float64":
      return new ort.Tensor("float64", Float64Array.from(x.values), x.dims);
    case "int64":
      return new ort.Tensor("int64", BigInt64Array.from(Array.from(x.values, (v) => BigInt(Math.round(v)))), x.dims);
    case "int32":
      return new ort.Tensor("int32", Int32Array.from(x.values, (v) => Math.round(v)), x.dims);
    case "bool":
      return new ort.Tensor("bool", Uint8Array.from(x.values, (v) => (v ? 1 : 0)), x.dims);
    default:
      throw new RangeError(`the float reference does not feed ${x.dtype} inputs`);
  }
}

/** A loaded model that runs samples: each run takes one value list per input and returns one flat array per output. */
export class FloatReference {
  readonly #ort: typeof Ort;
  readonly #session: Ort.InferenceSession;
  private constructor(ort: typeof Ort, session: Ort.InferenceSession) {
    this.#ort = ort;
    this.#session = session;
  }

  static async load(model: Uint8Array): Promise<FloatReference> {
    const ort = await floatRuntime();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model);
    } catch (err) {
      throw new FloatReferenceError(`onnxruntime (the float reference) refuses the model: ${(err as Error).message}; fix the model (check it with onnx.checker) and compile again`, { cause: err });
    }
    return new FloatReference(ort, session);
  }

  async run(inputs: readonly ReferenceInput[], outputNames: readonly string[]): Promise<Float64Array[]> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const x of inputs) feeds[x.name] = tensorOf(this.#ort, x);
    let result: Ort.InferenceSession.ReturnType;
    try {
      result = await this.#session.run(feeds);
    } catch (err) {
      throw new FloatReferenceError(`onnxruntime (the float reference) fails on the model: ${(err as Error).message}; fix the model and compile again`, { cause: err });
    }
    return outputNames.map((name) => {
      const t = result[name];
      if (!t) throw new RangeError(`onnxruntime gave no output "${name}"`);
      return Float64Array.from(t.data as ArrayLike<number | bigint>, Number);
    });
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}
