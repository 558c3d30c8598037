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

/** A proof, key or proof file that cannot be decoded (wrong length, non-canonical encoding, bad version). */
export class ProofFormatError extends Error {
  override name = "ProofFormatError";
}
