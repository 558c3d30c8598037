// NTT / inverse NTT of FrVecs (ffjavascript's 32-byte form) on the generated kernels.
//
// The twiddles ω^j, j < N/2, of the largest transform seen so far are kept in the instance's
// memory; a transform of n ≤ N reads every (N/n)-th. The inverse is the forward transform read
// backwards and scaled: iNTT(x)_i = NTT(x)_(−i mod n)/n, so one table serves both.
import { R } from "../../../verifier/engine/constants.js";
import { ELEMENT_BYTES as E, toLimbs } from "./field.js";
import { ensureMemory, HEAP, newKernel, SCRATCH, type KernelExports } from "./module.js";

const FR_BYTES = 32;
const MONT = 1n << 261n;
/** The largest power-of-two subgroup of Fr*: r − 1 = 2^28·t, t odd. */
const TWO_ADICITY = 28;

function modPow(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (b %= R; e > 0n; e >>= 1n, b = (b * b) % R) if (e & 1n) r = (r * b) % R;
  return r;
}

/** ω_k, the primitive 2^k-th root of unity of poly/domain.ts (and ffjavascript): 5^((r−1)/2^28) squared 28 − k times. */
export function rootOfUnity(logn: number): bigint {
  return modPow(modPow(5n, (R - 1n) >> BigInt(TWO_ADICITY)), 1n << BigInt(TWO_ADICITY - logn));
}

/** A kernel instance for transforms, with its twiddle table. */
interface NttInstance {
  ex: KernelExports;
  /** log2 N of the table at HEAP (N/2 twiddles), −1 for none. */
  tableLog: number;
}

/**
 * This thread's idle instances. A transform split over two threads holds one across an await, so
 * a transform started meanwhile on this thread takes another (or makes one) rather than sharing it.
 */
const idle: NttInstance[] = [];
/** Memory above which an instance is dropped after a call rather than kept. */
const KEEP_BYTES = 256 << 20;
/** Idle instances kept at most. */
const KEEP_INSTANCES = 2;

function putHeld(ex: KernelExports, addr: number, x: bigint): void {
  new Uint32Array(ex.memory.buffer, addr, 9).set(toLimbs((x * MONT) % R));
}

/** An idle instance (or a new one), its table covering 2^logn; and the first free address after the table. */
function acquire(logn: number): { k: NttInstance; free: number } {
  const k = idle.pop() ?? { ex: newKernel(), tableLog: -1 };
  if (logn > k.tableLog) {
    const half = logn === 0 ? 0 : 2 ** (logn - 1);
    ensureMemory(k.ex, HEAP + half * E);
    putHeld(k.ex, SCRATCH, rootOfUnity(logn));
    k.ex.fr_powers(HEAP, SCRATCH, half);
    k.tableLog = logn;
  }
  const tableBytes = k.tableLog === 0 ? 0 : 2 ** (k.tableLog - 1) * E;
  return { k, free: HEAP + tableBytes };
}

function release(k: NttInstance): void {
  if (k.ex.memory.buffer.byteLength <= KEEP_BYTES && idle.length < KEEP_INSTANCES) idle.push(k);
}

function logSize(v: Uint8Array, what: string): number {
  const n = v.length / FR_BYTES;
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`${what}: ${v.length} bytes are not a power-of-two number of Fr elements`);
  return Math.log2(n);
}

/** Puts 1/n (held) at SCRATCH for an inverse transform's store; returns its address, or 0 (no scaling) for a forward one. */
function storeScale(k: NttInstance, logn: number, inverse: boolean): number {
  if (!inverse) return 0;
  putHeld(k.ex, SCRATCH, modPow(2n ** BigInt(logn), R - 2n));
  return SCRATCH;
}

/** The NTT (or inverse NTT) of `v` (2^k elements, FrVec form) on this thread. */
export function nttOnThisThread(v: Uint8Array, inverse: boolean): Uint8Array {
  const logn = logSize(v, "ntt");
  const n = 2 ** logn;
  const { k, free } = acquire(logn);
  try {
    const data = free;
    const staging = data + n * E;
    ensureMemory(k.ex, staging + n * FR_BYTES).set(v, staging);
    k.ex.ntt_load(data, staging, n, logn);
    k.ex.ntt_stages(data, logn, HEAP, k.tableLog - logn);
    k.ex.ntt_store(staging, data, n, storeScale(k, logn, inverse), inverse ? 1 : 0, FR_BYTES);
    return new Uint8Array(k.ex.memory.buffer).slice(staging, staging + n * FR_BYTES);
  } finally {
    release(k);
  }
}

// A transform split over two threads, by decimation in frequency: with h = n/2, output 2m is the
// h-point transform of x_i + x_(i+h) and output 2m + 1 that of (x_i − x_(i+h))·ω^i. Each thread
// folds the whole input into its half, transforms it and writes its outputs as words; no element
// crosses threads before the end, and the only pass left to one thread is the final interleave.
// For the inverse, output i is NTT(x)_(−i mod n)/n: output 2m is the even half's −m mod h, output
// 2m + 1 the odd half's h − 1 − m.

/**
 * The half of the transform of `v` (n = 2^k ≥ 2 elements, FrVec form) with outputs of parity
 * `odd`, written to `out` (n/2 words): the outputs 2m + odd in order of m.
 */
