// The IR graph in a compact binary form, which `zkinfer compile` writes next to the model
// (graph.bin) so that setup and prove read back exactly the graph compile derived, without decoding
// the ONNX protobuf and building the IR again before every proof. It holds the weights, so it is as
// private as the model file.
//
// Layout (little-endian): the magic "ZKIR", a u32 format version, a u32 byte length of the header,
// the header (UTF-8 JSON: opset, inputs, outputs, values, constants, nodes; each tensor as its dtype,
// shape and the byte offset of its data), zero padding to a multiple of 8, then the tensors' data
// back to back, each starting at a multiple of 8: float tensors as float64, integer tensors as
// int64, bool tensors as one byte per element.
import { IrError } from "./errors.js";
import type { AttrValue, Attrs, Graph, Node } from "./graph.js";
import { allocate, kindOf, type DType, type Tensor } from "./tensor.js";

export const GRAPH_MAGIC = "ZKIR";
export const GRAPH_FORMAT = 1;

const PREFIX = 12;

interface TensorRef {
  dtype: DType;
  shape: number[];
  offset: number;
}

/** A number JSON cannot carry exactly (±Infinity, NaN, −0) goes as its decimal text. */
type NumberJson = number | { num: string };
type AttrJson = NumberJson | string | NumberJson[] | string[] | { tensor: TensorRef };

interface Header {
  opset: number;
  inputs: string[];
  outputs: string[];
  values: [string, DType, number[]][];
  constants: [string, TensorRef][];
  nodes: { name: string; op: string; inputs: string[]; outputs: string[]; attrs: [string, AttrJson][] }[];
}

const exact = (x: number): boolean => Number.isFinite(x) && !Object.is(x, -0);
const numberJson = (x: number): NumberJson => (exact(x) ? x : { num: Object.is(x, -0) ? "-0" : String(x) });
const numberOf = (j: NumberJson): number => (typeof j === "number" ? j : Number(j.num));

/** Bytes per element of a tensor's data in the file. */
const elementBytes = (dtype: DType): number => (kindOf(dtype) === "bool" ? 1 : 8);
const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The graph's binary form (see the layout above). */
export function encodeGraph(graph: Graph): Uint8Array {
  const tensors: Tensor[] = [];
  let dataBytes = 0;
  const ref = (t: Tensor): TensorRef => {
    const r = { dtype: t.dtype, shape: [...t.shape], offset: dataBytes };
    tensors.push(t);
    dataBytes += align8(t.data.length * elementBytes(t.dtype));
    return r;
  };
  const attrJson = (v: AttrValue): AttrJson => {
    if (typeof v === "number") return numberJson(v);
    if (typeof v === "string") return v;
    if (Array.isArray(v)) return v.every((x) => typeof x === "string") ? (v as string[]) : (v as number[]).map(numberJson);
    return { tensor: ref(v) };
  };
  const header: Header = {
    opset: graph.opset,
    inputs: graph.inputs,
    outputs: graph.outputs,
    values: [...graph.values].map(([name, t]) => [name, t.dtype, t.shape]),
    constants: [...graph.constants].map(([name, t]) => [name, ref(t)]),
    nodes: graph.nodes.map((n) => ({ name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: Object.entries(n.attrs).map(([k, v]) => [k, attrJson(v)]) })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREFIX + json.length);
  const out = new Uint8Array(dataStart + dataBytes);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(GRAPH_MAGIC), 0);
  view.setUint32(4, GRAPH_FORMAT, true);
  view.setUint32(8, json.length, true);
  out.set(json, PREFIX);
  let at = dataStart;
  for (const t of tensors) {
    const d = t.data;
    // Each typed array's bytes as they sit in memory: little-endian on every platform Node runs on.
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += align8(d.byteLength);
  }
  return out;
}

/**
 * The graph `encodeGraph` wrote; a file that is not one, of another format version, or cut short
 * throws IrError saying so (`source` names it).
 */
export function decodeGraph(bytes: Uint8Array, source = "graph file"): Graph {
  const bad = (why: string): never => {
    throw new IrError(`${source}: ${why}`);
  };
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, 4)) !== GRAPH_MAGIC) bad(`not a zkinfer graph file (no "${GRAPH_MAGIC}" header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(4, true);
  if (format !== GRAPH_FORMAT) bad(`graph format ${format}; this version of zkinfer reads format ${GRAPH_FORMAT}: compile the model again`);
  const jsonBytes = view.getUint32(8, true);
  if (PREFIX + jsonBytes > bytes.length) bad("cut short (its header runs past the end)");
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + jsonBytes))) as Header;
  } catch (err) {
    return bad(`its header is not valid JSON: ${(err as Error).message}`);
  }
  const dataStart = align8(PREFIX + jsonBytes);
  const tensor = (r: TensorRef): Tensor => {
    const t = allocate(r.dtype, r.shape);
    const n = t.data.byteLength;
    const from = dataStart + r.offset;
    if (!(from >= dataStart && from + n <= bytes.length)) bad("cut short (a tensor's data runs past the end)");
    // A copy into the tensor's own buffer: the file's bytes need not be aligned for a typed view.
    new Uint8Array(t.data.buffer).set(bytes.subarray(from, from + n));
    return t;
  };
  const attr = (j: AttrJson): AttrValue => {
    if (typeof j === "number" || typeof j === "string") return j;
    if (Array.isArray(j)) return j.every((x) => typeof x === "string") ? (j as string[]) : (j as NumberJson[]).map(numberOf);
    if ("tensor" in j) return tensor(j.tensor);
    return numberOf(j);
  };
  return {
    opset: header.opset,
    inputs: header.inputs,
    outputs: header.outputs,
    values: new Map(header.values.map(([name, dtype, shape]) => [name, { dtype, shape }])),
    constants: new Map(header.constants.map(([name, r]) => [name, tensor(r)])),
    nodes: header.nodes.map(
      (n): Node => ({ name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: Object.fromEntries(n.attrs.map(([k, v]) => [k, attr(v)])) as Attrs }),
    ),
  };
}
