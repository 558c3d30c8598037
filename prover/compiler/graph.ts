// The compiler's view of a model graph: nodes in topological order, constant tensors (weights and
// folded constants) as float64 values, and every value's shape. Built from the IR (prover/ir/).

export type AttrValue = number | string | number[] | string[] | ConstTensor;

export interface GraphNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** A constant tensor: row-major values (integers exactly representable) and dims. */
export interface ConstTensor {
  dims: number[];
  data: Float64Array;
  /** Whether its element type is an integer or bool type. */
  integer: boolean;
}

export interface GraphValue {
  name: string;
  dims: number[];
  /** Whether its element type is an integer or bool type. */
  integer: boolean;
}

/** The float reference of one node (the IR's semantics): outputs for the given input tensors. */
export type NodeReference = (node: string, inputs: readonly { dims: number[]; data: Float64Array }[]) => Float64Array[];

export interface ModelGraph {
  /** Evaluates a node on float inputs (used to tabulate nonlinear functions exactly as the reference computes them). */
  reference?: NodeReference;
  inputs: GraphValue[];
  outputs: GraphValue[];
  nodes: GraphNode[];
  constants: Map<string, ConstTensor>;
  /** Every value's shape (inputs, node outputs, constants). */
  values: Map<string, GraphValue>;
}
