// Point-level checks on affine points in the engine's LEM form (little-endian Montgomery
// coordinates), as they appear in .ptau files and in Srs.g1.
import type { Bn128 } from "ffjavascript";
import { P, R } from "../../verifier/engine/bn254.js";
import { G1_BYTES, G2_BYTES } from "./ptau-file.js";

/** An affine G2 point with Fp2 coordinates (c0 real, c1 imaginary) in standard form. */
export interface G2Affine {
  x: [bigint, bigint];
  y: [bigint, bigint];
}

export interface BadPoint {
  index: number;
  reason: string;
}

const P_LE = littleEndian32(P);
/** Points checked per trip into the engine's main-thread memory (kept well below its 1.6 MB). */
const WASM_BATCH = 4096;

function littleEndian32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Whether the 32-byte little-endian integer at `off` is below p, i.e. a canonical Montgomery coordinate. */
function belowP(buf: Uint8Array, off: number): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = buf[off + i];
    const b = P_LE[i];
    if (a !== b) return a < b;
  }
  return false;
}

function isAllZero(buf: Uint8Array, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[off + i] !== 0) return false;
  return true;
}

/** Problems with one affine point at `off`, apart from the on-curve test. */
function encodingProblem(buf: Uint8Array, off: number, width: number): string | undefined {
  // ffjavascript writes the point at infinity as all-zero affine coordinates; no power of a
  // non-zero τ is that point.
  if (isAllZero(buf, off, width)) return "is the point at infinity";
  for (let c = 0; c < width; c += 32) {
    if (!belowP(buf, off + c)) return "has a coordinate that is not below p";
  }
  return undefined;
}

/**
 * Checks every point of `points` (count = byteLength / width): canonical coordinates, not the
 * point at infinity, and on the curve (G1 has cofactor 1, so on-curve means in the group; G2
 * points also need {@link g2InSubgroup}). Indices in the result are offset by `firstIndex`.
 * Stops after `limit` bad points.
 */
export function findBadPoints(
  c: Bn128,
  group: "G1" | "G2",
  points: Uint8Array,
  firstIndex = 0,
  limit = Infinity,
): BadPoint[] {
  const width = group === "G1" ? G1_BYTES : G2_BYTES;
  const inCurve = wasmFunction(c, group === "G1" ? "g1m_inCurveAffine" : "g2m_inCurveAffine");
  const count = points.byteLength / width;
  const bad: BadPoint[] = [];
  for (let start = 0; start < count && bad.length < limit; start += WASM_BATCH) {
    const n = Math.min(WASM_BATCH, count - start);
    c.tm.startSyncOp();
    try {
      const ptr = c.tm.alloc(n * width);
      c.tm.u8.set(points.subarray(start * width, (start + n) * width), ptr);
      for (let i = 0; i < n && bad.length < limit; i++) {
        const off = (start + i) * width;
        const problem = encodingProblem(points, off, width) ?? (inCurve(ptr + i * width) ? undefined : "is not on the curve");
        if (problem) bad.push({ index: firstIndex + start + i, reason: problem });
      }
    } finally {
      c.tm.endSyncOp();
    }
  }
  return bad;
}

/** A raw export of the engine's main-thread WebAssembly instance (it works on pointers into `c.tm.u8`). */
export function wasmFunction(c: Bn128, name: string): (...args: number[]) => number {
  const fn = c.tm.instance.exports[name];
  if (typeof fn !== "function") throw new Error(`ffjavascript has no WebAssembly export ${name}`);
  return fn as (...args: number[]) => number;
}

/** Whether a G2 point (already known to be on the curve) lies in the order-r subgroup. */
export function g2InSubgroup(c: Bn128, point: Uint8Array): boolean {
  return c.G2.isZero(c.G2.timesScalar(point, R));
}

/** Fp2 coordinates of an affine G2 point in LEM form, as standard-form bigints. */
export function g2ToBigints(c: Bn128, point: Uint8Array): G2Affine {
  const coord = (i: number) => c.F1.toObject(point.subarray(32 * i, 32 * (i + 1)));
  return { x: [coord(0), coord(1)], y: [coord(2), coord(3)] };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
