// Validity of a powers-of-τ SRS: point checks on everything read, generators in place, [τ]₂
// consistent with [τ]₁, and all G1 powers on one geometric chain, shown by one
// random-linear-combination pairing check over the whole stream of powers.
import { randomBytes } from "node:crypto";
import type { Bn128 } from "ffjavascript";
import { msmStandard } from "../engine/g1.js";
import { G1_BYTES } from "./ptau-file.js";
import { bytesEqual, findBadPoints, g2InSubgroup } from "./points.js";

/** Bytes per random coefficient ρᵢ: 128-bit coefficients make a false pass happen with probability ≤ 2⁻¹²⁸. */
const RHO_BYTES = 16;

/**
 * Accumulates L = Σᵢ ρᵢ·[τ^{i+1}]₁ and R = Σᵢ ρᵢ·[τ^i]₁ (i = 0 … n−2) over the powers fed to it in
 * order, with fresh random ρᵢ. If e(L, [1]₂) = e(R, [τ]₂) then, except with probability 2⁻¹²⁸,
 * every point is [τ]₂'s discrete log times its predecessor; with [τ^0]₁ = [1]₁ they are the powers of τ.
 */
export class PowerChain {
  private left: Uint8Array;
  private right: Uint8Array;
  /** ρ of the last point of the previous chunk: that point's successor opens the next chunk. */
  private carry = new Uint8Array(RHO_BYTES);
  private absorbed = 0;

  constructor(
    private readonly c: Bn128,
    readonly total: number,
  ) {
    this.left = c.G1.zero;
    this.right = c.G1.zero;
  }

  /** Feeds the next consecutive powers (affine LEM, validated points). */
  async absorb(points: Uint8Array): Promise<void> {
    const n = points.byteLength / G1_BYTES;
    if (n === 0) return;
    if (this.absorbed + n > this.total) throw new RangeError("more powers than announced");
    // rho[k] goes with the pair (point k, point k+1); the chunk's point k is the successor of point k−1.
    const rho = randomBytes(n * RHO_BYTES);
    const shifted = new Uint8Array(n * RHO_BYTES);
    shifted.set(this.carry, 0);
    shifted.set(rho.subarray(0, (n - 1) * RHO_BYTES), RHO_BYTES);
    this.carry = rho.slice((n - 1) * RHO_BYTES);
    this.absorbed += n;
    if (this.absorbed === this.total) rho.fill(0, (n - 1) * RHO_BYTES); // the last power has no successor
    // Through the prover's MSM (our kernels' worker threads, or the engine's): the CLI's engine has no threads of its own.
    const G1 = this.c.G1;
    this.left = G1.add(this.left, await msmStandard(this.c, points, shifted));
    this.right = G1.add(this.right, await msmStandard(this.c, points, rho));
  }

  /** The pairing check, once all `total` powers are absorbed (trivially true below two powers). */
  async holds(g2One: Uint8Array, g2Tau: Uint8Array): Promise<boolean> {
    if (this.absorbed !== this.total) throw new Error(`absorbed ${this.absorbed} of ${this.total} powers`);
    if (this.total < 2) return true;
    return this.c.pairingEq(this.left, g2One, this.c.G1.neg(this.right), g2Tau);
  }
}

export interface PowerSource {
  /** Number of G1 powers to check. */
  total: number;
  /** Returns powers first … first+count−1 (affine LEM); the buffer may be reused after the next call. */
  read(first: number, count: number): Promise<Uint8Array>;
  /** [1]₂ and [τ]₂, affine LEM. */
  g2One: Uint8Array;
  g2Tau: Uint8Array;
  /** [τ]₁, when `total` < 2 leaves it out of the stream (ptau files always have it). */
  tau1?: Uint8Array;
}

export interface CheckOptions {
  /** Powers per chunk read and fed to the multi-exponentiations. */
  chunk?: number;
  /** Stop at the first problem found (for loading) instead of listing up to `maxReasons`. */
  failFast?: boolean;
  maxReasons?: number;
  /** How far the check is: `done` of `total` G1 powers streamed past (after each chunk). */
  onProgress?: (done: number, total: number) => void;
}

