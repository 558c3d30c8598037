// A small typed builder for writing .onnx files (graph inputs/outputs, initializers, nodes).

import { OnnxError } from "./errors.js";
import { AttributeType, encodeModel, type AttributeProto, type ModelProto, type ValueInfoProto } from "./proto.js";
import { ELEMENT_INFO, encodeTensor, type ElementType, type OnnxTensor } from "./tensor.js";

/** An attribute value; the tag says which ONNX attribute type it is written as. */
export type AttributeValue =
  | { int: number | bigint }
  | { float: number }
  | { ints: readonly (number | bigint)[] }
  | { floats: readonly number[] }
  | { string: string }
  | { tensor: OnnxTensor };

/** A graph input or output: a string dimension is symbolic (dim_param), e.g. "batch"; no shape leaves it undeclared. */
export interface ValueSpec {
  name: string;
  dtype: ElementType;
  shape?: readonly (number | string)[];
}

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** "" (default) for the standard ONNX operators. */
  domain?: string;
  attrs?: Record<string, AttributeValue>;
}

export interface ModelSpec {
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers?: readonly OnnxTensor[];
  nodes: readonly NodeSpec[];
  /** Default-domain opset version; 17 unless given. */
  opset?: number;
  graphName?: string;
  producerName?: string;
}

function valueInfo(spec: ValueSpec): ValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: ELEMENT_INFO[spec.dtype].code,
        ...(spec.shape && { shape: { dim: spec.shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: BigInt(d) })) } }),
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  if ("int" in value) return { name, type: AttributeType.INT, i: BigInt(value.int) };
  if ("float" in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ("ints" in value) return { name, type: AttributeType.INTS, ints: value.ints.map((v) => BigInt(v)) };
  if ("floats" in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ("string" in value) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
  if ("tensor" in value) return { name, type: AttributeType.TENSOR, t: encodeTensor(value.tensor) };
  throw new OnnxError("format", `attribute "${name}" has no value`);
}

/** Builds the ModelProto of a single-graph model (IR version 8, default domain only). */
export function buildModel(spec: ModelSpec): ModelProto {
  return {
    irVersion: 8n,
    producerName: spec.producerName ?? "zkinfer",
    opsetImport: [{ domain: "", version: BigInt(spec.opset ?? 17) }],
    graph: {
      name: spec.graphName ?? "main",
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map(encodeTensor),
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`,
        opType: n.op,
        domain: n.domain ?? "",
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  };
}

/** The bytes of a .onnx file for the model `spec` describes. */
export function writeModel(spec: ModelSpec): Uint8Array {
  return encodeModel(buildModel(spec));
}
