// What one ONNX op's lowering provides: a check that runs at compile time on the graph alone
// (unsupported attributes, non-constant weights) and the lowering onto blocks.
import type { LoweringContext } from "../context.js";
import type { GraphNode, ModelGraph } from "../graph.js";

export interface OpLowering {
  /** ONNX op types this lowering handles. */
  ops: readonly string[];
  /** Why this node cannot be lowered, or undefined when it can. */
  check?(node: GraphNode, graph: ModelGraph): string | undefined;
  lower(ctx: LoweringContext, node: GraphNode): void;
}

export function intAttr(node: GraphNode, name: string, fallback: number): number {
  const v = node.attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== "number") throw new TypeError(`node ${node.name}: attribute ${name} must be a number`);
  return v;
}

export function floatAttr(node: GraphNode, name: string, fallback: number): number {
  return intAttr(node, name, fallback);
}

export function intsAttr(node: GraphNode, name: string): number[] | undefined {
  const v = node.attrs[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw new TypeError(`node ${node.name}: attribute ${name} must be a list of numbers`);
  return v as number[];
}

export function stringAttr(node: GraphNode, name: string, fallback: string): string {
  const v = node.attrs[name];
  if (v === undefined) return fallback;
  if (typeof v !== "string") throw new TypeError(`node ${node.name}: attribute ${name} must be a string`);
  return v;
}

/** The reason a node's input `i` is not a constant (weights must be), or undefined. */
export function needConst(node: GraphNode, graph: ModelGraph, i: number, what: string): string | undefined {
  const name = node.inputs[i];
  if (name === undefined || name === "") return `missing ${what}`;
  return graph.constants.has(name) ? undefined : `${what} (${name}) must be a constant (a computed ${what} is not supported)`;
}
