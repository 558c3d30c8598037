// Estimated prove time from the table size: the prover's work is a fixed number of MSMs and FFTs
// over 2^logRows rows, so its time is close to linear in the table size. The reference point is a
// measurement on this project's shared 2-core machine (docs/compiler.md); it is an estimate only.

/** Measured: a compiled 1l_mlp at 2^13 rows proved in 14.2 s (machine shared with other jobs). */
export const REFERENCE_PROVE = { logRows: 13, ms: 14_200 } as const;

/** Estimated prove time (ms) of a table of 2^logRows rows, linear in the rows. */
export function estimateProveMs(logRows: number): number {
  return Math.round(REFERENCE_PROVE.ms * 2 ** (logRows - REFERENCE_PROVE.logRows));
}
