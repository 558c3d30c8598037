// Estimated prove time from the table size. The prover's work is a fixed number of MSMs and FFTs
// over 2^logRows rows, so its time grows with the table size, a little faster than linearly. The
// reference points are prove times measured by `npm run bench` (the proof-system suite's matvec
// circuits, `--large` for 2^18) on this project's shared 2-core machine, quiet (load < 1), on
// 2026-12-07 at c5276e3: 2^12 1.11 / 0.81 s, 2^14 2.68 / 2.85 s, 2^16 9.89 / 10.40 s (two runs),
// 2^18 35.9 s. A `zkinfer prove` adds about a second: Node start-up, the key load, the witness.
// Between two points the estimate interpolates geometrically; beyond them it doubles per doubling
// of the rows. It is an estimate only.

/** Measured prove times (ms) by log₂ of the rows, ascending. */
export const MEASURED_PROVE_MS: readonly (readonly [logRows: number, ms: number])[] = [
  [12, 950],
  [14, 2_750],
  [16, 10_100],
  [18, 36_000],
];

/** Estimated prove time (ms) of a table of 2^logRows rows. */
export function estimateProveMs(logRows: number): number {
  const points = MEASURED_PROVE_MS;
  const [firstLog, firstMs] = points[0];
  const [lastLog, lastMs] = points[points.length - 1];
  if (logRows <= firstLog) return Math.round(firstMs * 2 ** (logRows - firstLog));
  if (logRows >= lastLog) return Math.round(lastMs * 2 ** (logRows - lastLog));
  const upper = points.findIndex(([log]) => log >= logRows);
  const [log0, ms0] = points[upper - 1];
  const [log1, ms1] = points[upper];
  return Math.round(ms0 * (ms1 / ms0) ** ((logRows - log0) / (log1 - log0)));
}
