// Fixed-base G1 MSM: for bases that many MSMs share (the commit key), a table of the multiples
// 2^(c·k)·P_i for every window k, so that Σ_i s_i·P_i = Σ_i Σ_k d_(i,k)·(2^(c·k)·P_i) is one MSM of
// c-bit signed digits over n·W table points. All windows then fall into the same 2^(c−1) buckets:
// there are no doublings and one running sum per thread instead of one per window, so a wider c
// (fewer windows, fewer point additions) pays.
//
// The table is window-major, point i of window k at (k·N + i)·72 bytes, in the kernels' affine form
// (curve.ts), in a SharedArrayBuffer that every thread reads.
import { AFFINE_BYTES, LEM_BYTES, XYZZ_BYTES } from "./curve.js";
import { ensureMemory, type KernelExports } from "./module.js";
import { addUpBuckets, batchScratchBytes, bucketOffsets, forEachWindow, heapLayout, windowBits, windowCount } from "./msm.js";

/** Bits of a scalar below r, which is all a table covers (larger scalars are reduced first). */
export const TABLE_SCALAR_BITS = 254;

/** A thread's share of building a table: points [lo, hi) of every window. */
export interface TableJob {
  /** The N bases, 64-byte LEM each. */
  bases: Uint8Array;
  /** The table (shared): N·windows affine points. */
  table: Uint8Array;
  points: number;
  c: number;
  windows: number;
  lo: number;
  hi: number;
}

/** A thread's share of a fixed-base MSM: the windows [from, to) of the first n table points. */
export interface FixedJob {
  table: Uint8Array;
  points: number;
  /** n scalars (n ≤ points), standard little-endian, `width` bytes each, below r. */
  scalars: Uint8Array;
  width: number;
  n: number;
  c: number;
  from: number;
  to: number;
  /** Table points added in one pass (default GROUP_POINTS; smaller in tests, to cross groups). */
  groupPoints?: number;
}

/** Points doubled per batch while building (one inversion per batch and doubling). */
const BUILD_CHUNK = 1 << 14;

/** Fills points [lo, hi) of every window of the table: 2^(c·k)·P_i by c batched affine doublings per window. */
export function buildTableSlice(ex: KernelExports, job: TableJob): void {
  const { bases, table, points, c, windows, lo, hi } = job;
  const chunk = Math.max(1, Math.min(BUILD_CHUNK, hi - lo));
  const heap = heapLayout();
  const work = heap.take(chunk * AFFINE_BYTES);
  const lem = heap.take(chunk * LEM_BYTES);
  const pairsAt = heap.take(chunk * 8);
  const scratch = heap.take(batchScratchBytes(chunk));
  ensureMemory(ex, heap.end());
  for (let s = lo; s < hi; s += chunk) {
    const m = Math.min(chunk, hi - s);
    new Uint8Array(ex.memory.buffer).set(bases.subarray(s * LEM_BYTES, (s + m) * LEM_BYTES), lem);
    ex.g1_fromLemMany(work, lem, m);
    // Each pair is (P, P): msm_batchAdd doubles P in place (infinity stays infinity).
    const pairs = new Int32Array(ex.memory.buffer, pairsAt, 2 * m);
    for (let j = 0; j < m; j++) pairs[2 * j] = pairs[2 * j + 1] = work + j * AFFINE_BYTES;
    for (let k = 0; k < windows; k++) {
      if (k > 0) for (let d = 0; d < c; d++) ex.msm_batchAdd(pairsAt, m, scratch);
      table.set(new Uint8Array(ex.memory.buffer, work, m * AFFINE_BYTES), (k * points + s) * AFFINE_BYTES);
    }
  }
}

/** Table points (window × point) that one thread adds in one pass; bounds its memory (~190 bytes each, ~50 MB). */
const GROUP_POINTS = 1 << 18;

/**
 * One thread's part of a fixed-base MSM: Σ_(k ∈ [from, to)) Σ_i d_(i,k)·T_(k,i) as one XYZZ point
 * (144 bytes). The windows go through in groups of at most GROUP_POINTS table points: a group's
 * points are copied from the table, sorted into the buckets together with each bucket's sum so far
 * (its residue), and added up, leaving the new residues; the running sum runs once at the end.
 */
