// The GLV endomorphism of BN254 G1 for the variable-base MSM.
//
// G1 has the endomorphism φ(x, y) = (β·x, y), β a primitive cube root of unity in Fp, and φ acts
// on G1 as multiplication by λ, a primitive cube root of unity in Fr (λ² + λ + 1 ≡ 0 mod r). So a
// scalar k splits as k ≡ k₁ + k₂·λ (mod r) with |k₁|, |k₂| < 2^128, and Σ kᵢ·Pᵢ becomes
// Σ ±|k₁ᵢ|·Pᵢ ± |k₂ᵢ|·φ(Pᵢ): twice the points, half the windows.
//
// The split (Gallant–Lambert–Vanstone): a short basis v₁ = (a₁, b₁), v₂ = (a₂, b₂) of the lattice
// {(a, b) : a + b·λ ≡ 0 mod r}, from the extended Euclidean algorithm on (r, λ). Writing
// (k, 0) = x₁·v₁ + x₂·v₂ over the rationals and cᵢ = round(xᵢ), (k₁, k₂) = (k, 0) − c₁·v₁ − c₂·v₂
// is congruent to k and within half a basis vector sum of 0. The xᵢ = k·b₂/D, −k·b₁/D (D = a₁b₂ − a₂b₁
// = ±r) are computed as k·gᵢ/2^256 with gᵢ = round(2^256·…/D) fixed, so cᵢ may be off by one; the
// bound then grows to 3/2 of the basis sums, which `glvConstants` checks is below 2^128.
//
// Constants are derived here with bigint once per process; the per-scalar split works on 16-bit
// limbs held in doubles (exact: every column sum stays far below 2^53).
import { P, R } from "../../../verifier/engine/constants.js";

export interface GlvConstants {
  /** β ∈ Fp and λ ∈ Fr with φ(P) = (β·x, y) = λ·P on G1. */
  beta: bigint;
  lambda: bigint;
  /** The short lattice basis: aᵢ + bᵢ·λ ≡ 0 (mod r). */
  v1: readonly [bigint, bigint];
  v2: readonly [bigint, bigint];
  /** round(2^256·b₂/D) and round(−2^256·b₁/D), D = a₁b₂ − a₂b₁. */
  g1: bigint;
  g2: bigint;
  /** A bound on |k₁| and |k₂| for every k < 2^256 (checked below 2^128). */
  bound: bigint;
}

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
const abs = (a: bigint): bigint => (a < 0n ? -a : a);

function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let out = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) out = (out * b) % m;
    b = (b * b) % m;
  }
  return out;
}

/** A primitive cube root of unity mod the prime m (m ≡ 1 mod 3): h^((m−1)/3) ≠ 1 for the first h that gives one. */
function cubeRoot(m: bigint): bigint {
  for (let h = 2n; ; h++) {
    const w = powMod(h, (m - 1n) / 3n, m);
    if (w !== 1n) return w;
  }
}

