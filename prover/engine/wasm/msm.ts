// Variable-base G1 MSM on the generated kernels: Pippenger's bucket method with signed digits.
//
// A scalar is cut into W windows of c bits, each read as a digit in (−2^(c−1), 2^(c−1)] (a digit
// above half takes 2^c off and carries 1 into the next window), so a window needs only 2^(c−1)
// buckets, and −P is free in affine form. Per window: the points are sorted by bucket (counting
// sort, negated where the digit is), then each bucket's points are added up pairwise in rounds
// (round r adds the points 2^r apart), every round's affine additions sharing one inversion; what
// is left, one point per bucket, is summed as Σ_b (b+1)·B_b by running sums. The windows are
// independent, so threads take whole windows; the window sums are joined by doubling.
import { AFFINE_BYTES, LEM_BYTES, XYZZ_BYTES } from "./curve.js";
import { ELEMENT_BYTES } from "./field.js";
import { glvSplit, HALF_BYTES } from "./glv.js";
import { ensureMemory, HEAP, newKernel, type KernelExports } from "./module.js";

/** A thread's share of an MSM: windows [from, to) of width c over n points and scalars. */
export interface WindowJob {
  /** n affine points, 64-byte LEM each (ffjavascript's form). */
  bases: Uint8Array;
  /** n scalars, standard little-endian, `width` bytes each. */
  scalars: Uint8Array;
  width: number;
  n: number;
  c: number;
  from: number;
  to: number;
  /**
   * GLV (glv.ts): `scalars` holds 2n half-scalars, |k₁ᵢ| at i and |k₂ᵢ| at n + i, with their signs
   * here (1: negative); the points are the n bases followed by their images under φ.
   */
  negative?: Uint8Array;
}

/** The number of significant bits of the largest scalar. */
export function scalarBits(scalars: Uint8Array, n: number, width: number): number {
  let top = -1; // highest nonzero byte index seen
  let topBits = 0; // OR of the bytes at that index
  for (let i = 0, o = 0; i < n; i++, o += width) {
    let b = width - 1;
    while (b > top && scalars[o + b] === 0) b--;
    if (b < 0) continue;
    if (b > top) {
      top = b;
      topBits = scalars[o + b];
    } else if (b === top) topBits |= scalars[o + b];
  }
  return top < 0 ? 0 : 8 * top + (32 - Math.clz32(topBits));
}

/** An MSM's scalars as the window jobs take them, with its window width and count. */
export interface MsmPlan {
  scalars: Uint8Array;
  width: number;
  /** Set when GLV splits the scalars (see {@link WindowJob}). */
  negative?: Uint8Array;
  c: number;
  windows: number;
}

/**
 * `ZKINFER_GLV` (read at every call): `on` splits scalars wider than 128 bits with GLV; `off` and
 * `auto`, the default, never do: measured side by side (docs/engine.md), the split did not pay at
 * any size (the 2n points' gathers cost about what the halved running sums save), so `auto` leaves it out.
 */
export function glvMode(): "auto" | "on" | "off" {
  const v = process.env.ZKINFER_GLV ?? "auto";
  if (v !== "auto" && v !== "on" && v !== "off") throw new RangeError(`ZKINFER_GLV must be auto, on or off, not ${JSON.stringify(v)}`);
  return v;
}

/**
 * The plan of an MSM over n points on `threads` threads (undefined when every scalar is 0): with
 * the GLV split where `glv` (default {@link glvMode}) is `on` and the scalars are wider than a half.
 */
