import { expect } from "chai";
import fc from "fast-check";
import { getEngine, releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { frVecToBigints } from "../../../verifier/engine/fr.js";
import { COSET_GENERATOR, Domain, MAX_LOG_SIZE, PolyError } from "../../../prover/poly/index.js";
import { arbFr, F } from "../../prover/poly/naive.js";

const runs = { numRuns: 30 };

/** L_i(x) = Π_{j≠i} (x − ω^j)/(ω^i − ω^j), straight from the definition. */
function lagrangeNaive(d: Domain, i: number, x: bigint): bigint {
  let num = 1n;
  let den = 1n;
  const wi = F.pow(d.omega, BigInt(i));
  for (let j = 0; j < d.size; j++) {
    if (j === i) continue;
    const wj = F.pow(d.omega, BigInt(j));
    num = F.mul(num, F.sub(x, wj));
    den = F.mul(den, F.sub(wi, wj));
  }
  return F.div(num, den);
}

describe("poly/domain", () => {
  after(releaseEngine);

  it("uses ffjavascript's roots of unity, each primitive of its order", async () => {
    const c = await getEngine();
    for (let k = 0; k <= MAX_LOG_SIZE; k++) {
      const d = Domain.create(k);
      expect(d.size).to.equal(2 ** k);
      expect(d.logSize).to.equal(k);
      expect(d.omega).to.equal(c.Fr.toObject(c.Fr.w[k]));
      expect(F.pow(d.omega, BigInt(d.size))).to.equal(1n);
      if (k > 0) expect(F.pow(d.omega, BigInt(d.size / 2))).to.equal(R - 1n);
      expect(F.mul(d.omega, d.omegaInv)).to.equal(1n);
      expect(F.mul(d.nInv, BigInt(d.size))).to.equal(1n);
    }
  });

  it("rejects sizes that are not powers of two up to 2^28", () => {
    for (const n of [0, 3, 6, 1000, 2 ** 29, 1.5, -4, Number.NaN]) expect(() => Domain.ofSize(n)).to.throw(PolyError, /not a power of two/);
    for (const k of [-1, 29, 2.5]) expect(() => Domain.create(k)).to.throw(PolyError, /log size/);
    expect(() => Domain.atLeast(2 ** 28 + 1)).to.throw(PolyError, /no power-of-two domain/);
    expect(Domain.ofSize(1024).logSize).to.equal(10);
    expect([0, 1, 2, 3, 5, 1025].map((n) => Domain.atLeast(n).size)).to.deep.equal([1, 1, 2, 4, 8, 2048]);
  });

  it("lists its elements and finds their indices", async () => {
    for (let k = 0; k <= 6; k++) {
      const d = Domain.create(k);
      const all = frVecToBigints(await d.elements());
      expect(new Set(all).size).to.equal(d.size);
      all.forEach((w, i) => {
        expect(w).to.equal(F.pow(d.omega, BigInt(i)));
        expect(d.element(i)).to.equal(w);
        expect(d.element(i + d.size)).to.equal(w);
        expect(d.element(i - d.size)).to.equal(w);
        expect(d.contains(w)).to.equal(true);
        expect(d.indexOf(w)).to.equal(i);
        expect(d.vanishing(w)).to.equal(0n);
      });
    }
    const big = Domain.create(20);
    expect(big.indexOf(big.element(712_345))).to.equal(712_345);
  });

  it("vanishes only on H", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), arbFr, (k, x) => {
        const d = Domain.create(k);
        const v = F.sub(F.pow(x, BigInt(d.size)), 1n);
        expect(d.vanishing(x)).to.equal(v);
        expect(d.contains(x)).to.equal(v === 0n);
        expect(d.indexOf(x) >= 0).to.equal(v === 0n);
      }),
      runs,
    );
    expect(Domain.create(3).contains(0n)).to.equal(false);
    expect(() => Domain.create(3).vanishing(R)).to.throw(PolyError, /not a field element/);
  });

  it("has a coset generator that is a non-residue whose cosets miss every 2-power subgroup", () => {
    const g = COSET_GENERATOR;
    expect(F.pow(g, (R - 1n) / 2n)).to.equal(R - 1n);
    // g^(2^28) ≠ 1: g is in no 2-power subgroup, and neither is any g^n for n a power of two.
    expect(F.pow(g, 1n << 28n)).to.not.equal(1n);
    for (const k of [2, 5, 10]) {
      const d = Domain.create(k);
      const big = Domain.create(k + 2);
      for (let i = 0; i < big.size; i++) {
        const x = F.mul(g, big.element(i));
        expect(big.contains(x)).to.equal(false);
        expect(d.vanishing(x)).to.not.equal(0n);
      }
    }
  });

  it("evaluates Lagrange bases like their definition", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), arbFr, fc.boolean(), fc.nat(), async (k, x0, inH, j) => {
        const d = Domain.create(k);
        const x = inH ? d.element(j) : x0;
        const all = frVecToBigints(await d.lagrangeEvaluations(x));
        expect(all.length).to.equal(d.size);
        for (let i = 0; i < d.size; i++) {
          const expected = lagrangeNaive(d, i, x);
          expect(d.lagrange(i, x)).to.equal(expected);
          expect(all[i]).to.equal(expected);
        }
        expect(all.reduce((a, b) => F.add(a, b), 0n)).to.equal(1n);
      }),
      runs,
    );
  });

  it("gives one-hot Lagrange evaluations at points of H", async () => {
    const d = Domain.create(5);
    const all = frVecToBigints(await d.lagrangeEvaluations(d.element(13)));
    expect(all.map((v, i) => (i === 13 ? v === 1n : v === 0n)).every(Boolean)).to.equal(true);
  });
});
