// Trigonometric and hyperbolic functions → one lookup per element (the function-table block) into
// (q, round(f(q/2^s)·2^s_out)) over the input's calibrated signed range at its planned scale (at
// most 2^activationBits entries; a wider input is rescaled down first, ctx.forLookup). Sin, Cos and
// Tan are periodic: when the calibrated range spans many periods, the input is first reduced,
// r = x − P·round(x/P) with P = round(period·2^s) (the division-by-constant block, whose remainder
// check bounds r), and the table spans one period only. That costs 6 more rows per element, so it
// is done only where it makes the circuit smaller, and only where P's rounding error summed over
// the largest quotient stays within half an input step (so the reduction at most doubles the
// input's own quantization error). Asin, Acos and Atanh are defined on [−1, 1] and Acosh on
// [1, ∞): points of the table outside the domain give NaN and are clamped like the other tabulated
// functions (nonlinear.ts); the calibrated range never reaches them for a model onnxruntime accepts.
import { divideByConstant } from "../../blocks/division.js";
import type { Cell } from "../../circuit/builder.js";
import { boundAt } from "../../quantize/targets.js";
import type { LoweringContext, QTensor } from "../context.js";
import { tabulated } from "./nonlinear.js";
import type { OpLowering } from "./types.js";

export const TRIG_OPS = ["Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh"] as const;

/** Rows the reduction adds per element: the division row, two per range check, the x − P·q row. */
const ROWS_PER_REDUCTION = 6;

const PERIOD: Readonly<Record<string, number>> = { Sin: 2 * Math.PI, Cos: 2 * Math.PI, Tan: Math.PI };

/** The reduction of a periodic function's input, when it pays (see the file comment). */
export interface PeriodReduction {
  /** The period at the input's scale, rounded. */
  period: bigint;
  /** Largest |quotient|. */
  maxQuotient: bigint;
  /** Signed bits of the reduced input. */
  bits: number;
  /** |P − period·2^s|·maxQuotient, in input steps. */
  driftSteps: number;
}

/** Whether (and how) to reduce an input of `count` cells, `bits` signed bits at `scale`, range ±bound. */
export function periodReduction(period: number, scale: number, bound: bigint, bits: number, count: number): PeriodReduction | undefined {
  const exact = period * 2 ** scale;
  const p = BigInt(Math.round(exact));
  if (p < 2n) return undefined;
  const maxQuotient = bound / p + 1n;
  const driftSteps = Number(maxQuotient) * Math.abs(Number(p) - exact);
  // r ∈ [−⌊P/2⌋, P − 1 − ⌊P/2⌋]: signed bits so that 2^(b−1) ≥ ⌊P/2⌋ + 1 … covers both ends.
  const h = p / 2n;
  let rBits = 1;
  while (1n << BigInt(rBits - 1) < (h > p - h ? h : p - h)) rBits++;
  const reducedRows = ROWS_PER_REDUCTION * count + 2 ** rBits;
  if (driftSteps > 0.5 || 2 * reducedRows >= 2 ** bits) return undefined;
  return { period: p, maxQuotient, bits: rBits, driftSteps };
}

/**
 * x − P·round(x/P) per cell, and the quotients: the division block range-checks the quotient and
 * its remainder, which bounds the reduced value (the table alone would not: a shift by P can land
 * inside the table's domain).
 */
export function reduceModPeriod(ctx: LoweringContext, t: QTensor, r: PeriodReduction, what: string): { t: QTensor; quotients: Cell[] } {
  return ctx.block("period reduction", () => {
    const quotients: Cell[] = [];
    const cells = t.cells.map((x) => {
      const q = divideByConstant(ctx.b, x, r.period, { outRange: { lo: -r.maxQuotient, hi: r.maxQuotient }, rounding: "half-up", what: `${what}: periods` });
      quotients.push(q);
      return ctx.linear(x, q, 1n, -r.period);
    });
    return { t: { dims: t.dims, scale: t.scale, cells }, quotients };
  });
}

export const trig: OpLowering = {
  ops: TRIG_OPS,
  check(node, graph) {
    return graph.constants.has(node.inputs[0]) ? "the input is a constant (should have been folded)" : undefined;
  },
  lower(ctx, node) {
    const inName = node.inputs[0];
    const what = `the input of ${node.op} (${inName})`;
    let { t, bits } = ctx.forLookup(ctx.input(0), inName);
    const period = PERIOD[node.op];
    const reduction = period === undefined ? undefined : periodReduction(period, t.scale, boundAt(ctx.maxAbs(inName), t.scale, ctx.target), bits, t.cells.length);
    if (reduction) {
      t = reduceModPeriod(ctx, t, reduction, what).t;
      bits = reduction.bits;
    }
    const sOut = ctx.scaleFor(node.outputs[0]);
    ctx.setOutput(0, { dims: t.dims, cells: tabulated(ctx, node, t, bits, sOut, what), scale: sOut });
  },
};
