// matvec: a one-layer network built directly in code, for demos, tests and benchmarks.
//
//   x ∈ Z^{P×k}      public inputs: P input vectors of length k, signed `bits`-bit integers
//   W ∈ [−8, 8]^{m×k} private weights, drawn from the manifest's seed
//   y = W·x          (per vector; the matmul block's Freivalds rows)
//   o = y² + y       elementwise (one arithmetic row each), always ≥ 0
//   public inputs:   x (P·k values, vector by vector), then o (P·m values, vector by vector)
//
// Constraints besides the matrix product: every input is range-checked in-circuit
// (x + 2^(bits−1) ∈ [0, 2^bits)), and every output is range-checked as a non-negative number of
// `outputBits` bits by limbs of `bits` bits (a limb table of 2^bits entries, plus a smaller one for
// the top limb), with the limbs' weighted sum copied to o. For inputs in range and weights in
// [−8, 8], |y| ≤ 8·k·2^(bits−1) =: Y and 0 ≤ o ≤ Y·(Y + 1) < 2^outputBits, so an honest witness
// always passes; an input out of range is refused before proving, naming the input.
import { R } from "../engine/bn254.js";
import { arithmeticRow, linear } from "../blocks/arithmetic.js";
import { matmul } from "../blocks/matmul.js";
import { rangeCheck } from "../blocks/range-check.js";
import { CircuitBuilder, type Cell } from "../circuit/builder.js";
import { MAX_LOG_SIZE } from "../poly/index.js";
import { layout, MIN_LOG_ROWS } from "../plonkish/index.js";
import { freshSeed, seededInts } from "./seeded.js";
import { CircuitInputError, CircuitParamError, type BuiltCircuit, type BuiltinCircuit, type CircuitParams } from "./types.js";

/** Weights lie in [−WEIGHT_BOUND, WEIGHT_BOUND]. */
export const WEIGHT_BOUND = 8;
const MIN_BITS = 2;
const MAX_BITS = 10;
const MAX_ROWS = 2 ** (MAX_LOG_SIZE - 2);

export interface MatvecParams {
  m: number;
  k: number;
  P: number;
  bits: number;
  seed: string;
}

/** Derived sizes: the output bound and its limb decomposition. */
export interface MatvecShape extends MatvecParams {
  /** Y = max |y|. */
  yBound: bigint;
  /** Bits of the largest output Y·(Y + 1). */
  outputBits: number;
  /** Limbs per output and the width of the top one. */
  limbs: number;
  topBits: number;
}

export function matvecShape(p: MatvecParams): MatvecShape {
  const yBound = BigInt(WEIGHT_BOUND) * BigInt(p.k) * (1n << BigInt(p.bits - 1));
  const outputBits = Math.max(1, (yBound * (yBound + 1n)).toString(2).length);
  const limbs = Math.ceil(outputBits / p.bits);
  return { ...p, yBound, outputBits, limbs, topBits: outputBits - (limbs - 1) * p.bits };
}

/** Rows the circuit uses (the builder's count; a test checks the two agree). */
export function matvecRows(p: MatvecParams): number {
  const { m, k, P, limbs } = matvecShape(p);
  // public rows (k + m)·P, input shift + lookup 2kP, matmul ⌈m/K⌉·k + kP + mP + k (K output rows
  // to a weight row), activation mP, per output (limbs − 1) sum rows and `limbs` lookups.
  return Math.ceil(m / layout.WEIGHT_SLOTS) * k + k + 4 * k * P + m * P * (2 * limbs + 2);
}

/** Lookup-table entries: the 2^bits limb/input table and, if narrower, the top limb's. */
export function matvecTableRows(p: MatvecParams): number {
  const { bits, topBits } = matvecShape(p);
  return 2 ** bits + (topBits < bits ? 2 ** topBits : 0);
}

function intParam(raw: unknown, name: string, min: number, max: number): number {
  const v = typeof raw === "string" && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new CircuitParamError(`matvec: parameter ${name} must be an integer, got ${JSON.stringify(raw)}`);
  if (v < min || v > max) throw new CircuitParamError(`matvec: parameter ${name} = ${v} is outside ${min}…${max}`);
  return v;
}

function toParams(params: CircuitParams): MatvecParams {
  return { m: Number(params.m), k: Number(params.k), P: Number(params.P), bits: Number(params.bits), seed: String(params.seed) };
}

