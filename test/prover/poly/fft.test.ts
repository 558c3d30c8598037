import { expect } from "chai";
import fc from "fast-check";
import { releaseEngine, R } from "../../../verifier/engine/bn254.js";
import { frBatchInverse, frMul, frVecFromBigints, frVecToBigints, FieldError } from "../../../verifier/engine/fr.js";
import {
  COSET_GENERATOR,
  cosetFft,
  cosetIfft,
  divideByVanishing,
  Domain,
  fft,
  ifft,
  PolyError,
} from "../../../prover/poly/index.js";
import { expectRejection } from "../../helpers/assert.js";
import { arbFrNonZero, arbVec, dftNaive, evalNaive, F, pseudoRandom } from "./naive.js";

const runs = { numRuns: 30 };
const vec = frVecFromBigints;
const big = frVecToBigints;

/** A domain of size 2^0…2^6 and up to that many coefficients. */
const arbCase = fc
  .integer({ min: 0, max: 6 })
  .chain((k) => fc.tuple(fc.constant(Domain.create(k)), arbVec(0, 2 ** k)));

function padded(xs: readonly bigint[], n: number): bigint[] {
  return [...xs, ...new Array<bigint>(n - xs.length).fill(0n)];
}

describe("poly/fft", () => {
  after(releaseEngine);

  it("evaluates on H like the naive DFT, zero-padding short inputs", async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ([d, xs]) => {
        expect(big(await fft(vec(xs), d))).to.deep.equal(dftNaive(xs, d.omega, d.size));
      }),
      runs,
    );
  });

  it("interpolates: ifft inverts fft and its result takes the given values on H", async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async ([d, xs]) => {
        const evals = padded(xs, d.size);
        const coeffs = big(await ifft(vec(xs), d));
        expect(coeffs.length).to.equal(d.size);
        expect(dftNaive(coeffs, d.omega, d.size)).to.deep.equal(evals);
        expect(big(await ifft(await fft(vec(xs), d), d))).to.deep.equal(evals);
      }),
      runs,
    );
  });

  it("evaluates on the coset g·H and interpolates back", async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, arbFrNonZero, async ([d, xs], shift) => {
        const onCoset = big(await cosetFft(vec(xs), d));
        expect(onCoset).to.deep.equal(dftNaive(xs, d.omega, d.size, COSET_GENERATOR));
        expect(big(await cosetIfft(vec(onCoset), d))).to.deep.equal(padded(xs, d.size));
        const other = big(await cosetFft(vec(xs), d, shift));
        expect(other).to.deep.equal(dftNaive(xs, d.omega, d.size, shift));
        expect(big(await cosetIfft(vec(other), d, shift))).to.deep.equal(padded(xs, d.size));
      }),
      runs,
    );
  });

  it("leaves its input alone, also when it is a Node Buffer (whose slice() is a view, not a copy)", async () => {
    const d = Domain.create(4);
    const xs = pseudoRandom(16, 5n);
    for (const transform of [fft, ifft]) {
      const input = Buffer.from(vec(xs));
      const before = Buffer.from(input);
      const out = await transform(input, d);
      expect(Buffer.compare(input, before), transform.name).to.equal(0);
      expect(big(out)).to.deep.equal(big(await transform(vec(xs), d)));
    }
  });

  it("handles 2^12 points", async () => {
    const d = Domain.create(12);
    const xs = pseudoRandom(d.size - 100, 11n);
    const evals = big(await fft(vec(xs), d));
    const onCoset = big(await cosetFft(vec(xs), d));
    for (const i of [0, 1, 77, 2048, 4095]) {
      expect(evals[i]).to.equal(evalNaive(xs, d.element(i)));
      expect(onCoset[i]).to.equal(evalNaive(xs, F.mul(COSET_GENERATOR, d.element(i))));
    }
    expect(big(await ifft(vec(evals), d))).to.deep.equal(padded(xs, d.size));
    expect(big(await cosetIfft(vec(onCoset), d))).to.deep.equal(padded(xs, d.size));
  });

  it("computes a quotient by Z_H on the 4n coset, as divideByVanishing does", async () => {
    // p = a·Z_H + b·X^n·Z_H: degree < 3n, so the quotient t has degree < 2n and fits the 4n coset.
    const n = 16;
    const small = Domain.ofSize(n);
    const ext = Domain.ofSize(4 * n);
    const t = pseudoRandom(2 * n, 3n);
    const p = new Array<bigint>(3 * n).fill(0n);
    t.forEach((c, i) => {
      p[i] = F.sub(p[i], c);
      p[i + n] = F.add(p[i + n], c);
    });
    const pOnCoset = await cosetFft(vec(p), ext);
    const zh = Array.from({ length: ext.size }, (_, i) => small.vanishing(F.mul(COSET_GENERATOR, ext.element(i))));
    const quotient = big(await cosetIfft(await frMul(pOnCoset, await frBatchInverse(vec(zh))), ext));
    expect(quotient).to.deep.equal(padded(t, ext.size));
    expect(big((await divideByVanishing(vec(p), n)).quotient)).to.deep.equal(t);
  });

  it("rejects inputs longer than the domain and bad shifts", async () => {
    const d = Domain.create(2);
    const five = vec([1n, 2n, 3n, 4n, 5n]);
    for (const op of [fft, ifft, cosetFft, cosetIfft]) await expectRejection(op(five, d), /5 elements do not fit a domain of 4/);
    await expectRejection(fft(new Uint8Array(40), d), /not a whole number/);
    for (const shift of [0n, R, -1n]) await expectRejection(cosetFft(vec([1n]), d, shift), /not a nonzero field element/);
    const err = await fft(five, d).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PolyError);
    expect(err).to.be.instanceOf(FieldError);
  });
});
