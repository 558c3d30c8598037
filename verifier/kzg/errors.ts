/** Bad input to a KZG operation (shapes, degrees), or an opening that does not hold. */
export class KzgError extends Error {
  override name = "KzgError";
}
