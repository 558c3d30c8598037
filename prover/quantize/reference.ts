// The float reference: onnxruntime-node runs the original model on the same inputs.
import * as ort from "onnxruntime-node";
import type { ElementType } from "../onnx/tensor.js";

export interface ReferenceInput {
  name: string;
  dtype: ElementType;
  dims: number[];
  values: ArrayLike<number>;
}

function tensorOf(x: ReferenceInput): ort.Tensor {
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
  readonly #session: ort.InferenceSession;
  private constructor(session: ort.InferenceSession) {
    this.#session = session;
  }

  static async load(model: Uint8Array): Promise<FloatReference> {
    return new FloatReference(await ort.InferenceSession.create(model));
  }

  async run(inputs: readonly ReferenceInput[], outputNames: readonly string[]): Promise<Float64Array[]> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const x of inputs) feeds[x.name] = tensorOf(x);
    const result = await this.#session.run(feeds);
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
