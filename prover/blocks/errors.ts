// Errors of the blocks at witness time: a value outside the range a block was laid out for
// would make the constraints unsatisfiable (or, without a check, the witness silently wrong),
// so the block refuses it and says which value and which range.

/** A witness value lies outside the integer range its block was built for. */
export class BlockRangeError extends RangeError {
  override name = "BlockRangeError";
  constructor(
    /** What the value is, e.g. "rescale: quotient". */
    readonly what: string,
    readonly value: bigint,
    readonly lo: bigint,
    readonly hi: bigint,
  ) {
    super(`${what} = ${value} is outside the range [${lo}, ${hi}] the circuit was built for`);
  }
}
