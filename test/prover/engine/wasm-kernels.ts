// Shared inputs and references for the tests of our own kernels (engine/wasm/): the small cases in
// wasm.test.ts and the large ones in engine-large.test.ts.
import { expect } from "chai";
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn128 } from "ffjavascript";
import { R } from "../../../verifier/engine/bn254.js";
import { g1FromLEM } from "../../../verifier/engine/encoding.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { glvConstants } from "../../../prover/engine/wasm/glv.js";
import { g1MsmFixed, g1MsmLem, nttLem, type FixedBaseTable } from "../../../prover/engine/wasm/index.js";

/** A deterministic stream of scalars below r (an LCG, enough to spread over the windows). */
export function scalarStream(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x = (x * 6364136223846793005n + 1442695040888963407n) % (1n << 256n);
    return x % R;
  };
}

/**
 * Named scalar vectors of length n that MSMs get wrong most easily: zeros, r − 1, equal scalars, and
 * scalars of r or more (r itself, r + i, up to 2^256 − 1), which the MSMs take modulo r.
 */
export function adversarialScalars(n: number, next: () => bigint): [string, bigint[]][] {
  return [
    ["all zero", Array(n).fill(0n)],
    ["every other zero", Array.from({ length: n }, (_, i) => (i % 2 ? 0n : next()))],
    ["all r − 1", Array(n).fill(R - 1n)],
    ["all one", Array(n).fill(1n)],
    ["all equal", Array(n).fill(next())],
    ["r − 1 and 1 alternating", Array.from({ length: n }, (_, i) => (i % 2 ? R - 1n : 1n))],
    ["unreduced", Array.from({ length: n }, (_, i) => (i % 3 === 0 ? (1n << 256n) - 1n - BigInt(i) : i % 3 === 1 ? R + BigInt(i) : R))],
  ];
}

/** Scalars as standard little-endian words of `width` bytes. */
export function standardScalars(xs: readonly bigint[], width = 32): Uint8Array {
  const out = new Uint8Array(xs.length * width);
  xs.forEach((x, i) => {
    for (let b = 0; b < width; b++, x >>= 8n) out[i * width + b] = Number(x & 0xffn);
    if (x !== 0n) throw new RangeError(`scalar ${i} does not fit ${width} bytes`);
  });
  return out;
}

