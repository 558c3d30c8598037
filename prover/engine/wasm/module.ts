// The generated BN254 kernel module: built from this folder's generators (by the package's build,
// or, in the sources, when first needed), compiled once per thread, instantiated with its own
// memory per user.

import { readFileSync } from "node:fs";
import { ModuleBuilder, type Code } from "./encoder.js";
import { buildField, ELEMENT_BYTES } from "./field.js";
import { buildCurve } from "./curve.js";
import { buildBuckets } from "./buckets.js";
import { buildNtt } from "./ntt-kernel.js";
import { buildFieldVectors } from "./field-vectors.js";
import { P, R } from "../../../verifier/engine/constants.js";

// Fixed addresses in every instance's memory. Address 0 is never a point (an empty bucket).
const FP_CONSTANTS = 64;
const FR_CONSTANTS = FP_CONSTANTS + 2 * ELEMENT_BYTES;
const CURVE_CONSTANTS = FR_CONSTANTS + 2 * ELEMENT_BYTES;
const CURVE_TEMPS = 1024;
const BUCKET_TEMPS = CURVE_TEMPS + 16 * ELEMENT_BYTES;
/** Scratch for callers: 36-byte slots from here up to {@link HEAP}. */
export const SCRATCH = BUCKET_TEMPS + 10 * ELEMENT_BYTES;
/** The first address free for callers' data. */
export const HEAP = 4096;

/** The exports, typed. Pointers are byte addresses in the instance's memory. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  init(): void;
  fp_mul(out: number, a: number, b: number): void;
  fp_add(out: number, a: number, b: number): void;
  fp_sub(out: number, a: number, b: number): void;
  fp_neg(out: number, a: number): void;
  fp_reduce(out: number, a: number): void;
  fp_inv(out: number, a: number): void;
  fp_isZero(a: number): number;
  fp_fromWords(out: number, a: number): void;
  fp_toWords(out: number, a: number): void;
  fr_mul(out: number, a: number, b: number): void;
  fr_add(out: number, a: number, b: number): void;
  fr_sub(out: number, a: number, b: number): void;
  fr_reduce(out: number, a: number): void;
  fr_inv(out: number, a: number): void;
  fr_fromWords(out: number, a: number): void;
  fr_toWords(out: number, a: number): void;
  g1_fromLem(out: number, a: number): void;
  g1_fromLemMany(out: number, a: number, n: number): void;
  g1_xyzzToLem(out: number, acc: number): void;
  g1_xyzzAddAffine(acc: number, p: number): void;
  g1_xyzzAdd(acc: number, q: number): void;
  g1_xyzzDouble(acc: number): void;
  g1_xyzzZero(acc: number): void;
  g1_endo(out: number, a: number): void;
  g1_endoMany(out: number, a: number, n: number): void;
  msm_gather(dst: number, src: number, order: number, count: number): void;
  msm_batchAdd(pairs: number, m: number, scratch: number): void;
  msm_bucketSum(idx: number, buckets: number, out: number): void;
  ntt_load(dst: number, src: number, n: number, logn: number): void;
  ntt_stages(a: number, logn: number, table: number, shift: number): void;
  ntt_store(dst: number, src: number, n: number, scale: number, reverse: number, stride: number): void;
  ntt_fold(dst: number, src: number, h: number, logh: number, odd: number, table: number, shift: number, tmp: number): void;
  ntt_spread(dst: number, src: number, n: number, stride: number): void;
  fr_powers(out: number, base: number, count: number): void;
  frv_mul(out: number, a: number, b: number, n: number, bStride: number): void;
  frv_add(out: number, a: number, b: number, n: number, bStride: number): void;
  frv_sub(out: number, a: number, b: number, n: number, bStride: number): void;
  frv_axpy(out: number, a: number, b: number, k: number, n: number): void;
  frv_load(dst: number, src: number, n: number): void;
  frv_batchInverse(out: number, src: number, n: number, tmp: number): void;
  frv_horner(out: number, src: number, n: number, z: number): void;
  frv_scalePowers(dst: number, src: number, n: number, g: number, tmp: number): void;
  frv_store(dst: number, src: number, n: number, k: number): void;
}

/** The module's binary: the generators' output. */
export function kernelBinary(): Uint8Array {
  const mod = new ModuleBuilder();
  const init = mod.declare([], [], "init");
  const initCode: Code = init.code;
  const fp = buildField(mod, "fp", P, FP_CONSTANTS, initCode);
  const fr = buildField(mod, "fr", R, FR_CONSTANTS, initCode);
  const curve = buildCurve(mod, fp, CURVE_CONSTANTS, CURVE_TEMPS, initCode);
  buildBuckets(mod, fp, curve, BUCKET_TEMPS);
  buildNtt(mod, fr);
  buildFieldVectors(mod, fr);
  return mod.encode(1);
}

/**
 * Where the build (scripts/build-dist.ts) writes {@link kernelBinary}'s output, next to this
 * module's built file: the built package compiles that instead of running the generators again in
 * every thread that uses a kernel (the main thread and each worker, 50–120 ms of CPU each, much of
 * it on the way to a proof's first transform). The sources never have it, and generate.
 */
export const KERNEL_WASM_URL = new URL("./kernel.wasm", import.meta.url);

/** The module's binary: the build's copy when there is one, otherwise generated now. */
function binary(): Uint8Array {
  try {
    return readFileSync(KERNEL_WASM_URL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    return kernelBinary();
  }
}

let compiled: WebAssembly.Module | undefined;

/** A fresh instance (own memory, constants initialised). */
export function newKernel(): KernelExports {
  compiled ??= new WebAssembly.Module(binary() as Uint8Array<ArrayBuffer>);
  const ex = new WebAssembly.Instance(compiled).exports as unknown as KernelExports;
  ex.init();
  return ex;
}

/** Grows `ex`'s memory to at least `bytes`; returns the memory's bytes (views die on growth). */
export function ensureMemory(ex: KernelExports, bytes: number): Uint8Array {
  const have = ex.memory.buffer.byteLength;
  if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Uint8Array(ex.memory.buffer);
}
