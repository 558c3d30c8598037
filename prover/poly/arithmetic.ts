// Ring operations on polynomials in coefficient form (FrVec, lowest degree first). Lengths are
// kept as given (a length is a degree bound), never trimmed of high zero coefficients.
import { getEngine, ownKernels } from "../../verifier/engine/bn254.js";
import {
  CHUNK,
  FR_BYTES,
  frAdd,
  frLength,
  frMul,
  frScale,
  frSub,
  withScratch,
  type FrVec,
} from "../../verifier/engine/fr.js";
import { LOAD_FACTOR, withFieldVectors } from "../engine/wasm/index.js";
import { Domain } from "../../verifier/poly/domain.js";
import { NonZeroRemainderError, PolyError } from "../../verifier/poly/errors.js";
import { fft, ifft, padTo } from "./fft.js";

/** a + b; the result has the longer length. */
export async function polyAdd(a: FrVec, b: FrVec): Promise<FrVec> {
  const n = Math.max(frLength(a, "polyAdd"), frLength(b, "polyAdd"));
  return frAdd(padTo(a, n, "polyAdd"), padTo(b, n, "polyAdd"));
}

/** a − b; the result has the longer length. */
export async function polySub(a: FrVec, b: FrVec): Promise<FrVec> {
  const n = Math.max(frLength(a, "polySub"), frLength(b, "polySub"));
  return frSub(padTo(a, n, "polySub"), padTo(b, n, "polySub"));
}

/** c·a for a scalar c ∈ [0, r). */
export function polyScale(a: FrVec, c: bigint): Promise<FrVec> {
  return frScale(a, c);
}

/** Σ_j coeffs_j·polys_j in one pass; the result has the longest length. */
export async function linearCombination(polys: readonly FrVec[], coeffs: readonly bigint[]): Promise<FrVec> {
  if (polys.length !== coeffs.length) {
    throw new PolyError(`linearCombination: ${polys.length} polynomials but ${coeffs.length} coefficients`);
  }
  const lens = polys.map((p, j) => frLength(p, `linearCombination: polynomial ${j}`));
  const n = Math.max(0, ...lens);
  const out = new Uint8Array(n * FR_BYTES);
  if (n === 0) return out;
  const chunk = Math.min(n, CHUNK);
  if (ownKernels()) {
    // Our vector kernels: acc += c_j·p_j a chunk at a time, the words loaded unconverted.
    return withFieldVectors(2 * chunk + coeffs.length, chunk, (s) => {
      const k = coeffs.map((x) => s.scalar(x));
      const acc = s.alloc(chunk);
      const term = s.alloc(chunk);
      for (let start = 0; start < n; start += chunk) {
        const m = Math.min(chunk, n - start);
        s.clear(acc, m);
        polys.forEach((p, j) => {
          const mj = Math.min(m, lens[j] - start);
          if (mj <= 0) return;
          s.load(term, p.subarray(start * FR_BYTES, (start + mj) * FR_BYTES), mj);
          s.ex.frv_axpy(acc, acc, term, k[j], mj);
        });
        s.store(out, start, acc, m, LOAD_FACTOR);
      }
      return out;
    });
  }
  const bytes = chunk * FR_BYTES;
  withScratch(await getEngine(), 2 * bytes + coeffs.length * FR_BYTES, (s) => {
    const k = coeffs.map((x) => s.scalar(x));
    const acc = s.alloc(bytes);
    const term = s.alloc(bytes);
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      s.mem.fill(0, acc, acc + m * FR_BYTES);
      polys.forEach((p, j) => {
        const mj = Math.min(m, lens[j] - start);
        if (mj <= 0) return;
        s.mem.set(p.subarray(start * FR_BYTES, (start + mj) * FR_BYTES), term);
        for (let i = 0, o = 0; i < mj; i++, o += FR_BYTES) {
          s.ex.frm_mul(term + o, k[j], term + o);
          s.ex.frm_add(acc + o, term + o, acc + o);
        }
      });
      out.set(s.mem.subarray(acc, acc + m * FR_BYTES), start * FR_BYTES);
    }
  });
  return out;
}