/** k·(x, y) on y² = x³ + 3 over Fp, Jacobian double-and-add, returned affine (undefined for infinity). Setup only. */
function mulG1(k: bigint, x: bigint, y: bigint): [bigint, bigint] | undefined {
  type J = [bigint, bigint, bigint];
  const dbl = ([X, Y, Z]: J): J => {
    if (Z === 0n || Y === 0n) return [1n, 1n, 0n];
    const A = (X * X) % P;
    const B = (Y * Y) % P;
    const C = (B * B) % P;
    const D = mod(2n * ((X + B) * (X + B) - A - C), P);
    const E = (3n * A) % P;
    const X3 = mod(E * E - 2n * D, P);
    return [X3, mod(E * (D - X3) - 8n * C, P), (2n * Y * Z) % P];
  };
  const add = (p: J, q: J): J => {
    if (p[2] === 0n) return q;
    if (q[2] === 0n) return p;
    const [X1, Y1, Z1] = p;
    const [X2, Y2, Z2] = q;
    const Z1Z1 = (Z1 * Z1) % P;
    const Z2Z2 = (Z2 * Z2) % P;
    const U1 = (X1 * Z2Z2) % P;
    const U2 = (X2 * Z1Z1) % P;
    const S1 = (Y1 * Z2 * Z2Z2) % P;
    const S2 = (Y2 * Z1 * Z1Z1) % P;
    if (U1 === U2) return S1 === S2 ? dbl(p) : [1n, 1n, 0n];
    const H = mod(U2 - U1, P);
    const Rr = mod(S2 - S1, P);
    const HH = (H * H) % P;
    const HHH = (H * HH) % P;
    const V = (U1 * HH) % P;
    const X3 = mod(Rr * Rr - HHH - 2n * V, P);
    return [X3, mod(Rr * (V - X3) - S1 * HHH, P), (Z1 * Z2 * H) % P];
  };
  let acc: J = [1n, 1n, 0n];
  for (let i = BigInt(k.toString(2).length) - 1n; i >= 0n; i--) {
    acc = dbl(acc);
    if ((k >> i) & 1n) acc = add(acc, [x, y, 1n]);
  }
  if (acc[2] === 0n) return undefined;
  const zi = powMod(acc[2], P - 2n, P);
  return [(acc[0] * zi * zi) % P, (acc[1] * zi * zi * zi) % P];
}

/** A short basis of {(a, b) : a + b·λ ≡ 0 mod r}: the extended Euclidean algorithm on (r, λ), stopped at √r. */
function shortBasis(lambda: bigint): [[bigint, bigint], [bigint, bigint]] {
  // Invariant: rᵢ ≡ tᵢ·λ (mod r), so (rᵢ, −tᵢ) is in the lattice.
  const rows: [bigint, bigint][] = [
    [R, 0n],
    [lambda, 1n],
  ];
  while (rows[rows.length - 1][0] !== 0n) {
    const [r0, t0] = rows[rows.length - 2];
    const [r1, t1] = rows[rows.length - 1];
    const q = r0 / r1;
    rows.push([r0 - q * r1, t0 - q * t1]);
  }
  let l = 0; // the last index with rₗ ≥ √r, i.e. rₗ² ≥ r
  for (let i = 0; i < rows.length; i++) if (rows[i][0] * rows[i][0] >= R) l = i;
  const vec = (i: number): [bigint, bigint] => [rows[i][0], -rows[i][1]];
  const norm = ([a, b]: [bigint, bigint]): bigint => a * a + b * b;
  const v1 = vec(l + 1);
  const v2 = norm(vec(l)) <= norm(vec(l + 2)) ? vec(l) : vec(l + 2);
  return [v1, v2];
}

/** round(num/den) for den > 0. */
function roundDiv(num: bigint, den: bigint): bigint {
  const twice = 2n * num + den;
  const q = twice / (2n * den);
  return twice < 0n && q * 2n * den !== twice ? q - 1n : q;
}

let constants: GlvConstants | undefined;

