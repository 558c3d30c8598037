// The structured reference string that KZG commits with: G1 powers of τ and [1]₂, [τ]₂.
import type { Bn128 } from "ffjavascript";
import { getEngine } from "../../verifier/engine/bn254.js";
import { checkPowers } from "./checks.js";
import { SrsError } from "./errors.js";
import { G1_BYTES } from "./ptau-file.js";
import { g2ToBigints, type G2Affine } from "./points.js";

export type { G2Affine } from "./points.js";

export interface Srs {
  /** G1 powers [τ^0]₁ … [τ^(n−1)]₁, n*64 bytes, affine LEM (what c.G1.multiExpAffine takes as bases). */
  g1: Uint8Array;
  /** Number of G1 powers held. */
  size: number;
  /** [1]₂ and [τ]₂ as affine points with Fp2 coordinates as bigints (c0 real, c1 imaginary), for codegen and noble. */
  g2One: G2Affine;
  g2Tau: G2Affine;
  /** The same two points in ffjavascript's G2 affine form (for c.pairingEq). */
  g2OneEngine: Uint8Array;
  g2TauEngine: Uint8Array;
  /** true for a locally generated SRS: everything built on it is insecure. */
  insecure: boolean;
  /** Where it came from: a file path and its power, or "dev". */
  source: string;
  /**
   * [L_0(τ)]₁ … [L_(n−1)(τ)]₁ for the domain of n = 2^logSize (affine LEM, ω as in poly/Domain),
   * when the source has them: a dev SRS, or a .ptau prepared for phase 2. Undefined otherwise.
   * Not validated here: whoever uses a basis checks it against the powers (plonkish setup does).
   */
  lagrangeBasis?: (logSize: number) => Promise<Uint8Array | undefined>;
}

/** Assembles an {@link Srs} from validated engine-form parts. */
export function makeSrs(
  c: Bn128,
  parts: { g1: Uint8Array; g2OneEngine: Uint8Array; g2TauEngine: Uint8Array; insecure: boolean; source: string },
): Srs {
  return {
    g1: parts.g1,
    size: parts.g1.byteLength / G1_BYTES,
    g2One: g2ToBigints(c, parts.g2OneEngine),
    g2Tau: g2ToBigints(c, parts.g2TauEngine),
    g2OneEngine: parts.g2OneEngine,
    g2TauEngine: parts.g2TauEngine,
    insecure: parts.insecure,
    source: parts.source,
  };
}

/** Checks that a requested number of powers is a positive integer. */
export function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new SrsError("format", `SRS size must be a positive integer, got ${size}`);
  }
}

/**
 * Runs on an in-memory SRS the same checks as loading a file: every point valid, generators in
 * place, [τ]₂ matching [τ]₁, and the random-linear-combination pairing check over all powers.
 * Throws {@link SrsError} (kind "invalid") listing what failed.
 */
export async function validateSrs(srs: Srs): Promise<void> {
  const c = await getEngine();
  if (srs.g1.byteLength !== srs.size * G1_BYTES) {
    throw new SrsError("format", `SRS g1 holds ${srs.g1.byteLength} bytes, but size ${srs.size} needs ${srs.size * G1_BYTES}`);
  }
  const reasons = await checkPowers(c, {
    total: srs.size,
    read: async (first, count) => srs.g1.subarray(first * G1_BYTES, (first + count) * G1_BYTES),
    g2One: srs.g2OneEngine,
    g2Tau: srs.g2TauEngine,
  });
  if (reasons.length > 0) throw new SrsError("invalid", `invalid SRS (${srs.source}): ${reasons.join("; ")}`);
}
