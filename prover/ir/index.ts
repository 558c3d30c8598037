// The IR: typed DAG with static shapes and folded constants, and its float reference interpreter.

export { decodeGraph, encodeGraph, GRAPH_FORMAT } from "./binary.js";
export { buildGraph, loadGraph, unsupportedNodes } from "./build.js";
export { IrError, UnsupportedOpsError, qualifiedOp, type UnsupportedNode } from "./errors.js";
export { evaluateGraph, inputTensor, type InputValue } from "./evaluate.js";
export { attrNumber, attrNumbers, attrString, type AttrValue, type Attrs, type Graph, type Node } from "./graph.js";
export { OPS } from "./ops/index.js";
export type { OpDef } from "./ops/types.js";
export { allocate, kindOf, size, strides, type DataKind, type DType, type Tensor, type TensorData, type ValueType } from "./tensor.js";