export function nttHalfOnThisThread(v: Uint8Array, odd: boolean, inverse: boolean, out: Uint8Array): void {
  const logn = logSize(v, "ntt");
  if (logn === 0) throw new RangeError("ntt: a transform of one element does not split");
  const h = 2 ** (logn - 1);
  if (out.length !== h * FR_BYTES) throw new RangeError(`ntt: ${out.length} bytes for the ${h} outputs of half a transform`);
  const { k, free } = acquire(logn);
  try {
    const data = free;
    const staging = data + h * E;
    ensureMemory(k.ex, staging + 2 * h * FR_BYTES).set(v, staging);
    foldAndTransform(k, data, staging, logn, odd);
    k.ex.ntt_store(staging, data, h, storeScale(k, logn, inverse), reverseMode(odd, inverse), FR_BYTES);
    out.set(new Uint8Array(k.ex.memory.buffer, staging, h * FR_BYTES));
  } finally {
    release(k);
  }
}

function foldAndTransform(k: NttInstance, data: number, staging: number, logn: number, odd: boolean): void {
  const h = 2 ** (logn - 1);
  k.ex.ntt_fold(data, staging, h, logn - 1, odd ? 1 : 0, HEAP, k.tableLog - logn, SCRATCH);
  k.ex.ntt_stages(data, logn - 1, HEAP, k.tableLog - logn + 1);
}

function reverseMode(odd: boolean, inverse: boolean): number {
  return inverse ? (odd ? 2 : 1) : 0;
}

/**
 * Starts a split transform of `v` on this thread: computes the even-indexed outputs now, and
 * returns `join`, which takes the odd ones (nttHalfOnThisThread(v, true, inverse, …), on another
 * thread or this one) and returns the whole transform. Until `join` (or `abandon`) is called, the
 * instance it used stays taken.
 */
export function startSplitNtt(v: Uint8Array, inverse: boolean): { join(odd: Uint8Array): Uint8Array; abandon(): void } {
  const logn = logSize(v, "ntt");
  if (logn === 0) throw new RangeError("ntt: a transform of one element does not split");
  const n = 2 ** logn;
  const h = n / 2;
  const { k, free } = acquire(logn);
  let held = true;
  const abandon = (): void => {
    if (held) release(k);
    held = false;
  };
  // Layout: the half's limbs (later the odd words), then the input (later the output).
  const data = free;
  const staging = data + h * E;
  try {
    ensureMemory(k.ex, staging + n * FR_BYTES).set(v, staging);
    foldAndTransform(k, data, staging, logn, false);
    k.ex.ntt_store(staging, data, h, storeScale(k, logn, inverse), reverseMode(false, inverse), 2 * FR_BYTES);
  } catch (e) {
    abandon();
    throw e;
  }
  return {
    join(odd) {
      if (!held) throw new Error("ntt: this split transform was already joined or abandoned");
      if (odd.length !== h * FR_BYTES) throw new RangeError(`ntt: ${odd.length} bytes of odd outputs for a transform of ${n}`);
      try {
        const mem = new Uint8Array(k.ex.memory.buffer);
        mem.set(odd, data);
        k.ex.ntt_spread(staging + FR_BYTES, data, h, 2 * FR_BYTES);
        return mem.slice(staging, staging + n * FR_BYTES);
      } finally {
        abandon();
      }
    },
    abandon,
  };
}

// The buffer a split transform shares with the worker: a claim word (which thread computes the
// odd-indexed outputs: the first to claim them), the input, then the odd outputs. One is kept for
// the next transform: a fresh one costs its page faults (about 8 ms for 2^18 elements).
const SPLIT_HEADER = 32;
const UNCLAIMED = 0;
const CLAIMANT = { caller: 1, worker: 2 } as const;
/** A split transform's buffer is kept for the next one up to this size. */
const KEEP_SPLIT_BYTES = 64 << 20;
let spareSplitBuffer: SharedArrayBuffer | undefined;

/** A buffer for splitting the transform of `v` (a kept one if large enough), the odd half unclaimed. */
export function splitBuffer(v: Uint8Array): SharedArrayBuffer {
  const bytes = SPLIT_HEADER + (v.length * 3) / 2;
  let buffer = spareSplitBuffer;
  if (buffer && buffer.byteLength >= bytes) spareSplitBuffer = undefined;
  else buffer = new SharedArrayBuffer(bytes);
  Atomics.store(new Int32Array(buffer, 0, 1), 0, UNCLAIMED);
  new Uint8Array(buffer, SPLIT_HEADER, v.length).set(v);
  return buffer;
}

/** Keeps `buffer` for the next split transform; only once no thread will touch it again. */
export function keepSplitBuffer(buffer: SharedArrayBuffer): void {
  if (buffer.byteLength <= KEEP_SPLIT_BYTES && (spareSplitBuffer === undefined || spareSplitBuffer.byteLength < buffer.byteLength)) spareSplitBuffer = buffer;
}

/** Claims the odd half of the split transform in `buffer` for `who`: false if the other thread has. */
export function claimOddHalf(buffer: SharedArrayBuffer, who: keyof typeof CLAIMANT): boolean {
  return Atomics.compareExchange(new Int32Array(buffer, 0, 1), 0, UNCLAIMED, CLAIMANT[who]) === UNCLAIMED;
}

/** The n/2 odd-indexed outputs' place in `buffer` (of a transform of n elements). */
export function oddOutputs(buffer: SharedArrayBuffer, n: number): Uint8Array {
  return new Uint8Array(buffer, SPLIT_HEADER + n * FR_BYTES, (n / 2) * FR_BYTES);
}

/** Computes the odd-indexed outputs of the transform of the n elements in `buffer` into their place there. */
export function oddHalfInBuffer(buffer: SharedArrayBuffer, n: number, inverse: boolean): void {
  nttHalfOnThisThread(new Uint8Array(buffer, SPLIT_HEADER, n * FR_BYTES), true, inverse, oddOutputs(buffer, n));
}
