import { expect } from "chai";
import fc from "fast-check";
import { bn254 } from "@noble/curves/bn254.js";
import type { Bn128 } from "ffjavascript";
import { getEngine, releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints } from "../../../verifier/engine/fr.js";
import { g1FromLEM, g1ToLEM, g2ToLEM, g2FromNoble } from "../../../verifier/engine/encoding.js";
import { g1Add, g1Concat, g1Mul, g1Sub, msm, msmStandard } from "../../../prover/engine/g1.js";

const G = bn254.G1.Point.BASE;
const arbScalar = fc.bigInt({ min: 0n, max: R - 1n });

describe("engine/g1 against @noble/curves", () => {
  let curve: Bn128;
  before(async () => {
    curve = await getEngine();
  });
  after(releaseEngine);

  // [k]₁ in LEM form; k = 0 gives the point at infinity, encoded as (0, 0).
  const lem = (k: bigint) => g1ToLEM(k === 0n ? { x: 0n, y: 0n } : G.multiply(k).toAffine());
  const toNoble = (p: Uint8Array) => {
    const { x, y } = g1FromLEM(p);
    return x === 0n && y === 0n ? bn254.G1.Point.ZERO : bn254.G1.Point.fromAffine({ x, y });
  };

  it("MSM equals the naive sum Σ sᵢ·Pᵢ, zero scalars and the point at infinity included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(arbScalar, fc.oneof(arbScalar, fc.constant(0n))), { minLength: 1, maxLength: 12 }),
        async (pairs) => {
          const bases = g1Concat(pairs.map(([, k]) => lem(k)));
          const got = await msm(curve, bases, frVecFromBigints(pairs.map(([s]) => s)));
          const want = pairs.reduce((acc, [s, k]) => acc.add(G.multiplyUnsafe(k).multiplyUnsafe(s)), bn254.G1.Point.ZERO);
          expect(toNoble(got).equals(want)).to.equal(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("MSM of standard-form scalars, unreduced ones (s + r) included: one multiplication per point for a few points, buckets beyond", async () => {
    for (const n of [1, 3, 8, 9, 20]) {
      const ks = Array.from({ length: n }, (_, i) => BigInt(i * 7919 + 3));
      const ss = Array.from({ length: n }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n + 11n) % R);
      const scalars = new Uint8Array(n * 32);
      ss.forEach((x, i) => {
        const unreduced = i % 2 === 0 ? x + R : x;
        for (let b = 0; b < 32; b++) scalars[i * 32 + b] = Number((unreduced >> BigInt(8 * b)) & 0xffn);
      });
      const got = await msmStandard(curve, g1Concat(ks.map(lem)), scalars);
      const want = ks.reduce((acc, k, i) => acc.add(G.multiply((k * ss[i]) % R)), bn254.G1.Point.ZERO);
      expect(toNoble(got).equals(want), `${n} points`).to.equal(true);
    }
  });

  it("adds, subtracts and multiplies like noble", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: R - 1n }), fc.bigInt({ min: 1n, max: R - 1n }), async (a, b) => {
        const pa = lem(a);
        const pb = lem(b);
        expect(toNoble(g1Add(curve, pa, pb)).equals(G.multiply(a).add(G.multiply(b)))).to.equal(true);
        expect(toNoble(g1Sub(curve, pa, pb)).equals(G.multiply(a).subtract(G.multiply(b)))).to.equal(true);
        expect(toNoble(g1Mul(curve, pa, b)).equals(G.multiply((a * b) % R))).to.equal(true);
      }),
      { numRuns: 20 },
    );
  });

  it("pairing is bilinear: e(a·P, b·Q) = e(ab·P, Q), and unequal exponents are told apart", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 1n, max: R - 1n }), fc.bigInt({ min: 1n, max: R - 1n }), async (a, b) => {
        const q = bn254.G2.Point.BASE;
        const qb = g2ToLEM(g2FromNoble(q.multiply(b)));
        const q1 = g2ToLEM(g2FromNoble(q));
        const left = lem(a);
        const rightOk = lem((a * b) % R);
        const rightBad = lem(((a * b) % R) + 1n === R ? 1n : ((a * b) % R) + 1n);
        expect(await curve.pairingEq(left, qb, curve.G1.neg(rightOk), q1)).to.equal(true);
        expect(await curve.pairingEq(left, qb, curve.G1.neg(rightBad), q1)).to.equal(false);
      }),
      { numRuns: 6 },
    );
  });
});
