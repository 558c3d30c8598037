import { FieldError } from "../engine/fr.js";

/** Bad input to a polynomial operation (sizes, domains, points). */
export class PolyError extends FieldError {
  override name = "PolyError";
}

/**
 * A division by the vanishing polynomial left a nonzero remainder: the polynomial does not vanish
 * on the domain, so the identity it encodes does not hold.
 */
export class NonZeroRemainderError extends PolyError {
  override name = "NonZeroRemainderError";
}
