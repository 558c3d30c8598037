// ReduceL1, ReduceL2, ReduceSumSquare and ReduceProd over groups of cells (the groups of reduce.ts):
// - L1: |x| = 2·relu(x) − x (relu from the shared signed range / ReLU table, one gate row), summed;
// - SumSquare: x·x per element (one row), summed at scale 2s, rescaled to the planned scale;
// - L2: the sum of squares S (scale 2s), then y = round(√(S·4^(s_out − s))) by the square-root
//   block (range-checked slacks, no table over S: its range is far too wide for one);
// - Prod: a chain p_i = rescale(p_{i−1}·x_i): each partial product's scale and range come from the
//   worst-case bound M^i (M the input's calibrated magnitude), the last one's from the output's
//   calibrated range. Long products of large values therefore lose precision; the accuracy report
//   shows it.
import { sqrt } from "../../blocks/sqrt.js";
import { sum } from "../../blocks/sum.js";
import type { Cell } from "../../circuit/builder.js";
import { activationScaleFor, bitsAt } from "../../quantize/targets.js";
import { settle, type LoweringContext, type QTensor } from "../context.js";
import { CompileError } from "../errors.js";

export type NormReduction = "l1" | "l2" | "sumsquare" | "prod";

/** One output tensor (dims `dims`) per group of x's cells; its scale is the one returned. */
export function reduceNorms(ctx: LoweringContext, x: QTensor, inName: string, outName: string, groups: readonly (readonly Cell[])[], kind: NormReduction, dims: number[]): QTensor {
  if (kind === "prod") return product(ctx, x, inName, outName, groups, dims);
  if (kind === "l1") {
    const { t, bits } = ctx.forLookup(x, inName);
    const index = new Map(x.cells.map((c, i) => [c, i]));
    const relu = ctx.relu(t.cells, bits, `the input of ReduceL1 (${inName})`, t.scale);
    const abs = ctx.block("add", () => t.cells.map((c, i) => ctx.linear(relu[i], c, 2n, -1n)));
    const sums = ctx.block("sum", () => groups.map((g) => sum(ctx.b, g.map((c) => abs[index.get(c)!]))));
    return settle(ctx, { dims, cells: sums, scale: t.scale }, outName);
  }
  const index = new Map(x.cells.map((c, i) => [c, i]));
  const squares = ctx.block("mul", () => x.cells.map((c) => ctx.mul(c, c)));
  const sums = ctx.block("sum", () => groups.map((g) => sum(ctx.b, g.map((c) => squares[index.get(c)!]))));
  if (kind === "sumsquare") return settle(ctx, { dims, cells: sums, scale: 2 * x.scale }, outName);
  const sOut = ctx.scaleFor(outName);
  const k = sOut - x.scale;
  const factor = { num: k >= 0 ? 4n ** BigInt(k) : 1n, den: k >= 0 ? 1n : 4n ** BigInt(-k) };
  const outBits = ctx.bitsFor(outName, sOut) - 1;
  const cells = ctx.block("sqrt", () => sums.map((s) => sqrt(ctx.b, s, { ...factor, outBits, what: `ReduceL2 ${outName}` })));
  return { dims, cells, scale: sOut };
}

function product(ctx: LoweringContext, x: QTensor, inName: string, outName: string, groups: readonly (readonly Cell[])[], dims: number[]): QTensor {
  const m = ctx.maxAbs(inName);
  const n = groups.reduce((m, g) => Math.max(m, g.length), 0);
  const sOut = ctx.scaleFor(outName);
  // Partial product i (i factors) at scale s_i with signed bits b_i: from M^i, the last from the output.
  const plan = Array.from({ length: n + 1 }, (_, i) => {
    if (i === n) return { scale: sOut, bits: ctx.bitsFor(outName, sOut) };
    const bound = m ** i;
    if (!(bound < 2 ** 60)) throw new CompileError(`node ${ctx.nodeName}: a product of ${i} values of magnitude up to ${m} has no fixed-point range`);
    const scale = activationScaleFor(bound, ctx.target);
    return { scale, bits: bitsAt(bound, scale, ctx.target) };
  });
  const cells = groups.map((g) => {
    let p = g[0];
    let scale = x.scale;
    for (let i = 1; i < g.length; i++) {
      const step = i + 1 === g.length ? plan[n] : plan[i + 1];
      const raw = ctx.block("mul", () => ctx.mul(p, g[i]));
      const shift = scale + x.scale - step.scale;
      if (shift > 0) p = ctx.rescale([raw], shift, step.bits, `partial product of ReduceProd ${outName}`, step.scale)[0];
      else p = shift === 0 ? raw : ctx.block("scale", () => ctx.scaleCell(raw, 1n << BigInt(-shift)));
      scale = step.scale;
    }
    return { cell: p, scale };
  });
  // Groups of one element keep x's scale; bring every group to the output's scale.
  return {
    dims,
    cells: cells.map(({ cell, scale }) => (scale === sOut ? cell : ctx.toScale({ dims: [1], cells: [cell], scale }, sOut, outName).cells[0])),
    scale: sOut,
  };
}
