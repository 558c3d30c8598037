// Our own BN254 WebAssembly kernels (see docs/engine.md): the public entry points.
import { R } from "../../../verifier/engine/constants.js";
import { AFFINE_BYTES, LEM_BYTES } from "./curve.js";
import { buildTableSlice, fixedBaseWins, fixedSums, TABLE_SCALAR_BITS, tableWindowBits, type FixedJob } from "./fixed-base.js";
import { joinWindows, kernel, msmOnThisThread, planMsm, scalarBits, trimKernel, windowCount, windowSums, type WindowJob } from "./msm.js";
import { claimOddHalf, keepSplitBuffer, nttOnThisThread, oddHalfInBuffer, oddOutputs, splitBuffer, startSplitNtt } from "./ntt.js";
import { kernelWorkers, maxThreads } from "./pool.js";
import { toShared } from "../shared.js";

export { maxThreads, startKernelWorkers, stopKernelWorkers } from "./pool.js";
export { msmOnThisThread } from "./msm.js";
export { nttOnThisThread } from "./ntt.js";
export { batchInverse, integersToFrVec, LOAD_FACTOR, scalePowers, withFieldVectors, type FieldVectorScratch } from "./vectors.js";

/** Below this many points an MSM runs on the main thread alone (posting costs more than it saves). */
export const MIN_THREADED_MSM = 1 << 10;

/**
 * Σ sᵢ·Pᵢ over n = bases.length/64 affine points in ffjavascript's 64-byte LEM form (all zeros:
 * the point at infinity) and n scalars in standard little-endian form, `width` bytes each (any
 * value below 2^(8·width), reduced or not). Returns the 64-byte LEM affine sum. The windows are
 * shared out between the main thread and the kernel workers that are ready (or, with `threads`,
 * exactly that many threads, main included).
 */
export async function g1MsmLem(bases: Uint8Array, scalars: Uint8Array, width: number, options: { threads?: number; glv?: "auto" | "on" | "off" } = {}): Promise<Uint8Array> {
  const n = bases.length / LEM_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`g1MsmLem: ${bases.length} bytes of bases are not whole 64-byte points`);
  if (!Number.isInteger(width) || width < 1 || width > 32 || scalars.length !== n * width) {
    throw new RangeError(`g1MsmLem: ${scalars.length} bytes of scalars for ${n} points of width ${width}`);
  }
  const workers = n >= MIN_THREADED_MSM || options.threads !== undefined ? await kernelWorkers(options.threads) : [];
  if (workers.length === 0) return msmOnThisThread(bases, scalars, width, options.glv);
  const threads = workers.length + 1;
  const plan = planMsm(scalars, n, width, threads, options.glv);
  if (!plan) return new Uint8Array(LEM_BYTES);
  const { c, windows } = plan;
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.floor((t * windows) / threads));
  const sharedBases = toShared(bases);
  const sharedScalars = toShared(plan.scalars);
  const job = (t: number): WindowJob => ({ bases: sharedBases, scalars: sharedScalars, width: plan.width, negative: plan.negative, n, c, from: bounds[t], to: bounds[t + 1] });
  // Workers take the high windows (they need the carries of all lower ones, the main thread none).
  const remote = workers.map((w, i) => w.run({ kind: "msm", ...job(i + 1) }));
  remote.forEach((p) => p.catch(() => undefined));
  const ex = kernel();
  try {
    const parts = [windowSums(ex, job(0)), ...(await Promise.all(remote))];
    const sums = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) {
      sums.set(p, o);
      o += p.length;
    }
    return joinWindows(ex, sums, c);
  } finally {
    trimKernel();
  }
}

/** Precomputed multiples of fixed bases (fixed-base.ts): 2^(c·k)·P_i for windows k < windows, i < points. */
export interface FixedBaseTable {
  readonly points: number;
  readonly c: number;
  readonly windows: number;
  /** windows·points affine points in the kernels' form, window-major (shared between threads). */
  readonly data: Uint8Array;
}

/** The window width and count, and the bytes, of a table for `points` bases used on `threads` threads. */
export function fixedBasePlan(points: number, threads = maxThreads()): { c: number; windows: number; bytes: number } {
  const c = tableWindowBits(points, threads);
  const windows = windowCount(TABLE_SCALAR_BITS, c);
  return { c, windows, bytes: points * windows * AFFINE_BYTES };
}

/** Splits [0, total) into `parts` near-equal ranges: bounds[t] … bounds[t + 1]. */
function evenBounds(total: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, t) => Math.floor((t * total) / parts));
}

/**
 * The fixed-base table of `bases` (64-byte LEM points, all zeros for infinity): c·k doublings of
 * every point for each window k, the points shared out between the main thread and the kernel
 * workers that are ready (or exactly `threads` threads). `c` defaults to {@link fixedBasePlan}'s.
 */
export async function g1FixedBaseTable(bases: Uint8Array, options: { threads?: number; c?: number } = {}): Promise<FixedBaseTable> {
  const points = bases.length / LEM_BYTES;
  if (!Number.isInteger(points) || points === 0) throw new RangeError(`g1FixedBaseTable: ${bases.length} bytes of bases are not a positive number of 64-byte points`);
  const c = options.c ?? fixedBasePlan(points, options.threads).c;
  if (!Number.isInteger(c) || c < 2 || c > 24) throw new RangeError(`g1FixedBaseTable: window width ${c} is not in 2 … 24`);
  const windows = windowCount(TABLE_SCALAR_BITS, c);
  const data = new Uint8Array(new SharedArrayBuffer(points * windows * AFFINE_BYTES));
  const workers = await kernelWorkers(options.threads);
  const bounds = evenBounds(points, workers.length + 1);
  const shared = toShared(bases);
  const job = (t: number) => ({ bases: shared, table: data, points, c, windows, lo: bounds[t], hi: bounds[t + 1] });
  const remote = workers.map((w, i) => w.run({ kind: "table", ...job(i + 1) }));
  remote.forEach((p) => p.catch(() => undefined));
  try {
    buildTableSlice(kernel(), job(0));
  } finally {
    trimKernel();
  }
  await Promise.all(remote);
  return { points, c, windows, data };
}

