// The elementwise kernels of field-vectors.ts on the calling thread: an instance of their own,
// kept for the thread's life (its memory is what the largest caller asked for, a few MiB), and a
// scratch API for callers that keep vectors of a chunk's length in it (plonkish/vector-eval.ts).
import { R } from "../../../verifier/engine/constants.js";
import { ELEMENT_BYTES, MONT_BITS, toLimbs } from "./field.js";
import { ensureMemory, HEAP, newKernel, type KernelExports } from "./module.js";

/** Bytes of a word-form (ffjavascript FrVec) element. */
const WORD_BYTES = 32;
/** 2^256 mod r: frv_store's constant for a value held in true form (x·2^261·2^256/2^261 = x·2^256). */
const WORD_FORM = (1n << 256n) % R;
/** 2^−256 mod r: from a word (x·2^256) back to x. */
const WORD_INVERSE = modPow(WORD_FORM, R - 2n);

function modPow(b: bigint, e: bigint): bigint {
  let x = 1n;
  for (b %= R; e > 0n; e >>= 1n, b = (b * b) % R) if (e & 1n) x = (x * b) % R;
  return x;
}

let instance: KernelExports | undefined;

/** v·(1, g, g², …) elementwise (FrVec form in and out), on this thread's instance: a coset's scaling. */
export function scalePowers(v: Uint8Array, g: bigint): Uint8Array {
  const n = v.length / WORD_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`scalePowers: ${v.length} bytes are not whole Fr elements`);
  return withFieldVectors(2, n, (s) => {
    const at = s.stage(v);
    s.ex.frv_scalePowers(at, at, n, s.scalar(g), s.alloc(1));
    return new Uint8Array(s.ex.memory.buffer).slice(at, at + v.length);
  });
}

/** Elements per call of frv_batchInverse: one field inversion per chunk, the chunk's vectors in cache. */
const INVERSE_CHUNK = 1 << 14;
/** 1/LOAD_FACTOR: a loaded x is held as x/LOAD_FACTOR, so its inverse is held as LOAD_FACTOR/x. */
const INVERSE_STORE = modPow(32n, R - 2n);

/**
 * 1/v elementwise (FrVec form in and out), on this thread's instance: Montgomery's trick a chunk
 * at a time. Every element must be nonzero: a zero makes its whole chunk come out zero, so
 * callers check first (frIndexOfZero).
 */
export function batchInverse(v: Uint8Array): Uint8Array {
  const n = v.length / WORD_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`batchInverse: ${v.length} bytes are not whole Fr elements`);
  const out = new Uint8Array(v.length);
  const chunk = Math.max(1, Math.min(n, INVERSE_CHUNK));
  withFieldVectors(2 * chunk + 1, chunk, (s) => {
    const src = s.alloc(chunk);
    const inv = s.alloc(chunk);
    const tmp = s.alloc(1);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      s.load(src, v.subarray(start * WORD_BYTES, (start + m) * WORD_BYTES), m);
      s.ex.frv_batchInverse(inv, src, m, tmp);
      s.store(out, start, inv, m, INVERSE_STORE);
    }
  });
  return out;
}

/** Elements converted per pass of {@link integersToFrVec}. */
const CONVERT_CHUNK = 1 << 14;

/**
 * FrVec form (words x·2^256 mod r) of plain integers: `words` holds each element as its
 * little-endian 256-bit value below r, and is converted in place and returned. The same words as
 * frVecFromBigints gives, in one kernel pass per chunk instead of a bigint product per element.
 */
export function integersToFrVec(words: Uint8Array): Uint8Array {
  const n = words.length / WORD_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`integersToFrVec: ${words.length} bytes are not whole Fr elements`);
  const chunk = Math.max(1, Math.min(n, CONVERT_CHUNK));
  // Loaded words of x stand for x·2^−256/LOAD_FACTOR; storing with this factor gives x's words back in FrVec form.
  const k = (LOAD_FACTOR * WORD_FORM) % R;
  return withFieldVectors(chunk + 1, chunk, (s) => {
    const at = s.alloc(chunk);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      s.load(at, words.subarray(start * WORD_BYTES), m);
      s.store(words, start, at, m, k);
    }
    return words;
  });
}

