// Prover-side evaluation of gate expressions over whole vectors of evaluations (on H or on the
// extended coset), with the engine's WebAssembly field operations.
import { R } from "../engine/bn254.js";
import { FR_BYTES, frAdd, frAddScalar, frMul, frScale, frZeros, type FrVec } from "../engine/fr.js";
import type { Expr } from "./expression.js";

/** Vectors (all of one length) the expression's leaves stand for. */
export interface VectorEnv {
  size: number;
  /** Column `col` at X (rot 0) or at ω·X (rot 1). */
  column(col: number, rot: 0 | 1): FrVec;
  challenge(name: string): bigint;
  x(): FrVec;
  l0(): FrVec;
  pi(): FrVec;
  weightCommitment(): FrVec;
}

type Value = bigint | FrVec;

async function evaluate(e: Expr, env: VectorEnv): Promise<Value> {
  switch (e.kind) {
    case "const":
      return e.value;
    case "challenge":
      return env.challenge(e.name);
    case "col":
      return env.column(e.col, e.rot);
    case "x":
      return env.x();
    case "l0":
      return env.l0();
    case "pi":
      return env.pi();
    case "weightCommitment":
      return env.weightCommitment();
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
  }
}

/** The expression's value at every point of the env's domain, as a fresh vector. */
export async function evaluateVector(e: Expr, env: VectorEnv): Promise<FrVec> {
  const v = await evaluate(e, env);
  if (typeof v !== "bigint") return v;
  // A constant expression: broadcast it.
  return frAddScalar(frZeros(env.size), v);
}

/** `v` rotated so that element i is the old element (i + shift) mod length. */
export function rotate(v: FrVec, shift: number): FrVec {
  const n = v.length / FR_BYTES;
  const s = (((shift % n) + n) % n) * FR_BYTES;
  if (s === 0) return v;
  const out = new Uint8Array(v.length);
  out.set(v.subarray(s), 0);
  out.set(v.subarray(0, s), v.length - s);
  return out;
}
