// Shared inputs and references for the tests of our own kernels (engine/wasm/): the small cases in
// wasm.test.ts and the large ones in engine-large.test.ts.
import { expect } from "chai";
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn128 } from "ffjavascript";
import { R } from "../../../verifier/engine/bn254.js";
import { g1FromLEM } from "../../../verifier/engine/encoding.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
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

/** Our MSM on `threads` threads equals ffjavascript's (byte for byte: both are canonical affine LEM). */
export async function expectMsmMatches(curve: Bn128, bases: Uint8Array, xs: readonly bigint[], threads: number, width = 32): Promise<Uint8Array> {
  const scalars = standardScalars(xs, width);
  const ours = await g1MsmLem(bases, scalars, width, { threads });
  const reference = await ffjavascriptMsm(curve, bases, standardScalars(xs.map((x) => x % R)));
  expect(Buffer.from(ours).toString("hex"), `n = ${xs.length}, ${threads} thread(s)`).to.equal(Buffer.from(reference).toString("hex"));
  return ours;
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
