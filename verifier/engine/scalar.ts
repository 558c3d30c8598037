// Scalar (Fr) arithmetic on single bigints, for the verifier and other small, non-hot code.
import { bytesToHex } from "@noble/hashes/utils.js";
import { R } from "./bn254.js";

/** x mod r in [0, r). */
export function frMod(x: bigint): bigint {
  const m = x % R;
  return m < 0n ? m + R : m;
}

/** [1, x, x², …, x^(n−1)] mod r. */
export function frPowersOf(x: bigint, n: number): bigint[] {
  const out: bigint[] = [];
  let acc = 1n;
  const base = frMod(x);
  for (let i = 0; i < n; i++) {
    out.push(acc);
    acc = (acc * base) % R;
  }
  return out;
}

/** Σ aᵢ·bᵢ mod r. */
export function frDot(a: readonly bigint[], b: readonly bigint[]): bigint {
  if (a.length !== b.length) throw new RangeError(`frDot: lengths ${a.length} and ${b.length} differ`);
  let acc = 0n;
  for (let i = 0; i < a.length; i++) acc += a[i] * b[i];
  return frMod(acc);
}

/** x^e mod r for an exponent e ≥ 0. */
export function frExp(x: bigint, e: bigint): bigint {
  let result = 1n;
  let base = frMod(x);
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % R;
    base = (base * base) % R;
  }
  return result;
}

/** x⁻¹ mod r (Fermat); throws on zero. */
export function frInv(x: bigint): bigint {
  if (frMod(x) === 0n) throw new RangeError("frInv: zero has no inverse");
  return frExp(x, R - 2n);
}

/** A uniform scalar in [0, r) from the system CSPRNG (Web Crypto, in Node and browsers; 64 bytes reduced mod r: bias < 2⁻²⁵⁰). */
export function randomScalar(): bigint {
  return BigInt("0x" + bytesToHex(crypto.getRandomValues(new Uint8Array(64)))) % R;
}
