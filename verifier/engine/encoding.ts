// Canonical byte encodings of BN254 scalars and points, shared by the transcript,
// proof serialization and the Solidity verifier (docs/protocol.md §1).
//
// Canonical (EVM) forms, all big-endian:
//   scalar  32 bytes, value < r
//   G1      64 bytes x ‖ y, each < p, on y² = x³ + 3; infinity is (0, 0)
//   G2     128 bytes x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0 (the pairing precompile's order); infinity is all zero
// Engine (ffjavascript) forms, all little-endian Montgomery ("LEM"), value·2^256 mod modulus:
//   Fr      32 bytes
//   G1      64 bytes x ‖ y; infinity is all zero
//   G2     128 bytes x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1; infinity is all zero
// The Montgomery conversions are done in bigint with the constant 2^256 mod p (or mod r),
// so they need no engine instance; tests check them against the engine both ways.
import { bn254 } from "@noble/curves/bn254.js";
import { P, R } from "./bn254.js";

/** Bad or non-canonical encoded input. */
export class EncodingError extends Error {
  override name = "EncodingError";
}

export const SCALAR_BYTES = 32;
export const G1_BYTES = 64;
export const G2_BYTES = 128;

/** A G1 point in affine coordinates; the point at infinity is (0, 0). */
export interface G1Affine {
  readonly x: bigint;
  readonly y: bigint;
}
/** An element c0 + c1·u of Fp2 = Fp[u]/(u² + 1). */
export interface Fp2 {
  readonly c0: bigint;
  readonly c1: bigint;
}
/** A G2 point in affine coordinates over Fp2; the point at infinity is all zero. */
export interface G2Affine {
  readonly x: Fp2;
  readonly y: Fp2;
}
/** A @noble/curves G1 point. */
export type NobleG1 = InstanceType<typeof bn254.G1.Point>;
/** A @noble/curves G2 point. */
export type NobleG2 = InstanceType<typeof bn254.G2.Point>;

const TWO_256 = 1n << 256n;

// ---------------------------------------------------------------------------------------------
// 256-bit words

function checkRange(bytes: Uint8Array, offset: number, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new EncodingError(`${what}: expected a Uint8Array`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > bytes.length) {
    throw new EncodingError(
      `${what}: needs ${length} bytes at offset ${offset}, but the buffer has ${bytes.length}`,
    );
  }
}

function writeWordBE(out: Uint8Array, offset: number, v: bigint): void {
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function readWordBE(bytes: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let i = 0; i < 32; i++) v = (v << 8n) | BigInt(bytes[offset + i]);
  return v;
}

function writeWordLE(out: Uint8Array, offset: number, v: bigint): void {
  for (let i = 0; i < 32; i++) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function readWordLE(bytes: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i]);
  return v;
}

/** Reads a 32-byte big-endian unsigned integer; no range check beyond 2^256. */
export function readUint256BE(bytes: Uint8Array, offset = 0): bigint {
  checkRange(bytes, offset, 32, "uint256");
  return readWordBE(bytes, offset);
}