export function fixedSums(ex: KernelExports, job: FixedJob): Uint8Array {
  const { table, points, n, c, from, to } = job;
  const buckets = 2 ** (c - 1);
  const perGroup = Math.max(1, Math.min(to - from, Math.floor((job.groupPoints ?? GROUP_POINTS) / Math.max(1, n))));
  const slots = perGroup * n + buckets; // a group's points, then the residues
  const heap = heapLayout();
  const source = heap.take(slots * AFFINE_BYTES);
  const residues = source + perGroup * n * AFFINE_BYTES;
  const gathered = heap.take((slots + 1) * AFFINE_BYTES); // one slot more: a point at infinity
  const order = heap.take(Math.max(slots, buckets) * 4);
  const pairs = heap.take(Math.ceil(slots / 2) * 8);
  const scratch = heap.take(batchScratchBytes(Math.ceil(slots / 2)));
  const idx = heap.take(buckets * 4);
  const out = heap.take(XYZZ_BYTES);
  ensureMemory(ex, heap.end());

  const counts = new Int32Array(buckets);
  const offsets = new Int32Array(buckets);
  const fill = new Int32Array(buckets);
  const hasResidue = new Uint8Array(buckets);
  const groupDigits = new Int32Array(perGroup * n);
  let inGroup = 0;
  let groupStart = from;
  const flush = (): void => {
    const mem = new Uint8Array(ex.memory.buffer);
    for (let g = 0; g < inGroup; g++) {
      const k = groupStart + g;
      mem.set(table.subarray(k * points * AFFINE_BYTES, (k * points + n) * AFFINE_BYTES), source + g * n * AFFINE_BYTES);
    }
    for (let b = 0; b < buckets; b++) counts[b] = hasResidue[b];
    const m = inGroup * n;
    for (let j = 0; j < m; j++) if (groupDigits[j] !== 0) counts[Math.abs(groupDigits[j]) - 1]++;
    const total = bucketOffsets(counts, offsets, fill);
    // Entries index the source: a bucket's residue first, then its points (bit 31 set for −P).
    const entries = new Int32Array(ex.memory.buffer, order, total);
    for (let b = 0; b < buckets; b++) if (hasResidue[b]) entries[fill[b]++] = perGroup * n + b;
    for (let j = 0; j < m; j++) {
      const v = groupDigits[j];
      if (v > 0) entries[fill[v - 1]++] = j;
      else if (v < 0) entries[fill[-v - 1]++] = j | 0x80000000;
    }
    ex.msm_gather(gathered, source, order, total);
    addUpBuckets(ex, { gathered, pairs, scratch }, counts, offsets, total);
    // The new residues: each nonempty bucket's sum, the point at infinity (past the sorted points) for the others.
    new Uint8Array(ex.memory.buffer).fill(0, gathered + total * AFFINE_BYTES, gathered + (total + 1) * AFFINE_BYTES);
    const back = new Int32Array(ex.memory.buffer, order, buckets);
    for (let b = 0; b < buckets; b++) {
      hasResidue[b] = counts[b];
      back[b] = counts[b] === 1 ? offsets[b] : total;
    }
    ex.msm_gather(residues, gathered, order, buckets);
    inGroup = 0;
  };
  forEachWindow(job.scalars, n, job.width, c, from, to, (k, digits) => {
    if (inGroup === 0) groupStart = k;
    groupDigits.set(digits.subarray(0, n), inGroup * n);
    if (++inGroup === perGroup || k === to - 1) flush();
  });
  const sums = new Int32Array(ex.memory.buffer, idx, buckets);
  for (let b = 0; b < buckets; b++) sums[b] = hasResidue[b] ? residues + b * AFFINE_BYTES : 0;
  ex.msm_bucketSum(idx, buckets, out);
  return new Uint8Array(ex.memory.buffer).slice(out, out + XYZZ_BYTES);
}

/** Field multiplications per point addition and per bucket of a running sum (the cost model of msm.ts). */
const PER_POINT = 8;
const PER_BUCKET = 28;

/** The modelled cost of a fixed-base MSM of n points with c-bit windows over `threads` threads. */
function fixedCost(n: number, bits: number, c: number, threads: number): number {
  return Math.ceil(windowCount(bits, c) / threads) * PER_POINT * n + PER_BUCKET * 2 ** (c - 1);
}

/** The modelled cost of the variable-base MSM (msm.ts) of the same inputs. */
function variableCost(n: number, bits: number, threads: number): number {
  const c = windowBits(n, bits, threads);
  return Math.ceil(windowCount(bits, c) / threads) * (PER_POINT * n + PER_BUCKET * 2 ** (c - 1));
}

/** The window width of a table for N points used on `threads` threads: the cheapest for an MSM of all N points. */
export function tableWindowBits(points: number, threads: number): number {
  let best = 1;
  let bestCost = Infinity;
  for (let c = 2; c <= 20; c++) {
    const cost = fixedCost(points, TABLE_SCALAR_BITS, c, threads);
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

/** Whether the table (c-bit windows) is modelled to beat the variable-base MSM on n points of `bits` bits. */
export function fixedBaseWins(n: number, bits: number, c: number, threads: number): boolean {
  return fixedCost(n, bits, c, threads) < variableCost(n, bits, threads);
}
