// And, Or, Xor on booleans → one gate row per element (blocks/compare.ts: x·y, x + y − x·y,
// x + y − 2·x·y), broadcast. The gates are only logic on 0/1 inputs, so an input that no lowering
// has already constrained to {0, 1} (a model input, a Cast, a Where) is asserted boolean first
// (one row per cell); outputs of comparisons, Not and these ops are 0/1 by construction (their
// lookup tables or gates), also through reshapes. Constant operands are bool tensors (0/1 by type).
import { and, assertBoolean, or, xor } from "../../blocks/compare.js";
import type { Cell } from "../../circuit/builder.js";
import type { LoweringContext, QTensor } from "../context.js";
import { CompileError } from "../errors.js";
import type { ModelGraph } from "../graph.js";
import { zipBroadcast } from "./add.js";
import type { OpLowering } from "./types.js";

const GATES: Record<string, (b: LoweringContext["b"], x: Cell, y: Cell) => Cell> = { And: and, Or: or, Xor: xor };

/** Ops whose lowered outputs are constrained to {0, 1}. */
const BOOLEAN_OUTPUTS = new Set(["Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Equal", "Not", ...Object.keys(GATES)]);
/** Ops that pass their input's cells through unchanged. */
const PASS_THROUGH = new Set(["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Transpose"]);

/** Each value's producing node, built once per graph. */
const producers = new WeakMap<ModelGraph, Map<string, ModelGraph["nodes"][number]>>();

function producerOf(graph: ModelGraph, name: string): ModelGraph["nodes"][number] | undefined {
  let map = producers.get(graph);
  if (!map) {
    map = new Map();
    for (const n of graph.nodes) for (const o of n.outputs) map.set(o, n);
    producers.set(graph, map);
  }
  return map.get(name);
}

/**
 * Whether value `name` is already constrained to {0, 1} by how it was lowered: followed back
 * through pass-through ops in a loop (a chain of reshapes may be thousands of nodes long).
 */
export function isConstrainedBoolean(graph: ModelGraph, name: string): boolean {
  for (;;) {
    if (graph.constants.has(name)) return graph.constants.get(name)!.data.every((v) => v === 0 || v === 1);
    const producer = producerOf(graph, name);
    if (!producer) return false;
    if (BOOLEAN_OUTPUTS.has(producer.op)) return true;
    if (!PASS_THROUGH.has(producer.op)) return false;
    name = producer.inputs[0];
  }
}

/** Input `i` of the current node as 0/1 cells (asserted boolean unless already constrained). */
export function booleanInput(ctx: LoweringContext, i: number): QTensor {
  const name = ctx.node!.inputs[i];
  const t = ctx.tensor(name);
  if (t.scale !== 0) throw new CompileError(`node ${ctx.nodeName}: boolean input ${name} has scale 2^${t.scale}`);
  if (!isConstrainedBoolean(ctx.graph, name)) ctx.block("boolean", () => t.cells.forEach((c) => assertBoolean(ctx.b, c)));
  return t;
}

export const logic: OpLowering = {
  ops: Object.keys(GATES),
  check(node, graph) {
    if (node.inputs.every((n) => graph.constants.has(n))) return "both operands are constants (should have been folded)";
    const bad = node.inputs.find((n) => graph.constants.has(n) && !isConstrainedBoolean(graph, n));
    return bad ? `constant operand ${bad} is not boolean` : undefined;
  },
  lower(ctx, node) {
    const gate = GATES[node.op];
    const x = booleanInput(ctx, 0);
    const y = booleanInput(ctx, 1);
    const r = ctx.block("logic", () => zipBroadcast(x, y, (a, b) => gate(ctx.b, a, b)));
    ctx.setOutput(0, { ...r, scale: 0 });
  },
};
