// Vectors of Fr elements ("FrVec"): flat Uint8Array of n·32 bytes, each element in the engine's
// form (little-endian Montgomery, value·2^256 mod r, always < r).
//
// Bulk work runs in ffjavascript's WebAssembly: every operation here loops over the main-thread
// instance's frm_* exports, a chunk at a time, so main-thread memory stays small.
// Why not the worker threads: ffjavascript has no threaded elementwise product, and where it has a
// threaded batch call (batchInverse, batchFromMontgomery, batchApplyKey) that call was 1.3–3×
// slower at 2^20 on a 2-core machine than the same WASM function run here chunk by chunk: shipping
// the data to the workers and back costs more than the arithmetic. It also leaves the workers free
// for FFTs and MSMs running at the same time.
// Conversions from and to bigint are plain bigint arithmetic (no engine needed).
import type { Bn128 } from "ffjavascript";
import { getEngine, R } from "./bn254.js";
import { frExp } from "./scalar.js";

/** n Fr elements, 32 bytes each, little-endian Montgomery form. */
export type FrVec = Uint8Array;

/** Bytes per Fr element. */
export const FR_BYTES = 32;

/** Bad input to an Fr vector operation (wrong length, value out of range, zero to invert). */
export class FieldError extends Error {
  override name = "FieldError";
}

// ---------------------------------------------------------------------------------------------
// bigint ⇄ Montgomery words

const MASK64 = (1n << 64n) - 1n;
/** 2^256 mod r: the Montgomery form of 1. */
const MONT_ONE = (1n << 256n) % R;
/** 2^-256 mod r, computed by Fermat (r is prime). */
const MONT_INV = frExp(MONT_ONE, R - 2n);

function view(v: Uint8Array): DataView {
  return new DataView(v.buffer, v.byteOffset, v.byteLength);
}

// Four 64-bit limbs instead of 32 bytes: the bulk conversions are bigint-bound, this is 4× faster.
function writeMont(dv: DataView, offset: number, x: bigint): void {
  writeWords(dv, offset, (x * MONT_ONE) % R);
}

/** The four 64-bit words of m (< 2^256), least significant first. */
function writeWords(dv: DataView, offset: number, m: bigint): void {
  dv.setBigUint64(offset, m & MASK64, true);
  m >>= 64n;
  dv.setBigUint64(offset + 8, m & MASK64, true);
  m >>= 64n;
  dv.setBigUint64(offset + 16, m & MASK64, true);
  dv.setBigUint64(offset + 24, m >> 64n, true);
}

function readMont(dv: DataView, offset: number): bigint {
  const m =
    dv.getBigUint64(offset, true) |
    (dv.getBigUint64(offset + 8, true) << 64n) |
    (dv.getBigUint64(offset + 16, true) << 128n) |
    (dv.getBigUint64(offset + 24, true) << 192n);
  if (m >= R) throw new FieldError(`Fr element at byte ${offset} is not canonical (Montgomery word ≥ r)`);
  return (m * MONT_INV) % R;
}

/** The Montgomery words of 1, for the common case of a 1 in a column. */
const MONT_ONE_BYTES = new Uint8Array(32);
writeMont(view(MONT_ONE_BYTES), 0, 1n);

function checkScalar(x: bigint, what: string): void {
  if (typeof x !== "bigint") throw new FieldError(`${what}: expected a bigint, got ${typeof x}`);
  if (x < 0n || x >= R) throw new FieldError(`${what}: ${x} is not in [0, r)`);
}

/** Number of elements of `v`; throws unless it is a Uint8Array of whole 32-byte elements. */
export function frLength(v: FrVec, what = "Fr vector"): number {
  if (!(v instanceof Uint8Array)) throw new FieldError(`${what}: expected a Uint8Array`);
  if (v.length % FR_BYTES !== 0) {
    throw new FieldError(`${what}: ${v.length} bytes is not a whole number of ${FR_BYTES}-byte Fr elements`);
  }
  return v.length / FR_BYTES;
}

