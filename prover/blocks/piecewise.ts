// Piecewise-linear activations built from ReLU parts, rescale and linear rows, so none needs a
// table bigger than its range checks: LeakyReLU (and PReLU with a public slope), Clip, HardSigmoid.
// (PReLU with a private per-channel slope multiplies the negative part by a 1×1 weight with matmul.)
import type { CircuitBuilder, Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { divideByConstant, floorDiv } from "./division.js";
import type { IntRange } from "./range-check.js";
import { reluParts } from "./relu.js";
import { linearCombination } from "./linear-combination.js";

export interface LeakyReluOptions {
  /** |x| < 2^bits. */
  bits: number;
  /** The slope is slopeNum / 2^slopeShift (a fixed-point constant; slopeShift 0 for an integer). */
  slopeNum: bigint;
  slopeShift: number;
}

/**
 * y = max(x, 0) + round(α·min(x, 0)) with α = slopeNum/2^slopeShift (rounding half up). Built as
 * reluParts (y⁺, z = max(−x, 0)), q = round(−slopeNum·z / 2^slopeShift) (divideByConstant, q's
 * range derived from z's), and y⁺ + q. Rows: 3 + 2 + 1 in the usual case.
 */
export function leakyRelu(b: CircuitBuilder, x: Cell, opts: LeakyReluOptions): Cell {
  const { y, z } = reluParts(b, x, { bits: opts.bits, what: "leaky relu input" });
  if (!Number.isInteger(opts.slopeShift) || opts.slopeShift < 0) throw new CircuitError(`leaky relu: slope shift ${opts.slopeShift}`);
  const d = 1n << BigInt(opts.slopeShift);
  const h = d / 2n;
  const zMax = (1n << BigInt(opts.bits)) - 1n;
  const ends = [floorDiv(h, d), floorDiv(-opts.slopeNum * zMax + h, d)];
  const qRange: IntRange = { lo: ends[0] < ends[1] ? ends[0] : ends[1], hi: ends[0] < ends[1] ? ends[1] : ends[0] };
  const q = d === 1n ? linearCombination(b, [[z, -opts.slopeNum]]) : divideByConstant(b, z, d, { outRange: qRange, scale: -opts.slopeNum, what: "leaky relu negative part" });
  return linearCombination(b, [
    [y, 1n],
    [q, 1n],
  ]);
}

export interface ClipOptions {
  lo: bigint;
  hi: bigint;
  /** |v − lo| < 2^bits and hi − lo < 2^bits. */
  bits: number;
  /** Clip v = s·x + k (defaults 1, 0). */
  scale?: bigint;
  offset?: bigint;
}

/**
 * min(max(v, lo), hi) for v = s·x + k: u = max(v − lo, 0) and w = max(u − (hi − lo), 0) by two
 * ReLUs, then lo + u − w. Guarantees follow from the ReLUs' (v − lo ∈ (−2^bits, 2^bits)). Rows:
 * 3 + 3 + 1.
 */
export function clip(b: CircuitBuilder, x: Cell, opts: ClipOptions): Cell {
  if (opts.hi < opts.lo) throw new CircuitError(`clip: empty range [${opts.lo}, ${opts.hi}]`);
  if (opts.hi - opts.lo >= 1n << BigInt(opts.bits)) throw new CircuitError(`clip: hi − lo = ${opts.hi - opts.lo} needs more than ${opts.bits} bits`);
  const s = opts.scale ?? 1n;
  const k = opts.offset ?? 0n;
  const u = reluParts(b, x, { bits: opts.bits, scale: s, offset: k - opts.lo, what: "clip input − lo" }).y;
  const w = reluParts(b, u, { bits: opts.bits, offset: opts.lo - opts.hi, what: "clip input − hi" }).y;
  return linearCombination(
    b,
    [
      [u, 1n],
      [w, -1n],
    ],
    opts.lo,
  );
}

export interface HardSigmoidOptions {
  /** α·x at the output scale is round(alphaNum·x / 2^alphaShift). */
  alphaNum: bigint;
  alphaShift: number;
  /** β and 1 at the output scale. */
  beta: bigint;
  one: bigint;
  /** Range of round(alphaNum·x / 2^alphaShift); its width and |…| + |β| must fit `bits`. */
  preRange: IntRange;
  bits: number;
}

/** max(0, min(1, α·x + β)) in fixed point: a rescale of alphaNum·x, then clip(· + β, 0, one). */
export function hardSigmoid(b: CircuitBuilder, x: Cell, opts: HardSigmoidOptions): Cell {
  const ax = divideByConstant(b, x, 1n << BigInt(opts.alphaShift), { outRange: opts.preRange, scale: opts.alphaNum, what: "hard sigmoid α·x" });
  return clip(b, ax, { lo: 0n, hi: opts.one, bits: opts.bits, offset: opts.beta });
}
