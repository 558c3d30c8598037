// The keccak256 Fiat–Shamir transcript (docs/protocol.md §2), reproduced byte for byte by
// contracts/lib/KeccakTranscript.sol.
//
// The transcript is a 32-byte running state. Every operation hashes the state, a 32-byte
// header (label ‖ operation tag) and the operation's data into a new state:
//   state ← keccak256(state ‖ header(label, tag) ‖ data)
// A challenge first binds its label and count the same way, then squeezes 512 bits per
// challenge from the new state and a counter and reduces them mod r.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bn254 } from "@noble/curves/bn254.js";
import { R } from "../engine/bn254.js";
import {
  EncodingError,
  G1_BYTES,
  decodeG1,
  encodeG1,
  encodeScalars,
  g1FromLEM,
  encodeUint256BE,
  g1FromNoble,
  readUint256BE,
  type G1Affine,
  type NobleG1,
} from "../engine/encoding.js";

/** Misuse of the transcript: a bad label or challenge count. */
export class TranscriptError extends Error {
  override name = "TranscriptError";
}

/** Operation tags: the last byte of every header, so operations of different kinds never share a hash input. */
export const TAG = {
  init: 0x01,
  scalars: 0x02,
  g1: 0x03,
  bytes: 0x04,
  challenge: 0x05,
  squeeze: 0x06,
} as const;

/** Labels are 1 to 31 printable ASCII bytes (0x20–0x7e), zero-padded to 31 bytes in the header. */
export const MAX_LABEL_BYTES = 31;

/** 2^256 mod r: folds the high 256 bits of a 512-bit squeeze into Fr. */
export const TWO_256_MOD_R = (1n << 256n) % R;

/**
 * A G1 point in any canonical form: affine coordinates, a @noble/curves point, or the
 * 64-byte big-endian encoding. The engine's LEM form is also 64 bytes and cannot be told
 * apart from it, so convert it first with `g1FromLEM`.
 */
export type G1Input = G1Affine | NobleG1 | Uint8Array;

/** The 32-byte header: the label's bytes, zero padding, and the tag as byte 31. */
export function header(label: string, tag: number): Uint8Array {
  if (typeof label !== "string" || label.length < 1 || label.length > MAX_LABEL_BYTES) {
    throw new TranscriptError(`label ${JSON.stringify(label)} must be 1 to ${MAX_LABEL_BYTES} characters`);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    // No NUL (so zero padding is unambiguous) and no multi-byte characters (so length = bytes).
    if (c < 0x20 || c > 0x7e) {
      throw new TranscriptError(`label ${JSON.stringify(label)} has a character outside printable ASCII`);
    }
    out[i] = c;
  }
  out[31] = tag;
  return out;
}

/** The squeeze header has no label: the state it follows already binds one. */
const SQUEEZE_HEADER = (() => {
  const h = new Uint8Array(32);
  h[31] = TAG.squeeze;
  return h;
})();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function g1Bytes(p: G1Input, what: string): Uint8Array {
  if (p instanceof Uint8Array) {
    if (p.length !== G1_BYTES) throw new EncodingError(`${what}: expected ${G1_BYTES} bytes, got ${p.length}`);
    decodeG1(p); // validates: coordinates < p, on the curve
    return p;
  }
  if (p instanceof bn254.G1.Point) return encodeG1(g1FromNoble(p));
  return encodeG1(p as G1Affine);
}

/** One expected operation of a protocol's transcript schedule. */
export interface ScheduleStep {
  op: "scalars" | "g1" | "bytes" | "challenge";
  label: string;
}

const OP_OF_TAG: Record<number, ScheduleStep["op"]> = {
  [TAG.scalars]: "scalars",
  [TAG.g1]: "g1",
  [TAG.bytes]: "bytes",
  [TAG.challenge]: "challenge",
};

export interface TranscriptOptions {
  /**
   * The protocol's operations in order. When given, any other operation (a challenge drawn
   * before its phase's commitments are absorbed, say) throws a TranscriptError before it
   * touches the state. The schedule changes nothing in the bytes hashed.
   */
  schedule?: readonly ScheduleStep[];
}

/** A keccak256 Fiat–Shamir transcript; see docs/protocol.md §2 for the exact byte encoding. */
export class Transcript {
  #state: Uint8Array;
  #schedule: readonly ScheduleStep[] | undefined;
  #next = 0;

  /** Starts a transcript: state₀ = keccak256(0³² ‖ header(protocol, INIT)). */
  constructor(protocol: string, options: TranscriptOptions = {}) {
    this.#state = keccak_256(concat([new Uint8Array(32), header(protocol, TAG.init)]));
    this.#schedule = options.schedule;
  }

