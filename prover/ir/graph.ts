// The IR: a typed DAG with static shapes, constants folded, attributes in one form per op.

import { IrError } from "./errors.js";
import type { Tensor, ValueType } from "./tensor.js";

/** A normalised attribute: integers and floats are numbers, lists are arrays. */
export type AttrValue = number | string | number[] | string[] | Tensor;
export type Attrs = Record<string, AttrValue>;

export interface Node {
  /** The ONNX node's name, `op_<index>` when it had none, `<name>/<part>` for nodes a rewrite adds. */
  name: string;
  op: string;
  /** Every input is present (no "" placeholders): optional inputs are trailing and left out. */
  inputs: string[];
  outputs: string[];
  attrs: Attrs;
}

export interface Graph {
  /** Version of the default ONNX operator set the model was written for. */
  opset: number;
  /** Graph inputs in order (their types are in `values`). */
  inputs: string[];
  /** Graph outputs in order; an output may be a graph input or a constant. */
  outputs: string[];
  /** Type of every value: inputs, constants and node outputs. */
  values: Map<string, ValueType>;
  /** Weights and every folded weight-only subgraph; only those the nodes or outputs use. */
  constants: Map<string, Tensor>;
  /** In topological order; no node has only constant inputs. */
  nodes: Node[];
}

function missing(node: Node, name: string): IrError {
  return new IrError(`node "${node.name}" (${node.op}) has no attribute "${name}"`);
}

export function attrNumber(node: Node, name: string): number {
  const v = node.attrs[name];
  if (typeof v !== "number") throw missing(node, name);
  return v;
}

export function attrNumbers(node: Node, name: string): number[] {
  const v = node.attrs[name];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw missing(node, name);
  return v as number[];
}

export function attrString(node: Node, name: string): string {
  const v = node.attrs[name];
  if (typeof v !== "string") throw missing(node, name);
  return v;
}