function checkIndex(v: FrVec, i: number, what: string): void {
  const n = frLength(v, what);
  if (!Number.isSafeInteger(i) || i < 0 || i >= n) throw new FieldError(`${what}: index ${i} out of range [0, ${n})`);
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new FieldError(`${what}: length ${n} is not a non-negative integer`);
}

function sameLength(what: string, a: FrVec, b: FrVec): number {
  const n = frLength(a, `${what}: first operand`);
  const m = frLength(b, `${what}: second operand`);
  if (n !== m) throw new FieldError(`${what}: lengths ${n} and ${m} differ`);
  return n;
}

/**
 * Packs bigints into an FrVec. Each must lie in [0, r) unless `reduce` is set, in which case any
 * bigint (negative too) is taken mod r.
 */
export function frVecFromBigints(xs: readonly bigint[], options: { reduce?: boolean } = {}): FrVec {
  const out = new Uint8Array(xs.length * FR_BYTES);
  const dv = view(out);
  for (let i = 0; i < xs.length; i++) {
    let x = xs[i];
    if (options.reduce && typeof x === "bigint") {
      x %= R;
      if (x < 0n) x += R;
    }
    if (typeof x !== "bigint" || x < 0n || x >= R) checkScalar(x, `frVecFromBigints: element ${i}`);
    // Tables and selectors are mostly 0 and 1: no bigint arithmetic for those.
    if (x === 0n) continue;
    if (x === 1n) out.set(MONT_ONE_BYTES, i * FR_BYTES);
    else writeMont(dv, i * FR_BYTES, x);
  }
  return out;
}

/**
 * first, first·ratio, …, first·ratio^(n−1), for synchronous callers without the engine: one bigint
 * multiplication per element, kept in Montgomery form (mont(x)·ratio = mont(x·ratio)), so no
 * separate conversion.
 */
export function frVecGeometric(first: bigint, ratio: bigint, n: number): FrVec {
  checkScalar(first, "frVecGeometric: first");
  checkScalar(ratio, "frVecGeometric: ratio");
  checkCount(n, "frVecGeometric");
  const out = new Uint8Array(n * FR_BYTES);
  const dv = view(out);
  let m = (first * MONT_ONE) % R;
  for (let i = 0, o = 0; i < n; i++, o += FR_BYTES) {
    writeWords(dv, o, m);
    m = (m * ratio) % R;
  }
  return out;
}

/** The elements of `v` as bigints in [0, r). */
export function frVecToBigints(v: FrVec): bigint[] {
  const n = frLength(v);
  const dv = view(v);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) out[i] = readMont(dv, i * FR_BYTES);
  return out;
}

/** Element i of `v`. */
export function frGet(v: FrVec, i: number): bigint {
  checkIndex(v, i, "frGet");
  return readMont(view(v), i * FR_BYTES);
}

/** Sets element i of `v` to x ∈ [0, r). */
export function frSet(v: FrVec, i: number, x: bigint): void {
  checkIndex(v, i, "frSet");
  checkScalar(x, "frSet");
  writeMont(view(v), i * FR_BYTES, x);
}

/** n zeros (zero is the all-zero word in Montgomery form too). */
export function frZeros(n: number): FrVec {
  checkCount(n, "frZeros");
  return new Uint8Array(n * FR_BYTES);
}