  /** Throws unless every step of the schedule (if any) has been performed. */
  assertScheduleComplete(): void {
    const s = this.#schedule;
    if (s && this.#next < s.length) {
      throw new TranscriptError(`transcript ended at step ${this.#next} of ${s.length}: ${s[this.#next].op} "${s[this.#next].label}" is missing`);
    }
  }

  /** A copy of the current 32-byte state. */
  get state(): Uint8Array {
    return this.#state.slice();
  }

  /** An independent transcript with the same state. */
  clone(): Transcript {
    // The throwaway init hash is cheaper than a second, public way to construct from a state.
    const t = new Transcript("clone", { schedule: this.#schedule });
    t.#state = this.#state.slice();
    t.#next = this.#next;
    return t;
  }

  #update(label: string, tag: number, data: Uint8Array): void {
    const h = header(label, tag);
    const s = this.#schedule;
    if (s) {
      const op = OP_OF_TAG[tag];
      const want = s[this.#next];
      if (!want || want.op !== op || want.label !== label) {
        const expected = want ? `${want.op} "${want.label}"` : "nothing (the schedule is complete)";
        throw new TranscriptError(`transcript step ${this.#next}: expected ${expected}, got ${op} "${label}"`);
      }
      this.#next++;
    }
    this.#state = keccak_256(concat([this.#state, h, data]));
  }

  /** Absorbs one scalar; throws EncodingError unless 0 ≤ x < r. */
  absorbScalar(label: string, x: bigint): void {
    this.absorbScalars(label, [x]);
  }

  /** Absorbs a list of scalars (possibly empty) as one operation; each must be < r. */
  absorbScalars(label: string, xs: readonly bigint[]): void {
    this.#update(label, TAG.scalars, encodeScalars(xs));
  }

  /** Absorbs one G1 point; throws EncodingError if a coordinate is ≥ p or the point is off the curve. */
  absorbG1(label: string, point: G1Input): void {
    this.absorbG1s(label, [point]);
  }

  /** Absorbs a list of G1 points (possibly empty) as one operation. */
  absorbG1s(label: string, points: readonly G1Input[]): void {
    this.#update(label, TAG.g1, concat(points.map((p, i) => g1Bytes(p, `G1 point ${i} of "${label}"`))));
  }

  /**
   * Absorbs G1 points held in the engine's affine LEM form: one point (64 bytes) or a flat
   * array of n points (n·64 bytes), as one operation. Absorbed exactly like the canonical forms.
   */
  absorbG1Lem(label: string, lem: Uint8Array): void {
    if (!(lem instanceof Uint8Array) || lem.length % G1_BYTES !== 0) {
      throw new EncodingError(`G1 points (LEM) of "${label}": expected a multiple of ${G1_BYTES} bytes`);
    }
    const points: G1Affine[] = [];
    for (let o = 0; o < lem.length; o += G1_BYTES) points.push(g1FromLEM(lem, o));
    this.absorbG1s(label, points);
  }

  /** Absorbs arbitrary bytes (possibly empty); the hash input's length delimits them. */
  absorbBytes(label: string, bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new EncodingError(`bytes of "${label}": expected a Uint8Array`);
    this.#update(label, TAG.bytes, bytes);
  }

  /** One challenge in [0, r). */
  challenge(label: string): bigint {
    return this.challenges(label, 1)[0];
  }

  /**
   * k challenges in [0, r) under one label. The label and k are absorbed first, so the
   * new state determines every challenge and every later operation depends on them.
   */
  challenges(label: string, k: number): bigint[] {
    if (!Number.isSafeInteger(k) || k < 1) throw new TranscriptError(`challenge count ${k} must be a positive integer`);
    this.#update(label, TAG.challenge, encodeUint256BE(BigInt(k)));
    const out: bigint[] = [];
    for (let i = 0; i < k; i++) {
      const hi = this.#squeeze(2 * i);
      const lo = this.#squeeze(2 * i + 1);
      // (hi·2^256 + lo) mod r, computed as Solidity does: addmod(mulmod(hi, 2^256 mod r, r), lo, r).
      out.push((hi * TWO_256_MOD_R + lo) % R);
    }
    return out;
  }

  #squeeze(counter: number): bigint {
    const block = keccak_256(concat([this.#state, SQUEEZE_HEADER, encodeUint256BE(BigInt(counter))]));
    return readUint256BE(block);
  }
}
