// Evaluating polynomials at a point: Horner on coefficients (whose intermediate values are exactly
// the quotient by X − z), and the barycentric formula on evaluations over a domain.
import { getEngine, ownKernels, R } from "../../verifier/engine/bn254.js";
import { CHUNK, FR_BYTES, frInnerProduct, frLength, withScratch, type FrVec } from "../../verifier/engine/fr.js";
import { LOAD_FACTOR, withFieldVectors } from "../engine/wasm/index.js";
import type { Domain } from "../../verifier/poly/domain.js";
import { PolyError } from "../../verifier/poly/errors.js";

function checkPoint(z: bigint, what: string): void {
  if (typeof z !== "bigint" || z < 0n || z >= R) throw new PolyError(`${what}: point ${String(z)} is not in [0, r)`);
}

/**
 * Horner from the top coefficient: h_(d−1) = p_(d−1), h_(i) = h_(i+1)·z + p_i, so h_0 = p(z) and
 * h_(i+1) is the coefficient of X^i in (p(X) − p(z)) / (X − z). Writes the quotient when asked.
 */
async function horner(coeffs: FrVec, z: bigint, quotient: FrVec | undefined): Promise<bigint> {
  const d = frLength(coeffs, "polynomial");
  if (d === 0) return 0n;
  const c = await getEngine();
  const chunk = Math.min(d, CHUNK);
  const bytes = chunk * FR_BYTES;
  return withScratch(c, 2 * bytes + 2 * FR_BYTES, (s) => {
    const pz = s.scalar(z);
    const carry = s.scalar(0n); // h of the element just above the current chunk
    const p = s.alloc(bytes);
    const h = s.alloc(bytes);
    for (let hi = d; hi > 0; hi -= chunk) {
      const lo = Math.max(0, hi - chunk);
      const m = hi - lo;
      s.mem.set(coeffs.subarray(lo * FR_BYTES, hi * FR_BYTES), p);
      for (let t = m - 1; t >= 0; t--) {
        const o = t * FR_BYTES;
        s.ex.frm_mul(t === m - 1 ? carry : h + o + FR_BYTES, pz, h + o);
        s.ex.frm_add(h + o, p + o, h + o);
      }
      s.ex.frm_copy(h, carry);
      if (quotient) {
        // h_i (i = lo + t ≥ 1) is quotient coefficient i − 1.
        const from = lo === 0 ? 1 : 0;
        quotient.set(s.mem.subarray(h + from * FR_BYTES, h + m * FR_BYTES), (lo + from - 1) * FR_BYTES);
      }
    }
    return s.read(carry);
  });
}

/**
 * p(z) for the polynomial with these coefficients (Horner, in WebAssembly: our kernel's frv_horner,
 * one call for the whole polynomial, or with ZKINFER_ENGINE=ffjavascript the engine's).
 */
export async function evaluate(coeffs: FrVec, z: bigint): Promise<bigint> {
  checkPoint(z, "evaluate");
  if (!ownKernels()) return horner(coeffs, z, undefined);
  const d = frLength(coeffs, "polynomial");
  if (d === 0) return 0n;
  return withFieldVectors(2, d, (s) => {
    const out = s.alloc(1);
    s.ex.frv_horner(out, s.stage(coeffs), d, s.scalar(z));
    return s.read(out, LOAD_FACTOR);
  });
}

/**
 * Splits p as q·(X − z) + p(z): `quotient` = (p(X) − p(z)) / (X − z), one coefficient shorter
 * than p (empty for a constant), and `remainder` = p(z).
 */
export async function divideByLinear(coeffs: FrVec, z: bigint): Promise<{ quotient: FrVec; remainder: bigint }> {
  checkPoint(z, "divideByLinear");
  const d = frLength(coeffs, "divideByLinear");
  const quotient = new Uint8Array(Math.max(d - 1, 0) * FR_BYTES);
  const remainder = await horner(coeffs, z, quotient);
  return { quotient, remainder };
}

/**
 * p(z) for the polynomial of degree < n given by its n evaluations on `domain`, by the
 * barycentric formula p(z) = Σ_i evals_i·L_i(z). A point of H gives the stored evaluation.
 */
export async function evaluateLagrange(evals: FrVec, domain: Domain, z: bigint): Promise<bigint> {
  checkPoint(z, "evaluateLagrange");
  const n = frLength(evals, "evaluateLagrange");
  if (n !== domain.size) throw new PolyError(`evaluateLagrange: ${n} evaluations for a domain of ${domain.size}`);
  return frInnerProduct(evals, await domain.lagrangeEvaluations(z));
}
