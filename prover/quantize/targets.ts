// Quantization targets and the scale rules built on them. A value v with calibrated magnitude
// M_v = max |x| gets the largest scale s ≤ the target's activation scale whose bound fits the
// target's activation width: bits(margin·M_v·2^s) ≤ activationBits. The margin (×2 for accuracy, ×1.5
// for resources) leaves room for inputs larger than those seen in calibration; a value outside it
// at prove time is an error naming its node, never a wrong proof. See docs/compiler.md.
import { signedBitsFor } from "./fixed-point.js";

export type TargetName = "accuracy" | "resources";

export interface QuantTarget {
  name: TargetName;
  /** Largest scale exponent for activations (values are round(x·2^s)); also the scale of softmax's exponentials. */
  activationScale: number;
  /** Activations get the largest scale ≤ activationScale at which they fit this many signed bits. */
  activationBits: number;
  /** Weights are signed integers of at most this many bits. */
  weightBits: number;
  /** Widest lookup / range table: 2^maxTableBits entries. */
  maxTableBits: number;
  /** Calibrated magnitudes are multiplied by this before sizing ranges and tables. */
  margin: number;
  /** Largest weight scale exponent (tiny weights would otherwise get huge scales). */
  maxWeightScale: number;
}

export const TARGETS: Record<TargetName, QuantTarget> = {
  accuracy: { name: "accuracy", activationScale: 14, activationBits: 12, weightBits: 12, maxTableBits: 14, margin: 2, maxWeightScale: 14 },
  resources: { name: "resources", activationScale: 10, activationBits: 9, weightBits: 8, maxTableBits: 11, margin: 1.5, maxWeightScale: 10 },
};

export function getTarget(name: string): QuantTarget {
  if (name !== "accuracy" && name !== "resources") throw new RangeError(`unknown target "${name}" (accuracy or resources)`);
  return TARGETS[name];
}

/** The integer bound margin·M·2^s (rounded up, at least 1). */
export function boundAt(maxAbs: number, scale: number, target: QuantTarget): bigint {
  const b = Math.ceil(target.margin * maxAbs * 2 ** scale);
  return BigInt(Math.max(1, b));
}

/** Signed bits of the range a value of magnitude M gets at scale s. */
export function bitsAt(maxAbs: number, scale: number, target: QuantTarget): number {
  return signedBitsFor(boundAt(maxAbs, scale, target));
}

/**
 * The largest scale ≤ `want` at which a value of magnitude M fits `limitBits` signed bits (by
 * default the target's activation width, so every activation keeps about the same relative
 * precision whatever its magnitude).
 */
export function activationScaleFor(maxAbs: number, target: QuantTarget, want = target.activationScale, limitBits = target.activationBits): number {
  let s = want;
  while (bitsAt(maxAbs, s, target) > limitBits) s--;
  return s;
}

/** The largest scale ≤ maxWeightScale at which every |w| ≤ maxAbs fits weightBits signed bits. */
export function weightScaleFor(maxAbs: number, target: QuantTarget): number {
  if (maxAbs === 0) return 0;
  const limit = 2 ** (target.weightBits - 1) - 1;
  let s = target.maxWeightScale;
  while (Math.round(maxAbs * 2 ** s) > limit) s--;
  return s;
}
