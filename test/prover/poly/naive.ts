// Naive bigint reference implementations (quadratic, obviously correct) that the WebAssembly
// polynomial code is checked against. Field arithmetic is @noble/curves' Fr.
import { bn254 } from "@noble/curves/bn254.js";
import fc from "fast-check";

export const F = bn254.fields.Fr;

/** Arbitrary field element in [0, r), biased towards edge values by fast-check. */
export const arbFr = fc.bigInt({ min: 0n, max: F.ORDER - 1n });
/** Arbitrary nonzero field element. */
export const arbFrNonZero = fc.bigInt({ min: 1n, max: F.ORDER - 1n });

/** Arbitrary vector of field elements. */
export function arbVec(minLength: number, maxLength: number): fc.Arbitrary<bigint[]> {
  return fc.array(arbFr, { minLength, maxLength });
}

/** Deterministic, unstructured scalars for the larger cases. */
export function pseudoRandom(n: number, seed: bigint): bigint[] {
  const out: bigint[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = F.add(F.mul(x, x), 7n);
    out.push(x);
  }
  return out;
}

/** Σ c_i·z^i. */
export function evalNaive(coeffs: readonly bigint[], z: bigint): bigint {
  let acc = 0n;
  let zi = 1n;
  for (const c of coeffs) {
    acc = F.add(acc, F.mul(c, zi));
    zi = F.mul(zi, z);
  }
  return acc;
}

/** [p(shift·ω^i)] for i < n. */
export function dftNaive(coeffs: readonly bigint[], omega: bigint, n: number, shift = 1n): bigint[] {
  const out: bigint[] = [];
  let x = shift;
  for (let i = 0; i < n; i++) {
    out.push(evalNaive(coeffs, x));
    x = F.mul(x, omega);
  }
  return out;
}

/** Schoolbook product. */
export function mulNaive(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  if (a.length === 0 || b.length === 0) return [];
  const out = new Array<bigint>(a.length + b.length - 1).fill(0n);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = F.add(out[i + j], F.mul(x, y)))));
  return out;
}

/** Schoolbook long division by a monic divisor: p = q·d + rem with deg rem < deg d. */
export function divNaive(p: readonly bigint[], divisor: readonly bigint[]): { q: bigint[]; rem: bigint[] } {
  const dd = divisor.length - 1;
  const rem = [...p];
  const q = new Array<bigint>(Math.max(p.length - dd, 0)).fill(0n);
  for (let i = p.length - 1; i >= dd; i--) {
    const c = rem[i];
    q[i - dd] = c;
    for (let j = 0; j <= dd; j++) rem[i - dd + j] = F.sub(rem[i - dd + j], F.mul(c, divisor[j]));
  }
  return { q, rem: rem.slice(0, Math.min(p.length, dd)) };
}

/** X^n − 1 as coefficients. */
export function vanishingPoly(n: number): bigint[] {
  const v = new Array<bigint>(n + 1).fill(0n);
  v[0] = F.ORDER - 1n;
  v[n] = 1n;
  return v;
}
