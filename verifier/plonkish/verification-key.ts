// The verification key: its fields, its canonical bytes (vk.bin) and their digest, which every
// proof's transcript absorbs first, the decoding of vk.bin, and a JSON view for humans (vk.json).
//
// vk.bin is exactly encodeVerificationKey(vk) (docs/protocol.md §3): decoding checks the length,
// magic and version, every field's range and every point (G1 on the curve, G2 in the order-r
// subgroup, [1]₂ the generator), re-encodes and compares, and returns the digest of the bytes.
import { bn254 } from "@noble/curves/bn254.js";
import { equalBytes } from "@noble/curves/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import {
  decodeG1,
  decodeG2,
  encodeG1,
  encodeG2,
  encodeUint256BE,
  g1FromLEM,
  g1ToLEM,
  g2FromLEM,
  g2FromNoble,
  g2ToLEM,
  readUint256BE,
  G1_BYTES,
  G2_BYTES,
  type G2Affine,
} from "../engine/encoding.js";
import type { G1Lem } from "../engine/g1-affine.js";
import { MAX_LOG_SIZE } from "../poly/index.js";
import { CircuitError, ProofFormatError } from "./errors.js";
import { CIRCUIT_MISMATCH, isCircuitDigest } from "./description.js";
import { MIN_LOG_ROWS, NUM_FIXED, PROTOCOL, rowCount, WEIGHT_SLOTS } from "./layout.js";

// Version 3: protocol zkinfer-plonkish-v3; the key carries the digests of the circuit description
// and of the public-input layout (docs/protocol.md §3.10). Version 4: protocol v5, K weight
// commitments [C_0]₁ … [C_(K−1)]₁ and two more fixed columns. Version 5: protocol v6, the fixed
// column s (22 fixed commitments). Version 6: K = 8 weight commitments (a version-5 key has 4, and
// would otherwise be refused for its length alone, as if truncated).
export const VK_MAGIC = Uint8Array.of(0x7a, 0x6b, 0x76, 0x06);

export interface VerificationKey {
  logRows: number;
  publicInputCount: number;
  /** keccak256 of the circuit description (gates, lookup and permutation layout, protocol version): CIRCUIT_DIGEST. */
  circuitDigest: Uint8Array;
  /** keccak256 of the public-input layout's canonical bytes (which inputs mean what, visibility, scales). */
  publicInputLayoutDigest: Uint8Array;
  /** Commitments to the NUM_FIXED fixed columns (layout order), affine LEM. */
  fixedCommitments: G1Lem[];
  /** [C_t]₁ = [W_t + r_(0,t)·Z_H]₁ for each slot t < K: the hiding commitments to the weights. */
  weightCommitments: G1Lem[];
  /** [1]₂ and [τ]₂ in the engine's form. */
  g2One: Uint8Array;
  g2Tau: Uint8Array;
  /** Built on a locally generated SRS whose τ someone knew: proofs under it prove nothing. */
  insecure: boolean;
}

