// The proof's canonical binary form and the JSON proof file (docs/protocol.md §5).
// Decoding is strict: exact length, magic and version, every scalar < r, every point on the
// curve with coordinates < p. Re-encoding a decoded proof gives the same bytes.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { decodeG1, decodeScalar, encodeG1, encodeScalar, g1FromLEM, g1ToLEM, G1_BYTES, SCALAR_BYTES } from "../engine/encoding.js";
import { R } from "../engine/bn254.js";
import type { G1Lem } from "../engine/g1-affine.js";
import { ProofFileError, ProofFormatError } from "./errors.js";
import { NUM_EVALUATIONS, PHASES, PROTOCOL, QUOTIENT_CHUNKS } from "./layout.js";
import { OPENING_WITNESSES } from "./schedule.js";

// 2: protocol v5 (35 evaluations). 3: protocol v6 (the power column P: 14 commitments, 38 evaluations).
// 4: protocol v7 (the SHPLONK opening: witnesses W, W′ instead of π_ζ, π_ωζ; same size as version 3).
export const PROOF_VERSION = 4;
export const PROOF_MAGIC = Uint8Array.of(0x7a, 0x6b, 0x70, PROOF_VERSION);
/** Advice commitments of every phase, then the quotient chunks. */
export const PROOF_COMMITMENTS = PHASES.reduce((s, p) => s + p.columns.length, 0) + QUOTIENT_CHUNKS;
export const PROOF_BYTES = PROOF_MAGIC.length + (PROOF_COMMITMENTS + OPENING_WITNESSES) * G1_BYTES + NUM_EVALUATIONS * SCALAR_BYTES;

export interface Proof {
  /** a, b, c, m, W′, u, v, P, z, acc, φ, t₀, t₁, t₂ (affine LEM). */
  commitments: G1Lem[];
  /** NUM_EVALUATIONS values: every column at ζ, then the next-row columns at ωζ. */
  evaluations: bigint[];
  /** The SHPLONK witnesses W, W′ (docs/protocol.md §6.4). */
  witnesses: G1Lem[];
}

export function encodeProof(proof: Proof): Uint8Array {
  if (proof.commitments.length !== PROOF_COMMITMENTS || proof.evaluations.length !== NUM_EVALUATIONS || proof.witnesses.length !== OPENING_WITNESSES) {
    throw new ProofFormatError("proof has the wrong number of commitments, evaluations or witnesses");
  }
  const out = new Uint8Array(PROOF_BYTES);
  out.set(PROOF_MAGIC, 0);
  let o = PROOF_MAGIC.length;
  for (const p of proof.commitments) {
    out.set(encodeG1(g1FromLEM(p)), o);
    o += G1_BYTES;
  }
  for (const e of proof.evaluations) {
    out.set(encodeScalar(e), o);
    o += SCALAR_BYTES;
  }
  for (const p of proof.witnesses) {
    out.set(encodeG1(g1FromLEM(p)), o);
    o += G1_BYTES;
  }
  return out;
}

export function decodeProof(bytes: Uint8Array): Proof {
  if (!(bytes instanceof Uint8Array)) throw new ProofFormatError("proof must be bytes");
  if (bytes.length !== PROOF_BYTES) throw new ProofFormatError(`proof has ${bytes.length} bytes; version ${PROOF_VERSION} proofs have exactly ${PROOF_BYTES}`);
  if (bytes[0] !== PROOF_MAGIC[0] || bytes[1] !== PROOF_MAGIC[1] || bytes[2] !== PROOF_MAGIC[2]) {
    throw new ProofFormatError("not a zkinfer proof (bad magic bytes)");
  }
  if (bytes[3] !== PROOF_VERSION) {
    throw new ProofFormatError(`proof version ${bytes[3]} is not supported (this verifier reads version ${PROOF_VERSION}, protocol ${PROTOCOL}): prove again with this release`);
  }
  let o = PROOF_MAGIC.length;
  const point = (what: string): G1Lem => {
    try {
      const p = g1ToLEM(decodeG1(bytes, o));
      o += G1_BYTES;
      return p;
    } catch (e) {
      throw new ProofFormatError(`${what} at byte ${o}: ${(e as Error).message}`);
    }
  };
  const commitments = Array.from({ length: PROOF_COMMITMENTS }, (_, i) => point(`commitment ${i}`));
  const evaluations: bigint[] = [];
  for (let i = 0; i < NUM_EVALUATIONS; i++) {
    try {
      evaluations.push(decodeScalar(bytes, o));
    } catch (e) {
      throw new ProofFormatError(`evaluation ${i} at byte ${o}: ${(e as Error).message}`);
    }
    o += SCALAR_BYTES;
  }
  const witnesses = Array.from({ length: OPENING_WITNESSES }, (_, i) => point(`opening witness ${i}`));
  return { commitments, evaluations, witnesses };
}

/** The proof file: canonical proof bytes as hex, public inputs as decimal strings, dequantized outputs. */
export interface ProofFile {
  version: number;
  proof: `0x${string}`;
  publicInputs: string[];
  outputs: number[];
}

export function toProofFile(proof: Uint8Array, publicInputs: readonly bigint[], outputs: readonly number[] = []): ProofFile {
  return {
    version: PROOF_VERSION,
    proof: `0x${bytesToHex(proof)}`,
    publicInputs: publicInputs.map((x) => x.toString()),
    outputs: [...outputs],
  };
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX = /^0x([0-9a-f]{2})*$/;

/**
 * Parses and strictly checks a proof file (a parsed JSON value); returns the proof bytes and public
 * inputs. A malformed file throws ProofFileError; proof bytes that do not decode, ProofFormatError.
 */
export function parseProofFile(json: unknown): { proof: Uint8Array; publicInputs: bigint[]; outputs: number[] } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ProofFileError("a proof file must be a JSON object");
  const f = json as Record<string, unknown>;
  for (const key of Object.keys(f)) {
    if (!["version", "proof", "publicInputs", "outputs"].includes(key)) throw new ProofFileError(`proof file has an unknown field "${key}"`);
  }
  if (f.version !== PROOF_VERSION) throw new ProofFileError(`proof file version ${JSON.stringify(f.version)} is not supported (expected ${PROOF_VERSION})`);
  if (typeof f.proof !== "string" || !HEX.test(f.proof)) throw new ProofFileError('"proof" must be a lowercase 0x-prefixed hex string of whole bytes');
  if (!Array.isArray(f.publicInputs)) throw new ProofFileError('"publicInputs" must be an array of decimal strings');
  const publicInputs = f.publicInputs.map((x, i) => {
    if (typeof x !== "string" || !DECIMAL.test(x)) throw new ProofFileError(`public input ${i} must be a canonical decimal string`);
    const v = BigInt(x);
    if (v >= R) throw new ProofFileError(`public input ${i} is not below the field modulus r`);
    return v;
  });
  const outputs = f.outputs ?? [];
  if (!Array.isArray(outputs) || !outputs.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new ProofFileError('"outputs" must be an array of finite numbers');
  }
  const proof = hexToBytes(f.proof.slice(2));
  if (proof.length !== PROOF_BYTES) throw new ProofFileError(`"proof" has ${proof.length} bytes; version ${PROOF_VERSION} proofs have exactly ${PROOF_BYTES}`);
  // Undecodable bytes of the right length: a ProofFormatError, not a ProofFileError (an invalid proof).
  decodeProof(proof);
  return { proof, publicInputs, outputs: outputs as number[] };
}

