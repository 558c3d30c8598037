// InstanceNormalization, LayerNormalization: per group (a channel's spatial cells, or the trailing
// axes from `axis`) μ = Σx/n (sum, division by the public count), d = x − μ, v = Σd²/n (a
// multiplication per element, sum, division, rescale), r = 1/√(v + ε) by a lookup over v's range
// (clamped below 2^24 for near-zero variance), t = d·r rescaled (|t| ≤ √n by
// construction, which sizes its range), then y = t·γ + β with private γ, β (weight column).
import { divideByConstant } from "../../blocks/division.js";
import { signedRange } from "../../blocks/range-check.js";
import { sum } from "../../blocks/sum.js";
import type { Cell } from "../../circuit/builder.js";
import { normalizeAxis, size } from "../../ir/tensor.js";
import { quantizeValue } from "../../quantize/fixed-point.js";
import { activationScaleFor, bitsAt, weightScaleFor } from "../../quantize/targets.js";
import { settle } from "../context.js";
import { floatAttr, intAttr, needConst, type OpLowering } from "./types.js";

export const normalization: OpLowering = {
  ops: ["InstanceNormalization", "LayerNormalization"],
  check(node, graph) {
    return needConst(node, graph, 1, "scale") ?? (node.inputs[2] ? needConst(node, graph, 2, "bias") : undefined);
  },
  lower(ctx, node) {
    const inName = node.inputs[0];
    const x = ctx.input(0);
    const eps = floatAttr(node, "epsilon", 1e-5);
    const gamma = ctx.constant(node.inputs[1]).data;
    const beta = node.inputs[2] ? ctx.constant(node.inputs[2]).data : new Float64Array(gamma.length);
    // Groups of consecutive cells and the γ/β index of each cell.
    let n: number;
    let paramOf: (i: number) => number;
    if (node.op === "InstanceNormalization") {
      n = size(x.dims.slice(2));
      const C = x.dims[1];
      paramOf = (i) => Math.floor(i / n) % C;
    } else {
      const axis = normalizeAxis(intAttr(node, "axis", -1), x.dims.length, node.name);
      n = size(x.dims.slice(axis));
      paramOf = (i) => (i % n) % gamma.length;
    }
    const groups = x.cells.length / n;
    const t = ctx.target;
    const M = ctx.maxAbs(inName);
    const sx = x.scale;
    const vMax = 4 * M * M;
    const sv = activationScaleFor(vMax, t);
    const vBits = bitsAt(vMax, sv, t);
    const sr = t.activationBits - 2;
    const rLimit = 2n ** 24n - 1n;
    const st = activationScaleFor(Math.sqrt(n), t);
    const tBits = bitsAt(Math.sqrt(n), st, t);
    const xBits = ctx.bitsFor(inName, sx);
    const out: Cell[] = new Array<Cell>(x.cells.length);
    const tCells: Cell[] = new Array<Cell>(x.cells.length);
    for (let g = 0; g < groups; g++) {
      const cells = x.cells.slice(g * n, (g + 1) * n);
      const mu = ctx.block("mean", () => divideByConstant(ctx.b, sum(ctx.b, cells), BigInt(n), { outRange: signedRange(xBits), what: `${node.name} mean` }));
      const d = ctx.block("add", () => cells.map((c) => ctx.linear(c, mu, 1n, -1n)));
      const sq = ctx.block("mul", () => d.map((c) => ctx.mul(c, c)));
      let v = ctx.block("mean", () => divideByConstant(ctx.b, sum(ctx.b, sq), BigInt(n), { outRange: signedRange(2 * xBits + 2), what: `${node.name} variance` }));
      if (2 * sx > sv) v = ctx.rescale([v], 2 * sx - sv, vBits, `${node.name} variance`, sv)[0];
      else if (2 * sx < sv) v = ctx.scaleCell(v, 1n << BigInt(sv - 2 * sx));
      const [r] = ctx.lookup(`rsqrt|${sv}|${sr}|${eps}`, "rsqrt", [v], vBits, (q) => {
        const val = Math.max(0, Number(q) / 2 ** sv);
        const y = quantizeValue(1 / Math.sqrt(val + eps), sr);
        return y > rLimit ? rLimit : y;
      }, `${node.name} variance`, sv);
      const prod = ctx.block("mul", () => d.map((c) => ctx.mul(c, r)));
      const k = sx + sr - st;
      const tn = k > 0 ? ctx.rescale(prod, k, tBits, `${node.name} normalized`, st) : prod;
      tn.forEach((c, j) => (tCells[g * n + j] = c));
    }
    const sw = weightScaleFor(Math.max(...Array.from(gamma, Math.abs)), t);
    const gCells = ctx.privateValues(Array.from(gamma, (v) => quantizeValue(v, sw)));
    const tScale = sx + sr - st > 0 ? st : sx + sr;
    const bCells = ctx.privateValues(Array.from(beta, (v) => quantizeValue(v, sw + tScale)));
    ctx.block("affine", () => tCells.forEach((c, i) => (out[i] = ctx.linear(ctx.mul(c, gCells[paramOf(i)]), bCells[paramOf(i)], 1n, 1n))));
    ctx.setOutput(0, settle(ctx, { dims: x.dims, cells: out, scale: tScale + sw }, node.outputs[0]));
  },
};
