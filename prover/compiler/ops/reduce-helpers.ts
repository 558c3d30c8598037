// Shared by pools and reductions: sums, means (sum, then division by the public count with
// rounding) and maxima/minima (the max block) of groups of cells.
import { divideByConstant } from "../../blocks/division.js";
import { maxMany, minMany } from "../../blocks/max.js";
import { signedRange } from "../../blocks/range-check.js";
import { sum } from "../../blocks/sum.js";
import type { Cell } from "../../circuit/builder.js";
import type { LoweringContext, QTensor } from "../context.js";

export type Reduction = "sum" | "mean" | "max" | "min";

/**
 * One output cell per group of input cells. `divisors` (mean) gives each group's divisor (for
 * AveragePool with padding it can differ from the group's size). Output scale = input scale.
 */
export function reduceGroups(ctx: LoweringContext, x: QTensor, inName: string, outName: string, groups: readonly (readonly Cell[])[], kind: Reduction, divisors?: readonly number[]): Cell[] {
  if (kind === "max" || kind === "min") {
    const { t, bits } = ctx.forLookup(x, inName);
    if (t !== x) throw new Error("max/min over a rescaled input");
    const diffBits = ctx.differenceBits(x.cells, bits);
    return ctx.block(kind, () => groups.map((g) => (g.length === 1 ? g[0] : kind === "max" ? maxMany(ctx.b, g, diffBits, bits) : minMany(ctx.b, g, diffBits, bits))));
  }
  const sums = ctx.block("sum", () => groups.map((g) => (g.length === 1 ? g[0] : sum(ctx.b, g))));
  if (kind === "sum") return sums;
  const bits = ctx.bitsFor(outName, x.scale);
  return ctx.block("mean", () =>
    sums.map((s, i) => {
      const d = BigInt(divisors ? divisors[i] : groups[i].length);
      return d === 1n ? s : divideByConstant(ctx.b, s, d, { outRange: signedRange(bits), rounding: "half-up", what: `mean of ${inName}` });
    }),
  );
}