/** The GLV constants of BN254 G1, derived and checked (throws if any check fails). */
export function glvConstants(): GlvConstants {
  if (constants) return constants;
  const lambda = cubeRoot(R);
  if ((lambda * lambda + lambda + 1n) % R !== 0n) throw new Error("glv: λ² + λ + 1 ≢ 0 (mod r)");
  // The cube roots of unity of Fp are ω and ω²: φ is multiplication by λ for exactly one of them.
  const w = cubeRoot(P);
  const lg = mulG1(lambda, 1n, 2n);
  const beta = [w, (w * w) % P].find((b) => lg !== undefined && lg[0] === b && lg[1] === 2n);
  if (beta === undefined) throw new Error("glv: no cube root β of unity in Fp gives φ(G) = λ·G");
  const [v1, v2] = shortBasis(lambda);
  for (const [a, b] of [v1, v2]) {
    if (mod(a + b * lambda, R) !== 0n) throw new Error("glv: a basis vector is not in the lattice");
  }
  const D = v1[0] * v2[1] - v2[0] * v1[1];
  if (abs(D) !== R) throw new Error("glv: the basis does not span the lattice (its determinant is not ±r)");
  const sign = D < 0n ? -1n : 1n;
  const g1 = roundDiv(sign * (v2[1] << 256n), abs(D));
  const g2 = roundDiv(sign * (-v1[1] << 256n), abs(D));
  // |k·gᵢ/2^256 − xᵢ| < k/2^257 < 1/2, so cᵢ is round(xᵢ) ± 1 and |kⱼ| ≤ (1/2 + 1)·Σᵢ|vᵢ,ⱼ|.
  const sumA = abs(v1[0]) + abs(v2[0]);
  const sumB = abs(v1[1]) + abs(v2[1]);
  const bound = (3n * (sumA > sumB ? sumA : sumB)) / 2n + 1n;
  if (bound >= 1n << 128n) throw new Error("glv: the split's bound exceeds 2^128");
  constants = { beta, lambda, v1, v2, g1, g2, bound };
  return constants;
}

/** The 16-bit limbs of |x| (`count` of them) and x's sign. */
function limbs16(x: bigint, count: number): { limbs: Float64Array; negative: boolean } {
  const limbs = new Float64Array(count);
  let m = abs(x);
  for (let j = 0; j < count; j++, m >>= 16n) limbs[j] = Number(m & 0xffffn);
  if (m !== 0n) throw new Error("glv: a constant does not fit its limbs");
  return { limbs, negative: x < 0n };
}

/** Bytes per half-scalar in {@link glvSplit}'s output (|kⱼ| < 2^128). */
export const HALF_BYTES = 16;
const G_LIMBS = 9; // |gᵢ| < 2^144, in 16-bit limbs
const LOW_LIMBS = 10; // k₁, k₂ are computed mod 2^160 in 16-bit limbs (|kⱼ| < 2^128: the top bit is the sign)

interface SplitPlan {
  /** |gᵢ| in 16-bit limbs, and gᵢ < 0. */
  g: Float64Array[];
  gNeg: boolean[];
  /** |a₁|, |a₂| (for k₁) and |b₁|, |b₂| (for k₂) in 16-bit limbs, and their signs. */
  v: Float64Array[][];
  vNeg: boolean[][];
}

let plan: SplitPlan | undefined;
function splitPlan(): SplitPlan {
  if (plan) return plan;
  const k = glvConstants();
  const [g1, g2, a1, a2, b1, b2] = [limbs16(k.g1, G_LIMBS), limbs16(k.g2, G_LIMBS), limbs16(k.v1[0], 8), limbs16(k.v2[0], 8), limbs16(k.v1[1], 8), limbs16(k.v2[1], 8)];
  plan = {
    g: [g1.limbs, g2.limbs],
    gNeg: [g1.negative, g2.negative],
    v: [
      [a1.limbs, a2.limbs],
      [b1.limbs, b2.limbs],
    ],
    vNeg: [
      [a1.negative, a2.negative],
      [b1.negative, b2.negative],
    ],
  };
  return plan;
}

const INV_2_16 = 1 / 65536;

/** Carries `cols[0 … count)` into 16-bit limbs (columns may be negative); returns the carry out. */
function carry16(cols: Float64Array, count: number): number {
  let carry = 0;
  for (let t = 0; t < count; t++) {
    const v = cols[t] + carry;
    carry = Math.floor(v * INV_2_16);
    cols[t] = v - carry * 65536;
  }
  return carry;
}

/**
 * Splits n scalars (standard little-endian, `width` ≤ 32 bytes each, any value below 2^(8·width))
 * into 2n half-scalars: |k₁ᵢ| at i and |k₂ᵢ| at n + i in `halves` (16 bytes each, little-endian) with
 * their signs (1: negative) in `negative`, so that kᵢ ≡ k₁ᵢ + k₂ᵢ·λ (mod r).
 *
 * Products multiply 32-bit words by 16-bit limbs, summed in 16-bit columns: a column gets at most
 * 5 such products per term (< 2^49 each), so every sum stays exact in a double.
 */
