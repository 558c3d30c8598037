// Reads an .onnx file into OnnxModel: opsets, graph inputs with resolved shapes, declared
// outputs, initializers as typed arrays, and nodes with typed attributes. It does not judge
// the operators (ir/ does); it refuses what cannot be read faithfully.

import { readFileSync } from "node:fs";
import { OnnxError } from "./errors.js";
import { AttributeType, decodeModel, type AttributeProto, type GraphProto, type ValueInfoProto } from "./proto.js";
import { decodeTensor, elementTypeOf, type ElementType, type OnnxTensor } from "./tensor.js";

/** Versions of the default ONNX operator set ("" / "ai.onnx") that zkinfer reads. */
export const MIN_OPSET = 7;
export const MAX_OPSET = 20;

/** An attribute with its ONNX type; integers stay exact as bigint. */
export type OnnxAttribute =
  | { kind: "float"; value: number }
  | { kind: "int"; value: bigint }
  | { kind: "string"; value: string }
  | { kind: "tensor"; value: OnnxTensor }
  | { kind: "floats"; value: number[] }
  | { kind: "ints"; value: bigint[] }
  | { kind: "strings"; value: string[] }
  /** Graphs, sparse tensors and type protos: kept as a marker, never interpreted. */
  | { kind: "other"; type: number };

export interface OnnxNode {
  /** The node's name in the file, or `op_<index>` when it has none. */
  name: string;
  op: string;
  /** "" for the default operator set. */
  domain: string;
  /** "" marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

/** A graph input with the shape the model is run at (symbolic batch dimension resolved to 1). */
export interface OnnxInput {
  name: string;
  dtype: ElementType;
  shape: number[];
}

/** A graph output as declared: dims may be symbolic (string) or unknown (null). */
export interface OnnxOutput {
  name: string;
  dtype: ElementType | null;
  shape: (number | string | null)[] | null;
}

export interface OnnxModel {
  irVersion: number;
  producer: string;
  /** Imported operator sets: domain ("" for the default one) → version. */
  opsets: Map<string, number>;
  /** Version of the default operator set. */
  opset: number;
  graphName: string;
  inputs: OnnxInput[];
  outputs: OnnxOutput[];
  initializers: Map<string, OnnxTensor>;
  /** Nodes in file order (ONNX requires topological order; ir/ checks it). */
  nodes: OnnxNode[];
}

export interface LoadOptions {
  /** Shapes for graph inputs by name, overriding declared ones (to resolve symbolic dims). */
  inputShapes?: Record<string, readonly number[]>;
}

function normalizeDomain(domain: string | undefined): string {
  return domain === "ai.onnx" || domain === undefined ? "" : domain;
}

const decoder = new TextDecoder();

function attributeOf(a: AttributeProto, node: string): OnnxAttribute {
  let type = a.type ?? AttributeType.UNDEFINED;
  if (type === AttributeType.UNDEFINED) {
    // IR version 1 left `type` out; the field in use says it.
    if (a.f !== undefined) type = AttributeType.FLOAT;
    else if (a.i !== undefined) type = AttributeType.INT;
    else if (a.s !== undefined) type = AttributeType.STRING;
    else if (a.t !== undefined) type = AttributeType.TENSOR;
    else if (a.floats?.length) type = AttributeType.FLOATS;
    else if (a.ints?.length) type = AttributeType.INTS;
    else if (a.strings?.length) type = AttributeType.STRINGS;
  }
  switch (type) {
    case AttributeType.FLOAT:
      return { kind: "float", value: a.f ?? 0 };
    case AttributeType.INT:
      return { kind: "int", value: a.i ?? 0n };
    case AttributeType.STRING:
      return { kind: "string", value: decoder.decode(a.s ?? new Uint8Array()) };
    case AttributeType.TENSOR:
      if (!a.t) throw new OnnxError("format", `node "${node}": attribute "${a.name}" says tensor but holds none`);
      return { kind: "tensor", value: decodeTensor(a.t, `${node}.${a.name}`) };
    case AttributeType.FLOATS:
      return { kind: "floats", value: a.floats ?? [] };
    case AttributeType.INTS:
      return { kind: "ints", value: a.ints ?? [] };
    case AttributeType.STRINGS:
      return { kind: "strings", value: (a.strings ?? []).map((s) => decoder.decode(s)) };
    default:
      return { kind: "other", type };
  }
}

function declaredShape(info: ValueInfoProto): (number | string | null)[] | null {
  const shape = info.type?.tensorType?.shape;
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => (d.dimValue !== undefined ? Number(d.dimValue) : (d.dimParam ?? null)));
}

