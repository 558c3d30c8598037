// Gather. Constant indices: a copy (copy.ts). Computed indices (integer activations, e.g. token ids
// or an ArgMax): per index, one-hot selectors (blocks/select.ts: booleans with Σ s_k = 1 and
// Σ k·s_k − n·ν = idx, so the selected position is idx, negative indices from the end, and an
// index outside [−n, n − 1] has no satisfying witness), then the gathered values are the product
// of the selectors with the table: a constant table (an embedding) is private weights in the
// matmul block (Y = Wᵀ·S, weights at their own scale, rescaled to the planned scale), an
// activation table goes through the product of activations. Rows: the table's size once (per outer
// slice) + n per index (selectors and the Freivalds rows) + the outputs, never n per output cell.
import { matmul, matmulActivations } from "../../blocks/matmul.js";
import { oneHot } from "../../blocks/select.js";
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size } from "../../ir/tensor.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { CompileError } from "../errors.js";
import { copy } from "./copy.js";
import { intAttr, type OpLowering } from "./types.js";

export const gather: OpLowering = {
  ops: ["Gather"],
  check(node, graph) {
    const [data, indices] = node.inputs;
    if (graph.constants.has(indices)) return copy.check?.(node, graph);
    if (!graph.values.get(indices)?.integer) return `the indices (${indices}) must be integers`;
    if (graph.constants.has(data) && graph.values.get(data)?.integer) return `an integer constant table (${data}) is not supported`;
    return undefined;
  },
  lower(ctx, node) {
    const [dataName, indicesName] = node.inputs;
    if (ctx.isConst(indicesName)) {
      copy.lower(ctx, node);
      return;
    }
    const indices = ctx.tensor(indicesName);
    if (indices.scale !== 0) throw new CompileError(`node ${ctx.nodeName}: the indices ${indicesName} are not integers (scale 2^${indices.scale})`);
    const dataDims = ctx.graph.values.get(dataName)!.dims;
    const axis = normalizeAxis(intAttr(node, "axis", 0), dataDims.length, node.name);
    const n = dataDims[axis];
    const outer = size(dataDims.slice(0, axis));
    const inner = size(dataDims.slice(axis + 1));
    const t = indices.cells.length;
    // S (n × t): column j is index j's one-hot vector.
    const sel = ctx.block("one-hot", () => indices.cells.map((c) => oneHot(ctx.b, c, n, `index of ${node.op} ${node.name} (${indicesName})`)));
    const S = Array.from({ length: n }, (_, k) => sel.map((s) => s[k]));
    const out = new Array<Cell>(outer * t * inner);
    const at = (o: number, k: number, i: number) => (o * n + k) * inner + i;
    let scale: number;
    if (ctx.isConst(dataName)) {
      const c = ctx.constant(dataName);
      scale = weightScaleFor(c.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0), ctx.target);
      ctx.block("gather", () => {
        for (let o = 0; o < outer; o++) {
          // W (inner × n): W_ik = table[o, k, i], private weights.
          const W = Array.from({ length: inner }, (_, i) => Array.from({ length: n }, (_, k) => quantizeValue(c.data[at(o, k, i)], scale)));
          const Y = matmul(ctx.b, W, S);
          for (let j = 0; j < t; j++) for (let i = 0; i < inner; i++) out[(o * t + j) * inner + i] = Y[i][j];
        }
      });
    } else {
      const x = ctx.tensor(dataName);
      scale = x.scale;
      ctx.block("gather", () => {
        for (let o = 0; o < outer; o++) {
          const A = Array.from({ length: inner }, (_, i) => Array.from({ length: n }, (_, k) => x.cells[at(o, k, i)]));
          const Y = matmulActivations(ctx.b, A, S);
          for (let j = 0; j < t; j++) for (let i = 0; i < inner; i++) out[(o * t + j) * inner + i] = Y[i][j];
        }
      });
    }
    ctx.setOutput(0, settle(ctx, { dims: ctx.graph.values.get(node.outputs[0])!.dims, cells: out, scale }, node.outputs[0]));
  },
};
