import { expect } from "chai";
import fc from "fast-check";
import { releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { CHUNK, frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import { divideByLinear, Domain, evaluate, evaluateLagrange, ifft, PolyError } from "../../../prover/poly/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { arbFr, arbVec, divNaive, evalNaive, F, mulNaive, pseudoRandom } from "./naive.js";

const runs = { numRuns: 40 };
const vec = frVecFromBigints;
const big = frVecToBigints;

/** Σ e_i·Π_{j≠i}(z − ω^j)/(ω^i − ω^j): Lagrange interpolation from its definition. */
function interpolateNaive(evals: readonly bigint[], d: Domain, z: bigint): bigint {
  let acc = 0n;
  for (let i = 0; i < d.size; i++) {
    let term = evals[i];
    for (let j = 0; j < d.size; j++) {
      if (j !== i) term = F.mul(term, F.div(F.sub(z, d.element(j)), F.sub(d.element(i), d.element(j))));
    }
    acc = F.add(acc, term);
  }
  return acc;
}

describe("poly/evaluate", () => {
  after(releaseEngine);

  it("evaluates like the naive sum", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(0, 64), arbFr, async (xs, z) => {
        expect(await evaluate(vec(xs), z)).to.equal(evalNaive(xs, z));
      }),
      runs,
    );
  });

  it("divides by X − z like long division", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(0, 64), arbFr, async (xs, z) => {
        const { quotient, remainder } = await divideByLinear(vec(xs), z);
        const q = big(quotient);
        const ref = divNaive(xs, [F.neg(z), 1n]);
        expect(q).to.deep.equal(ref.q);
        expect(remainder).to.equal(xs.length === 0 ? 0n : ref.rem[0]);
        expect(remainder).to.equal(evalNaive(xs, z));
        // p = q·(X − z) + p(z)
        const back = mulNaive(q, [F.neg(z), 1n]);
        if (xs.length > 0) back[0] = F.add(back[0] ?? 0n, remainder);
        expect(back).to.deep.equal(xs);
      }),
      runs,
    );
  });

  it("handles polynomials longer than a chunk", async () => {
    const xs = pseudoRandom(2 * CHUNK + 5, 9n);
    const z = 0x1234567890abcdefn;
    expect(await evaluate(vec(xs), z)).to.equal(evalNaive(xs, z));
    const { quotient, remainder } = await divideByLinear(vec(xs), z);
    // Synthetic division from the top: q_(i−1) = p_i + z·q_i.
    const q = new Array<bigint>(xs.length - 1);
    let acc = 0n;
    for (let i = xs.length - 1; i >= 1; i--) q[i - 1] = acc = F.add(F.mul(acc, z), xs[i]);
    expect(big(quotient)).to.deep.equal(q);
    expect(remainder).to.equal(evalNaive(xs, z));
  });

  it("evaluates from evaluations on H by the barycentric formula", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }).chain((k) => fc.tuple(fc.constant(Domain.create(k)), arbVec(2 ** k, 2 ** k))),
        arbFr,
        async ([d, evals], z) => {
          const expected = interpolateNaive(evals, d, z);
          expect(await evaluateLagrange(vec(evals), d, z)).to.equal(expected);
          expect(await evaluate(await ifft(vec(evals), d), z)).to.equal(expected);
        },
      ),
      runs,
    );
  });

  it("returns the stored value at points of H", async () => {
    const d = Domain.create(6);
    const evals = pseudoRandom(d.size, 4n);
    for (const i of [0, 1, 31, 63]) expect(await evaluateLagrange(vec(evals), d, d.element(i))).to.equal(evals[i]);
  });

  it("agrees with the coefficient form at 2^12", async () => {
    const d = Domain.create(12);
    const evals = vec(pseudoRandom(d.size, 8n));
    const coeffs = await ifft(evals, d);
    for (const z of [0n, 5n, R - 1n, 0xfeedfacen]) expect(await evaluateLagrange(evals, d, z)).to.equal(await evaluate(coeffs, z));
  });

  it("rejects bad points and sizes", async () => {
    await expectRejection(evaluate(vec([1n]), R), /point .* is not in \[0, r\)/);
    await expectRejection(divideByLinear(vec([1n]), -1n), /not in \[0, r\)/);
    await expectRejection(evaluateLagrange(vec([1n, 2n, 3n]), Domain.create(2), 5n), /3 evaluations for a domain of 4/);
    await expectRejection(divideByLinear(new Uint8Array(20), 1n), /not a whole number/);
    const err = await evaluate(vec([1n]), R).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PolyError);
  });
});
