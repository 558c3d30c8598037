// OnnxModel → Graph: topological order, per-op normalisation, shape inference, and constant
// folding (a node whose inputs are all constants is evaluated now and becomes a constant).

import type { OnnxModel, OnnxNode } from "../onnx/loader.js";
import { loadOnnx, type LoadOptions } from "../onnx/loader.js";
import { atNode, IrError, UnsupportedOpsError, type UnsupportedNode } from "./errors.js";
import type { Graph, Node } from "./graph.js";
import { LOAD_TIME_OPS, OPS } from "./ops/index.js";
import type { NormalizeContext } from "./ops/types.js";
import { allocate, fromOnnx, sameShape, type Tensor, type ValueType } from "./tensor.js";

/** Nodes whose operator zkinfer does not support (other domains included), in file order. */
export function unsupportedNodes(model: Pick<OnnxModel, "nodes"> | Graph): UnsupportedNode[] {
  return model.nodes
    .map((n) => ({ name: n.name, op: n.op, domain: "domain" in n ? n.domain : "" }))
    .filter((n) => n.domain !== "" || !(Object.hasOwn(OPS, n.op) || LOAD_TIME_OPS.has(n.op)));
}

/** The tensor a Constant node holds (value, or the value_* shorthands of opset 12+). */
function constantValue(node: OnnxNode): Tensor {
  for (const [name, a] of node.attributes) {
    if (a.kind === "tensor" && name === "value") return fromOnnx(a.value);
    const scalar = (dtype: "float32" | "int64", values: (number | bigint)[], shape: number[]): Tensor => {
      const t = allocate(dtype, shape);
      values.forEach((v, i) => (t.data[i] = dtype === "int64" ? BigInt(v) : Number(v)));
      return t;
    };
    if (name === "value_float" && a.kind === "float") return scalar("float32", [a.value], []);
    if (name === "value_floats" && a.kind === "floats") return scalar("float32", a.value, [a.value.length]);
    if (name === "value_int" && a.kind === "int") return scalar("int64", [a.value], []);
    if (name === "value_ints" && a.kind === "ints") return scalar("int64", a.value, [a.value.length]);
  }
  throw new IrError(`node "${node.name}" (Constant): no supported value attribute (sparse or string constants are not supported)`);
}

/** Orders nodes so each comes after the producers of its inputs; throws on cycles or dangling inputs. */
function topologicalOrder(model: OnnxModel): OnnxNode[] {
  const available = new Set<string>([...model.inputs.map((i) => i.name), ...model.initializers.keys(), ""]);
  const pending = [...model.nodes];
  const order: OnnxNode[] = [];
  while (pending.length > 0) {
    const ready = pending.findIndex((n) => n.inputs.every((i) => available.has(i)));
    if (ready < 0) {
      const stuck = pending[0];
      const name = stuck.inputs.find((i) => !available.has(i));
      const produced = pending.some((n) => n.outputs.includes(name ?? ""));
      throw new IrError(
        produced ? `the graph has a cycle through node "${stuck.name}" (${stuck.op})` : `node "${stuck.name}" (${stuck.op}) reads "${name}", which no node, input or initializer provides`,
      );
    }
    const [node] = pending.splice(ready, 1);
    for (const o of node.outputs) available.add(o);
    order.push(node);
  }
  return order;
}

export function buildGraph(model: OnnxModel): Graph {
  const unsupported = unsupportedNodes(model);
  if (unsupported.length > 0) throw new UnsupportedOpsError(unsupported);
  const values = new Map<string, ValueType>();
  const constants = new Map<string, Tensor>();
  const nodes: Node[] = [];
  for (const [name, t] of model.initializers) {
    const tensor = fromOnnx(t);
    constants.set(name, tensor);
    values.set(name, { dtype: tensor.dtype, shape: tensor.shape });
  }
  for (const input of model.inputs) {
    constants.delete(input.name); // a graph input overrides an initializer of the same name
    values.set(input.name, { dtype: input.dtype, shape: input.shape });
  }
  const define = (name: string, type: ValueType, by: string) => {
    if (values.has(name) && !constants.has(name)) throw new IrError(`value "${name}" is produced twice (again by node "${by}")`);
    values.set(name, type);
  };
  let freshCount = 0;
  for (const onnxNode of topologicalOrder(model)) {
    if (onnxNode.op === "Constant") {
      const t = constantValue(onnxNode);
      define(onnxNode.outputs[0], { dtype: t.dtype, shape: t.shape }, onnxNode.name);
      constants.set(onnxNode.outputs[0], t);
      continue;
    }
    const def = OPS[onnxNode.op];
    const ctx: NormalizeContext = {
      opset: model.opset,
      node: onnxNode,
      inputTypes: onnxNode.inputs.map((i) => (i === "" ? null : values.get(i)!)),
      constant: (i) => constants.get(onnxNode.inputs[i] ?? ""),
      fresh: (hint) => {
        let name = hint;
        while (values.has(name)) name = `${hint}_${++freshCount}`;
        return name;
      },
    };
    const normalized = def.normalize ? atNode(onnxNode, "normalising", () => def.normalize!(ctx)) : [];
    if (!Array.isArray(normalized)) {
      define(onnxNode.outputs[0], { dtype: normalized.dtype, shape: normalized.shape }, onnxNode.name);
      constants.set(onnxNode.outputs[0], normalized);
      continue;
    }
    for (const n of normalized) {
      const node: Node = { ...n, outputs: n.outputs.filter((o) => o !== "") };
      const inputTypes = node.inputs.map((i) => values.get(i)!);
      const nodeDef = OPS[node.op]; // a rewrite may emit other ops (Softmax → Reshape, Softmax, Reshape)
      const outTypes = atNode(node, "shape inference", () => nodeDef.inferShape(node, inputTypes));
      node.outputs.forEach((o, i) => define(o, outTypes[i], node.name));
      if (node.inputs.length > 0 && node.inputs.every((i) => constants.has(i))) {
        const results = atNode(node, "constant folding", () => nodeDef.evaluate(node, node.inputs.map((i) => constants.get(i)!)));
        node.outputs.forEach((o, i) => {
          if (!sameShape(results[i].shape, outTypes[i].shape)) throw new IrError(`node "${node.name}" (${node.op}): evaluated shape [${results[i].shape}] differs from inferred [${outTypes[i].shape}]`);
          constants.set(o, results[i]);
        });
      } else {
        nodes.push(node);
      }
    }
  }
  const outputs = model.outputs.map((o) => o.name);
  for (const o of outputs) if (!values.has(o)) throw new IrError(`graph output "${o}" is produced by no node`);
  // Keep only the constants that the remaining nodes or the outputs use.
  const used = new Set([...nodes.flatMap((n) => n.inputs), ...outputs]);
  for (const name of [...constants.keys()]) {
    if (!used.has(name)) {
      constants.delete(name);
      values.delete(name);
    }
  }
  // Values only folded nodes produced were dropped with them; keep inputs even when unused.
  const live = new Set([...used, ...nodes.flatMap((n) => n.outputs), ...model.inputs.map((i) => i.name)]);
  for (const name of [...values.keys()]) if (!live.has(name)) values.delete(name);
  return { opset: model.opset, inputs: model.inputs.map((i) => i.name), outputs, values, constants, nodes };
}

/** Loads an ONNX file (or bytes) straight into the IR. */
export function loadGraph(source: string | Uint8Array, options?: LoadOptions): Graph {
  return buildGraph(loadOnnx(source, options));
}