/** Encodes 0 ≤ v < 2^256 as 32 bytes big-endian. */
export function encodeUint256BE(v: bigint): Uint8Array {
  if (typeof v !== "bigint" || v < 0n || v >= TWO_256) {
    throw new EncodingError(`uint256: ${String(v)} is not an integer in [0, 2^256)`);
  }
  const out = new Uint8Array(32);
  writeWordBE(out, 0, v);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scalars (Fr)

/** Throws unless `x` is a bigint in [0, r). */
export function assertScalar(x: bigint, what = "scalar"): void {
  if (typeof x !== "bigint") throw new EncodingError(`${what}: expected a bigint, got ${typeof x}`);
  if (x < 0n || x >= R) throw new EncodingError(`${what}: ${x} is not canonical (must be in [0, r))`);
}

/** 32-byte big-endian encoding of a scalar < r. */
export function encodeScalar(x: bigint): Uint8Array {
  assertScalar(x);
  const out = new Uint8Array(SCALAR_BYTES);
  writeWordBE(out, 0, x);
  return out;
}

/** Decodes a 32-byte big-endian scalar, rejecting values ≥ r as non-canonical. */
export function decodeScalar(bytes: Uint8Array, offset = 0): bigint {
  checkRange(bytes, offset, SCALAR_BYTES, "scalar");
  const x = readWordBE(bytes, offset);
  if (x >= R) throw new EncodingError(`scalar at offset ${offset}: ${x} ≥ r is not canonical`);
  return x;
}

/** Concatenated 32-byte encodings of `xs`. */
export function encodeScalars(xs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(xs.length * SCALAR_BYTES);
  xs.forEach((x, i) => {
    assertScalar(x, `scalar ${i}`);
    writeWordBE(out, i * SCALAR_BYTES, x);
  });
  return out;
}

/** Decodes a whole buffer of 32-byte scalars; its length must be a multiple of 32. */
export function decodeScalars(bytes: Uint8Array): bigint[] {
  if (bytes.length % SCALAR_BYTES !== 0) {
    throw new EncodingError(`scalars: length ${bytes.length} is not a multiple of ${SCALAR_BYTES}`);
  }
  const out: bigint[] = [];
  for (let o = 0; o < bytes.length; o += SCALAR_BYTES) out.push(decodeScalar(bytes, o));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Montgomery little-endian (the engine's form)

function mod(a: bigint, m: bigint): bigint {
  const t = a % m;
  return t < 0n ? t + m : t;
}

function modInverse(a: bigint, m: bigint): bigint {
  // Extended Euclid; m is prime and a ≠ 0 mod m here.
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

/** Montgomery constants of one modulus: M = 2^256 mod m and its inverse. */
class Montgomery {
  readonly m: bigint;
  readonly one: bigint;
  readonly inv: bigint;
  constructor(m: bigint) {
    this.m = m;
    this.one = TWO_256 % m;
    this.inv = modInverse(this.one, m);
  }
  write(out: Uint8Array, offset: number, v: bigint): void {
    writeWordLE(out, offset, (v * this.one) % this.m);
  }
  read(bytes: Uint8Array, offset: number, what: string): bigint {
    const stored = readWordLE(bytes, offset);
    if (stored >= this.m) throw new EncodingError(`${what}: Montgomery word ≥ modulus is not canonical`);
    return (stored * this.inv) % this.m;
  }
}

const MONT_P = new Montgomery(P);
const MONT_R = new Montgomery(R);

/** A scalar < r in the engine's Fr form (32 bytes, little-endian Montgomery). */
export function scalarToLEM(x: bigint): Uint8Array {
  assertScalar(x);
  const out = new Uint8Array(SCALAR_BYTES);
  MONT_R.write(out, 0, x);
  return out;
}

/** Reads a scalar from the engine's Fr form; the stored word must be < r. */
export function scalarFromLEM(bytes: Uint8Array, offset = 0): bigint {
  checkRange(bytes, offset, SCALAR_BYTES, "Fr (LEM)");
  return MONT_R.read(bytes, offset, "Fr (LEM)");
}

// ---------------------------------------------------------------------------------------------
// G1

function assertCoordinate(v: bigint, what: string): void {
  if (typeof v !== "bigint") throw new EncodingError(`${what}: expected a bigint, got ${typeof v}`);
  if (v < 0n || v >= P) throw new EncodingError(`${what}: ${v} is not canonical (must be in [0, p))`);
}

/** True iff (x, y) is the point at infinity (0, 0) or satisfies y² = x³ + 3 mod p. Coordinates must be < p. */
export function isOnCurveG1(p: G1Affine): boolean {
  if (p.x === 0n && p.y === 0n) return true;
  return (p.y * p.y) % P === (((p.x * p.x) % P) * p.x + 3n) % P;
}

/** Throws unless `p` has coordinates in [0, p) and lies on the curve (or is (0, 0)). */
export function assertG1(p: G1Affine, what = "G1 point"): void {
  if (p === null || typeof p !== "object") throw new EncodingError(`${what}: expected {x, y}`);
  assertCoordinate(p.x, `${what}.x`);
  assertCoordinate(p.y, `${what}.y`);
  if (!isOnCurveG1(p)) throw new EncodingError(`${what}: (${p.x}, ${p.y}) is not on y² = x³ + 3`);
}

/** 64-byte big-endian x ‖ y of a valid G1 point. */
export function encodeG1(p: G1Affine): Uint8Array {
  assertG1(p);
  const out = new Uint8Array(G1_BYTES);
  writeWordBE(out, 0, p.x);
  writeWordBE(out, 32, p.y);
  return out;
}

/** Decodes 64-byte big-endian x ‖ y, rejecting coordinates ≥ p and points off the curve. */
export function decodeG1(bytes: Uint8Array, offset = 0): G1Affine {
  checkRange(bytes, offset, G1_BYTES, "G1 point");
  const p = { x: readWordBE(bytes, offset), y: readWordBE(bytes, offset + 32) };
  assertG1(p, `G1 point at offset ${offset}`);
  return p;
}

/** Affine coordinates of a @noble/curves point ((0, 0) for infinity). */
export function g1FromNoble(point: NobleG1): G1Affine {
  const { x, y } = point.toAffine();
  return { x, y };
}

/** The @noble/curves point of a valid affine point. */
export function g1ToNoble(p: G1Affine): NobleG1 {
  assertG1(p);
  return bn254.G1.Point.fromAffine({ x: p.x, y: p.y });
}

/** Reads a G1 point from the engine's 64-byte affine LEM form and validates it. */
export function g1FromLEM(bytes: Uint8Array, offset = 0): G1Affine {
  checkRange(bytes, offset, G1_BYTES, "G1 point (LEM)");
  const p = {
    x: MONT_P.read(bytes, offset, "G1 point (LEM).x"),
    y: MONT_P.read(bytes, offset + 32, "G1 point (LEM).y"),
  };
  assertG1(p, `G1 point (LEM) at offset ${offset}`);
  return p;
}

/** The engine's 64-byte affine LEM form of a valid G1 point (infinity is all zero, as in the engine). */
export function g1ToLEM(p: G1Affine): Uint8Array {
  assertG1(p);
  const out = new Uint8Array(G1_BYTES);
  MONT_P.write(out, 0, p.x);
  MONT_P.write(out, 32, p.y);
  return out;
}

// ---------------------------------------------------------------------------------------------
// G2

/**
 * G2 points already found valid, by their coordinates. The subgroup check takes tens of
 * milliseconds, and a key's G2 points ([1]₂, [τ]₂) are checked several times as it is decoded,
 * re-encoded and hashed; validity depends on the coordinates alone, so a hit needs no new check.
 */
const validG2 = new Map<string, NobleG2>();
const VALID_G2_REMEMBERED = 64;
const g2Key = (p: G2Affine): string => `${p.x.c0}:${p.x.c1}:${p.y.c0}:${p.y.c1}`;
// The generator is in the subgroup by definition: every key's [1]₂ is it, and a CLI process checked
// it on every start (about half of a key's decoding time on the main thread).
const G2_BASE = bn254.G2.Point.BASE;
const permanentG2 = new Map<string, NobleG2>([[g2Key(G2_BASE.toAffine()), G2_BASE]]);

function g2Noble(p: G2Affine, what: string): NobleG2 {
  if (p === null || typeof p !== "object" || !p.x || !p.y) throw new EncodingError(`${what}: expected {x, y}`);
  assertCoordinate(p.x.c0, `${what}.x.c0`);
  assertCoordinate(p.x.c1, `${what}.x.c1`);
  assertCoordinate(p.y.c0, `${what}.y.c0`);
  assertCoordinate(p.y.c1, `${what}.y.c1`);
  const key = g2Key(p);
  const known = permanentG2.get(key) ?? validG2.get(key);
  if (known) return known;
  const point = bn254.G2.Point.fromAffine({ x: p.x, y: p.y });
  try {
    // Checks the twist equation and membership in the order-r subgroup (G2 has a cofactor).
    point.assertValidity();
  } catch {
    throw new EncodingError(`${what}: not a point of the order-r subgroup of the twist`);
  }
  if (validG2.size >= VALID_G2_REMEMBERED) validG2.delete(validG2.keys().next().value!);
  validG2.set(key, point);
  return point;
}

/** Throws unless `p` has coordinates < p, is on the twist and in the order-r subgroup (or is infinity). */
export function assertG2(p: G2Affine, what = "G2 point"): void {
  g2Noble(p, what);
}

/** 128-byte encoding in the pairing precompile's order: x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0, big-endian. */
export function encodeG2(p: G2Affine): Uint8Array {
  assertG2(p);
  const out = new Uint8Array(G2_BYTES);
  writeWordBE(out, 0, p.x.c1);
  writeWordBE(out, 32, p.x.c0);
  writeWordBE(out, 64, p.y.c1);
  writeWordBE(out, 96, p.y.c0);
  return out;
}

/** Decodes the precompile's 128-byte G2 form and validates the point. */
export function decodeG2(bytes: Uint8Array, offset = 0): G2Affine {
  checkRange(bytes, offset, G2_BYTES, "G2 point");
  const p = {
    x: { c1: readWordBE(bytes, offset), c0: readWordBE(bytes, offset + 32) },
    y: { c1: readWordBE(bytes, offset + 64), c0: readWordBE(bytes, offset + 96) },
  };
  assertG2(p, `G2 point at offset ${offset}`);
  return p;
}

/** Affine coordinates of a @noble/curves G2 point (all zero for infinity). */
export function g2FromNoble(point: NobleG2): G2Affine {
  const { x, y } = point.toAffine();
  return { x: { c0: x.c0, c1: x.c1 }, y: { c0: y.c0, c1: y.c1 } };
}

/** The @noble/curves point of a valid affine G2 point. */
export function g2ToNoble(p: G2Affine): NobleG2 {
  return g2Noble(p, "G2 point");
}

/** Reads a G2 point from the engine's 128-byte affine LEM form (x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1) and validates it. */
export function g2FromLEM(bytes: Uint8Array, offset = 0): G2Affine {
  checkRange(bytes, offset, G2_BYTES, "G2 point (LEM)");
  const w = (i: number): bigint => MONT_P.read(bytes, offset + 32 * i, "G2 point (LEM)");
  const p = { x: { c0: w(0), c1: w(1) }, y: { c0: w(2), c1: w(3) } };
  assertG2(p, `G2 point (LEM) at offset ${offset}`);
  return p;
}

/** The engine's 128-byte affine LEM form of a valid G2 point. */
export function g2ToLEM(p: G2Affine): Uint8Array {
  assertG2(p);
  const out = new Uint8Array(G2_BYTES);
  MONT_P.write(out, 0, p.x.c0);
  MONT_P.write(out, 32, p.x.c1);
  MONT_P.write(out, 64, p.y.c0);
  MONT_P.write(out, 96, p.y.c1);
  return out;
}