function normalize(raw: Record<string, unknown>, options: { fresh?: boolean } = {}): MatvecParams {
  for (const key of Object.keys(raw)) {
    if (!(key in PARAMS)) throw new CircuitParamError(`matvec: unknown parameter "${key}" (known: ${Object.keys(PARAMS).join(", ")})`);
  }
  if (raw.m === undefined || raw.k === undefined) throw new CircuitParamError("matvec: parameters m and k are required (e.g. m=4 k=8)");
  const m = intParam(raw.m, "m", 1, MAX_ROWS);
  const k = intParam(raw.k, "k", 1, MAX_ROWS);
  const P = intParam(raw.P ?? 1, "P", 1, MAX_ROWS);
  const bits = intParam(raw.bits ?? 8, "bits", MIN_BITS, MAX_BITS);
  let seed: string;
  if (raw.seed === undefined) {
    if (!options.fresh) throw new CircuitParamError("matvec: parameter seed is missing (it fixes the weights)");
    seed = freshSeed();
  } else {
    seed = typeof raw.seed === "number" && Number.isSafeInteger(raw.seed) ? String(raw.seed) : (raw.seed as string);
    if (typeof seed !== "string" || !/^[0-9A-Za-z_-]{1,128}$/.test(seed)) {
      throw new CircuitParamError("matvec: parameter seed must be 1 to 128 letters, digits, '-' or '_'");
    }
  }
  const params = { m, k, P, bits, seed };
  const shape = matvecShape(params);
  if (shape.yBound * (shape.yBound + 1n) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CircuitParamError(`matvec: k = ${k} with ${bits}-bit inputs makes outputs up to ${shape.yBound * (shape.yBound + 1n)}, beyond exact JSON numbers; use a smaller k or bits`);
  }
  const rows = Math.max(matvecRows(params), matvecTableRows(params));
  if (rows > MAX_ROWS) throw new CircuitParamError(`matvec: m = ${m}, k = ${k}, P = ${P} needs ${rows} rows, more than the 2^${MAX_LOG_SIZE - 2} a table can have`);
  return params;
}

/** The weights W (m×k) the seed fixes. */
export function matvecWeights(p: MatvecParams): number[][] {
  const flat = seededInts(p.seed, `matvec ${p.m}x${p.k}`, p.m * p.k, -WEIGHT_BOUND, WEIGHT_BOUND);
  return Array.from({ length: p.m }, (_, i) => flat.slice(i * p.k, (i + 1) * p.k));
}

/** Constrains the value of `cell` to [0, 2^(total bits)) by limbs; the limbs' sum is copied to `cell`. */
function limbRangeCheck(b: CircuitBuilder, cell: Cell, shape: MatvecShape): void {
  const { bits, limbs, topBits } = shape;
  const value = b.value(cell);
  const width = (t: number) => (t === limbs - 1 ? topBits : bits);
  if (limbs === 1) {
    rangeCheck(b, cell, topBits);
    return;
  }
  const limb = (t: number) => (value >> BigInt(t * bits)) & ((1n << BigInt(width(t))) - 1n);
  // acc₁ = l₀ + 2^bits·l₁, acc_t = acc_{t−1} + 2^(t·bits)·l_t.
  let acc = limb(0) + (limb(1) << BigInt(bits));
  let row = arithmeticRow(b, { ql: 1n, qr: 1n << BigInt(bits), qo: R - 1n }, { a: limb(0), b: limb(1), c: acc });
  rangeCheck(b, row.a, width(0));
  rangeCheck(b, row.b, width(1));
  for (let t = 2; t < limbs; t++) {
    const shift = 1n << BigInt(t * bits);
    const next = acc + shift * limb(t);
    const prev = row.c;
    row = arithmeticRow(b, { ql: 1n, qr: shift, qo: R - 1n }, { a: acc, b: limb(t), c: next });
    b.copy(prev, row.a);
    rangeCheck(b, row.b, width(t));
    acc = next;
  }
  b.copy(row.c, cell);
}

function build(params: CircuitParams, input?: readonly bigint[]): BuiltCircuit {
  const p = toParams(params);
  const shape = matvecShape(p);
  const { m, k, P, bits } = p;
  const x = input ?? new Array<bigint>(k * P).fill(0n);
  if (x.length !== k * P) throw new CircuitInputError(`matvec: expected ${k * P} inputs, got ${x.length}`);
  const half = 1n << BigInt(bits - 1);
  x.forEach((v, i) => {
    if (v < -half || v >= half) throw new CircuitInputError(`matvec: input ${i} = ${v} is outside [${-half}, ${half - 1n}]`);
  });
  const b = new CircuitBuilder((k + m) * P);
  // X is k×P: column p is input vector p.
  const xCells: Cell[][] = Array.from({ length: k }, () => new Array<Cell>(P));
  for (let q = 0; q < P; q++) {
    for (let j = 0; j < k; j++) xCells[j][q] = b.setPublicInput(q * k + j, x[q * k + j]);
  }
  for (let q = 0; q < P; q++) {
    for (let j = 0; j < k; j++) rangeCheck(b, linear(b, xCells[j][q], xCells[j][q], 1n, 0n, half), bits);
  }
  const weights = matvecWeights(p).map((row) => row.map(BigInt));
  const y = matmul(b, weights, xCells);
  const outputs: number[] = [];
  for (let q = 0; q < P; q++) {
    for (let i = 0; i < m; i++) {
      const yc = y[i][q];
      const yv = toSigned(b.value(yc));
      const o = yv * yv + yv;
      const row = arithmeticRow(b, { qm: 1n, ql: 1n, qo: R - 1n }, { a: yv, b: yv, c: o });
      b.copy(yc, row.a);
      b.copy(yc, row.b);
      limbRangeCheck(b, row.c, shape);
      const out = b.setPublicInput(k * P + q * m + i, o);
      b.copy(row.c, out);
      outputs.push(Number(o));
    }
  }
  const { table, witness } = b.build(Math.max(MIN_LOG_ROWS, b.minLogRows));
  return { table, witness, outputs, rows: b.rows };
}

