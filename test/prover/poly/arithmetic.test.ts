import { expect } from "chai";
import fc from "fast-check";
import { releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { CHUNK, frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import {
  divideByVanishing,
  evaluate,
  linearCombination,
  NonZeroRemainderError,
  polyAdd,
  polyMul,
  polyScale,
  polySub,
  PolyError,
} from "../../../prover/poly/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { arbFr, arbVec, divNaive, F, mulNaive, pseudoRandom, vanishingPoly } from "./naive.js";

const runs = { numRuns: 40 };
const vec = frVecFromBigints;
const big = frVecToBigints;

function zipLonger(a: readonly bigint[], b: readonly bigint[], f: (x: bigint, y: bigint) => bigint): bigint[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => f(a[i] ?? 0n, b[i] ?? 0n));
}

/** Checks p = q·(X^n − 1) + rem coefficient by coefficient: p_i = q_(i−n) − q_i + rem_i. */
function checkVanishingSplit(p: readonly bigint[], n: number, q: readonly bigint[], rem: readonly bigint[]): void {
  expect(q.length).to.equal(Math.max(p.length - n, 0));
  expect(rem.length).to.equal(Math.min(p.length, n));
  const back = p.map((_, i) => F.add(F.sub(q[i - n] ?? 0n, q[i] ?? 0n), rem[i] ?? 0n));
  expect(back).to.deep.equal(p);
}

describe("poly/arithmetic", () => {
  after(releaseEngine);

  it("adds, subtracts and scales like the naive versions, keeping the longer length", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(0, 40), arbVec(0, 40), arbFr, async (xs, ys, k) => {
        expect(big(await polyAdd(vec(xs), vec(ys)))).to.deep.equal(zipLonger(xs, ys, (x, y) => F.add(x, y)));
        expect(big(await polySub(vec(xs), vec(ys)))).to.deep.equal(zipLonger(xs, ys, (x, y) => F.sub(x, y)));
        expect(big(await polyScale(vec(xs), k))).to.deep.equal(xs.map((x) => F.mul(x, k)));
      }),
      runs,
    );
  });

  it("forms linear combinations of polynomials of different lengths", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(arbVec(0, 30), arbFr), { maxLength: 5 }), async (terms) => {
        const expected = terms.reduce<bigint[]>((acc, [p, k]) => zipLonger(acc, p, (x, y) => F.add(x, F.mul(k, y))), []);
        const got = await linearCombination(
          terms.map(([p]) => vec(p)),
          terms.map(([, k]) => k),
        );
        expect(big(got)).to.deep.equal(expected);
      }),
      runs,
    );
  });

  it("forms linear combinations across chunks", async () => {
    const long = pseudoRandom(CHUNK + 10, 2n);
    const short = pseudoRandom(100, 3n);
    const got = big(await linearCombination([vec(short), vec(long)], [7n, R - 1n]));
    expect(got).to.deep.equal(zipLonger(short, long, (x, y) => F.sub(F.mul(7n, x), y)));
  });

  it("multiplies like schoolbook multiplication", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(0, 33), arbVec(0, 33), async (xs, ys) => {
        expect(big(await polyMul(vec(xs), vec(ys)))).to.deep.equal(mulNaive(xs, ys));
      }),
      runs,
    );
  });

  it("multiplies at 2^12, checked at a random point", async () => {
    const a = vec(pseudoRandom(3000, 5n));
    const b = vec(pseudoRandom(2500, 6n));
    const ab = await polyMul(a, b);
    expect(big(ab).length).to.equal(5499);
    const z = 0xabcdef0123456789n;
    expect(await evaluate(ab, z)).to.equal(F.mul(await evaluate(a, z), await evaluate(b, z)));
  });

  it("divides by X^n − 1 like long division", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(0, 70), fc.integer({ min: 1, max: 40 }), async (xs, n) => {
        const { quotient, remainder, exact } = await divideByVanishing(vec(xs), n);
        const ref = divNaive(xs, vanishingPoly(n));
        expect(big(quotient)).to.deep.equal(ref.q);
        expect(big(remainder)).to.deep.equal(ref.rem);
        expect(exact).to.equal(ref.rem.every((c) => c === 0n));
      }),
      runs,
    );
  });

  it("divides exactly when the polynomial vanishes on H, and reports a tampered one", async () => {
    await fc.assert(
      fc.asyncProperty(arbVec(1, 40), fc.integer({ min: 0, max: 5 }), fc.nat(), arbFr, async (a, k, at, delta) => {
        const n = 2 ** k;
        const p = mulNaive(a, vanishingPoly(n));
        const honest = await divideByVanishing(vec(p), n, { requireExact: true });
        expect(honest.exact).to.equal(true);
        expect(big(honest.quotient)).to.deep.equal(a);
        expect(big(honest.remainder)).to.deep.equal(new Array<bigint>(n).fill(0n));
        // A cheater who shifts one coefficient by δ ≠ 0 no longer divides.
        if (delta === 0n) return;
        const tampered = [...p];
        tampered[at % p.length] = F.add(tampered[at % p.length], delta);
        const result = await divideByVanishing(vec(tampered), n);
        expect(result.exact).to.equal(false);
        await expectRejection(divideByVanishing(vec(tampered), n, { requireExact: true }), /does not vanish/);
      }),
      runs,
    );
  });

  it("divides by X^n − 1 across chunks, with n below and above the chunk size", async () => {
    const p = pseudoRandom(2 * CHUNK + 17, 12n);
    for (const n of [1, 100, CHUNK, CHUNK + 7]) {
      const { quotient, remainder } = await divideByVanishing(vec(p), n);
      checkVanishingSplit(p, n, big(quotient), big(remainder));
    }
  });

  it("linear combinations and evaluations on our vector kernels equal ffjavascript's, across chunks and on edge values", async () => {
    const saved = process.env.ZKINFER_ENGINE;
    try {
      const edges = [0n, 1n, R - 1n, R - 2n];
      const polys = [pseudoRandom(CHUNK + 3, 61n), Array.from({ length: 9 }, (_, i) => edges[i % 4]), pseudoRandom(CHUNK - 1, 62n), []].map((p) => vec(p));
      const coeffs = [R - 1n, 0n, 123n, 5n];
      const both = async <T>(f: () => Promise<T>): Promise<[T, T]> => {
        process.env.ZKINFER_ENGINE = "zkinfer";
        const ours = await f();
        process.env.ZKINFER_ENGINE = "ffjavascript";
        return [ours, await f()];
      };
      const [ours, theirs] = await both(() => linearCombination(polys, coeffs));
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).to.equal(true);
      for (const p of polys) {
        for (const z of [0n, 1n, R - 1n, 0xfeedfacen]) {
          const [a, b] = await both(() => evaluate(p, z));
          expect(a).to.equal(b);
        }
      }
    } finally {
      if (saved === undefined) delete process.env.ZKINFER_ENGINE;
      else process.env.ZKINFER_ENGINE = saved;
    }
  });

  it("rejects bad inputs", async () => {
    await expectRejection(linearCombination([vec([1n])], []), /1 polynomials but 0 coefficients/);
    await expectRejection(divideByVanishing(vec([1n]), 0), /not a positive integer/);
    await expectRejection(polyAdd(new Uint8Array(5), vec([1n])), /not a whole number/);
    await expectRejection(polyScale(vec([1n]), R), /not in \[0, r\)/);
    const err = await divideByVanishing(vec([1n, 1n]), 1, { requireExact: true }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(NonZeroRemainderError);
    expect(err).to.be.instanceOf(PolyError);
    expect(big(await linearCombination([], []))).to.deep.equal([]);
    expect(big(await polyMul(vec([]), vec([1n, 2n])))).to.deep.equal([]);
  });
});