const DEFAULT_CHUNK = 1 << 16;

/**
 * Runs every validity check on a stream of powers and returns the problems found (empty when
 * valid). Points are checked as they stream past, so memory stays at one chunk.
 */
export async function checkPowers(c: Bn128, src: PowerSource, opts: CheckOptions = {}): Promise<string[]> {
  const chunk = opts.chunk ?? DEFAULT_CHUNK;
  const maxReasons = opts.failFast ? 1 : (opts.maxReasons ?? 20);
  const reasons: string[] = [];
  const stop = () => reasons.length >= maxReasons;

  const g1Gen = c.G1.toAffine(c.G1.g);
  const g2Gen = c.G2.toAffine(c.G2.g);

  // G2 first: the chain check below is only meaningful against a valid [τ]₂.
  const g2Ok = checkG2(c, src.g2One, src.g2Tau, g2Gen, reasons);
  if (stop()) return reasons.slice(0, maxReasons);

  const chain = new PowerChain(c, src.total);
  let pointsOk = true;
  let tau1 = src.tau1;
  for (let first = 0; first < src.total && !stop(); first += chunk) {
    const count = Math.min(chunk, src.total - first);
    const points = await src.read(first, count);
    const bad = findBadPoints(c, "G1", points, first, maxReasons - reasons.length);
    for (const b of bad) reasons.push(`[τ^${b.index}]₁ ${b.reason}`);
    if (first === 0 && !bytesEqual(points.subarray(0, G1_BYTES), g1Gen)) {
      reasons.push("[τ^0]₁ is not the generator of G1");
    }
    if (first === 0 && count > 1) tau1 = points.slice(G1_BYTES, 2 * G1_BYTES);
    pointsOk &&= bad.length === 0;
    if (pointsOk) await chain.absorb(points);
    opts.onProgress?.(first + count, src.total);
  }
  if (stop()) return reasons.slice(0, maxReasons);

  if (tau1 && g2Ok) {
    if (findBadPoints(c, "G1", tau1).length > 0) {
      reasons.push("[τ]₁ is not a valid G1 point");
    } else if (bytesEqual(tau1, g1Gen)) {
      reasons.push("[τ]₁ is the generator: τ = 1, the file has had no contribution");
    } else if (!(await c.pairingEq(tau1, src.g2One, c.G1.neg(g1Gen), src.g2Tau))) {
      reasons.push("[τ]₂ does not match [τ]₁: e([τ]₁, [1]₂) ≠ e([1]₁, [τ]₂)");
    }
  }
  if (stop()) return reasons.slice(0, maxReasons);

  if (pointsOk && g2Ok && !(await chain.holds(src.g2One, src.g2Tau))) {
    reasons.push(
      `the G1 powers are not consecutive powers of the τ in [τ]₂: ` +
        `e(Σρᵢ[τ^(i+1)]₁, [1]₂) ≠ e(Σρᵢ[τ^i]₁, [τ]₂) over ${src.total} powers`,
    );
  }
  return reasons.slice(0, maxReasons);
}

/** Checks [1]₂ and [τ]₂; pushes problems to `reasons` and tells whether [τ]₂ can be used. */
function checkG2(c: Bn128, one: Uint8Array, tau: Uint8Array, g2Gen: Uint8Array, reasons: string[]): boolean {
  let ok = true;
  if (!bytesEqual(one, g2Gen)) {
    reasons.push("[τ^0]₂ is not the generator of G2");
    ok = false;
  }
  const bad = findBadPoints(c, "G2", tau);
  if (bad.length > 0) {
    reasons.push(`[τ]₂ ${bad[0].reason}`);
    return false;
  }
  if (!g2InSubgroup(c, tau)) {
    reasons.push("[τ]₂ is not in the order-r subgroup of G2");
    return false;
  }
  return ok;
}
