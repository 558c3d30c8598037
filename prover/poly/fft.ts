// Coefficient ⇄ evaluation form on a domain H (or a coset g·H), through our own NTT kernels
// (engine/wasm/), split over two threads for large domains, or the same kernel on the calling
// thread alone (`onThisThread`, for running several transforms side by side); with
// ZKINFER_ENGINE=ffjavascript, through ffjavascript's threaded Fr.fft / Fr.ifft and its
// single-thread kernel. Evaluation i is at ω^i (or g·ω^i), ω = domain.omega.
import { getEngine, ownKernels, R } from "../../verifier/engine/bn254.js";
import { FR_BYTES, frFftOnThisThread, frLength, frMul, frPowers, type FrVec } from "../../verifier/engine/fr.js";
import { frInv } from "../../verifier/engine/scalar.js";
import { nttLem, nttOnThisThread, scalePowers } from "../engine/wasm/index.js";
import { COSET_GENERATOR, type Domain } from "../../verifier/poly/domain.js";
import { PolyError } from "../../verifier/poly/errors.js";

/** Number of elements of `v`; throws unless it has at most n. */
function checkFits(v: FrVec, n: number, what: string): number {
  const m = frLength(v, what);
  if (m > n) throw new PolyError(`${what}: ${m} elements do not fit a domain of ${n}`);
  return m;
}

/** `v` zero-padded to n elements; throws if it is longer. Returns `v` itself when it has n. */
export function padTo(v: FrVec, n: number, what: string): FrVec {
  if (checkFits(v, n, what) === n) return v;
  const out = new Uint8Array(n * FR_BYTES);
  out.set(v);
  return out;
}

/** How a transform of a whole domain is computed; both give the same result. */
export type Transform = (v: FrVec, inverse: boolean) => Promise<FrVec>;
/** The NTT on worker threads: our kernels', or ffjavascript's Fr.fft / Fr.ifft. */
export const threaded: Transform = async (v, inverse) => {
  if (ownKernels()) return nttLem(v, inverse);
  const c = await getEngine();
  // The engine copies its input with slice(), which on a Node Buffer is a view: it would reorder
  // the caller's bytes. A plain Uint8Array view of the same bytes copies as it should.
  const input = Buffer.isBuffer(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : v;
  return inverse ? c.Fr.ifft(input) : c.Fr.fft(input);
};
/** The same kernel on the calling thread alone. */
export const onThisThread: Transform = async (v, inverse) => {
  if (!ownKernels()) return frFftOnThisThread(v, inverse);
  frLength(v, "ntt");
  return nttOnThisThread(v, inverse);
};

/** Evaluations on H of the polynomial with these coefficients (at most n of them). */
export async function fft(coeffs: FrVec, domain: Domain, transform: Transform = threaded): Promise<FrVec> {
  return transform(padTo(coeffs, domain.size, "fft"), false);
}

/** Coefficients (n of them) of the polynomial with these evaluations on H (shorter: zero-padded). */
export async function ifft(evals: FrVec, domain: Domain, transform: Transform = threaded): Promise<FrVec> {
  return transform(padTo(evals, domain.size, "ifft"), true);
}

function checkShift(shift: bigint): void {
  if (typeof shift !== "bigint" || shift <= 0n || shift >= R) {
    throw new PolyError(`coset: shift ${String(shift)} is not a nonzero field element`);
  }
}

/**
 * Evaluations on the coset shift·H (default g = COSET_GENERATOR) of the polynomial with these
 * coefficients: p(g·ω^i) = Σ_j (c_j·g^j)·ω^(ij), so scale the coefficients, then FFT.
 */
export async function cosetFft(coeffs: FrVec, domain: Domain, shift: bigint = COSET_GENERATOR, transform: Transform = threaded): Promise<FrVec> {
  checkShift(shift);
  const m = checkFits(coeffs, domain.size, "cosetFft");
  // Only the given coefficients need scaling; the padding is zero either way.
  const scaled = ownKernels() ? scalePowers(coeffs, shift) : await frMul(coeffs, await frPowers(shift, m));
  return fft(scaled, domain, transform);
}

/** Coefficients of the polynomial with these evaluations on shift·H: iFFT, then c_j·g^(−j). */
export async function cosetIfft(evals: FrVec, domain: Domain, shift: bigint = COSET_GENERATOR): Promise<FrVec> {
  checkShift(shift);
  const coeffs = await ifft(evals, domain);
  return ownKernels() ? scalePowers(coeffs, frInv(shift)) : frMul(coeffs, await frPowers(frInv(shift), domain.size));
}
