// G1 arithmetic on the engine. Points are 64-byte affine LEM (x‖y, little-endian Montgomery),
// the engine's and the .ptau files' native form; the point at infinity is all zeros.
import type { Bn128 } from "ffjavascript";
import { ownKernels } from "../../verifier/engine/bn254.js";
import { P } from "../../verifier/engine/constants.js";
import { G1_BYTES } from "../../verifier/engine/encoding.js";
import { fixedBasePlan, fixedBaseWorthIt, g1FixedBaseTable, g1MsmFixed, g1MsmLem, type FixedBaseTable } from "./wasm/index.js";
import { CHUNK, FR_BYTES, frToStandardLE, withScratch } from "../../verifier/engine/fr.js";
import type { G1Lem } from "../../verifier/engine/g1-affine.js";

export { G1_BYTES } from "../../verifier/engine/encoding.js";
export { FR_BYTES } from "../../verifier/engine/fr.js";

export { g1Add, g1Concat, g1Equal, g1Generator, g1Mul, g1Sub, type G1Lem } from "../../verifier/engine/g1-affine.js";

/** Wall time spent in MSMs (msm, msmStandard) in this process, in ms; `open` counts calls in progress. */
const msmClock = { ms: 0, open: 0 };

/** Wall time spent in MSMs so far in this process, in ms: the prover's phase split reads it. */
export function msmMilliseconds(): number {
  return msmClock.ms;
}

/** Runs `fn`, adding its wall time to the MSM clock unless an MSM it is part of already counts it. */
async function clocked<T>(fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  msmClock.open++;
  try {
    return await fn();
  } finally {
    if (--msmClock.open === 0) msmClock.ms += performance.now() - start;
  }
}

/** The base field's modulus p as eight 32-bit little-endian words. */
const P_WORDS = Uint32Array.from({ length: 8 }, (_, w) => Number((P >> BigInt(32 * w)) & 0xffffffffn));

/**
 * Negates the affine LEM point at `index` of `points` in place: y becomes p − y (in Montgomery form
 * too, the map being linear); the point at infinity (all zeros) stays as it is. An MSM then takes
 * s·(−P) for −s·P, so a negative scalar costs the bytes of its magnitude.
 */
export function g1NegateInPlace(points: Uint8Array, index: number): void {
  const y = index * G1_BYTES + FR_BYTES;
  let zero = true;
  for (let b = y - FR_BYTES; b < y + FR_BYTES && zero; b++) zero = points[b] === 0;
  if (zero) return;
  let borrow = 0;
  for (let w = 0; w < 8; w++) {
    const o = y + 4 * w;
    const limb = (points[o] | (points[o + 1] << 8) | (points[o + 2] << 16) | (points[o + 3] << 24)) >>> 0;
    let d = P_WORDS[w] - limb - borrow;
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 2 ** 32;
    points[o] = d & 0xff;
    points[o + 1] = (d >>> 8) & 0xff;
    points[o + 2] = (d >>> 16) & 0xff;
    points[o + 3] = d >>> 24;
  }
}

/**
 * Multi-scalar multiplication Σ sᵢ·Pᵢ over `bases` (n affine LEM points) and `scalars`
 * (n Fr elements in Montgomery form, the engine's FrVec). Uses the first n bases when
 * `bases` holds more. Spread over worker threads: our own kernels' (engine/wasm/), or with
 * ZKINFER_ENGINE=ffjavascript the engine's.
 */
export function msm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  return clocked(() => msmMontgomery(curve, bases, scalars));
}

async function msmMontgomery(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = scalars.length / FR_BYTES;
  if (!Number.isInteger(n)) throw new RangeError(`msm: scalar buffer of ${scalars.length} bytes is not a whole number of Fr elements`);
  if (bases.length < n * G1_BYTES) throw new RangeError(`msm: ${n} scalars but only ${bases.length / G1_BYTES} bases`);
  if (n === 0) return new Uint8Array(G1_BYTES);
  // The engine's MSM wants standard-form scalars; converting on the main thread is cheaper than
  // shipping the vector to the workers and back (measured in verifier/engine/fr.ts).
  return msmStandard(curve, bases.subarray(0, n * G1_BYTES), await frToStandardLE(scalars));
}