/** True when a and b hold the same elements (the engine form is canonical, so bytes compare). */
export function frVecEquals(a: FrVec, b: FrVec): boolean {
  if (frLength(a) !== frLength(b)) return false;
  // Word by word where both are 4-byte aligned (always, for vectors the engine made): vectors run to tens of MB.
  const words = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const x = words ? new Uint32Array(a.buffer, a.byteOffset, a.length / 4) : a;
  const y = words ? new Uint32Array(b.buffer, b.byteOffset, b.length / 4) : b;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Index of the first zero element of `v`, or −1. */
export function frIndexOfZero(v: FrVec): number {
  const n = frLength(v);
  for (let i = 0; i < n; i++) {
    let o = i * FR_BYTES;
    const end = o + FR_BYTES;
    while (o < end && v[o] === 0) o++;
    if (o === end) return i;
  }
  return -1;
}

/** Index of the first nonzero element of `v`, or −1 (zero is all-zero bytes in Montgomery form too). */
export function frIndexOfNonZero(v: FrVec): number {
  frLength(v);
  for (let o = 0; o < v.length; o++) if (v[o] !== 0) return Math.floor(o / FR_BYTES);
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Main-thread WebAssembly scratch space

/** The frm_* exports of the engine's WebAssembly module that this module calls. */
export interface FrExports {
  frm_add(a: number, b: number, out: number): void;
  frm_sub(a: number, b: number, out: number): void;
  frm_mul(a: number, b: number, out: number): void;
  frm_copy(a: number, out: number): void;
  frm_zero(out: number): void;
  frm_one(out: number): void;
  frm_batchInverse(v: number, inStride: number, n: number, out: number, outStride: number): void;
  frm_batchFromMontgomery(v: number, n: number, out: number): void;
  frm_fft(v: number, n: number): void;
  frm_ifft(v: number, n: number): void;
}

/** Scratch memory in the main-thread instance, valid only inside {@link withScratch}. */
export interface Scratch {
  readonly ex: FrExports;
  /** The instance's memory (refreshed after any growth). */
  readonly mem: Uint8Array;
  /** Allocates `bytes` (4-byte aligned) inside the reserved space. */
  alloc(bytes: number): number;
  /** Allocates one element holding x ∈ [0, r). */
  scalar(x: bigint): number;
  /** Reads the element at pointer p. */
  read(p: number): bigint;
}

/** Elements per chunk of the streaming kernels: 512 KiB per operand. */
export const CHUNK = 1 << 14;

/**
 * Runs `fn` with `bytes` of scratch in the main-thread WebAssembly memory, growing it if needed.
 * Everything allocated is freed when `fn` returns. `fn` must be synchronous.
 */
export function withScratch<T>(c: Bn128, bytes: number, fn: (s: Scratch) => T): T {
  const tm = c.tm;
  tm.startSyncOp();
  try {
    // Room for the request, per-allocation alignment, and a few scalars.
    const end = tm.u32[0] + bytes + 1024;
    const have = tm.memory.buffer.byteLength;
    if (end > have) {
      tm.memory.grow(Math.ceil((end - have) / 65536));
      // Growing detaches the old buffer; ffjavascript reads these two views afterwards too.
      tm.u8 = new Uint8Array(tm.memory.buffer);
      tm.u32 = new Uint32Array(tm.memory.buffer);
    }
    const mem = tm.u8;
    const dv = new DataView(mem.buffer);
    const limit = end;
    const scratch: Scratch = {
      ex: tm.instance.exports as unknown as FrExports,
      mem,
      alloc(n: number): number {
        const p = tm.alloc(n);
        if (p + n > limit) throw new Error("withScratch: allocation beyond the reserved space");
        return p;
      },
      scalar(x: bigint): number {
        checkScalar(x, "scalar");
        const p = scratch.alloc(FR_BYTES);
        writeMont(dv, p, x);
        return p;
      },
      read(p: number): bigint {
        return readMont(dv, p);
      },
    };
    return fn(scratch);
  } finally {
    tm.endSyncOp();
  }
}

/**
 * out[i] = body applied to element i of each input, streamed through scratch memory a chunk at a
 * time. `body` gets the chunk's input pointers, its output pointer and its element count.
 * `freeBytesPerElement` leaves room above the allocations for WASM calls that allocate internally.
 */
function elementwise(
  c: Bn128,
  n: number,
  inputs: readonly FrVec[],
  consts: readonly bigint[],
  body: (ex: FrExports, ins: readonly number[], out: number, k: readonly number[], m: number) => void,
  freeBytesPerElement = 0,
): FrVec {
  const out = new Uint8Array(n * FR_BYTES);
  if (n === 0) return out;
  const chunk = Math.min(n, CHUNK);
  const bytes = chunk * FR_BYTES;
  withScratch(c, (inputs.length + 1) * bytes + consts.length * FR_BYTES + chunk * freeBytesPerElement, (s) => {
    const ins = inputs.map(() => s.alloc(bytes));
    const pOut = s.alloc(bytes);
    const k = consts.map((x) => s.scalar(x));
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const lo = start * FR_BYTES;
      const hi = lo + m * FR_BYTES;
      inputs.forEach((v, j) => s.mem.set(v.subarray(lo, hi), ins[j]));
      body(s.ex, ins, pOut, k, m);
      out.set(s.mem.subarray(pOut, pOut + m * FR_BYTES), lo);
    }
  });
  return out;
}

/** Folds the elements of the inputs, in order, into one accumulator element (initially `init`). */
function fold(
  c: Bn128,
  n: number,
  inputs: readonly FrVec[],
  init: bigint,
  body: (ex: FrExports, ins: readonly number[], acc: number, tmp: number, m: number) => void,
): bigint {
  const chunk = Math.max(1, Math.min(n, CHUNK));
  const bytes = chunk * FR_BYTES;
  return withScratch(c, inputs.length * bytes + 2 * FR_BYTES, (s) => {
    const ins = inputs.map(() => s.alloc(bytes));
    const acc = s.scalar(init);
    const tmp = s.alloc(FR_BYTES);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const lo = start * FR_BYTES;
      inputs.forEach((v, j) => s.mem.set(v.subarray(lo, lo + m * FR_BYTES), ins[j]));
      body(s.ex, ins, acc, tmp, m);
    }
    return s.read(acc);
  });
}

