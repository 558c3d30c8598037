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

let instance: NttInstance | undefined;
/** Memory above which this thread's instance is dropped after a call rather than kept. */
const KEEP_BYTES = 256 << 20;

function putHeld(ex: KernelExports, addr: number, x: bigint): void {
  new Uint32Array(ex.memory.buffer, addr, 9).set(toLimbs((x * MONT) % R));
}

/** This thread's instance, its table covering 2^logn; returns the first free address after the table. */
function prepare(logn: number): { k: NttInstance; free: number } {
  instance ??= { ex: newKernel(), tableLog: -1 };
  const k = instance;
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

function release(): void {
  if (instance && instance.ex.memory.buffer.byteLength > KEEP_BYTES) instance = undefined;
}

function logSize(v: Uint8Array, what: string): number {
  const n = v.length / FR_BYTES;
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`${what}: ${v.length} bytes are not a power-of-two number of Fr elements`);
  return Math.log2(n);
}

/** Forward NTT of the words at `src` (n = 2^logn of them) into limbs at `dst`, natural order. */
function forwardInto(k: NttInstance, dst: number, src: number, logn: number): void {
  k.ex.ntt_load(dst, src, 2 ** logn, logn);
  k.ex.ntt_stages(dst, logn, HEAP, k.tableLog - logn);
}

/** Writes the limbs at `data` out as words at `staging`, for the forward or the inverse transform. */
function finish(k: NttInstance, staging: number, data: number, logn: number, inverse: boolean): Uint8Array {
  const n = 2 ** logn;
  if (inverse) putHeld(k.ex, SCRATCH, modPow(BigInt(n), R - 2n));
  k.ex.ntt_store(staging, data, n, inverse ? SCRATCH : 0, inverse ? 1 : 0);
  return new Uint8Array(k.ex.memory.buffer).slice(staging, staging + n * FR_BYTES);
}

/** The NTT (or inverse NTT) of `v` (2^k elements, FrVec form) on this thread. */
export function nttOnThisThread(v: Uint8Array, inverse: boolean): Uint8Array {
  const logn = logSize(v, "ntt");
  const n = 2 ** logn;
  try {
    const { k, free } = prepare(logn);
    const data = free;
    const staging = data + n * E;
    ensureMemory(k.ex, staging + n * FR_BYTES).set(v, staging);
    forwardInto(k, data, staging, logn);
    return finish(k, staging, data, logn, inverse);
  } finally {
    release();
  }
}

/** The even- and odd-indexed elements of `v`, each into its own (shared) buffer. */
export function splitEvenOdd(v: Uint8Array): [Uint8Array, Uint8Array] {
  const n = v.length / FR_BYTES;
  // A Node Buffer may start at any byte of its pool: read an aligned copy then.
  const aligned = v.byteOffset % 4 === 0 ? v : new Uint8Array(v);
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, v.length / 4);
  const even = new Uint32Array(new SharedArrayBuffer(v.length / 2));
  const odd = new Uint32Array(new SharedArrayBuffer(v.length / 2));
  for (let i = 0, o = 0; i < n; i += 2, o += 8) {
    for (let w = 0; w < 8; w++) {
      even[o + w] = words[i * 8 + w];
      odd[o + w] = words[i * 8 + 8 + w];
    }
  }
  return [new Uint8Array(even.buffer), new Uint8Array(odd.buffer)];
}

/**
 * The transform of `v` from the forward transforms of its even half (`evenNtt`, FrVec form, from
 * another thread) and of its odd half (`odd`, computed here): the last butterfly stage.
 */
export function joinHalves(odd: Uint8Array, evenNtt: Uint8Array, inverse: boolean): Uint8Array {
  const logn = logSize(odd, "ntt") + 1;
  const n = 2 ** logn;
  const half = n / 2;
  try {
    const { k, free } = prepare(logn);
    const o = free;
    const e = o + half * E;
    const out = e + half * E;
    const staging = out + n * E;
    const mem = ensureMemory(k.ex, staging + n * FR_BYTES);
    mem.set(odd, staging);
    forwardInto(k, o, staging, logn - 1);
    mem.set(evenNtt, staging);
    k.ex.ntt_load(e, staging, half, 0);
    k.ex.ntt_combine(out, e, o, half, HEAP, k.tableLog - logn);
    return finish(k, staging, out, logn, inverse);
  } finally {
    release();
  }
}
