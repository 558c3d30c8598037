// Transpose, Concat, Slice, Pad, Gather with constant indices and Resize/Upsample nearest (gather.ts
// and resize.ts dispatch here) →
// copy/permute: no rows, each output cell is an input cell (or a constant cell for padding). The
// index map is read off the IR's own reference semantics: the op is evaluated on tensors whose
// elements are their own (1-based, per-input offset) indices, so every mode the IR implements
// (negative steps, reflect/edge padding, Resize's coordinate modes) maps exactly as the float model.
// Operands of Concat are brought to one scale first (multiplied up exactly).
import type { Cell } from "../../circuit/builder.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { CompileError } from "../errors.js";
import type { QTensor } from "../context.js";
import { floatAttr, type OpLowering } from "./types.js";

export const copy: OpLowering = {
  ops: ["Transpose", "Concat", "Slice", "Pad"],
  check(node, graph) {
    if (node.op === "Concat" && node.inputs.every((n) => graph.constants.has(n))) return "every operand is a constant (should have been folded)";
    if (node.op !== "Concat" && graph.constants.has(node.inputs[0])) return "the data input is a constant (should have been folded)";
    return undefined;
  },
  lower(ctx, node) {
    const reference = ctx.graph.reference;
    if (!reference) throw new CompileError("the graph has no float reference to derive index maps with");
    const data = node.op === "Concat" ? node.inputs : [node.inputs[0]];
    const active = data.filter((n) => !ctx.isConst(n));
    const scale = Math.max(...active.map((n) => ctx.tensor(n).scale));
    const operands: QTensor[] = data.map((n) => (ctx.isConst(n) ? ctx.privateConstant(n, scale) : ctx.toScale(ctx.tensor(n), scale, n)));
    // Index tensors: operand j's element i holds base_j + i + 1.
    const pool: Cell[] = [];
    const feeds = operands.map((t) => {
      const base = pool.length;
      for (const c of t.cells) pool.push(c); // no spread: a long one overflows the call stack
      return { dims: t.dims, data: Float64Array.from(t.cells, (_, i) => base + i + 1) };
    });
    const extras = node.op === "Concat" ? [] : node.inputs.slice(1).map((n) => {
      const c = ctx.constant(n);
      return { dims: c.dims, data: c.data };
    });
    const [map] = reference(node.name, [...feeds, ...extras]);
    const fill = node.op === "Pad" ? ctx.constantCell(quantizeValue(floatAttr(node, "value", 0), scale)) : undefined;
    const cells = Array.from(map, (v) => {
      if (Number.isInteger(v) && v >= 1 && v <= pool.length) return pool[v - 1];
      if (fill) return fill;
      throw new CompileError(`node ${node.name}: ${node.op} does not map outputs to inputs one to one`);
    });
    ctx.setOutput(0, { dims: ctx.graph.values.get(node.outputs[0])!.dims, cells, scale });
  },
};
