// What each operator provides: ONNX → IR normalisation, shape inference and float reference evaluation.

import type { OnnxNode } from "../../onnx/loader.js";
import type { Attrs, Node } from "../graph.js";
import type { Tensor, ValueType } from "../tensor.js";

/** One IR node a normalisation produces (before shape inference). */
export interface NormalizedNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Attrs;
}

/** What normalisation sees of an ONNX node. */
export interface NormalizeContext {
  opset: number;
  node: OnnxNode;
  /** Types of the node's inputs, null where the input is omitted (""). */
  inputTypes: (ValueType | null)[];
  /** The value of input `i` when it is a constant (weights or folded), else undefined. */
  constant(i: number): Tensor | undefined;
  /** A fresh value name for an intermediate a rewrite introduces. */
  fresh(hint: string): string;
}

export interface OpDef {
  /**
   * Turns an ONNX node into IR nodes whose attributes take one form whatever the opset (parameters
   * that later opsets pass as inputs become attributes). A Tensor result means the node folds to a
   * constant from shapes alone (Shape, Size). Absent: inputs kept, attributes converted as they are.
   */
  normalize?(ctx: NormalizeContext): NormalizedNode[] | Tensor;
  /** Output types from input types; throws IrError when the inputs do not fit. */
  inferShape(node: Node, inputs: ValueType[]): ValueType[];
  /** Float reference semantics (float64 / int64 / bool), exactly as the ONNX spec defines the op. */
  evaluate(node: Node, inputs: Tensor[]): Tensor[];
}
