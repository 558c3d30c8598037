/**
 * Why an SRS was refused.
 * - `"format"`: the file cannot be read as a BN254 Powers-of-Tau file (missing, not a ptau,
 *   another curve, truncated, section sizes that disagree with the header), or it holds fewer
 *   powers than asked for.
 * - `"invalid"`: the file is well formed but its points are not a valid SRS (a coordinate ≥ p,
 *   a point off the curve or outside the subgroup, wrong generators, or powers that fail the
 *   pairing consistency checks).
 */
export type SrsErrorKind = "format" | "invalid";

/** Thrown when a structured reference string cannot be loaded or fails validation. */
export class SrsError extends Error {
  override name = "SrsError";
  readonly kind: SrsErrorKind;

  constructor(kind: SrsErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}