/** a·b via FFT on the smallest domain that holds the product; length |a| + |b| − 1 (0 if either is empty). */
export async function polyMul(a: FrVec, b: FrVec): Promise<FrVec> {
  const la = frLength(a, "polyMul");
  const lb = frLength(b, "polyMul");
  if (la === 0 || lb === 0) return new Uint8Array(0);
  const len = la + lb - 1;
  const domain = Domain.atLeast(len);
  const [fa, fb] = await Promise.all([fft(a, domain), fft(b, domain)]);
  const product = await ifft(await frMul(fa, fb), domain);
  return product.slice(0, len * FR_BYTES);
}

/** Result of a division by X^n − 1: p = quotient·(X^n − 1) + remainder. */
export interface VanishingDivision {
  /** max(|p| − n, 0) coefficients. */
  quotient: FrVec;
  /** min(|p|, n) coefficients (degree < n). */
  remainder: FrVec;
  /** Whether the remainder is zero, i.e. p vanishes on the n-th roots of unity. */
  exact: boolean;
}

/**
 * Divides p by X^n − 1 (n ≥ 1; a domain's vanishing polynomial when n is its size). With
 * `requireExact`, a nonzero remainder throws NonZeroRemainderError: the identity p encodes fails.
 *
 * From p_i = q_(i−n) − q_i (+ rem_i for i < n): q_j = p_(j+n) + q_(j+n) from the top down, and
 * rem_j = p_j + q_j.
 */
export async function divideByVanishing(
  coeffs: FrVec,
  n: number,
  options: { requireExact?: boolean } = {},
): Promise<VanishingDivision> {
  const d = frLength(coeffs, "divideByVanishing");
  if (!Number.isSafeInteger(n) || n < 1) throw new PolyError(`divideByVanishing: n = ${n} is not a positive integer`);
  const qlen = Math.max(d - n, 0);
  const quotient = new Uint8Array(qlen * FR_BYTES);
  if (qlen > 0) {
    const chunk = Math.min(qlen, CHUNK);
    const bytes = chunk * FR_BYTES;
    withScratch(await getEngine(), 3 * bytes, (s) => {
      const pHi = s.alloc(bytes); // p_(j+n) for the chunk's j
      const qHi = s.alloc(bytes); // q_(j+n) where it lies above the chunk (already computed)
      const q = s.alloc(bytes);
      // Loads elements [from, from + m) of v (zero beyond `limit`) at pointer `to`.
      const load = (v: FrVec, from: number, m: number, limit: number, to: number): void => {
        const avail = Math.max(0, Math.min(m, limit - from));
        s.mem.set(v.subarray(from * FR_BYTES, (from + avail) * FR_BYTES), to);
        s.mem.fill(0, to + avail * FR_BYTES, to + m * FR_BYTES);
      };
      for (let j1 = qlen; j1 > 0; j1 -= chunk) {
        const j0 = Math.max(0, j1 - chunk);
        const m = j1 - j0;
        load(coeffs, j0 + n, m, d, pHi);
        load(quotient, j0 + n, m, qlen, qHi);
        for (let t = m - 1; t >= 0; t--) {
          const o = t * FR_BYTES;
          // q_(j+n) is inside this chunk when t + n < m, else it came from a chunk above.
          s.ex.frm_add(pHi + o, t + n < m ? q + o + n * FR_BYTES : qHi + o, q + o);
        }
        quotient.set(s.mem.subarray(q, q + m * FR_BYTES), j0 * FR_BYTES);
      }
    });
  }
  const rlen = Math.min(d, n);
  const low = coeffs.subarray(0, rlen * FR_BYTES);
  const remainder = qlen > 0 ? await frAdd(low, padTo(quotient.subarray(0, Math.min(qlen, rlen) * FR_BYTES), rlen, "divideByVanishing")) : low.slice();
  const exact = remainder.every((byte) => byte === 0);
  if (options.requireExact && !exact) {
    throw new NonZeroRemainderError(`divideByVanishing: the polynomial does not vanish on the ${n}-th roots of unity (nonzero remainder)`);
  }
  return { quotient, remainder, exact };
}
