import { expect } from "chai";
import fc from "fast-check";
import { getEngine, releaseEngine, R } from "../../../verifier/engine/bn254.js";
import {
  CHUNK,
  FR_BYTES,
  FieldError,
  frAdd,
  frAddScalar,
  frAxpy,
  frBatchInverse,
  frGet,
  frIndexOfZero,
  frInnerProduct,
  frLength,
  frMul,
  frPowers,
  frScale,
  frSet,
  frSub,
  frSum,
  frToStandardLE,
  frVecEquals,
  frVecFromBigints,
  frVecGeometric,
  frVecToBigints,
  frZeros,
  withScratch,
} from "../../../verifier/engine/fr.js";
import { frExp } from "../../../verifier/engine/scalar.js";
import { expectRejection } from "../../helpers/assert.js";
import { arbFr, arbFrNonZero, arbVec, F, pseudoRandom } from "../../prover/poly/naive.js";

const runs = { numRuns: 40 };
const vec = frVecFromBigints;
const big = frVecToBigints;

function expectFieldError(fn: () => unknown, pattern: RegExp): void {
  expect(fn).to.throw(FieldError, pattern);
}

/** Two vectors of one random length. */
const arbPair = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(arbVec(n, n), arbVec(n, n)));

describe("engine/fr", () => {
  after(releaseEngine);

  describe("conversions", () => {
    it("packs bigints in the engine's Montgomery form and back", async () => {
      const c = await getEngine();
      fc.assert(
        fc.property(arbVec(0, 20), (xs) => {
          const v = vec(xs);
          expect(v.length).to.equal(xs.length * FR_BYTES);
          xs.forEach((x, i) => expect(Buffer.from(v.subarray(i * 32, i * 32 + 32))).to.deep.equal(Buffer.from(c.Fr.e(x))));
          expect(big(v)).to.deep.equal(xs);
          xs.forEach((x, i) => expect(frGet(v, i)).to.equal(x));
        }),
        runs,
      );
    });

    it("writes 0 and 1 (the fast path) as the engine does, between other values", async () => {
      const c = await getEngine();
      const xs = [0n, 1n, 2n, R - 1n, 1n, 0n, 0n, 1n];
      const v = vec(xs);
      xs.forEach((x, i) => expect(Buffer.from(v.subarray(i * 32, i * 32 + 32))).to.deep.equal(Buffer.from(c.Fr.e(x))));
      expect(big(v)).to.deep.equal(xs);
    });

    it("rejects values outside [0, r) unless asked to reduce", () => {
      expectFieldError(() => vec([1n, R]), /element 1: .* not in \[0, r\)/);
      expectFieldError(() => vec([-1n]), /element 0/);
      expectFieldError(() => vec([1 as unknown as bigint]), /expected a bigint/);
      expect(big(vec([R, -1n, 2n * R + 5n, -R - 3n], { reduce: true }))).to.deep.equal([0n, R - 1n, 5n, R - 3n]);
    });

    it("rejects a non-canonical Montgomery word", () => {
      const v = new Uint8Array(64).fill(0xff, 32);
      expect(frGet(v, 0)).to.equal(0n);
      expectFieldError(() => frGet(v, 1), /not canonical/);
      expectFieldError(() => big(v), /not canonical/);
    });

    it("sets and gets single elements, with bounds checks", () => {
      fc.assert(
        fc.property(arbVec(1, 10), arbFr, fc.nat(), (xs, x, k) => {
          const v = vec(xs);
          const i = k % xs.length;
          frSet(v, i, x);
          const expected = [...xs];
          expected[i] = x;
          expect(big(v)).to.deep.equal(expected);
        }),
        runs,
      );
      const v = frZeros(3);
      expect(big(v)).to.deep.equal([0n, 0n, 0n]);
      expectFieldError(() => frGet(v, 3), /index 3 out of range \[0, 3\)/);
      expectFieldError(() => frGet(v, -1), /out of range/);
      expectFieldError(() => frSet(v, 0.5, 1n), /out of range/);
      expectFieldError(() => frSet(v, 0, R), /not in \[0, r\)/);
      expectFieldError(() => frZeros(-1), /not a non-negative integer/);
    });

    it("checks lengths", () => {
      expect(frLength(new Uint8Array(96))).to.equal(3);
      expectFieldError(() => frLength(new Uint8Array(33)), /33 bytes is not a whole number/);
      expectFieldError(() => frLength([1, 2] as unknown as Uint8Array), /expected a Uint8Array/);
    });

    it("writes standard little-endian form for MSM scalars", async () => {
      await fc.assert(
        fc.asyncProperty(arbVec(0, 20), async (xs) => {
          const s = await frToStandardLE(vec(xs));
          expect(s.length).to.equal(xs.length * 32);
          xs.forEach((x, i) => {
            let y = 0n;
            for (let b = 31; b >= 0; b--) y = (y << 8n) | BigInt(s[i * 32 + b]);
            expect(y).to.equal(x);
          });
        }),
        { numRuns: 10 },
      );
    });

    it("compares vectors and finds zeros", () => {
      expect(frVecEquals(vec([1n, 2n]), vec([1n, 2n]))).to.equal(true);
      expect(frVecEquals(vec([1n, 2n]), vec([1n, 3n]))).to.equal(false);
      expect(frVecEquals(vec([1n]), vec([1n, 0n]))).to.equal(false);
      expect(frIndexOfZero(vec([3n, 1n, 0n, 0n]))).to.equal(2);
      expect(frIndexOfZero(vec([3n, 1n]))).to.equal(-1);
    });

    it("raises to powers like @noble/curves", () => {
      fc.assert(
        fc.property(arbFr, fc.bigInt({ min: 0n, max: 1n << 300n }), (x, e) => {
          expect(frExp(x, e)).to.equal(F.pow(x, e));
        }),
        runs,
      );
    });
  });

  describe("elementwise operations", () => {
    it("add, sub, mul, scale, axpy and add-scalar match @noble/curves", async () => {
      await fc.assert(
        fc.asyncProperty(arbPair, arbFr, async ([xs, ys], k) => {
          const [a, b] = [vec(xs), vec(ys)];
          expect(big(await frAdd(a, b))).to.deep.equal(xs.map((x, i) => F.add(x, ys[i])));
          expect(big(await frSub(a, b))).to.deep.equal(xs.map((x, i) => F.sub(x, ys[i])));
          expect(big(await frMul(a, b))).to.deep.equal(xs.map((x, i) => F.mul(x, ys[i])));
          expect(big(await frScale(a, k))).to.deep.equal(xs.map((x) => F.mul(x, k)));
          expect(big(await frAxpy(a, k, b))).to.deep.equal(xs.map((x, i) => F.add(x, F.mul(k, ys[i]))));
          expect(big(await frAddScalar(a, k))).to.deep.equal(xs.map((x) => F.add(x, k)));
        }),
        runs,
      );
    });

    it("obey the field laws", async () => {
      const arbTriple = fc.integer({ min: 1, max: 16 }).chain((n) => fc.tuple(arbVec(n, n), arbVec(n, n), arbVec(n, n)));
      await fc.assert(
        fc.asyncProperty(arbTriple, async ([xs, ys, zs]) => {
          const [a, b, c] = [vec(xs), vec(ys), vec(zs)];
          const eq = (u: Uint8Array, v: Uint8Array) => expect(frVecEquals(u, v)).to.equal(true);
          eq(await frAdd(a, b), await frAdd(b, a));
          eq(await frMul(a, b), await frMul(b, a));
          eq(await frAdd(await frAdd(a, b), c), await frAdd(a, await frAdd(b, c)));
          eq(await frMul(await frMul(a, b), c), await frMul(a, await frMul(b, c)));
          eq(await frMul(a, await frAdd(b, c)), await frAdd(await frMul(a, b), await frMul(a, c)));
          eq(await frSub(await frAdd(a, b), b), a);
          eq(await frMul(a, await frPowers(1n, xs.length)), a);
          eq(await frAdd(a, frZeros(xs.length)), a);
        }),
        runs,
      );
    });

    it("crosses chunk boundaries", async () => {
      const n = 2 * CHUNK + 3;
      const xs = pseudoRandom(n, 3n);
      const ys = pseudoRandom(n, 5n);
      const [a, b] = [vec(xs), vec(ys)];
      expect(big(await frMul(a, b))).to.deep.equal(xs.map((x, i) => F.mul(x, ys[i])));
      expect(big(await frAxpy(a, 9n, b))).to.deep.equal(xs.map((x, i) => F.add(x, F.mul(9n, ys[i]))));
      expect(await frInnerProduct(a, b)).to.equal(xs.reduce((acc, x, i) => F.add(acc, F.mul(x, ys[i])), 0n));
      expect(await frSum(a)).to.equal(xs.reduce((acc, x) => F.add(acc, x), 0n));
      const inv = big(await frBatchInverse(a));
      const std = await frToStandardLE(a);
      for (const i of [0, CHUNK - 1, CHUNK, 2 * CHUNK, n - 1]) {
        expect(inv[i]).to.equal(F.inv(xs[i]));
        expect(Buffer.from(std.subarray(i * 32, i * 32 + 32)).equals(Buffer.from(F.toBytes(xs[i])).reverse())).to.equal(true);
      }
      const pw = big(await frPowers(7n, n, 3n));
      for (const i of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, n - 1]) expect(pw[i]).to.equal(F.mul(3n, F.pow(7n, BigInt(i))));
    });

    it("reject mismatched lengths and bad scalars", async () => {
      const [a, b] = [vec([1n, 2n]), vec([1n])];
      for (const op of [frAdd, frSub, frMul, frInnerProduct]) await expectRejection(op(a, b), /lengths 2 and 1 differ/);
      await expectRejection(frAxpy(a, 1n, b), /lengths 2 and 1 differ/);
      await expectRejection(frAdd(new Uint8Array(31), new Uint8Array(31)), /not a whole number/);
      await expectRejection(frScale(a, R), /not in \[0, r\)/);
      await expectRejection(frAddScalar(a, -1n), /not in \[0, r\)/);
      await expectRejection(frPowers(2n, -1), /not a non-negative integer/);
    });
  });

  describe("reductions and sequences", () => {
    it("inner product and sum match @noble/curves", async () => {
      await fc.assert(
        fc.asyncProperty(arbPair, async ([xs, ys]) => {
          expect(await frInnerProduct(vec(xs), vec(ys))).to.equal(xs.reduce((acc, x, i) => F.add(acc, F.mul(x, ys[i])), 0n));
          expect(await frSum(vec(xs))).to.equal(xs.reduce((acc, x) => F.add(acc, x), 0n));
        }),
        runs,
      );
    });

    it("powers match @noble/curves", async () => {
      await fc.assert(
        fc.asyncProperty(arbFr, arbFr, fc.integer({ min: 0, max: 40 }), async (x, first, n) => {
          const expected = Array.from({ length: n }, (_, i) => F.mul(first, F.pow(x, BigInt(i))));
          expect(big(await frPowers(x, n, first))).to.deep.equal(expected);
        }),
        runs,
      );
    });

    it("the engine-free geometric sequence matches frPowers word for word", async () => {
      await fc.assert(
        fc.asyncProperty(arbFr, arbFr, fc.integer({ min: 0, max: 40 }), async (x, first, n) => {
          expect(Buffer.from(frVecGeometric(first, x, n))).to.deep.equal(Buffer.from(await frPowers(x, n, first)));
        }),
        runs,
      );
      expectFieldError(() => frVecGeometric(R, 2n, 3), /frVecGeometric: first/);
      expectFieldError(() => frVecGeometric(1n, -1n, 3), /frVecGeometric: ratio/);
    });

    it("batch inversion matches @noble/curves", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arbFrNonZero, { maxLength: 40 }), async (xs) => {
          const inv = await frBatchInverse(vec(xs));
          expect(big(inv)).to.deep.equal(xs.map((x) => F.inv(x)));
          if (xs.length > 0) expect(big(await frMul(inv, vec(xs)))).to.deep.equal(xs.map(() => 1n));
        }),
        runs,
      );
    });

    it("batch inversion refuses zero, naming it", async () => {
      await expectRejection(frBatchInverse(vec([5n, 7n, 0n, 9n])), /element 2 of 4 is zero/);
      const err = await frBatchInverse(vec([0n])).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(FieldError);
    });
  });

  describe("scratch memory", () => {
    it("grows the main-thread memory and leaves the engine usable", async () => {
      const c = await getEngine();
      const before = c.tm.memory.buffer.byteLength;
      const bytes = before + (1 << 20);
      const x = withScratch(c, bytes, (s) => {
        const p = s.alloc(bytes);
        s.mem[p + bytes - 1] = 1;
        const q = s.scalar(12345n);
        s.ex.frm_mul(q, q, q);
        return s.read(q);
      });
      expect(x).to.equal(F.mul(12345n, 12345n));
      expect(c.tm.memory.buffer.byteLength).to.be.greaterThan(before);
      // ffjavascript's own main-thread calls read the refreshed views.
      expect(c.Fr.toObject(c.Fr.mul(c.Fr.e(6n), c.Fr.e(7n)))).to.equal(42n);
      expect(() => withScratch(c, 64, (s) => s.alloc(1 << 20))).to.throw(/beyond the reserved space/);
      // The failed operation released its scratch, so the next one can start.
      expect(withScratch(c, 32, (s) => s.read(s.scalar(5n)))).to.equal(5n);
    });
  });
});