export function glvSplit(scalars: Uint8Array, n: number, width: number, halves: Uint8Array, negative: Uint8Array): void {
  const { g, gNeg, v, vNeg } = splitPlan();
  const k = new Float64Array(8); // 32-bit words
  const prod = new Float64Array(16 + G_LIMBS + 1);
  const c = [new Float64Array(5), new Float64Array(5)]; // |cᵢ| mod 2^160, 32-bit words
  const acc = new Float64Array(LOW_LIMBS);
  const bytes = Math.min(width, 32);
  const aligned = scalars.byteOffset % 4 === 0 && width % 4 === 0;
  const words = aligned ? new Uint32Array(scalars.buffer, scalars.byteOffset, (n * width) / 4) : undefined;
  for (let i = 0, o = 0; i < n; i++, o += width) {
    if (words) {
      for (let x = 0, w = o >> 2; x < 8; x++, w++) k[x] = 4 * x < bytes ? words[w] : 0;
    } else {
      k.fill(0);
      for (let j = 0; j < bytes; j++) k[j >> 2] += scalars[o + j] * 2 ** (8 * (j & 3));
    }
    // |cₜ| = round(k·|gₜ|/2^256): the product's 16-bit columns, + 2^255, carried; limbs 16 … 25.
    for (let t = 0; t < 2; t++) {
      const gt = g[t];
      prod.fill(0);
      for (let x = 0; x < 8; x++) {
        const kx = k[x];
        if (kx === 0) continue;
        for (let y = 0; y < G_LIMBS; y++) prod[2 * x + y] += kx * gt[y];
      }
      prod[15] += 0x8000;
      prod[16 + G_LIMBS] = carry16(prod, 16 + G_LIMBS);
      const ct = c[t];
      for (let x = 0; x < 5; x++) ct[x] = prod[16 + 2 * x] + 65536 * prod[17 + 2 * x];
    }
    // k₁ = k − c₁·a₁ − c₂·a₂ and k₂ = −c₁·b₁ − c₂·b₂, mod 2^160, cₜ = ±|cₜ| by gₜ's sign.
    for (let half = 0; half < 2; half++) {
      if (half === 0) {
        for (let x = 0; x < 5; x++) {
          acc[2 * x] = k[x] % 65536;
          acc[2 * x + 1] = Math.floor(k[x] * INV_2_16);
        }
      } else acc.fill(0);
      for (let t = 0; t < 2; t++) {
        const sign = gNeg[t] !== vNeg[half][t] ? 1 : -1;
        const ct = c[t];
        const vt = v[half][t];
        for (let x = 0; x < 5; x++) {
          const cx = sign * ct[x];
          if (cx === 0) continue;
          for (let y = 0; y < 8 && 2 * x + y < LOW_LIMBS; y++) acc[2 * x + y] += cx * vt[y];
        }
      }
      carry16(acc, LOW_LIMBS);
      const neg = acc[LOW_LIMBS - 1] >= 0x8000;
      if (neg) {
        // Two's complement mod 2^160.
        let borrow = 1;
        for (let y = 0; y < LOW_LIMBS; y++) {
          const d = 0xffff - acc[y] + borrow;
          borrow = d >> 16;
          acc[y] = d & 0xffff;
        }
      }
      if (acc[8] !== 0 || acc[9] !== 0) throw new Error("glv: a half-scalar exceeds 2^128 (cannot happen: the bound is checked)");
      const at = (half * n + i) * HALF_BYTES;
      for (let y = 0; y < 8; y++) {
        halves[at + 2 * y] = acc[y] & 0xff;
        halves[at + 2 * y + 1] = acc[y] >> 8;
      }
      negative[half * n + i] = neg ? 1 : 0;
    }
  }
}