export function planMsm(scalars: Uint8Array, n: number, width: number, threads: number, glv: "auto" | "on" | "off" = glvMode()): MsmPlan | undefined {
  const bits = scalarBits(scalars, n, width);
  if (n === 0 || bits === 0) return undefined;
  const split = bits > HALF_BYTES * 8 && glv === "on";
  if (!split) {
    const c = windowBits(n, bits, threads);
    return { scalars, width, c, windows: windowCount(bits, c) };
  }
  const halves = new Uint8Array(new SharedArrayBuffer(2 * n * HALF_BYTES));
  const negative = new Uint8Array(new SharedArrayBuffer(2 * n));
  glvSplit(scalars, n, width, halves, negative);
  const halfBits = scalarBits(halves, 2 * n, HALF_BYTES);
  if (halfBits === 0) return undefined;
  const c = windowBits(2 * n, halfBits, threads);
  return { scalars: halves, width: HALF_BYTES, negative, c, windows: windowCount(halfBits, c) };
}

/** Windows of c bits that signed digits need for `bits`-bit scalars. */
export function windowCount(bits: number, c: number): number {
  return Math.floor(bits / c) + 1;
}

/**
 * The window width for n points of `bits` bits over `threads` threads, from a cost model in field
 * multiplications: per window, ~8 per point (an affine addition in a batch, the sort) and ~28 per
 * bucket (the running sums in XYZZ); a thread does ⌈W/threads⌉ windows.
 */
