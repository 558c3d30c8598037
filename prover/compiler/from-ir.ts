// The compiler's graph view from the IR: loads ONNX bytes with the loader, builds the IR (shapes,
// folded constants, normalised attributes) and wraps its float interpreter for calibration.
import type { ElementType } from "../onnx/tensor.js";
import { loadOnnx } from "../onnx/loader.js";
import { buildGraph, evaluateGraph, OPS } from "../ir/index.js";
import type { Graph } from "../ir/graph.js";
import { allocate, kindOf, type Tensor } from "../ir/tensor.js";
import type { AttrValue, ConstTensor, GraphNode, ModelGraph } from "./graph.js";

export interface LoadedGraph {
  graph: ModelGraph;
  ir: Graph;
  /** Declared element type of each graph input. */
  inputTypes: ElementType[];
  /** Every value (inputs, intermediates, outputs) of the float reference on one sample. */
  evaluate(sample: readonly ArrayLike<number>[]): Map<string, ArrayLike<number | bigint>>;
}

function constOf(t: Tensor): ConstTensor {
  return { dims: [...t.shape], data: Float64Array.from(t.data as ArrayLike<number | bigint>, Number), integer: kindOf(t.dtype) !== "float" };
}

function attrOf(v: unknown): AttrValue {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v) return constOf(v as Tensor);
  return v as AttrValue;
}

export function loadModelGraph(bytes: Uint8Array): LoadedGraph {
  return modelGraphOf(buildGraph(loadOnnx(bytes)));
}

/** The compiler's view of an IR graph (built from ONNX, or read back from a compiled model's graph file). */
export function modelGraphOf(ir: Graph): LoadedGraph {
  const value = (name: string) => {
    const t = ir.values.get(name)!;
    return { name, dims: [...t.shape], integer: kindOf(t.dtype) !== "float" };
  };
  const constants = new Map<string, ConstTensor>();
  for (const [name, t] of ir.constants) constants.set(name, constOf(t));
  const graph: ModelGraph = {
    inputs: ir.inputs.map(value),
    outputs: ir.outputs.map(value),
    nodes: ir.nodes.map((n): GraphNode => ({ name: n.name, op: n.op, inputs: [...n.inputs], outputs: [...n.outputs], attrs: Object.fromEntries(Object.entries(n.attrs).map(([k, v]) => [k, attrOf(v)])) })),
    constants,
    values: new Map([...ir.values.keys()].map((k) => [k, value(k)])),
    reference: (name, inputs) => {
      const node = ir.nodes.find((n) => n.name === name);
      if (!node) throw new RangeError(`no node ${name}`);
      const tensors = inputs.map((x, i) => {
        const dtype = ir.values.get(node.inputs[i])!.dtype;
        const t = allocate(dtype, x.dims);
        const d = t.data;
        if (d instanceof BigInt64Array) for (let j = 0; j < d.length; j++) d[j] = BigInt(Math.round(x.data[j]));
        else for (let j = 0; j < d.length; j++) d[j] = d instanceof Uint8Array ? (x.data[j] ? 1 : 0) : x.data[j];
        return t;
      });
      return OPS[node.op].evaluate(node, tensors).map((t) => Float64Array.from(t.data as ArrayLike<number | bigint>, Number));
    },
  };
  const inputTypes = ir.inputs.map((name) => ir.values.get(name)!.dtype);
  return {
    graph,
    ir,
    inputTypes,
    evaluate(sample) {
      const feeds = new Map<string, Tensor>();
      ir.inputs.forEach((name, i) => {
        const t = allocate(inputTypes[i], ir.values.get(name)!.shape);
        const d = t.data;
        if (d instanceof BigInt64Array) for (let j = 0; j < d.length; j++) d[j] = BigInt(Math.round(sample[i][j]));
        else for (let j = 0; j < d.length; j++) d[j] = sample[i][j];
        feeds.set(name, t);
      });
      const all = evaluateGraph(ir, feeds);
      return new Map([...all].map(([k, t]) => [k, t.data as ArrayLike<number | bigint>]));
    },
  };
}
