// Multiplicative subgroups H = {1, ω, …, ω^(n−1)} of Fr*, n = 2^k ≤ 2^28, and their cosets g·H.
//
// r − 1 = 2^28 · t with t odd, so Fr* has subgroups of every order 2^k up to 2^28. The roots are
// those of ffjavascript (its Fr.w[k], which its FFT uses): ω_28 = 5^t, ω_k = ω_28^(2^(28−k)).
//
// Coset generator: g = 5, the smallest quadratic non-residue mod r and a generator of Fr*. Its
// order r − 1 has odd prime factors, so no power of 5 by a power of two is 1; hence g·H' is
// disjoint from every 2-power subgroup H' and Z_H = X^n − 1 has no zero on g·H' (g^n·ω'^(in) = 1
// would need g^(n·|H'|) = 1). So a quotient t = p / Z_H of degree < 3n can be computed by
// evaluating on the coset g·H_4n of the 4n-element domain, dividing pointwise, and interpolating.
import { R } from "../engine/bn254.js";
import {
  frAddScalar,
  frBatchInverse,
  frMul,
  frPowers,
  frScale,
  frSet,
  frZeros,
  type FrVec,
} from "../engine/fr.js";
import { frExp, frInv, frMod } from "../engine/scalar.js";
import { PolyError } from "./errors.js";

/** Two-adicity of r − 1: the largest power-of-two domain has 2^28 elements. */
export const MAX_LOG_SIZE = 28;

/** The coset generator g (see the file comment). */
export const COSET_GENERATOR = 5n;

/** A primitive 2^28-th root of unity. */
const ROOT_28 = frExp(COSET_GENERATOR, (R - 1n) >> BigInt(MAX_LOG_SIZE));

function checkPoint(x: bigint, what: string): void {
  if (typeof x !== "bigint" || x < 0n || x >= R) throw new PolyError(`${what}: ${String(x)} is not a field element in [0, r)`);
}

/** The subgroup H of the n-th roots of unity, n = 2^logSize. */
export class Domain {
  /** Number of elements n = 2^logSize. */
  readonly size: number;
  readonly logSize: number;
  /** ω, a primitive n-th root of unity; element(i) = ω^i. */
  readonly omega: bigint;
  readonly omegaInv: bigint;
  /** 1/n mod r. */
  readonly nInv: bigint;

  private constructor(logSize: number) {
    this.logSize = logSize;
    this.size = 2 ** logSize;
    this.omega = frExp(ROOT_28, 1n << BigInt(MAX_LOG_SIZE - logSize));
    this.omegaInv = frInv(this.omega);
    this.nInv = frInv(BigInt(this.size));
  }

  /** The domain of size 2^logSize, 0 ≤ logSize ≤ 28. */
  static create(logSize: number): Domain {
    if (!Number.isInteger(logSize) || logSize < 0 || logSize > MAX_LOG_SIZE) {
      throw new PolyError(`domain: log size ${logSize} is not an integer in [0, ${MAX_LOG_SIZE}]`);
    }
    return new Domain(logSize);
  }

  /** The domain of n elements; n must be a power of two ≤ 2^28. */
  static ofSize(n: number): Domain {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** MAX_LOG_SIZE || (n & (n - 1)) !== 0) {
      throw new PolyError(`domain: size ${n} is not a power of two in [1, 2^${MAX_LOG_SIZE}]`);
    }
    return new Domain(Math.log2(n));
  }

  /** The smallest domain with at least n elements. */
  static atLeast(n: number): Domain {
    if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** MAX_LOG_SIZE) {
      throw new PolyError(`domain: no power-of-two domain holds ${n} elements (max 2^${MAX_LOG_SIZE})`);
    }
    let k = 0;
    while (2 ** k < n) k++;
    return new Domain(k);
  }

  /** ω^i (any integer i; taken mod n). */
  element(i: number): bigint {
    if (!Number.isSafeInteger(i)) throw new PolyError(`domain: index ${i} is not an integer`);
    return frExp(this.omega, BigInt(((i % this.size) + this.size) % this.size));
  }

  /** All n elements [1, ω, …, ω^(n−1)]. */
  elements(): Promise<FrVec> {
    return frPowers(this.omega, this.size);
  }

  /** Z_H(x) = x^n − 1. */
  vanishing(x: bigint): bigint {
    checkPoint(x, "vanishing");
    return frMod(frExp(x, BigInt(this.size)) - 1n);
  }

  /** Whether x ∈ H. */
  contains(x: bigint): boolean {
    checkPoint(x, "contains");
    return x !== 0n && frExp(x, BigInt(this.size)) === 1n;
  }

  /** The j with ω^j = x, or −1 when x ∉ H (Pohlig–Hellman: one bit of j per step). */
  indexOf(x: bigint): number {
    if (!this.contains(x)) return -1;
    let j = 0;
    // y = x·ω^(−j) has order dividing 2^(k−b) once the low b bits of j are right.
    for (let b = 0; b < this.logSize; b++) {
      const y = (x * frExp(this.omegaInv, BigInt(j))) % R;
      if (frExp(y, 1n << BigInt(this.logSize - 1 - b)) !== 1n) j += 2 ** b;
    }
    return j;
  }

  /** L_i(x): the Lagrange basis polynomial of H that is 1 at ω^i and 0 elsewhere on H. */
  lagrange(i: number, x: bigint): bigint {
    checkPoint(x, "lagrange");
    const wi = this.element(i);
    if (x === wi) return 1n;
    const zh = this.vanishing(x);
    if (zh === 0n) return 0n;
    // L_i(x) = ω^i·(x^n − 1) / (n·(x − ω^i))
    return (((wi * zh) % R) * this.nInv % R) * frInv(frMod(x - wi)) % R;
  }

  /** [L_0(x), …, L_(n−1)(x)], with one batch inversion; a one-hot vector when x ∈ H. */
  async lagrangeEvaluations(x: bigint): Promise<FrVec> {
    checkPoint(x, "lagrangeEvaluations");
    const j = this.indexOf(x);
    if (j >= 0) {
      const out = frZeros(this.size);
      frSet(out, j, 1n);
      return out;
    }
    const w = await this.elements();
    // 1/(x − ω^i) for all i, then ·ω^i·Z_H(x)/n.
    const inv = await frBatchInverse(await frAddScalar(await frScale(w, R - 1n), x));
    return frScale(await frMul(inv, w), (this.vanishing(x) * this.nInv) % R);
  }
}