/**
 * Up to this many points an MSM is one scalar multiplication per point: the bucket method's fixed
 * cost per window dominates there (a column's blinding terms are 6 or 8 points). Measured with
 * 32-byte scalars on a loaded 2-core machine, buckets → per point: 2 points 2.3 → 0.7 ms, 6 points
 * 6.5 → 2.0 ms, 8 points 5.6 → 2.8 ms (medians of 15); 10 points 10.3 → 11.7 ms (of 9).
 */
const FEW_POINTS = 8;

/** Σ sᵢ·Pᵢ as n scalar multiplications (scalars standard little-endian, equal widths). */
function fewPointsMsm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array, n: number): G1Lem {
  const width = scalars.length / n;
  let sum = curve.G1.zero;
  for (let i = 0; i < n; i++) {
    let s = 0n;
    for (let b = width - 1; b >= 0; b--) s = (s << 8n) | BigInt(scalars[i * width + b]);
    if (s !== 0n) sum = curve.G1.add(sum, curve.G1.timesScalar(bases.subarray(i * G1_BYTES, (i + 1) * G1_BYTES), s));
  }
  return curve.G1.toAffine(sum);
}

/**
 * MSM with scalars already in standard little-endian form, `width` bytes each (narrow scalars,
 * e.g. 8 bytes for small integers, make the MSM proportionally cheaper).
 */
export function msmStandard(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  return clocked(() => msmStandardForm(curve, bases, scalars));
}

async function msmStandardForm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = bases.length / G1_BYTES;
  if (n === 0) return new Uint8Array(G1_BYTES);
  if (scalars.length % n !== 0) throw new RangeError("msm: scalar buffer does not divide evenly among the bases");
  if (n <= FEW_POINTS) return fewPointsMsm(curve, bases, scalars, n);
  if (ownKernels() && scalars.length / n <= 32) return g1MsmLem(bases, scalars, scalars.length / n);
  const jacobian = await curve.G1.multiExpAffine(bases, scalars);
  return curve.G1.toAffine(jacobian);
}

/**
 * When MSMs over a commit key use a fixed-base table (engine/wasm/fixed-base.ts), from
 * `ZKINFER_FIXED_BASE` (read at every call): "auto" (the default) builds a key's table once the
 * process has spent on that key's MSMs about what building it costs at most, so a one-shot prove never
 * builds one and a long-lived prover has one from its fourth proof or so on; "on" builds it at the
 * key's first MSM; "off" never does.
 */
export function fixedBaseMode(): "auto" | "on" | "off" {
  const choice = typeof process === "undefined" ? undefined : process.env.ZKINFER_FIXED_BASE;
  if (choice === undefined || choice === "" || choice === "auto") return "auto";
  if (choice === "on" || choice === "off") return choice;
  throw new Error(`ZKINFER_FIXED_BASE=${choice}: expected "auto" (the default), "on" or "off"`);
}

/**
 * "auto" builds a key's table once its MSMs have taken this many times its points. Building costs
 * 6–15 variable-base MSMs over the key (measured: ~240 batched affine doublings per point against
 * ~20 batched additions per point and MSM); 16 also keeps a one-shot prove that commits every column
 * from coefficients (about 15 MSMs over the key, without a Lagrange basis) from building one.
 */
const BUILD_AFTER_KEY_SIZES = 16;
/** No table above this size (a key of 2^18 points takes ~300 MB). */
const MAX_TABLE_BYTES = 512 << 20;

/** Per commit key (by its buffer, the same object for a loaded key): points its MSMs took, and its table. */
const keyTables = new WeakMap<Uint8Array, { spent: number; table?: Promise<FixedBaseTable> }>();

/**
 * The fixed-base table of a commit key's G1 powers, built now if it is not yet (undefined when the
 * key is too large for one or our kernels are off). For a long-lived prover that wants the table
 * before its first proof.
 */
export function commitKeyTable(bases: Uint8Array): Promise<FixedBaseTable> | undefined {
  const points = bases.length / G1_BYTES;
  if (!ownKernels() || !Number.isInteger(points) || points === 0 || fixedBasePlan(points).bytes > MAX_TABLE_BYTES) return undefined;
  let state = keyTables.get(bases);
  if (!state) keyTables.set(bases, (state = { spent: 0 }));
  state.table ??= g1FixedBaseTable(bases);
  return state.table;
}