// ---------------------------------------------------------------------------------------------
// Elementwise operations

/** a + b, elementwise. */
export async function frAdd(a: FrVec, b: FrVec): Promise<FrVec> {
  const n = sameLength("frAdd", a, b);
  return elementwise(await getEngine(), n, [a, b], [], (ex, [pa, pb], out, _k, m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_add(pa + o, pb + o, out + o);
  });
}

/** a − b, elementwise. */
export async function frSub(a: FrVec, b: FrVec): Promise<FrVec> {
  const n = sameLength("frSub", a, b);
  return elementwise(await getEngine(), n, [a, b], [], (ex, [pa, pb], out, _k, m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_sub(pa + o, pb + o, out + o);
  });
}

/** a · b, elementwise (Hadamard product). */
export async function frMul(a: FrVec, b: FrVec): Promise<FrVec> {
  const n = sameLength("frMul", a, b);
  return elementwise(await getEngine(), n, [a, b], [], (ex, [pa, pb], out, _k, m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_mul(pa + o, pb + o, out + o);
  });
}

/** c · a, for a scalar c ∈ [0, r). */
export async function frScale(a: FrVec, c: bigint): Promise<FrVec> {
  const n = frLength(a, "frScale");
  checkScalar(c, "frScale: scalar");
  return elementwise(await getEngine(), n, [a], [c], (ex, [pa], out, [pc], m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_mul(pa + o, pc, out + o);
  });
}

/** a + c, adding the scalar c ∈ [0, r) to every element. */
export async function frAddScalar(a: FrVec, c: bigint): Promise<FrVec> {
  const n = frLength(a, "frAddScalar");
  checkScalar(c, "frAddScalar: scalar");
  return elementwise(await getEngine(), n, [a], [c], (ex, [pa], out, [pc], m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_add(pa + o, pc, out + o);
  });
}

