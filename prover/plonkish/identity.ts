// The combined gate identity at ζ, computed from opened values alone. Prover and verifier share
// it: the verifier checks it, the prover uses it to build the linearised polynomial.
import { R } from "../engine/bn254.js";
import { frExp, frInv, frMod } from "../engine/scalar.js";
import type { Domain } from "../poly/index.js";
import { evaluateScalar, type ScalarEnv } from "./expression.js";
import { evaluationIndex, GATES, QUOTIENT_CHUNKS, WEIGHT_SLOTS } from "./layout.js";

export interface PointValues {
  zeta: bigint;
  /** Z_H(ζ) = ζⁿ − 1. */
  vanishing: bigint;
  l0: bigint;
  pi: bigint;
}

/** Z_H(ζ), L_0(ζ) and PI(ζ) = −Σ x_i·L_i(ζ), for ζ ∉ H. */
export function pointValues(domain: Domain, zeta: bigint, publicInputs: readonly bigint[]): PointValues {
  const vanishing = domain.vanishing(zeta);
  if (vanishing === 0n) throw new RangeError("ζ lies in H");
  // L_i(ζ) = ω^i·Z_H(ζ)/(n·(ζ − ω^i))
  const scale = (vanishing * domain.nInv) % R;
  let pi = 0n;
  let wi = 1n;
  for (const x of publicInputs) {
    pi = (pi + ((x * wi) % R) * frInv(frMod(zeta - wi))) % R;
    wi = (wi * domain.omega) % R;
  }
  return {
    zeta,
    vanishing,
    l0: (scale * frInv(frMod(zeta - 1n))) % R,
    pi: frMod(-pi * scale),
  };
}

/**
 * N(ζ) = Σ_g y^g·G_g(ζ) split as N_rest + coefC·Ĉ(ζ), Ĉ = Σ_t κ_t·C_t: the gates are affine in the
 * weight polynomials, which are never opened, so their coefficients go into the linearised commitment.
 */
export function combinedIdentity(
  evaluations: readonly bigint[],
  challenges: ReadonlyMap<string, bigint>,
  point: PointValues,
): { rest: bigint; weightCoefficient: bigint } {
  const env = (c: bigint): ScalarEnv => ({
    column(col, rot) {
      const i = evaluationIndex(col, rot);
      if (i >= evaluations.length) throw new RangeError(`column ${col} has no evaluation at rotation ${rot}`);
      return evaluations[i];
    },
    challenge(name) {
      const v = challenges.get(name);
      if (v === undefined) throw new RangeError(`unknown challenge ${name}`);
      return v;
    },
    x: point.zeta,
    l0: point.l0,
    pi: point.pi,
    weightCommitment: c,
  });
  const y = challenges.get("y");
  if (y === undefined) throw new RangeError("unknown challenge y");
  const total = (c: bigint): bigint => {
    let acc = 0n;
    for (let g = GATES.length - 1; g >= 0; g--) acc = (acc * y + evaluateScalar(GATES[g].expr, env(c))) % R;
    return acc;
  };
  const rest = total(0n);
  return { rest, weightCoefficient: frMod(total(1n) - rest) };
}

/**
 * Coefficients of the linearised polynomial L = Σ_t coefC·κ_t·C_t − Z_H(ζ)·Σ_i ζ^(i·n)·t_i over
 * (C_0, …, C_(K−1), t₀, t₁, …), the same for the prover's polynomial and the verifier's commitment.
 */
export function linearisationScalars(weightCoefficient: bigint, challenges: ReadonlyMap<string, bigint>, point: PointValues, n: number): bigint[] {
  const zetaN = frExp(point.zeta, BigInt(n));
  const out = Array.from({ length: WEIGHT_SLOTS }, (_, t) => (t === 0 ? weightCoefficient : (weightCoefficient * challenges.get(`slot${t}`)!) % R));
  for (let i = 0, s = frMod(-point.vanishing); i < QUOTIENT_CHUNKS; i++, s = (s * zetaN) % R) out.push(s);
  return out;
}