export function windowBits(n: number, bits: number, threads: number): number {
  let best = 1;
  let bestCost = Infinity;
  for (let c = 1; c <= 16; c++) {
    const cost = Math.ceil(windowCount(bits, c) / threads) * (8 * n + 28 * 2 ** (c - 1));
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

/** Scalars as 32-bit words, `stride` words each with two words of zero padding (a window may read past the top). */
function scalarWords(scalars: Uint8Array, n: number, width: number): { words: Uint32Array; stride: number } {
  const stride = Math.ceil(width / 4) + 2;
  const words = new Uint32Array(n * stride);
  const bytes = new Uint8Array(words.buffer);
  for (let i = 0; i < n; i++) bytes.set(scalars.subarray(i * width, (i + 1) * width), i * stride * 4);
  return { words, stride };
}

/**
 * The signed c-bit digits of n scalars, window by window: `visit(k, digits)` for each window
 * k ∈ [from, to), digits[i] ∈ (−2^(c−1), 2^(c−1)] (the array is reused). The windows below `from`
 * are read only for their carries. Where `negative[i]` is 1, scalar i stands for its negation
 * (the digits of its magnitude, negated).
 */
export function forEachWindow(scalars: Uint8Array, n: number, width: number, c: number, from: number, to: number, visit: (k: number, digits: Int32Array) => void, negative?: Uint8Array): void {
  const { words, stride } = scalarWords(scalars, n, width);
  const half = 2 ** (c - 1);
  const mask = 2 ** c - 1;
  const carry = new Uint8Array(n);
  const digits = new Int32Array(n);
  for (let k = 0; k < to; k++) {
    const bit = k * c;
    const word = bit >>> 5;
    const shift = bit & 31;
    const spill = shift + c > 32;
    for (let i = 0, o = word; i < n; i++, o += stride) {
      let v = words[o] >>> shift;
      if (spill) v |= words[o + 1] << (32 - shift);
      v = (v & mask) + carry[i];
      if (v > half) {
        v -= mask + 1;
        carry[i] = 1;
      } else carry[i] = 0;
      digits[i] = v;
    }
    if (k < from) continue;
    if (negative) for (let i = 0; i < n; i++) if (negative[i] !== 0) digits[i] = -digits[i];
    visit(k, digits);
  }
}

/** Sets offsets[b] to the start of bucket b in bucket order (counts[b] entries each); returns the total. */
export function bucketOffsets(counts: Int32Array, offsets: Int32Array, fill: Int32Array): number {
  let total = 0;
  for (let b = 0; b < counts.length; b++) {
    offsets[b] = total;
    fill[b] = total;
    total += counts[b];
  }
  return total;
}

/** Where the bucket additions work in kernel memory: the gathered points, the pair list, the batch scratch. */
export interface BucketArea {
  gathered: number;
  pairs: number;
  scratch: number;
}

/**
 * Adds up each bucket's points, which lie in bucket order at `at.gathered` (bucket b: counts[b]
 * points from offsets[b]), pairwise in rounds (round r adds the points 2^r apart), every round's
 * affine additions sharing one inversion. Afterwards each nonempty bucket's sum is its first point
 * and counts[b] is 1 (0 for an empty bucket).
 */
export function addUpBuckets(ex: KernelExports, at: BucketArea, counts: Int32Array, offsets: Int32Array, points: number): void {
  const buckets = counts.length;
  const pairs = new Int32Array(ex.memory.buffer, at.pairs, 2 * Math.ceil(points / 2));
  // Buckets with two or more points left, this round's and the next's.
  let active = new Int32Array(buckets);
  let nextActive = new Int32Array(buckets);
  let activeCount = 0;
  for (let b = 0; b < buckets; b++) if (counts[b] >= 2) active[activeCount++] = b;
  for (let step = 1; activeCount > 0; step *= 2) {
    let m = 0;
    let next = 0;
    for (let a = 0; a < activeCount; a++) {
      const b = active[a];
      const k2 = counts[b];
      const base = at.gathered + offsets[b] * AFFINE_BYTES;
      for (let j = 0; j + 1 < k2; j += 2) {
        pairs[2 * m] = base + j * step * AFFINE_BYTES;
        pairs[2 * m + 1] = base + (j + 1) * step * AFFINE_BYTES;
        m++;
      }
      counts[b] = (k2 + 1) >> 1;
      if (counts[b] >= 2) nextActive[next++] = b;
    }
    ex.msm_batchAdd(at.pairs, m, at.scratch);
    [active, nextActive] = [nextActive, active];
    activeCount = next;
  }
}

/** Bytes of batch scratch for up to `pairs` pairs (msm_batchAdd). */
export function batchScratchBytes(pairs: number): number {
  return pairs * (2 * ELEMENT_BYTES + 1);
}

/** A bump allocator over kernel memory from HEAP, 8-byte aligned. */
export function heapLayout(): { take(bytes: number): number; end(): number } {
  let p = HEAP;
  return {
    take(bytes: number): number {
      const at = p;
      p += Math.ceil(bytes / 8) * 8;
      return at;
    },
    end: () => p,
  };
}

/** Layout of a window job in kernel memory. */
function layout(n: number, c: number, windows: number) {
  const buckets = 2 ** (c - 1);
  const heap = heapLayout();
  const affine = heap.take(n * AFFINE_BYTES);
  const gathered = heap.take(Math.max(n * AFFINE_BYTES, n * LEM_BYTES));
  const order = heap.take(n * 4);
  const pairs = heap.take(Math.ceil(n / 2) * 8);
  const idx = heap.take(buckets * 4);
  const scratch = heap.take(batchScratchBytes(Math.ceil(n / 2)));
  const out = heap.take(windows * XYZZ_BYTES);
  return { affine, gathered, order, pairs, idx, scratch, out, end: heap.end() };
}

/**
 * The window sums Σ_i d_(i,k)·P_i for windows k ∈ [from, to), XYZZ form, 144 bytes each, in `ex`'s
 * layout (the kernels' Fp form). One thread's work.
 */
export function windowSums(ex: KernelExports, job: WindowJob): Uint8Array {
  const { c, from, to, width } = job;
  const bases = job.n;
  // With GLV the MSM runs over the bases and their images under φ.
  const n = job.negative ? 2 * bases : bases;
  const windows = to - from;
  const at = layout(n, c, windows);
  const mem = ensureMemory(ex, at.end);
  // Points: LEM → the kernels' affine form (staged where the gathered points go later).
  mem.set(job.bases.subarray(0, bases * LEM_BYTES), at.gathered);
  ex.g1_fromLemMany(at.affine, at.gathered, bases);
  if (job.negative) ex.g1_endoMany(at.affine + bases * AFFINE_BYTES, at.affine, bases);

  const buckets = 2 ** (c - 1);
  const counts = new Int32Array(buckets);
  const offsets = new Int32Array(buckets);
  const fill = new Int32Array(buckets);
  forEachWindow(job.scalars, n, width, c, from, to, (k, digits) => {
    counts.fill(0);
    for (let i = 0; i < n; i++) if (digits[i] !== 0) counts[Math.abs(digits[i]) - 1]++;
    // Counting sort into bucket order; entries are point indices, bit 31 set for −P.
    const total = bucketOffsets(counts, offsets, fill);
    const order = new Int32Array(ex.memory.buffer, at.order, n);
    for (let i = 0; i < n; i++) {
      const v = digits[i];
      if (v > 0) order[fill[v - 1]++] = i;
      else if (v < 0) order[fill[-v - 1]++] = i | 0x80000000;
    }
    ex.msm_gather(at.gathered, at.affine, at.order, total);
    addUpBuckets(ex, at, counts, offsets, n);
    const idx = new Int32Array(ex.memory.buffer, at.idx, buckets);
    for (let b = 0; b < buckets; b++) idx[b] = counts[b] === 1 ? at.gathered + offsets[b] * AFFINE_BYTES : 0;
    ex.msm_bucketSum(at.idx, buckets, at.out + (k - from) * XYZZ_BYTES);
  }, job.negative);
  return new Uint8Array(ex.memory.buffer).slice(at.out, at.out + windows * XYZZ_BYTES);
}

/** Σ_k 2^(c·k)·S_k for the window sums S_0 … S_(W−1) (XYZZ, in order), as a 64-byte LEM point. */
export function joinWindows(ex: KernelExports, sums: Uint8Array, c: number): Uint8Array {
  const windows = sums.length / XYZZ_BYTES;
  const acc = HEAP;
  const input = HEAP + XYZZ_BYTES;
  const out = input + sums.length;
  const mem = ensureMemory(ex, out + LEM_BYTES);
  mem.set(sums, input);
  ex.g1_xyzzZero(acc);
  for (let k = windows - 1; k >= 0; k--) {
    if (k < windows - 1) for (let d = 0; d < c; d++) ex.g1_xyzzDouble(acc);
    ex.g1_xyzzAdd(acc, input + k * XYZZ_BYTES);
  }
  ex.g1_xyzzToLem(out, acc);
  return new Uint8Array(ex.memory.buffer).slice(out, out + LEM_BYTES);
}

let mainKernel: KernelExports | undefined;
/** Memory above which the main thread's instance is dropped after a call rather than kept. */
const KEEP_BYTES = 256 << 20;

/** The main thread's kernel instance (created on first use). */
export function kernel(): KernelExports {
  mainKernel ??= newKernel();
  return mainKernel;
}

/** Drops the main thread's instance if its memory grew large. */
export function trimKernel(): void {
  if (mainKernel && mainKernel.memory.buffer.byteLength > KEEP_BYTES) mainKernel = undefined;
}

/**
 * Σ sᵢ·Pᵢ on this thread alone: n = bases.length/64 LEM points, scalars standard little-endian of
 * `width` bytes each. Returns the 64-byte LEM affine result (zeros for the point at infinity).
 */
export function msmOnThisThread(bases: Uint8Array, scalars: Uint8Array, width: number, glv?: "auto" | "on" | "off"): Uint8Array {
  const n = bases.length / LEM_BYTES;
  const plan = planMsm(scalars, n, width, 1, glv);
  if (!plan) return new Uint8Array(LEM_BYTES);
  const ex = kernel();
  try {
    const sums = windowSums(ex, { bases, n, ...plan, from: 0, to: plan.windows });
    return joinWindows(ex, sums, plan.c);
  } finally {
    trimKernel();
  }
}