/** a + c·b, elementwise, for a scalar c ∈ [0, r). */
export async function frAxpy(a: FrVec, c: bigint, b: FrVec): Promise<FrVec> {
  const n = sameLength("frAxpy", a, b);
  checkScalar(c, "frAxpy: scalar");
  return elementwise(await getEngine(), n, [a, b], [c], (ex, [pa, pb], out, [pc], m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) {
      ex.frm_mul(pb + o, pc, out + o);
      ex.frm_add(pa + o, out + o, out + o);
    }
  });
}

/** Σ aᵢ·bᵢ. */
export async function frInnerProduct(a: FrVec, b: FrVec): Promise<bigint> {
  const n = sameLength("frInnerProduct", a, b);
  return fold(await getEngine(), n, [a, b], 0n, (ex, [pa, pb], acc, tmp, m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) {
      ex.frm_mul(pa + o, pb + o, tmp);
      ex.frm_add(acc, tmp, acc);
    }
  });
}

/** Σ vᵢ. */
export async function frSum(v: FrVec): Promise<bigint> {
  const n = frLength(v, "frSum");
  return fold(await getEngine(), n, [v], 0n, (ex, [pv], acc, _tmp, m) => {
    for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) ex.frm_add(acc, pv + o, acc);
  });
}

/** [first, first·x, first·x², …, first·x^(n−1)]. */
export async function frPowers(x: bigint, n: number, first = 1n): Promise<FrVec> {
  checkScalar(x, "frPowers: base");
  checkScalar(first, "frPowers: first");
  checkCount(n, "frPowers");
  const c = await getEngine();
  const out = new Uint8Array(n * FR_BYTES);
  if (n === 0) return out;
  const chunk = Math.min(n, CHUNK);
  withScratch(c, (chunk + 1) * FR_BYTES, (s) => {
    const px = s.scalar(x);
    const p = s.alloc(chunk * FR_BYTES);
    s.ex.frm_copy(s.scalar(first), p);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      // The chunk's first element continues from the previous chunk's last one.
      if (start > 0) s.ex.frm_mul(p + (chunk - 1) * FR_BYTES, px, p);
      for (let i = 1, o = FR_BYTES; i < m; i++, o += FR_BYTES) s.ex.frm_mul(p + o - FR_BYTES, px, p + o);
      out.set(s.mem.subarray(p, p + m * FR_BYTES), start * FR_BYTES);
    }
  });
  return out;
}

/** Elementwise inverses (one field inversion per chunk). Throws a FieldError naming the first zero. */
export async function frBatchInverse(v: FrVec): Promise<FrVec> {
  const n = frLength(v, "frBatchInverse");
  const zero = frIndexOfZero(v);
  if (zero >= 0) throw new FieldError(`frBatchInverse: element ${zero} of ${n} is zero and has no inverse`);
  // frm_batchInverse keeps its running products in n + 1 elements of free memory above ours
  // (the extra one fits in withScratch's slack).
  return elementwise(await getEngine(), n, [v], [], (ex, [pv], out, _k, m) => ex.frm_batchInverse(pv, FR_BYTES, m, out, FR_BYTES), FR_BYTES);
}

/** The elements in standard (non-Montgomery) little-endian form: the scalars MSM takes. */
export async function frToStandardLE(v: FrVec): Promise<Uint8Array> {
  const n = frLength(v, "frToStandardLE");
  return elementwise(await getEngine(), n, [v], [], (ex, [pv], out, _k, m) => ex.frm_batchFromMontgomery(pv, m, out));
}

/**
 * The FFT (or inverse FFT) of `v`, 2^k elements, computed on the calling thread alone by the
 * WebAssembly kernel that the engine's threaded Fr.fft / Fr.ifft split over its workers: the same
 * result. For running several transforms at once, one per thread (plonkish/gate-pool.ts).
 */
