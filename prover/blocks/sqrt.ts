// Square root of a non-negative integer with a public rational factor, without a table over the
// radicand: y = ⌊√(N·S/D)⌋ is the unique y ≥ 0 with D·y² ≤ N·S < D·(y + 1)², so two range checks of
// the slacks fix it whatever S's magnitude (ReduceL2, whose sums of squares span far more than a
// lookup table could). Rounding to nearest is ⌊(⌊√(4·N·S/D)⌋ + 1)/2⌋ (ties up).
import type { CircuitBuilder } from "../circuit/builder.js";
import type { Cell } from "../circuit/builder.js";
import { CircuitError } from "../plonkish/index.js";
import { mul } from "./arithmetic.js";
import { privateCells, signedValue } from "./cells.js";
import { divideByConstant, floorDiv, type Rounding } from "./division.js";
import { BlockRangeError } from "./errors.js";
import { checkRange, unsignedRange } from "./range-check.js";
import { linearCombination } from "./linear-combination.js";

export interface SqrtOptions {
  /** The radicand is N·S/D (defaults 1, 1; both positive public integers). */
  num?: bigint;
  den?: bigint;
  /** y ∈ [0, 2^outBits); checked (BlockRangeError at witness time). */
  outBits: number;
  rounding?: Rounding;
  what?: string;
}

/** ⌊√v⌋ for an integer v ≥ 0. */
export function isqrt(v: bigint): bigint {
  if (v < 0n) throw new CircuitError(`square root of ${v}`);
  if (v < 2n) return v;
  let x = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (x * x > v) x--;
  while ((x + 1n) * (x + 1n) <= v) x++;
  return x;
}

/** ⌊√(N·S/D)⌋: y, y² = y·y, e₁ = N·S − D·y² and e₂ = D·y² + 2D·y + D − 1 − N·S in [0, 2^eBits). */
function sqrtFloor(b: CircuitBuilder, s: Cell, num: bigint, den: bigint, outBits: number, what: string): Cell {
  const sv = signedValue(b, s);
  if (sv < 0n) throw new BlockRangeError(`${what}: radicand`, sv, 0n, (1n << 252n) - 1n);
  const yv = isqrt(floorDiv(num * sv, den));
  const [yCell] = privateCells(b, [yv]);
  checkRange(b, yCell, unsignedRange(outBits), what);
  const sq = mul(b, yCell, yCell);
  // The slacks are at most D·(2y + 1) < D·2^(outBits + 1).
  const eRange = unsignedRange(outBits + 1 + den.toString(2).length);
  const e1 = linearCombination(b, [
    [s, num],
    [sq, -den],
  ]);
  const e2 = linearCombination(
    b,
    [
      [sq, den],
      [yCell, 2n * den],
      [s, -num],
    ],
    den - 1n,
  );
  checkRange(b, e1, eRange, `${what} (lower slack)`);
  checkRange(b, e2, eRange, `${what} (upper slack)`);
  return yCell;
}

/**
 * y = ⌊√(N·S/D)⌋ (floor) or round(√(N·S/D)) (half-up, the default) for an integer S ≥ 0.
 * Constraints: y ∈ [0, 2^outBits), D·y² ≤ N'·S ≤ D·(y + 1)² − 1 by range-checked slacks (N' = 4N for
 * half-up, then y = ⌊(z + 1)/2⌋ by division). Premise: S is a bounded integer (|S| far below r/2,
 * as every range-checked or summed value is); then the slack equations hold over the integers and y
 * is unique. Rows: 1 (y) + y's check + 1 (y²) + 1 + 2 (slacks) + their checks (+ 2 for half-up).
 */
export function sqrt(b: CircuitBuilder, s: Cell, opts: SqrtOptions): Cell {
  const num = opts.num ?? 1n;
  const den = opts.den ?? 1n;
  if (num < 1n || den < 1n) throw new CircuitError(`sqrt: the factor ${num}/${den} must be positive`);
  const what = opts.what ?? "square root";
  if (opts.rounding === "floor") return sqrtFloor(b, s, num, den, opts.outBits, what);
  const z = sqrtFloor(b, s, 4n * num, den, opts.outBits + 1, what);
  return divideByConstant(b, z, 2n, { outRange: unsignedRange(opts.outBits), rounding: "floor", offset: 1n, what });
}
