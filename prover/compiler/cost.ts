// Estimated prove time from the table size: the prover's work is a fixed number of MSMs and FFTs
// over 2^logRows rows, so its time is close to linear in the table size. The reference point is
// measured on this project's shared 2-core machine: the median prove time of the 24 conformance
// models at 2^13 rows (docs/conformance.md; medians 3.8 s at 2^12, 13.1 s at 2^14, 25 s at 2^15
// follow the doubling). It is an estimate only.

export const REFERENCE_PROVE = { logRows: 13, ms: 6_500 } as const;

/** Estimated prove time (ms) of a table of 2^logRows rows, linear in the rows. */
export function estimateProveMs(logRows: number): number {
  return Math.round(REFERENCE_PROVE.ms * 2 ** (logRows - REFERENCE_PROVE.logRows));
}