/** The verification key's canonical bytes (docs/protocol.md §3). */
export function encodeVerificationKey(vk: VerificationKey): Uint8Array {
  if (vk.weightCommitments.length !== WEIGHT_SLOTS) throw new CircuitError(`verification key: expected ${WEIGHT_SLOTS} weight commitments, got ${vk.weightCommitments.length}`);
  const parts: Uint8Array[] = [
    VK_MAGIC,
    encodeUint256BE(BigInt(vk.logRows)),
    encodeUint256BE(BigInt(vk.publicInputCount)),
    encodeUint256BE(vk.insecure ? 1n : 0n),
    digestBytes(vk.circuitDigest, "circuit digest"),
    digestBytes(vk.publicInputLayoutDigest, "public-input layout digest"),
    ...vk.fixedCommitments.map((p) => encodeG1(g1FromLEM(p))),
    ...vk.weightCommitments.map((p) => encodeG1(g1FromLEM(p))),
    encodeG2(g2FromLEM(vk.g2One)),
    encodeG2(g2FromLEM(vk.g2Tau)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const VK_BYTES = 4 + 3 * 32 + 2 * 32 + (NUM_FIXED + WEIGHT_SLOTS) * G1_BYTES + 2 * G2_BYTES;

function digestBytes(d: Uint8Array, what: string): Uint8Array {
  if (!(d instanceof Uint8Array) || d.length !== 32) throw new CircuitError(`verification key: the ${what} must be 32 bytes`);
  return d;
}

const digests = new WeakMap<VerificationKey, { raw: Uint8Array; digest: Uint8Array }>();

/** The key's fields as raw bytes, without validation: cheap to recompute and compare. */
function rawKey(vk: VerificationKey): Uint8Array {
  const head = utf8ToBytes(`${vk.logRows}:${vk.publicInputCount}:${vk.insecure ? 1 : 0}:`);
  return concatBytes(head, vk.circuitDigest, vk.publicInputLayoutDigest, ...vk.fixedCommitments, ...vk.weightCommitments, vk.g2One, vk.g2Tau);
}

/**
 * keccak256 of the key's canonical bytes. Encoding validates the G2 points, which is slow, so the
 * digest is remembered per key object for as long as the object's fields are unchanged.
 */
export function verificationKeyDigest(vk: VerificationKey): Uint8Array {
  const raw = rawKey(vk);
  const hit = digests.get(vk);
  if (hit && equalBytes(hit.raw, raw)) return hit.digest.slice();
  const digest = keccak_256(encodeVerificationKey(vk));
  digests.set(vk, { raw, digest });
  return digest.slice();
}

/** A key file that cannot be decoded: truncated, corrupted, another format or version, inconsistent. */
export class KeyFileError extends ProofFormatError {
  override name = "KeyFileError";
}

/** The largest table a key may describe (the quotient is computed on 4n points). */
export const MAX_LOG_ROWS = MAX_LOG_SIZE - 2;

/** The G2 generator [1]₂ (every Powers-of-Tau file starts with it). */
const G2_GENERATOR: G2Affine = g2FromNoble(bn254.G2.Point.BASE);

function sameG2(a: G2Affine, b: G2Affine): boolean {
  return a.x.c0 === b.x.c0 && a.x.c1 === b.x.c1 && a.y.c0 === b.y.c0 && a.y.c1 === b.y.c1;
}

/**
 * Decodes vk.bin (the canonical bytes of encodeVerificationKey) and returns the key with its
 * digest. Throws KeyFileError naming what is wrong.
 */
export function decodeVerificationKey(bytes: Uint8Array): { vk: VerificationKey; digest: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw new KeyFileError("a verification key must be bytes");
  if (bytes.length < VK_MAGIC.length || !equalBytes(bytes.subarray(0, 3), VK_MAGIC.subarray(0, 3))) {
    throw new KeyFileError("not a zkinfer verification key (bad magic bytes)");
  }
  if (bytes[3] !== VK_MAGIC[3]) throw new KeyFileError(`verification key version ${bytes[3]} is not supported (expected ${VK_MAGIC[3]}); keys made by another zkinfer version: compile and run setup again`);
  if (bytes.length !== VK_BYTES) {
    throw new KeyFileError(`verification key has ${bytes.length} bytes; expected exactly ${VK_BYTES}${bytes.length < VK_BYTES ? " (truncated?)" : ""}`);
  }
  let o = VK_MAGIC.length;
  const word = (what: string, max: bigint): number => {
    const v = readUint256BE(bytes, o);
    if (v > max) throw new KeyFileError(`verification key: ${what} is ${v}, above its maximum ${max}`);
    o += 32;
    return Number(v);
  };
  const logRows = word("log2 of the row count", BigInt(MAX_LOG_ROWS));
  if (logRows < MIN_LOG_ROWS) throw new KeyFileError(`verification key: log2 of the row count is ${logRows}, below the minimum ${MIN_LOG_ROWS}`);
  const publicInputCount = word("the public input count", BigInt(rowCount({ logRows })));
  const insecure = word("the insecure flag", 1n) === 1;
  const circuitDigest = bytes.slice(o, o + 32);
  const publicInputLayoutDigest = bytes.slice(o + 32, o + 64);
  o += 64;
  if (!isCircuitDigest(circuitDigest)) throw new KeyFileError(CIRCUIT_MISMATCH);
  const g1 = (what: string): G1Lem => {
    try {
      const p = g1ToLEM(decodeG1(bytes, o));
      o += G1_BYTES;
      return p;
    } catch (e) {
      throw new KeyFileError(`verification key: ${what} at byte ${o}: ${(e as Error).message}`);
    }
  };
  const g2 = (what: string): G2Affine => {
    try {
      const p = decodeG2(bytes, o);
      o += G2_BYTES;
      return p;
    } catch (e) {
      throw new KeyFileError(`verification key: ${what} at byte ${o}: ${(e as Error).message}`);
    }
  };
  const fixedCommitments = Array.from({ length: NUM_FIXED }, (_, i) => g1(`fixed commitment ${i}`));
  const weightCommitments = Array.from({ length: WEIGHT_SLOTS }, (_, t) => g1(`weight commitment ${t}`));
  const g2One = g2("[1]₂");
  const g2Tau = g2("[τ]₂");
  if (!sameG2(g2One, G2_GENERATOR)) throw new KeyFileError("verification key: [1]₂ is not the G2 generator");
  if (g2Tau.x.c0 === 0n && g2Tau.x.c1 === 0n && g2Tau.y.c0 === 0n && g2Tau.y.c1 === 0n) {
    throw new KeyFileError("verification key: [τ]₂ is the point at infinity");
  }
  const vk: VerificationKey = {
    logRows,
    publicInputCount,
    circuitDigest,
    publicInputLayoutDigest,
    fixedCommitments,
    weightCommitments,
    g2One: g2ToLEM(g2One),
    g2Tau: g2ToLEM(g2Tau),
    insecure,
  };
  // Every field was range-checked on the way in; re-encoding must give the same bytes back.
  if (!equalBytes(encodeVerificationKey(vk), bytes)) throw new KeyFileError("verification key is not in canonical form");
  return { vk, digest: keccak_256(bytes) };
}

/** vk.json: a readable view of the verification key. vk.bin is the authoritative form. */
export interface VerificationKeyJson {
  protocol: string;
  logRows: number;
  rows: number;
  publicInputCount: number;
  /** keccak256 of vk.bin, 0x-prefixed. */
  digest: `0x${string}`;
  insecure: boolean;
  /** keccak256 of the circuit description and of the public-input layout, 0x-prefixed. */
  circuitDigest: `0x${string}`;
  publicInputLayoutDigest: `0x${string}`;
  /** Canonical encodings (docs/protocol.md §1), 0x-prefixed hex. */
  fixedCommitments: `0x${string}`[];
  weightCommitments: `0x${string}`[];
  g2One: `0x${string}`;
  g2Tau: `0x${string}`;
}

const hex = (b: Uint8Array): `0x${string}` => `0x${bytesToHex(b)}`;

export function verificationKeyJson(vk: VerificationKey): VerificationKeyJson {
  return {
    protocol: PROTOCOL,
    logRows: vk.logRows,
    rows: rowCount(vk),
    publicInputCount: vk.publicInputCount,
    digest: hex(keccak_256(encodeVerificationKey(vk))),
    insecure: vk.insecure,
    circuitDigest: hex(vk.circuitDigest),
    publicInputLayoutDigest: hex(vk.publicInputLayoutDigest),
    fixedCommitments: vk.fixedCommitments.map((p) => hex(encodeG1(g1FromLEM(p)))),
    weightCommitments: vk.weightCommitments.map((p) => hex(encodeG1(g1FromLEM(p)))),
    g2One: hex(encodeG2(g2FromLEM(vk.g2One))),
    g2Tau: hex(encodeG2(g2FromLEM(vk.g2Tau))),
  };
}
