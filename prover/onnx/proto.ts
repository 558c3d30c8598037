// The ONNX protobuf schema (the parts zkinfer reads and writes), as a protobufjs reflection
// definition written from the field numbers of onnx.proto (proto2). Fields not listed here
// (training info, local functions, sequence/map types) are skipped by the decoder.

import { createRequire } from "node:module";
import type protobuf from "protobufjs";
import { OnnxError } from "./errors.js";

/** TensorProto.DataType: the element types of ONNX tensors. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType: which value field of an attribute is in use. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** TensorProto.DataLocation: where a tensor's bytes live. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface OperatorSetIdProto {
  /** "" (or "ai.onnx") is the default operator set. */
  domain?: string;
  version?: bigint;
}

export interface TensorProto {
  dims?: bigint[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: bigint[];
  name?: string;
  docString?: string;
  /** Little-endian element bytes; when present, the typed `*Data` fields are empty. */
  rawData?: Uint8Array;
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
  doubleData?: number[];
  uint64Data?: bigint[];
}

export interface SparseTensorProto {
  values?: TensorProto;
  indices?: TensorProto;
  dims?: bigint[];
}

export interface TensorShapeDimension {
  dimValue?: bigint;
  dimParam?: string;
  denotation?: string;
}

export interface TensorShapeProto {
  dim?: TensorShapeDimension[];
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: TensorShapeProto };
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
}

export interface AttributeProto {
  name?: string;
  refAttrName?: string;
  docString?: string;
  type?: number;
  f?: number;
  i?: bigint;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  sparseTensor?: SparseTensorProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: bigint[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparseTensors?: SparseTensorProto[];
  typeProtos?: TypeProto[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparseInitializer?: SparseTensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

export interface ModelProto {
  irVersion?: bigint;
  opsetImport?: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: bigint;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
}

type FieldSpec = [id: number, type: string, rule?: "repeated", packed?: true];

function message(fields: Record<string, FieldSpec>): protobuf.INamespace & { fields: Record<string, protobuf.IField> } {
  const out: Record<string, protobuf.IField> = {};
  for (const [name, [id, type, rule, packed]] of Object.entries(fields)) {
    out[name] = { id, type, ...(rule ? { rule } : {}), ...(packed ? { options: { packed: true } } : {}) };
  }
  return { fields: out };
}

// proto2 defaults to unpacked repeated scalars; onnx.proto marks TensorProto's numeric data packed.
const schema: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: message({ key: [1, "string"], value: [2, "string"] }),
        OperatorSetIdProto: message({ domain: [1, "string"], version: [2, "int64"] }),
        TensorProto: {
          ...message({
            dims: [1, "int64", "repeated"],
            dataType: [2, "int32"],
            segment: [3, "Segment"],
            floatData: [4, "float", "repeated", true],
            int32Data: [5, "int32", "repeated", true],
            stringData: [6, "bytes", "repeated"],
            int64Data: [7, "int64", "repeated", true],
            name: [8, "string"],
            rawData: [9, "bytes"],
            doubleData: [10, "double", "repeated", true],
            uint64Data: [11, "uint64", "repeated", true],
            docString: [12, "string"],
            externalData: [13, "StringStringEntryProto", "repeated"],
            dataLocation: [14, "int32"],
          }),
          nested: { Segment: message({ begin: [1, "int64"], end: [2, "int64"] }) },
        },
        SparseTensorProto: message({
          values: [1, "TensorProto"],
          indices: [2, "TensorProto"],
          dims: [3, "int64", "repeated", true],
        }),
        TensorShapeProto: {
          ...message({ dim: [1, "Dimension", "repeated"] }),
          nested: {
            Dimension: message({ dimValue: [1, "int64"], dimParam: [2, "string"], denotation: [3, "string"] }),
          },
        },
        TypeProto: {
          ...message({ tensorType: [1, "Tensor"], denotation: [6, "string"] }),
          nested: { Tensor: message({ elemType: [1, "int32"], shape: [2, "TensorShapeProto"] }) },
        },
        ValueInfoProto: message({ name: [1, "string"], type: [2, "TypeProto"], docString: [3, "string"] }),
        AttributeProto: message({
          name: [1, "string"],
          f: [2, "float"],
          i: [3, "int64"],
          s: [4, "bytes"],
          t: [5, "TensorProto"],
          g: [6, "GraphProto"],
          floats: [7, "float", "repeated"],
          ints: [8, "int64", "repeated"],
          strings: [9, "bytes", "repeated"],
          tensors: [10, "TensorProto", "repeated"],
          graphs: [11, "GraphProto", "repeated"],
          docString: [13, "string"],
          tp: [14, "TypeProto"],
          typeProtos: [15, "TypeProto", "repeated"],
          type: [20, "int32"],
          refAttrName: [21, "string"],
          sparseTensor: [22, "SparseTensorProto"],
          sparseTensors: [23, "SparseTensorProto", "repeated"],
        }),
        NodeProto: message({
          input: [1, "string", "repeated"],
          output: [2, "string", "repeated"],
          name: [3, "string"],
          opType: [4, "string"],
          attribute: [5, "AttributeProto", "repeated"],
          docString: [6, "string"],
          domain: [7, "string"],
        }),
        GraphProto: message({
          node: [1, "NodeProto", "repeated"],
          name: [2, "string"],
          initializer: [5, "TensorProto", "repeated"],
          docString: [10, "string"],
          input: [11, "ValueInfoProto", "repeated"],
          output: [12, "ValueInfoProto", "repeated"],
          valueInfo: [13, "ValueInfoProto", "repeated"],
          sparseInitializer: [15, "SparseTensorProto", "repeated"],
        }),
        ModelProto: message({
          irVersion: [1, "int64"],
          producerName: [2, "string"],
          producerVersion: [3, "string"],
          domain: [4, "string"],
          modelVersion: [5, "int64"],
          docString: [6, "string"],
          graph: [7, "GraphProto"],
          opsetImport: [8, "OperatorSetIdProto", "repeated"],
          metadataProps: [14, "StringStringEntryProto", "repeated"],
        }),
      },
    },
  },
};

// Loaded and built on first use: a `zkinfer prove` of a model compiled with its graph file never
// decodes ONNX, and loading protobufjs and building the schema took ~15 ms of every start-up.
let modelType: protobuf.Type | undefined;
function modelProto(): protobuf.Type {
  if (modelType === undefined) {
    const pb = createRequire(import.meta.url)("protobufjs") as typeof protobuf;
    modelType = pb.Root.fromJSON(schema).lookupType("onnx.ModelProto");
  }
  return modelType;
}

// int64 fields come out as bigint (exact, unlike numbers past 2^53), absent fields stay absent.
const TO_OBJECT: protobuf.IConversionOptions = { longs: BigInt as unknown as typeof String, arrays: true, defaults: false };

/** Decodes the bytes of a .onnx file; throws OnnxError("format") when they are not valid protobuf. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const ModelType = modelProto();
  let decoded: protobuf.Message;
  try {
    decoded = ModelType.decode(bytes);
  } catch (err) {
    throw new OnnxError("format", `not an ONNX model: the protobuf does not decode (${(err as Error).message})`, { cause: err });
  }
  return ModelType.toObject(decoded, TO_OBJECT) as ModelProto;
}

/** Encodes a model into the bytes of a .onnx file. Repeated fields must be plain arrays. */
export function encodeModel(model: ModelProto): Uint8Array {
  const ModelType = modelProto();
  return ModelType.encode(ModelType.fromObject(model as Record<string, unknown>)).finish();
}
