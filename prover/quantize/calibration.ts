// Calibration data in EZKL's layout and the ranges it gives: {"input_data": [[…], …]} holds one
// flat list per model input; a list k times the input's size holds k samples one after another.

/** Bad calibration or input data (the CLI reports it as bad input). */
export class CalibrationError extends Error {
  override name = "CalibrationError";
}

export interface InputSpec {
  name: string;
  dims: number[];
}

/** samples[s][i]: sample s's values for model input i. */
export type Samples = number[][][];

export function parseInputData(json: unknown, inputs: readonly InputSpec[], what: string, options: { single?: boolean } = {}): Samples {
  const data = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { input_data?: unknown }).input_data : undefined;
  const describe = inputs.map((v) => `${v.name} [${v.dims.join(", ")}]`).join(", ");
  if (!Array.isArray(data)) throw new CalibrationError(`${what} must be an object with "input_data": one flat list of numbers per model input (${describe})`);
  if (data.length !== inputs.length) throw new CalibrationError(`${what}: "input_data" has ${data.length} list(s), the model has ${inputs.length} input(s) (${describe})`);
  let samples = -1;
  const lists = data.map((list: unknown, i) => {
    const n = inputs[i].dims.reduce((a, b) => a * b, 1);
    const flat = Array.isArray(list) ? (list as unknown[]).flat(Infinity) : undefined;
    if (!flat) throw new CalibrationError(`${what}: input_data[${i}] must be a list of numbers`);
    flat.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new CalibrationError(`${what}: input_data[${i}][${j}] = ${JSON.stringify(v)} is not a finite number`);
    });
    if (flat.length === 0 || flat.length % n !== 0) {
      throw new CalibrationError(
        `${what}: input_data[${i}] has ${flat.length} values; input ${inputs[i].name} needs ${n} per sample (k samples: one list of k × ${n} values, the samples one after another)`,
      );
    }
    const k = flat.length / n;
    if (samples !== -1 && k !== samples) throw new CalibrationError(`${what}: the inputs hold different numbers of samples (${samples} and ${k})`);
    samples = k;
    return flat as number[];
  });
  if (options.single && samples !== 1) throw new CalibrationError(`${what}: expected one sample, got ${samples}`);
  return Array.from({ length: samples }, (_, s) =>
    lists.map((flat) => {
      const n = flat.length / samples;
      return flat.slice(s * n, (s + 1) * n);
    }),
  );
}

/** Max |x| of every value over all samples, from a float evaluation that returns every value. */
export function calibrate(samples: Samples, evaluate: (sample: number[][]) => Map<string, ArrayLike<number | bigint>>): Record<string, number> {
  const ranges: Record<string, number> = {};
  for (const sample of samples) {
    for (const [name, values] of evaluate(sample)) {
      let m = ranges[name] ?? 0;
      for (let i = 0; i < values.length; i++) {
        const v = Math.abs(Number(values[i]));
        if (Number.isFinite(v) && v > m) m = v;
      }
      ranges[name] = m;
    }
  }
  return ranges;
}
