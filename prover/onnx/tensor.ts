// ONNX element types and TensorProto ↔ typed-array conversion.

import { OnnxError } from "./errors.js";
import { DataLocation, DataType, type TensorProto } from "./proto.js";

/** The ONNX element types zkinfer reads, by their numpy-style names. */
export type ElementType =
  | "float32"
  | "float64"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "bool";

/** A tensor's elements in their natural typed array (bool as 0/1 bytes). */
export type OnnxTensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A tensor as stored in an ONNX file: row-major elements, dims outermost first. */
export interface OnnxTensor {
  name: string;
  dtype: ElementType;
  dims: number[];
  data: OnnxTensorData;
}

interface ElementInfo {
  code: number;
  bytes: number;
  make: (buffer: ArrayBuffer, length: number) => OnnxTensorData;
  /** Which typed repeated field holds the elements when raw_data is absent. */
  field: "floatData" | "doubleData" | "int32Data" | "int64Data" | "uint64Data";
}

export const ELEMENT_INFO: Record<ElementType, ElementInfo> = {
  float32: { code: DataType.FLOAT, bytes: 4, make: (b, n) => new Float32Array(b, 0, n), field: "floatData" },
  float64: { code: DataType.DOUBLE, bytes: 8, make: (b, n) => new Float64Array(b, 0, n), field: "doubleData" },
  int8: { code: DataType.INT8, bytes: 1, make: (b, n) => new Int8Array(b, 0, n), field: "int32Data" },
  uint8: { code: DataType.UINT8, bytes: 1, make: (b, n) => new Uint8Array(b, 0, n), field: "int32Data" },
  int16: { code: DataType.INT16, bytes: 2, make: (b, n) => new Int16Array(b, 0, n), field: "int32Data" },
  uint16: { code: DataType.UINT16, bytes: 2, make: (b, n) => new Uint16Array(b, 0, n), field: "int32Data" },
  int32: { code: DataType.INT32, bytes: 4, make: (b, n) => new Int32Array(b, 0, n), field: "int32Data" },
  uint32: { code: DataType.UINT32, bytes: 4, make: (b, n) => new Uint32Array(b, 0, n), field: "uint64Data" },
  int64: { code: DataType.INT64, bytes: 8, make: (b, n) => new BigInt64Array(b, 0, n), field: "int64Data" },
  uint64: { code: DataType.UINT64, bytes: 8, make: (b, n) => new BigUint64Array(b, 0, n), field: "uint64Data" },
  bool: { code: DataType.BOOL, bytes: 1, make: (b, n) => new Uint8Array(b, 0, n), field: "int32Data" },
};

const TYPE_NAMES = Object.fromEntries(Object.entries(DataType).map(([name, code]) => [code, name]));

/** The element type of an ONNX DataType code; throws OnnxError("unsupported") for the others. */
export function elementTypeOf(code: number, what: string): ElementType {
  for (const [name, info] of Object.entries(ELEMENT_INFO)) if (info.code === code) return name as ElementType;
  const known = TYPE_NAMES[code];
  throw new OnnxError("unsupported", `${what} has element type ${known ?? `#${code}`}, which zkinfer does not support`);
}

// raw_data is little-endian; typed arrays use the host's order.
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Throws OnnxError("unsupported") when a tensor's bytes live in a file beside the model. */
export function refuseExternalData(tensor: TensorProto, name: string): void {
  if (tensor.dataLocation === DataLocation.EXTERNAL || (tensor.externalData?.length ?? 0) > 0) {
    const location = tensor.externalData?.find((e) => e.key === "location")?.value;
    throw new OnnxError(
      "unsupported",
      `tensor "${name}" stores its weights in external data${location ? ` ("${location}")` : ""}, which is not supported: ` +
        `embed them in the model, e.g. onnx.save(model, path, save_as_external_data=False)`,
    );
  }
}

/** Decodes a TensorProto's elements into their typed array, checking the count against its dims. */
export function decodeTensor(tensor: TensorProto, fallbackName = "(unnamed tensor)"): OnnxTensor {
  const name = tensor.name || fallbackName;
  refuseExternalData(tensor, name);
  const dtype = elementTypeOf(tensor.dataType ?? 0, `tensor "${name}"`);
  const info = ELEMENT_INFO[dtype];
  const dims = (tensor.dims ?? []).map((d) => {
    if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER)) throw new OnnxError("format", `tensor "${name}" has a bad dimension ${d}`);
    return Number(d);
  });
  const count = elementCount(dims);
  const raw = tensor.rawData;
  let data: OnnxTensorData;
  if (raw !== undefined && raw.length > 0) {
    if (!HOST_LITTLE_ENDIAN) throw new OnnxError("unsupported", "raw tensor data needs a little-endian host");
    if (raw.length !== count * info.bytes) {
      throw new OnnxError("format", `tensor "${name}" holds ${raw.length} bytes of raw data, but dims [${dims}] of ${dtype} need ${count * info.bytes}`);
    }
    const copy = new ArrayBuffer(raw.length); // aligned, and detached from the file's buffer
    new Uint8Array(copy).set(raw);
    data = info.make(copy, count);
  } else {
    const values = (tensor[info.field] ?? []) as (number | bigint)[];
    if (values.length !== count) {
      throw new OnnxError("format", `tensor "${name}" holds ${values.length} values, but dims [${dims}] need ${count}`);
    }
    data = info.make(new ArrayBuffer(count * info.bytes), count);
    const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
    for (let i = 0; i < count; i++) (data as unknown as (number | bigint)[])[i] = big ? BigInt(values[i]) : Number(values[i]);
  }
  return { name, dtype, dims, data };
}

/** Encodes a tensor as a TensorProto with little-endian raw_data (what onnx.save writes). */
export function encodeTensor(tensor: OnnxTensor): TensorProto {
  const info = ELEMENT_INFO[tensor.dtype];
  if (tensor.data.length !== elementCount(tensor.dims)) {
    throw new OnnxError("format", `tensor "${tensor.name}" has ${tensor.data.length} elements, but dims [${tensor.dims}] need ${elementCount(tensor.dims)}`);
  }
  const expected = info.make(new ArrayBuffer(0), 0).constructor;
  if (tensor.data.constructor !== expected) {
    throw new OnnxError("format", `tensor "${tensor.name}" is ${tensor.dtype} but its data is a ${tensor.data.constructor.name}, not a ${expected.name}`);
  }
  if (!HOST_LITTLE_ENDIAN) throw new OnnxError("unsupported", "raw tensor data needs a little-endian host");
  const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).slice();
  return { name: tensor.name, dataType: info.code, dims: tensor.dims.map(BigInt), rawData: bytes };
}
