// Prover-side evaluation of gate expressions over whole vectors of evaluations (on H or on the
// extended coset), with the engine's WebAssembly field operations.
import { R } from "../engine/bn254.js";
import { FR_BYTES, frAdd, frAddScalar, frMul, frScale, frZeros, type FrVec } from "../engine/fr.js";
import { leafValue, type Expr, type Leaves } from "./expression.js";

/** Vectors (all of one length) the expression's leaves stand for. */
export interface VectorEnv extends Leaves<FrVec> {
  size: number;
}

type Value = bigint | FrVec;

async function evaluate(e: Expr, env: VectorEnv): Promise<Value> {
  switch (e.kind) {
    case "add": {
      let scalar = 0n;
      let vec: FrVec | undefined;
      for (const t of e.terms) {
        const v = await evaluate(t, env);
        if (typeof v === "bigint") scalar = (scalar + v) % R;
        else vec = vec ? await frAdd(vec, v) : v;
      }
      if (!vec) return scalar;
      return scalar === 0n ? vec : frAddScalar(vec, scalar);
    }
    case "mul": {
      let scalar = 1n;
      let vec: FrVec | undefined;
      for (const f of e.factors) {
        const v = await evaluate(f, env);
        if (typeof v === "bigint") scalar = (scalar * v) % R;
        else vec = vec ? await frMul(vec, v) : v;
        if (scalar === 0n) return 0n;
      }
      if (!vec) return scalar;
      return scalar === 1n ? vec : frScale(vec, scalar);
    }
    default:
      return leafValue(e, env);
  }
}

/** The expression's value at every point of the env's domain, as a fresh vector. */
export async function evaluateVector(e: Expr, env: VectorEnv): Promise<FrVec> {
  const v = await evaluate(e, env);
  if (typeof v !== "bigint") return v;
  // A constant expression: broadcast it.
  return frAddScalar(frZeros(env.size), v);
}

/**
 * Σ_g y^g·G_g over the env's domain, for the expressions G_0, G_1, … in order (Horner from the
 * last), multiplied elementwise by `factor` when one is given: the quotient's numerator, or with
 * factor = 1/Z_H the quotient itself on the coset.
 */
export async function combineVector(exprs: readonly Expr[], y: bigint, env: VectorEnv, factor?: FrVec): Promise<FrVec> {
  let acc = frZeros(env.size);
  for (let g = exprs.length - 1; g >= 0; g--) acc = await frAdd(await frScale(acc, y), await evaluateVector(exprs[g], env));
  return factor ? frMul(acc, factor) : acc;
}

/**
 * Elements start, start + 1, …, end − 1 of `v`, indices taken mod its length (0 ≤ end − start ≤
 * length). A view into `v` when the range does not wrap around, a fresh copy when it does.
 */
export function cyclicSlice(v: FrVec, start: number, end: number): FrVec {
  const n = v.length / FR_BYTES;
  if (end - start > n || end < start) throw new RangeError(`cyclicSlice: [${start}, ${end}) is not within one period of ${n}`);
  if (n === 0) return v;
  const lo = (((start % n) + n) % n) * FR_BYTES;
  const bytes = (end - start) * FR_BYTES;
  if (lo + bytes <= v.length) return v.subarray(lo, lo + bytes);
  const out = new Uint8Array(bytes);
  out.set(v.subarray(lo), 0);
  out.set(v.subarray(0, bytes - (v.length - lo)), v.length - lo);
  return out;
}

/** `v` rotated so that element i is the old element (i + shift) mod length. */
export function rotate(v: FrVec, shift: number): FrVec {
  const n = v.length / FR_BYTES;
  if (n === 0 || shift % n === 0) return v;
  return cyclicSlice(v, shift, shift + n);
}

/**
 * The leaves of a {@link VectorEnv} as plain data: whole vectors over a cyclic domain whose next
 * row (rotation 1) is `rowStride` elements on (1 on H, EXTENSION on the extended coset). Holds
 * only typed arrays, bigints and a Map, so it crosses to a worker thread by structured clone
 * (without copying vectors that live in a SharedArrayBuffer).
 */
export interface VectorTable {
  /** Number of elements of every vector. */
  size: number;
  rowStride: number;
  /** Values of each column (undefined where the expressions never query it). */
  columns: readonly (FrVec | undefined)[];
  challenges: ReadonlyMap<string, bigint>;
  x?: FrVec;
  l0?: FrVec;
  pi?: FrVec;
  weightCommitment?: FrVec;
}

/** The env of the table's elements start … end − 1 (rotation-1 queries read `rowStride` on, cyclically). */
export function tableEnv(table: VectorTable, start = 0, end = table.size): VectorEnv {
  const leaf = (v: FrVec | undefined, what: string, shift = 0): FrVec => {
    if (!v) throw new Error(`${what} is not available here`);
    if (v.length !== table.size * FR_BYTES) throw new Error(`${what} has ${v.length / FR_BYTES} elements, the table ${table.size}`);
    return cyclicSlice(v, start + shift, end + shift);
  };
  return {
    size: end - start,
    column: (col, rot) => leaf(table.columns[col], `column ${col}`, rot * table.rowStride),
    challenge(name) {
      const c = table.challenges.get(name);
      if (c === undefined) throw new Error(`challenge ${name} is not drawn yet`);
      return c;
    },
    x: () => leaf(table.x, "X"),
    l0: () => leaf(table.l0, "L_0"),
    pi: () => leaf(table.pi, "PI"),
    weightCommitment: () => leaf(table.weightCommitment, "C"),
  };
}