function resolveInput(info: ValueInfoProto, batchParams: Set<string>, options: LoadOptions): OnnxInput {
  const name = info.name ?? "";
  const tensorType = info.type?.tensorType;
  if (!tensorType) throw new OnnxError("unsupported", `graph input "${name}" is not a tensor`);
  const dtype = elementTypeOf(tensorType.elemType ?? 0, `graph input "${name}"`);
  const given = options.inputShapes?.[name];
  if (given) return { name, dtype, shape: [...given] };
  const dims = declaredShape(info);
  if (dims === null) throw new OnnxError("unsupported", `graph input "${name}" declares no shape; pass its shape explicitly`);
  const shape = dims.map((d, axis) => {
    if (typeof d === "number") return d;
    // The leading dim, or any dim named like a leading one, is the batch: zkinfer proves one sample.
    if (axis === 0 || (d !== null && batchParams.has(d))) return 1;
    throw new OnnxError(
      "unsupported",
      `graph input "${name}" has a symbolic dimension ${d === null ? "(unnamed)" : `"${d}"`} at axis ${axis}; ` +
        `zkinfer needs fixed shapes: export the model with static shapes or pass the input's shape`,
    );
  });
  return { name, dtype, shape };
}

function readGraph(graph: GraphProto, options: LoadOptions): Pick<OnnxModel, "graphName" | "inputs" | "outputs" | "initializers" | "nodes"> {
  if ((graph.sparseInitializer?.length ?? 0) > 0) {
    throw new OnnxError("unsupported", `sparse initializers are not supported (graph holds ${graph.sparseInitializer!.length})`);
  }
  const initializers = new Map<string, OnnxTensor>();
  for (const [i, t] of (graph.initializer ?? []).entries()) {
    const tensor = decodeTensor(t, `initializer #${i}`);
    initializers.set(tensor.name, tensor);
  }
  // Before IR version 4 initializers were listed among the inputs too; those are weights, not inputs.
  const inputInfos = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ""));
  const batchParams = new Set<string>();
  for (const info of inputInfos) {
    const first = declaredShape(info)?.[0];
    if (typeof first === "string") batchParams.add(first);
  }
  const inputs = inputInfos.map((info) => resolveInput(info, batchParams, options));
  const outputs = (graph.output ?? []).map((info) => {
    const code = info.type?.tensorType?.elemType;
    return {
      name: info.name ?? "",
      dtype: code === undefined ? null : elementTypeOf(code, `graph output "${info.name}"`),
      shape: declaredShape(info),
    };
  });
  const nodes = (graph.node ?? []).map((n, index): OnnxNode => {
    const name = n.name || `op_${index}`;
    const attributes = new Map<string, OnnxAttribute>();
    for (const a of n.attribute ?? []) attributes.set(a.name ?? "", attributeOf(a, name));
    return {
      name,
      op: n.opType ?? "",
      domain: normalizeDomain(n.domain),
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attributes,
    };
  });
  return { graphName: graph.name ?? "", inputs, outputs, initializers, nodes };
}

/** Loads an ONNX model from a file path or its bytes. Throws OnnxError on anything it cannot read. */
export function loadOnnx(source: string | Uint8Array, options: LoadOptions = {}): OnnxModel {
  let bytes: Uint8Array;
  if (typeof source === "string") {
    try {
      bytes = readFileSync(source);
    } catch (err) {
      throw new OnnxError("format", `cannot read the model file ${source}: ${(err as Error).message}`, { cause: err });
    }
  } else {
    bytes = source;
  }
  const proto = decodeModel(bytes);
  if (!proto.graph) throw new OnnxError("format", "not an ONNX model: it holds no graph");
  const opsets = new Map<string, number>();
  for (const o of proto.opsetImport ?? []) opsets.set(normalizeDomain(o.domain), Number(o.version ?? 0n));
  const opset = opsets.get("");
  if (opset === undefined) throw new OnnxError("format", "the model imports no default ONNX operator set (opset_import)");
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxError("unsupported", `the model uses ONNX opset ${opset}; zkinfer supports opsets ${MIN_OPSET} to ${MAX_OPSET}`);
  }
  return {
    irVersion: Number(proto.irVersion ?? 0n),
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(" "),
    opsets,
    opset,
    ...readGraph(proto.graph, options),
  };
}