/** Whether a fixed-base table of this commit key's powers has been built or is being built. */
export function hasCommitKeyTable(bases: Uint8Array): boolean {
  return keyTables.get(bases)?.table !== undefined;
}

/**
 * The same MSM as {@link msm}, over `bases` that many MSMs share (a commit key's G1 powers: pass the
 * same buffer every time): through the key's fixed-base table when there is one (see
 * {@link fixedBaseMode}) and it is modelled to win for this many scalars.
 */
export function msmCommitKey(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  return clocked(() => commitKeyMsm(curve, bases, scalars));
}

async function commitKeyMsm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<G1Lem> {
  const n = scalars.length / FR_BYTES;
  const mode = fixedBaseMode();
  if (!ownKernels() || mode === "off" || !Number.isInteger(n) || n === 0 || bases.length < n * G1_BYTES) return msm(curve, bases, scalars);
  const state = keyTables.get(bases) ?? { spent: 0 };
  keyTables.set(bases, state);
  state.spent += n;
  const due = mode === "on" || state.spent >= BUILD_AFTER_KEY_SIZES * (bases.length / G1_BYTES);
  const table = state.table ?? (due ? commitKeyTable(bases) : undefined);
  if (!table) return msm(curve, bases, scalars);
  const standard = await frToStandardLE(scalars);
  const ready = await table;
  if (!fixedBaseWorthIt(ready, n, standard, FR_BYTES)) return msmStandard(curve, bases.subarray(0, n * G1_BYTES), standard);
  return g1MsmFixed(ready, standard, FR_BYTES);
}

/** The g1m_* exports of the engine's WebAssembly module that this module calls (Jacobian points: 96 bytes). */
interface G1Exports {
  g1m_zero(out: number): void;
  g1m_addMixed(jacobian: number, affine: number, out: number): void;
  g1m_batchToAffine(jacobian: number, n: number, out: number): void;
}

/**
 * The suffix sums S_j = P_(j+1) + … + P_(m−1), j = 0 … m−2, of m affine points (m − 1 points out),
 * on the main thread: one mixed addition per point, and a batch conversion to affine per chunk.
 */
export async function g1SuffixSums(curve: Bn128, points: Uint8Array): Promise<Uint8Array> {
  const m = points.length / G1_BYTES;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`g1SuffixSums: ${points.length} bytes are not a whole number of points`);
  const out = new Uint8Array((m - 1) * G1_BYTES);
  const JAC = 3 * FR_BYTES;
  const chunk = Math.min(CHUNK, Math.max(1, m - 1));
  // The batch conversion uses free memory past the allocations for its inverses: room for 2 per point.
  withScratch(curve, chunk * (G1_BYTES + JAC + G1_BYTES + 2 * FR_BYTES) + JAC, (s) => {
    const ex = s.ex as unknown as G1Exports;
    const pIn = s.alloc(chunk * G1_BYTES);
    const pJac = s.alloc(chunk * JAC);
    const pOut = s.alloc(chunk * G1_BYTES);
    const pAcc = s.alloc(JAC);
    ex.g1m_zero(pAcc);
    // Chunks from the top: S_j for j in [lo, hi) needs P_(lo+1) … P_hi on top of S_hi (the accumulator).
    for (let hi = m - 1; hi > 0; hi -= chunk) {
      const lo = Math.max(0, hi - chunk);
      const count = hi - lo;
      s.mem.set(points.subarray((lo + 1) * G1_BYTES, (hi + 1) * G1_BYTES), pIn);
      for (let k = count - 1; k >= 0; k--) {
        ex.g1m_addMixed(pAcc, pIn + k * G1_BYTES, pJac + k * JAC);
        s.mem.copyWithin(pAcc, pJac + k * JAC, pJac + (k + 1) * JAC);
      }
      ex.g1m_batchToAffine(pJac, count, pOut);
      out.set(s.mem.subarray(pOut, pOut + count * G1_BYTES), lo * G1_BYTES);
    }
  });
  return out;
}
