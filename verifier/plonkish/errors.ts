// Errors of the proof system, each naming what is wrong in terms a user can act on.

/** The circuit table is malformed (wrong sizes, non-boolean selectors, an SRS too small for it). */
export class CircuitError extends Error {
  override name = "CircuitError";
}

/** The witness does not satisfy the circuit: the prover's own check names the gate and row. */
export class UnsatisfiedError extends Error {
  override name = "UnsatisfiedError";
  constructor(
    readonly gate: string,
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A challenge hit one of the few values where the honest prover cannot continue (a pole of a
 * running column's step, or ζ ∈ H; probability at most 7n/r). The prover starts again with fresh
 * blinding (docs/protocol.md §5.4); this error leaves the prover only if that keeps happening.
 */
export class ChallengeRetryError extends Error {
  override name = "ChallengeRetryError";
}

/** A proof, key or proof file that cannot be decoded (wrong length, non-canonical encoding, bad version). */
export class ProofFormatError extends Error {
  override name = "ProofFormatError";
}

/**
 * A proof file (JSON) that is malformed as a file: not an object, unknown fields, wrong version,
 * bad hex, public inputs that are not canonical field elements, or proof bytes of the wrong
 * length. Proof bytes of the right length that do not decode throw a plain ProofFormatError:
 * such a proof is invalid rather than the file unreadable.
 */
export class ProofFileError extends ProofFormatError {
  override name = "ProofFileError";
}