/** ffjavascript's MSM of the same inputs, affine LEM. */
export async function ffjavascriptMsm(curve: Bn128, bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array> {
  if (bases.length === 0) return new Uint8Array(64);
  return curve.G1.toAffine(await curve.G1.multiExpAffine(bases, scalars));
}

/** @noble/curves' Σ sᵢ·Pᵢ, as a noble point. */
export function nobleMsm(bases: Uint8Array, xs: readonly bigint[]): InstanceType<typeof bn254.G1.Point> {
  let acc = bn254.G1.Point.ZERO;
  xs.forEach((s, i) => {
    const { x, y } = g1FromLEM(bases.subarray(i * 64, (i + 1) * 64));
    if ((x === 0n && y === 0n) || s % R === 0n) return;
    acc = acc.add(bn254.G1.Point.fromAffine({ x, y }).multiplyUnsafe(s % R));
  });
  return acc;
}

/**
 * Our MSM on `threads` threads, with the GLV split and without, equals ffjavascript's (byte for
 * byte: both are canonical affine LEM).
 */
export async function expectMsmMatches(curve: Bn128, bases: Uint8Array, xs: readonly bigint[], threads: number, width = 32): Promise<Uint8Array> {
  const scalars = standardScalars(xs, width);
  const reference = Buffer.from(await ffjavascriptMsm(curve, bases, standardScalars(xs.map((x) => x % R)))).toString("hex");
  let ours: Uint8Array = new Uint8Array(0);
  for (const glv of ["on", "off"] as const) {
    ours = await g1MsmLem(bases, scalars, width, { threads, glv });
    expect(Buffer.from(ours).toString("hex"), `n = ${xs.length}, ${threads} thread(s), GLV ${glv}`).to.equal(reference);
  }
  return ours;
}

/**
 * Scalars at GLV's edges: 0, 1, r − 1, λ, λ ± 1, r − λ, r, 2^256 − 1, and `boundary` ones whose
 * halves sit at the split's bound (both rounding steps at a half), cycled over n.
 */
export function glvEdgeScalars(n: number): bigint[] {
  const { lambda } = glvConstants();
  const edges = [0n, 1n, R - 1n, lambda, lambda + 1n, lambda - 1n, R - lambda, R, (1n << 256n) - 1n, ...glvBoundaryScalars(4)];
  return Array.from({ length: n }, (_, i) => edges[i % edges.length]);
}

/**
 * Scalars k whose GLV split lands at its bound: (k, 0) = x₁·v₁ + x₂·v₂ with both xᵢ ≡ 1/2 (mod 1)
 * (to within 2^−60), so each rounding is a tie and |k₁|, |k₂| reach about half a basis vector.
 */
export function glvBoundaryScalars(count: number): bigint[] {
  const { v1, v2 } = glvConstants();
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  const D = abs(v1[0] * v2[1] - v2[0] * v1[1]);
  // |xᵢ| = k·fᵢ/D with f₁ = |b₂|, f₂ = |b₁|: one is ~2^64, the other ~2^127, so one xᵢ moves slowly with k.
  const [slow, fast] = [abs(v2[1]), abs(v1[1])].sort((a, b) => (a < b ? -1 : 1));
  const out: bigint[] = [];
  for (let t = 1n; out.length < count; t++) {
    // The slow one at j + 1/2 (j spread below slow/4, so k < r/2) ...
    const j = (t * 0x9e3779b97f4a7c15f39cc0605cedc835n) % (slow / 4n);
    const k0 = ((2n * j + 1n) * D) / (2n * slow);
    // ... then k moved by less than D/fast (which moves the slow one by < 2^−60) to put the fast one at an odd multiple of 1/2.
    const twice = (2n * k0 * fast) / D;
    const k = ((twice % 2n === 0n ? twice + 1n : twice) * D) / (2n * fast);
    if (k > 0n && k < R) out.push(k);
  }
  return out;
}

/** Our NTT (both directions, `threads` threads) equals ffjavascript's Fr.fft / Fr.ifft on random inputs of 2^k elements. */
export async function expectNttMatches(curve: Bn128, logn: number, threads: number, seed: bigint): Promise<void> {
  const next = scalarStream(seed);
  const v = frVecFromBigints(Array.from({ length: 2 ** logn }, next));
  for (const inverse of [false, true]) {
    const ours = await nttLem(v, inverse, { threads });
    const reference = inverse ? await curve.Fr.ifft(v) : await curve.Fr.fft(v);
    expect(Buffer.from(ours).equals(Buffer.from(reference)), `2^${logn}, ${inverse ? "inverse" : "forward"}, ${threads} thread(s)`).to.equal(true);
  }
}

/** Our fixed-base MSM over `table` (built from `bases`) equals ffjavascript's MSM of the same inputs, byte for byte. */
export async function expectFixedMsmMatches(
  curve: Bn128,
  table: FixedBaseTable,
  bases: Uint8Array,
  xs: readonly bigint[],
  options: { threads: number; width?: number; groupPoints?: number },
): Promise<Uint8Array> {
  const width = options.width ?? 32;
  const ours = await g1MsmFixed(table, standardScalars(xs, width), width, options);
  const reference = await ffjavascriptMsm(curve, bases.subarray(0, xs.length * 64), standardScalars(xs.map((x) => x % R)));
  const what = `n = ${xs.length}, c = ${table.c}, ${options.threads} thread(s)${options.groupPoints ? `, groups of ${options.groupPoints}` : ""}`;
  expect(Buffer.from(ours).toString("hex"), what).to.equal(Buffer.from(reference).toString("hex"));
  return ours;
}
