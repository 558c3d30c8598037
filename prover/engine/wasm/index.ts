// Our own BN254 WebAssembly kernels (see docs/engine.md): the public entry points.
import { LEM_BYTES } from "./curve.js";
import { joinWindows, kernel, msmOnThisThread, scalarBits, trimKernel, windowBits, windowCount, windowSums, type WindowJob } from "./msm.js";
import { joinHalves, nttOnThisThread, splitEvenOdd } from "./ntt.js";
import { kernelWorkers } from "./pool.js";

export { maxThreads, startKernelWorkers, stopKernelWorkers } from "./pool.js";
export { msmOnThisThread } from "./msm.js";
export { nttOnThisThread } from "./ntt.js";
export { LOAD_FACTOR, scalePowers, withFieldVectors, type FieldVectorScratch } from "./vectors.js";

/** Below this many points an MSM runs on the main thread alone (posting costs more than it saves). */
export const MIN_THREADED_MSM = 1 << 10;

function sharedCopy(v: Uint8Array): Uint8Array {
  if (v.buffer instanceof SharedArrayBuffer) return v;
  const out = new Uint8Array(new SharedArrayBuffer(v.byteLength));
  out.set(v);
  return out;
}

/**
 * Σ sᵢ·Pᵢ over n = bases.length/64 affine points in ffjavascript's 64-byte LEM form (all zeros:
 * the point at infinity) and n scalars in standard little-endian form, `width` bytes each (any
 * value below 2^(8·width), reduced or not). Returns the 64-byte LEM affine sum. The windows are
 * shared out between the main thread and the kernel workers that are ready (or, with `threads`,
 * exactly that many threads, main included).
 */
export async function g1MsmLem(bases: Uint8Array, scalars: Uint8Array, width: number, options: { threads?: number } = {}): Promise<Uint8Array> {
  const n = bases.length / LEM_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`g1MsmLem: ${bases.length} bytes of bases are not whole 64-byte points`);
  if (!Number.isInteger(width) || width < 1 || width > 32 || scalars.length !== n * width) {
    throw new RangeError(`g1MsmLem: ${scalars.length} bytes of scalars for ${n} points of width ${width}`);
  }
  const workers = n >= MIN_THREADED_MSM || options.threads !== undefined ? await kernelWorkers(options.threads) : [];
  if (workers.length === 0) return msmOnThisThread(bases, scalars, width);
  const bits = scalarBits(scalars, n, width);
  if (bits === 0) return new Uint8Array(LEM_BYTES);
  const threads = workers.length + 1;
  const c = windowBits(n, bits, threads);
  const windows = windowCount(bits, c);
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.floor((t * windows) / threads));
  const sharedBases = sharedCopy(bases);
  const sharedScalars = sharedCopy(scalars);
  const job = (t: number): WindowJob => ({ bases: sharedBases, scalars: sharedScalars, width, n, c, from: bounds[t], to: bounds[t + 1] });
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

/** Below this many elements an NTT runs on the calling thread alone. */
export const MIN_THREADED_NTT = 1 << 13;

/**
 * The NTT (or inverse NTT) of `v` (2^k Fr elements, FrVec form): element i of the result is
 * Σ_j v_j·ω^(ij) (ω⁻¹ and a factor 1/n for the inverse), ω the root of poly/domain.ts. Large
 * transforms split in two: a ready kernel worker transforms the even-indexed half while this thread
 * transforms the odd one, then joins them (with `threads`: that many threads, 1 or 2).
 */
export async function nttLem(v: Uint8Array, inverse: boolean, options: { threads?: number } = {}): Promise<Uint8Array> {
  const n = v.length / 32;
  const split = options.threads !== undefined ? options.threads > 1 : n >= MIN_THREADED_NTT;
  const workers = split && n >= 2 ? await kernelWorkers(options.threads && Math.min(options.threads, 2)) : [];
  if (workers.length === 0) return nttOnThisThread(v, inverse);
  if (!Number.isInteger(n) || (n & (n - 1)) !== 0) throw new RangeError(`ntt: ${v.length} bytes are not a power-of-two number of Fr elements`);
  const [even, odd] = splitEvenOdd(v);
  const remote = workers[0].run({ kind: "ntt", input: even });
  remote.catch(() => undefined);
  return joinHalves(odd, await remote, inverse);
}