/** Scratch memory of this thread's instance for one call of {@link withFieldVectors}. */
export interface FieldVectorScratch {
  ex: KernelExports;
  /** Bytes per element of a vector in scratch memory. */
  readonly elementBytes: number;
  /** Address of `elements` fresh elements. */
  alloc(elements: number): number;
  /** Address of the held form of x ∈ [0, r). */
  scalar(x: bigint): number;
  /**
   * Loads the m elements of `words` (FrVec form) to `at`, unconverted: element x is held as
   * x/{@link LOAD_FACTOR}, so x = LOAD_FACTOR times the held value.
   */
  load(at: number, words: Uint8Array, m: number): void;
  /** Copies `words` (at most the staging length of FrVec elements) to the staging area; returns its address. */
  stage(words: Uint8Array): number;
  /** Sets the m elements at `at` to 0. */
  clear(at: number, m: number): void;
  /** The element at `at` times k, as a bigint in [0, r) (through the staging area). */
  read(at: number, k: bigint): bigint;
  /**
   * Writes k times the m elements at `at` into `out` (FrVec form) from its element `start` on;
   * clobbers them.
   */
  store(out: Uint8Array, start: number, at: number, m: number, k: bigint): void;
}

/** Words loaded as limbs stand for x·2^−5 (see field-vectors.ts): x is 32 times the held value. */
export const LOAD_FACTOR = 32n;

/**
 * Runs `fn` with scratch space for `elements` elements (vectors and scalars) and a staging area of
 * `staging` word-form elements (the longest vector loaded or stored at once).
 */
export function withFieldVectors<T>(elements: number, staging: number, fn: (s: FieldVectorScratch) => T): T {
  instance ??= newKernel();
  const ex = instance;
  const storeConstant = HEAP;
  const staged = storeConstant + ELEMENT_BYTES;
  let next = staged + staging * WORD_BYTES;
  const end = next + elements * ELEMENT_BYTES;
  const mem = ensureMemory(ex, end);
  const limbs = new Uint32Array(mem.buffer);
  const put = (at: number, l: readonly number[]): void => limbs.set(l, at / 4);
  const s: FieldVectorScratch = {
    ex,
    elementBytes: ELEMENT_BYTES,
    alloc(count) {
      const at = next;
      next += count * ELEMENT_BYTES;
      if (next > end) throw new Error("withFieldVectors: allocation beyond the reserved space");
      return at;
    },
    scalar(x) {
      if (x < 0n || x >= R) throw new RangeError(`withFieldVectors: ${x} is not in [0, r)`);
      const at = s.alloc(1);
      put(at, toLimbs((x << BigInt(MONT_BITS)) % R));
      return at;
    },
    stage(words) {
      if (words.length > staging * WORD_BYTES) throw new RangeError(`withFieldVectors: cannot stage ${words.length / WORD_BYTES} elements`);
      mem.set(words, staged);
      return staged;
    },
    clear(at, m) {
      mem.fill(0, at, at + m * ELEMENT_BYTES);
    },
    read(at, k) {
      const out = new Uint8Array(WORD_BYTES);
      s.store(out, 0, at, 1, k);
      const w = new DataView(out.buffer);
      let x = 0n;
      for (let j = 3; j >= 0; j--) x = (x << 64n) | w.getBigUint64(8 * j, true);
      return (x * WORD_INVERSE) % R;
    },
    load(at, words, m) {
      if (m > staging || words.length < m * WORD_BYTES) throw new RangeError(`withFieldVectors: cannot load ${m} elements`);
      mem.set(words.subarray(0, m * WORD_BYTES), staged);
      ex.frv_load(at, staged, m);
    },
    store(out, start, at, m, k) {
      if (m > staging) throw new RangeError(`withFieldVectors: cannot store ${m} elements`);
      if (k < 0n || k >= R) throw new RangeError(`withFieldVectors: ${k} is not in [0, r)`);
      put(storeConstant, toLimbs((k * WORD_FORM) % R));
      ex.frv_store(staged, at, m, storeConstant);
      out.set(mem.subarray(staged, staged + m * WORD_BYTES), start * WORD_BYTES);
    },
  };
  return fn(s);
}
