import { expect } from "chai";
import fc from "fast-check";
import { R } from "../../../verifier/engine/bn254.js";
import { frVecFromBigints, frVecToBigints } from "../../../verifier/engine/fr.js";
import { batchInverse, LOAD_FACTOR, scalePowers, withFieldVectors, type FieldVectorScratch } from "../../../prover/engine/wasm/index.js";

// The elementwise kernels of engine/wasm/field-vectors.ts against bigint arithmetic: vectors go
// in as FrVec words (held as x/LOAD_FACTOR), through the operations, and out with a factor.
describe("engine/wasm: vector field kernels against bigint", () => {
  const edges = [0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 253n];
  const element = fc.oneof(fc.bigInt({ min: 0n, max: R - 1n }), fc.constantFrom(...edges));
  const mod = (x: bigint): bigint => ((x % R) + R) % R;
  const powMod = (b: bigint, e: bigint): bigint => {
    let x = 1n;
    for (; e > 0n; e >>= 1n, b = (b * b) % R) if (e & 1n) x = (x * b) % R;
    return x;
  };

  /** Loads `xs` into a fresh vector of `s`; returns its address. */
  const load = (s: FieldVectorScratch, xs: readonly bigint[]): number => {
    const at = s.alloc(xs.length);
    s.load(at, frVecFromBigints(xs), xs.length);
    return at;
  };
  /** k times the m elements at `at`, as bigints. */
  const read = (s: FieldVectorScratch, at: number, m: number, k: bigint): bigint[] => {
    const out = new Uint8Array(m * 32);
    s.store(out, 0, at, m, k);
    return frVecToBigints(out);
  };

  it("load then store with the load factor gives the words back, canonical", () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 40 }), (xs) => {
        withFieldVectors(xs.length + 4, xs.length, (s) => {
          expect(read(s, load(s, xs), xs.length, LOAD_FACTOR)).to.deep.equal(xs);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("mul, add, sub and a + k·b elementwise and with one scalar, in place or not, match bigint", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(element, element), { minLength: 1, maxLength: 40 }), element, (pairs, c) => {
        const m = pairs.length;
        const a = pairs.map(([x]) => x);
        const b = pairs.map(([, y]) => y);
        withFieldVectors(12 * m + 4, m, (s) => {
          const [pa, pb] = [load(s, a), load(s, b)];
          const pc = s.scalar(c);
          const d = s.alloc(m);
          const f = LOAD_FACTOR;
          const E = s.elementBytes;
          s.ex.frv_mul(d, pa, pb, m, E);
          expect(read(s, d, m, f * f), "a·b").to.deep.equal(a.map((x, i) => mod(x * b[i])));
          s.ex.frv_add(d, pa, pb, m, E);
          expect(read(s, d, m, f), "a + b").to.deep.equal(a.map((x, i) => mod(x + b[i])));
          s.ex.frv_sub(d, pa, pb, m, E);
          expect(read(s, d, m, f), "a − b").to.deep.equal(a.map((x, i) => mod(x - b[i])));
          s.ex.frv_axpy(d, pa, pb, pc, m);
          expect(read(s, d, m, f), "a + c·b").to.deep.equal(a.map((x, i) => mod(x + c * b[i])));
          s.ex.frv_mul(d, pa, pc, m, 0);
          expect(read(s, d, m, f), "a·c").to.deep.equal(a.map((x) => mod(x * c)));
          s.ex.frv_add(d, pa, pc, m, 0);
          expect(read(s, d, m, f), "a + c/32").to.deep.equal(a.map((x) => mod(x + f * c)));
          // In place: into a (sub), into b (mul), then a chain that keeps the lazily reduced values.
          s.ex.frv_sub(pa, pa, pb, m, E);
          s.ex.frv_mul(pb, pa, pb, m, E);
          s.ex.frv_axpy(pb, pb, pb, pc, m);
          s.ex.frv_add(pb, pb, pb, m, E);
          const chained = a.map((x, i) => mod(2n * (1n + c) * (x - b[i]) * b[i]));
          expect(read(s, pb, m, f * f), "chained").to.deep.equal(chained);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("horner: Σ words(p_i)·z^i over the whole vector, from the top", () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 40 }), element, (p, z) => {
        withFieldVectors(2, Math.max(p.length, 1), (s) => {
          const out = s.alloc(1);
          s.ex.frv_horner(out, s.stage(frVecFromBigints(p)), p.length, s.scalar(z));
          expect(s.read(out, LOAD_FACTOR)).to.equal(p.reduceRight((h, c) => mod(h * z + c), 0n));
        });
      }),
      { numRuns: 100 },
    );
  });

  it("scalePowers: element j times g^j, canonical words, the input left alone", () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 40 }), element, (xs, g) => {
        const input = frVecFromBigints(xs);
        const before = Buffer.from(input);
        expect(frVecToBigints(scalePowers(input, g))).to.deep.equal(xs.map((x, j) => mod(x * powMod(g, BigInt(j)))));
        expect(Buffer.from(input).equals(before)).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });

  it("batchInverse: 1/x elementwise, canonical words, across chunks of 2^14 and the input left alone", () => {
    const nonzero = element.filter((x) => x !== 0n);
    fc.assert(
      fc.property(fc.array(nonzero, { maxLength: 40 }), (xs) => {
        const input = frVecFromBigints(xs);
        const before = Buffer.from(input);
        const out = frVecToBigints(batchInverse(input));
        expect(out.map((y, i) => (y * xs[i]) % R)).to.deep.equal(xs.map(() => 1n));
        expect(Buffer.from(input).equals(before)).to.equal(true);
      }),
      { numRuns: 100 },
    );
    // 2^14 + 3 elements: a second chunk with an inversion of its own.
    const long = Array.from({ length: (1 << 14) + 3 }, (_, i) => mod(BigInt(i + 1) * 0x1234567890abcdefn + (1n << 200n)));
    const inverses = frVecToBigints(batchInverse(frVecFromBigints(long)));
    for (const i of [0, 1, 1 << 13, (1 << 14) - 1, 1 << 14, (1 << 14) + 2]) expect((inverses[i] * long[i]) % R, `element ${i}`).to.equal(1n);
  });

  it("stores with any factor, 0 included, and refuses more elements than its staging holds", () => {
    withFieldVectors(8, 4, (s) => {
      const at = load(s, [5n, R - 1n, 0n, 7n]);
      expect(read(s, load(s, [5n, R - 1n, 0n, 7n]), 4, 3n * LOAD_FACTOR)).to.deep.equal([15n, R - 3n, 0n, 21n]);
      expect(read(s, at, 4, 0n)).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(() => s.load(at, frVecFromBigints([1n, 2n, 3n, 4n, 5n]), 5)).to.throw(RangeError);
      expect(() => s.alloc(100)).to.throw(/beyond the reserved space/);
    });
  });
});
