// Deterministic small integers from a seed: the private weights of the built-in circuits, which
// their manifest reproduces from the seed it stores.
import { createHash, randomBytes } from "node:crypto";

/** A fresh 128-bit seed as 32 hex digits. */
export function freshSeed(): string {
  return randomBytes(16).toString("hex");
}

/**
 * `count` integers uniform in [lo, hi] (hi − lo < 255), from SHA-256(seed ‖ label ‖ counter) in
 * counter mode with rejection sampling, so the values depend only on (seed, label).
 */
export function seededInts(seed: string, label: string, count: number, lo: number, hi: number): number[] {
  const span = hi - lo + 1;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || span < 1 || span > 255) throw new RangeError(`seededInts: bad range [${lo}, ${hi}]`);
  const limit = 256 - (256 % span); // bytes ≥ limit are rejected so that byte % span is uniform
  const out: number[] = [];
  for (let block = 0; out.length < count; block++) {
    const bytes = createHash("sha256").update(`zkinfer-weights\0${seed}\0${label}\0${block}`).digest();
    for (const byte of bytes) {
      if (byte >= limit) continue;
      out.push(lo + (byte % span));
      if (out.length === count) break;
    }
  }
  return out;
}