export async function frFftOnThisThread(v: FrVec, inverse = false): Promise<FrVec> {
  const n = frLength(v, "frFftOnThisThread");
  if (n === 0 || (n & (n - 1)) !== 0) throw new FieldError(`frFftOnThisThread: ${n} elements is not a power of two`);
  const c = await getEngine();
  return withScratch(c, n * FR_BYTES, (s) => {
    const p = s.alloc(n * FR_BYTES);
    s.mem.set(v, p);
    if (inverse) s.ex.frm_ifft(p, n);
    else s.ex.frm_fft(p, n);
    return s.mem.slice(p, p + n * FR_BYTES);
  });
}

/**
 * Running fold of `d` starting from `init`: out[0] = init, out[i+1] = out[i] ⊕ d[i] for ⊕ = +
 * (`frPrefixSums`) or · (`frPrefixProducts`). out has as many elements as d; the fold of the
 * last element is returned separately (for a cyclic running column it must equal init).
 */
async function prefixFold(d: FrVec, init: bigint, op: "add" | "mul"): Promise<{ values: FrVec; total: bigint }> {
  const n = frLength(d, "prefix fold");
  checkScalar(init, "prefix fold: initial value");
  const c = await getEngine();
  const out = new Uint8Array(n * FR_BYTES);
  const chunk = Math.max(1, Math.min(n, CHUNK));
  const total = withScratch(c, 2 * chunk * FR_BYTES + FR_BYTES, (s) => {
    const pin = s.alloc(chunk * FR_BYTES);
    const pout = s.alloc(chunk * FR_BYTES);
    const acc = s.scalar(init);
    const f = op === "add" ? s.ex.frm_add : s.ex.frm_mul;
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const lo = start * FR_BYTES;
      s.mem.set(d.subarray(lo, lo + m * FR_BYTES), pin);
      for (let i = 0, o = 0; i < m; i++, o += FR_BYTES) {
        s.ex.frm_copy(acc, pout + o);
        f(acc, pin + o, acc);
      }
      out.set(s.mem.subarray(pout, pout + m * FR_BYTES), lo);
    }
    return s.read(acc);
  });
  return { values: out, total };
}

/** Running sums: out[0] = init, out[i+1] = out[i] + d[i]; `total` = init + Σ d. */
export function frPrefixSums(d: FrVec, init = 0n): Promise<{ values: FrVec; total: bigint }> {
  return prefixFold(d, init, "add");
}

/** Running products: out[0] = init, out[i+1] = out[i]·d[i]; `total` = init·Π d. */
export function frPrefixProducts(d: FrVec, init = 1n): Promise<{ values: FrVec; total: bigint }> {
  return prefixFold(d, init, "mul");
}

/**
 * out[targets[i]] += values[i] for every i with targets[i] ≥ 0, into a zero vector of `size`
 * elements (the output stays in WebAssembly memory while the values stream through).
 */
export async function frScatterAdd(values: FrVec, targets: Int32Array, size: number): Promise<FrVec> {
  const n = frLength(values, "frScatterAdd");
  if (targets.length !== n) throw new FieldError(`frScatterAdd: ${n} values but ${targets.length} targets`);
  checkCount(size, "frScatterAdd");
  const c = await getEngine();
  const chunk = Math.max(1, Math.min(n, CHUNK));
  return withScratch(c, (size + chunk) * FR_BYTES, (s) => {
    const pout = s.alloc(size * FR_BYTES);
    s.mem.fill(0, pout, pout + size * FR_BYTES);
    const pin = s.alloc(chunk * FR_BYTES);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      s.mem.set(values.subarray(start * FR_BYTES, (start + m) * FR_BYTES), pin);
      for (let i = 0; i < m; i++) {
        const t = targets[start + i];
        if (t < 0) continue;
        if (t >= size) throw new FieldError(`frScatterAdd: target ${t} out of range [0, ${size})`);
        s.ex.frm_add(pout + t * FR_BYTES, pin + i * FR_BYTES, pout + t * FR_BYTES);
      }
    }
    return s.mem.slice(pout, pout + size * FR_BYTES);
  });
}