/** A field element as the signed integer it stands for (values above r/2 are negative). */
export function toSigned(v: bigint): bigint {
  return v > R / 2n ? v - R : v;
}

function parseInput(params: CircuitParams, inputData: unknown): bigint[] {
  const { k, P, bits } = toParams(params);
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  if (!Array.isArray(inputData) || inputData.length !== 1 || !Array.isArray(inputData[0])) {
    throw new CircuitInputError(`input_data must hold exactly one array (${describeInput(params)})`);
  }
  const values: unknown[] = inputData[0];
  if (values.length !== k * P) throw new CircuitInputError(`input_data[0] has ${values.length} values; ${describeInput(params)}`);
  return values.map((v, i) => {
    if (typeof v !== "number" || !Number.isInteger(v)) throw new CircuitInputError(`input_data[0][${i}] = ${JSON.stringify(v)} is not an integer`);
    if (v < lo || v > hi) throw new CircuitInputError(`input_data[0][${i}] = ${v} is outside the input range [${lo}, ${hi}] (${bits}-bit signed integers)`);
    return BigInt(v);
  });
}

function describeInput(params: CircuitParams): string {
  const { k, P, bits } = toParams(params);
  const what = P === 1 ? `${k} integers` : `${k * P} integers (${P} vectors of ${k}, one after the other)`;
  return `matvec (k=${k}, P=${P}) takes ${what} in [${-(2 ** (bits - 1))}, ${2 ** (bits - 1) - 1}]`;
}

const PARAMS: BuiltinCircuit["params"] = {
  m: { description: "outputs per vector (rows of W)" },
  k: { description: "inputs per vector (columns of W)" },
  P: { description: "number of input vectors proved together", default: 1 },
  bits: { description: `inputs are signed integers of this many bits (${MIN_BITS}…${MAX_BITS}); range tables have 2^bits entries`, default: 8 },
  seed: { description: "fixes the private weights in [−8, 8]; drawn at random when the manifest is created", default: "random" },
};

export const matvec: BuiltinCircuit = {
  name: "matvec",
  summary: "o = (W·x)² + W·x for private weights W ∈ [−8, 8]^{m×k}, with input and output range checks",
  params: PARAMS,
  normalizeParams: (raw, options) => ({ ...normalize(raw, options) }),
  describeInput,
  parseInput,
  build,
  outputLayout: (params) => {
    const { m, k, P } = toParams(params);
    return { offset: k * P, count: m * P };
  },
  // Integers, no fixed-point scale: the inputs x, then the outputs o.
  publicInputLayout: (params) => {
    const { m, k, P } = toParams(params);
    const range = (role: "input" | "output", offset: number, count: number) => ({ role, visibility: "public" as const, offset, count, bits: 0, scales: [] });
    return { count: k * P + m * P, ranges: [range("input", 0, k * P), range("output", k * P, m * P)] };
  },
};

/**
 * Parameters whose circuit fills about 2^logRows rows (between half and all of them), for the
 * benchmarks: m ≈ k, one input vector, 8-bit inputs (4-bit for tables below 2^9 rows).
 */
export function sizedMatvec(logRows: number, options: { seed?: string; P?: number } = {}): MatvecParams {
  if (!Number.isInteger(logRows) || logRows < MIN_LOG_ROWS || logRows > MAX_LOG_SIZE - 2) {
    throw new CircuitParamError(`sizedMatvec: logRows must be an integer in ${MIN_LOG_ROWS}…${MAX_LOG_SIZE - 2}`);
  }
  const n = 2 ** logRows;
  const P = options.P ?? 1;
  const bits = logRows >= 10 ? 8 : logRows >= 7 ? 4 : 2;
  const seed = options.seed ?? "bench";
  const fits = (m: number, k: number) => {
    const p = { m, k, P, bits, seed };
    return matvecRows(p) <= n && matvecTableRows(p) <= n;
  };
  let k = 1;
  while (fits(k + 1, k + 1)) k++;
  let m = k;
  while (fits(m + 1, k)) m++;
  if (!fits(m, k)) throw new CircuitParamError(`sizedMatvec: no matvec fits 2^${logRows} rows`);
  const params = { m, k, P, bits, seed };
  if (Math.max(matvecRows(params), matvecTableRows(params)) <= n / 2) {
    throw new CircuitParamError(`sizedMatvec: 2^${logRows} rows is too few for a matvec that fills it`);
  }
  return params;
}
