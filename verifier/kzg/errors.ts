/** Bad input to a KZG operation (shapes, degrees), or an opening that does not hold. */
export class KzgError extends Error {
  override name = "KzgError";
}

/**
 * The opening challenge z fell on an opening point (probability m/r): no opening exists for this
 * transcript, and a prover starts again with fresh blinding (docs/protocol.md §5.4).
 */
export class OpeningPointError extends KzgError {
  override name = "OpeningPointError";
}
