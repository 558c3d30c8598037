// The accuracy report: float outputs (the reference) against dequantized circuit outputs over the
// calibration samples — max abs error, and top-1 agreement when an output is a score vector.

export interface AccuracyReport {
  samples: number;
  /** max over samples and elements of |float − dequantized|. */
  maxAbsError: number;
  meanAbsError: number;
  /** Largest |float| output seen (to read the error against). */
  maxAbsOutput: number;
  /** Fraction of samples whose first output's argmax agrees, up to float ties within one output step (null when it has one element). */
  top1Agreement: number | null;
  /** The bound compile promises for |float − dequantized| on inputs within the calibrated ranges. */
  tolerance: number;
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/**
 * `float[s][o]` and `quant[s][o]` are sample s's output o. The tolerance is twice the worst error
 * seen plus two units of the coarsest output scale: room for inputs other than the calibration
 * samples, and never below the rounding step.
 */
export function accuracyReport(float: readonly (readonly ArrayLike<number>[])[], quant: readonly (readonly ArrayLike<number>[])[], outputScales: readonly number[]): AccuracyReport {
  let maxAbsError = 0;
  let sum = 0;
  let count = 0;
  let maxAbsOutput = 0;
  let agree = 0;
  let scored = 0;
  float.forEach((outs, s) => {
    outs.forEach((f, o) => {
      const q = quant[s][o];
      for (let i = 0; i < f.length; i++) {
        const e = Math.abs(f[i] - q[i]);
        maxAbsError = Math.max(maxAbsError, e);
        maxAbsOutput = Math.max(maxAbsOutput, Math.abs(f[i]));
        sum += e;
        count++;
      }
    });
    if (outs[0].length > 1) {
      scored++;
      // Ties: the quantized argmax agrees when its float score is within one output step of the float maximum.
      const f = outs[0];
      if (f[argmax(f)] - f[argmax(quant[s][0])] <= 2 ** -outputScales[0]) agree++;
    }
  });
  // One output step 2^−s; integer outputs (scale 0) are exact or wrong, so half a unit.
  const step = Math.max(...outputScales.map((s) => (s > 0 ? 2 ** -s : 0.5)));
  return {
    samples: float.length,
    maxAbsError,
    meanAbsError: count ? sum / count : 0,
    maxAbsOutput,
    top1Agreement: scored ? agree / scored : null,
    tolerance: 2 * maxAbsError + 2 * step,
  };
}
