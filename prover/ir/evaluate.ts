// Float reference interpreter: runs the graph in float64/int64/bool and returns every value,
// which the quantizer uses to calibrate the range of each intermediate tensor.

import { atNode, IrError } from "./errors.js";
import type { Graph } from "./graph.js";
import { OPS } from "./ops/index.js";
import { allocate, sameShape, size, type Tensor } from "./tensor.js";

/** An input as a tensor, or as its elements in row-major order (numbers, or bigints for int inputs). */
export type InputValue = Tensor | ArrayLike<number> | ArrayLike<bigint>;

/** Turns a graph input given as numbers into a tensor of the declared type and shape. */
export function inputTensor(graph: Graph, name: string, value: InputValue): Tensor {
  const type = graph.values.get(name);
  if (!type || !graph.inputs.includes(name)) throw new IrError(`"${name}" is not an input of the graph`);
  if ("dtype" in value && "shape" in value) {
    if (value.dtype !== type.dtype || !sameShape(value.shape, type.shape)) {
      throw new IrError(`input "${name}" should be ${type.dtype} [${type.shape}], got ${value.dtype} [${value.shape}]`);
    }
    return value;
  }
  const values = value as ArrayLike<number | bigint>;
  if (values.length !== size(type.shape)) throw new IrError(`input "${name}" needs ${size(type.shape)} values for shape [${type.shape}], got ${values.length}`);
  const t = allocate(type.dtype, type.shape);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (t.data instanceof BigInt64Array) {
      if (typeof v === "number" && !Number.isInteger(v)) throw new IrError(`input "${name}" is ${type.dtype} but holds ${v}`);
      t.data[i] = BigInt(v);
    } else if (t.data instanceof Float64Array) t.data[i] = Number(v);
    else t.data[i] = v ? 1 : 0;
  }
  return t;
}

/** Every value of the graph (inputs, constants, node outputs) for the given inputs. */
export function evaluateGraph(graph: Graph, inputs: Map<string, InputValue> | Record<string, InputValue>): Map<string, Tensor> {
  const given = inputs instanceof Map ? inputs : new Map(Object.entries(inputs));
  const env = new Map<string, Tensor>(graph.constants);
  for (const name of graph.inputs) {
    const v = given.get(name);
    if (v === undefined) throw new IrError(`missing graph input "${name}"`);
    env.set(name, inputTensor(graph, name, v));
  }
  for (const node of graph.nodes) {
    const results = atNode(node, "evaluation", () => OPS[node.op].evaluate(node, node.inputs.map((i) => env.get(i)!)));
    node.outputs.forEach((o, i) => env.set(o, results[i]));
  }
  return env;
}
