// Fixed point with power-of-two scales: a real x is stored as the integer round(x·2^s). Scales
// may be negative (a value too large for the chosen bit width keeps fewer fractional bits).

/** round(x·2^scale), halves away from zero; throws RangeError on NaN/∞. */
export function quantizeValue(x: number, scale: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`cannot quantize ${x}`);
  const scaled = x * 2 ** scale;
  const r = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return BigInt(r);
}

/** q / 2^scale as a number (exact for |q| < 2^53). */
export function dequantizeValue(q: bigint, scale: number): number {
  return Number(q) / 2 ** scale;
}

/** Signed bits b such that −2^(b−1) ≤ q < 2^(b−1) for every |q| ≤ bound (at least 1). */
export function signedBitsFor(bound: bigint): number {
  if (bound < 0n) throw new RangeError("bound must be non-negative");
  return bound === 0n ? 1 : bound.toString(2).length + 1;
}

/** floor(x / 2^k + 1/2) for k ≥ 1: rounding half up, what the rescale block computes. */
export function roundShift(x: bigint, k: number): bigint {
  if (k <= 0) return x << BigInt(-k);
  const half = 1n << BigInt(k - 1);
  const num = x + half;
  // floor division for negatives too
  const d = 1n << BigInt(k);
  const q = num / d;
  return num < 0n && q * d !== num ? q - 1n : q;
}

/** floor(a / b) for b > 0. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}