/** `scalars` with every one that is r or more reduced mod r (a copy if any is; the same array if none). */
function belowR(scalars: Uint8Array, n: number, width: number): Uint8Array {
  // r < 2^254: only 32-byte scalars reach it, and only those whose top byte is at least r's (0x30).
  if (width < 32) return scalars;
  let out = scalars;
  for (let o = 0; o < n * 32; o += 32) {
    if (scalars[o + 31] < 0x30) continue;
    let x = 0n;
    for (let b = 31; b >= 0; b--) x = (x << 8n) | BigInt(scalars[o + b]);
    if (x < R) continue;
    if (out === scalars) out = scalars.slice();
    x %= R;
    for (let b = 0; b < 32; b++, x >>= 8n) out[o + b] = Number(x & 0xffn);
  }
  return out;
}

/**
 * Σ sᵢ·Pᵢ over the table's first n points, n = scalars.length/width, scalars standard
 * little-endian of `width` bytes (any value below 2^(8·width): those of r or more are reduced
 * first). Returns the 64-byte LEM affine sum. Shares the windows out like {@link g1MsmLem}.
 */
export async function g1MsmFixed(table: FixedBaseTable, scalars: Uint8Array, width: number, options: { threads?: number; groupPoints?: number } = {}): Promise<Uint8Array> {
  if (!Number.isInteger(width) || width < 1 || width > 32 || scalars.length % width !== 0) {
    throw new RangeError(`g1MsmFixed: ${scalars.length} bytes are not whole scalars of width ${width}`);
  }
  const n = scalars.length / width;
  if (n > table.points) throw new RangeError(`g1MsmFixed: ${n} scalars but the table holds ${table.points} points`);
  const reduced = belowR(scalars, n, width);
  const bits = scalarBits(reduced, n, width);
  if (n === 0 || bits === 0) return new Uint8Array(LEM_BYTES);
  const windows = windowCount(bits, table.c);
  const workers = n >= MIN_THREADED_MSM || options.threads !== undefined ? await kernelWorkers(options.threads) : [];
  const bounds = evenBounds(windows, workers.length + 1);
  const shared = workers.length > 0 ? toShared(reduced) : reduced;
  const job = (t: number): FixedJob => ({ table: table.data, points: table.points, scalars: shared, width, n, c: table.c, from: bounds[t], to: bounds[t + 1], groupPoints: options.groupPoints });
  const remote = workers.map((w, i) => w.run({ kind: "fixed", ...job(i + 1) }));
  remote.forEach((p) => p.catch(() => undefined));
  const ex = kernel();
  try {
    const parts = [fixedSums(ex, job(0)), ...(await Promise.all(remote))];
    const sums = new Uint8Array(parts.length * parts[0].length);
    parts.forEach((p, i) => sums.set(p, i * p.length));
    // One sum per thread, joined without doublings.
    return joinWindows(ex, sums, 0);
  } finally {
    trimKernel();
  }
}

/** Whether {@link g1MsmFixed} with `table` is modelled to beat {@link g1MsmLem} on these scalars. */
export function fixedBaseWorthIt(table: FixedBaseTable, n: number, scalars: Uint8Array, width: number): boolean {
  return n <= table.points && fixedBaseWins(n, Math.min(TABLE_SCALAR_BITS, scalarBits(scalars, n, width)), table.c, maxThreads());
}

/** Below this many elements an NTT runs on the calling thread alone. */
export const MIN_THREADED_NTT = 1 << 13;

/**
 * The NTT (or inverse NTT) of `v` (2^k Fr elements, FrVec form): element i of the result is
 * Σ_j v_j·ω^(ij) (ω⁻¹ and a factor 1/n for the inverse), ω the root of poly/domain.ts. Large
 * transforms split in two (ntt.ts): a ready kernel worker computes the odd-indexed outputs while
 * this thread computes the even ones, both from the whole input; if the worker has not started on
 * its half by then (busy, or its thread not scheduled), this thread computes that half too. With
 * `threads`: that many threads, 1 or 2.
 */
export async function nttLem(v: Uint8Array, inverse: boolean, options: { threads?: number } = {}): Promise<Uint8Array> {
  const n = v.length / 32;
  const split = options.threads !== undefined ? options.threads > 1 : n >= MIN_THREADED_NTT;
  const workers = split && n >= 2 ? await kernelWorkers(options.threads && Math.min(options.threads, 2)) : [];
  if (workers.length === 0) return nttOnThisThread(v, inverse);
  if (!Number.isInteger(n) || (n & (n - 1)) !== 0) throw new RangeError(`ntt: ${v.length} bytes are not a power-of-two number of Fr elements`);
  const buffer = splitBuffer(v);
  // Posted first, so the worker starts while this thread computes its half.
  const remote = workers[0].run({ kind: "ntt", buffer, n, inverse });
  remote.catch(() => undefined);
  const half = startSplitNtt(v, inverse);
  let out: Uint8Array;
  try {
    if (claimOddHalf(buffer, "caller")) oddHalfInBuffer(buffer, n, inverse);
    else await remote;
    out = half.join(oddOutputs(buffer, n));
  } finally {
    half.abandon();
  }
  // Reused once the worker has answered: until then it may still look at the claim word.
  remote.then(() => keepSplitBuffer(buffer), () => undefined);
  return out;
}
